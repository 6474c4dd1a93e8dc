// (being written)
export interface SanitizeOptions { cacheDir?: string }
export async function runSanitized(): Promise<void> {}
