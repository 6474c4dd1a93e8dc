// (being written)
export async function exportAddon(): Promise<void> {}
