/// <reference types="@webgpu/types" />
// WebGPU in Node: Dawn from the `webgpu` package, on a GPU's Vulkan driver, else on the CPU: SwiftShader's Vulkan ICD
// (shipped with Chromium), located and selected through VK_ICD_FILENAMES, or Mesa's llvmpipe through OpenGL ES. Node
// built-ins and Dawn are imported dynamically, only when called, so a browser bundle can include this file.
import { deviceFrom, noAdapter, type GpuEntry, type WgslDevice } from './device-request.js';

/** Where distributions put SwiftShader's Vulkan ICD manifest. */
export const swiftShaderCandidates: readonly string[] = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
  '/snap/chromium/current/usr/lib/chromium-browser/vk_swiftshader_icd.json',
];

/** System locations of Vulkan ICD manifests: a GPU driver installs one there. */
const icdDirectories = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

type Fs = typeof import('node:fs');

async function nodeModules(): Promise<{ fs: Fs; os: typeof import('node:os'); path: typeof import('node:path') }> {
  const [fs, os, path] = await Promise.all([import('node:fs'), import('node:os'), import('node:path')]);
  return { fs, os, path };
}

function exists(fs: Fs, file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether any Vulkan driver manifest is installed system-wide (besides SwiftShader in Chromium's own folder). */
function hasSystemVulkanDriver(fs: Fs): boolean {
  return icdDirectories.some((dir) => {
    try {
      return fs.readdirSync(dir).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

/** The SwiftShader ICD manifest, from SDFG_SWIFTSHADER_ICD or the known places; undefined when there is none. */
export function findSwiftShader(fs: Fs, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env['SDFG_SWIFTSHADER_ICD'];
  if (given) return exists(fs, given) ? given : undefined;
  return swiftShaderCandidates.find((f) => exists(fs, f));
}

/** Point the Vulkan loader at SwiftShader; XDG_RUNTIME_DIR gets a private folder to silence a harmless warning. */
async function useSwiftShader(icd: string): Promise<void> {
  const { fs, os, path } = await nodeModules();
  process.env['VK_ICD_FILENAMES'] = icd;
  if (!process.env['XDG_RUNTIME_DIR']) process.env['XDG_RUNTIME_DIR'] = fs.mkdtempSync(path.join(os.tmpdir(), 'sdfg-xdg-'));
}

async function loadDawn(): Promise<{ create(options: string[]): GpuEntry }> {
  const name = 'webgpu';
  try {
    return (await import(/* @vite-ignore */ name)) as { create(options: string[]): GpuEntry };
  } catch (error) {
    throw noAdapter(`the \`webgpu\` package (Dawn for Node) cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

type Backend = 'vulkan' | 'opengles' | 'swiftshader';
const backends: readonly Backend[] = ['vulkan', 'swiftshader', 'opengles'];

/**
 * The backends to try, in order: a GPU's Vulkan driver; SwiftShader's Vulkan driver (CPU); Mesa's llvmpipe through
 * Dawn's OpenGL ES backend in compatibility mode (CPU). SDFG_WEBGPU_BACKEND=vulkan|swiftshader|opengles picks one.
 */
function backendOrder(fs: Fs, swiftShader: string | undefined): Backend[] {
  const forced = process.env['SDFG_WEBGPU_BACKEND'];
  if (forced !== undefined && forced !== '') {
    if (!backends.includes(forced as Backend)) throw noAdapter(`SDFG_WEBGPU_BACKEND=${forced} is not one of ${backends.join(', ')}`);
    return [forced as Backend];
  }
  const order: Backend[] = [];
  if (process.env['VK_ICD_FILENAMES'] || hasSystemVulkanDriver(fs)) order.push('vulkan');
  if (swiftShader) order.push('swiftshader');
  order.push('opengles');
  return order;
}

async function tryBackend(dawn: Awaited<ReturnType<typeof loadDawn>>, backend: Backend, swiftShader: string | undefined, timeoutMs: number): Promise<WgslDevice | undefined> {
  switch (backend) {
    case 'vulkan':
      return deviceFrom(dawn.create(['backend=vulkan']), timeoutMs, 'Dawn (Vulkan)');
    case 'opengles':
      // Mesa's EGL without a display: render nodes or pure software (llvmpipe).
      process.env['EGL_PLATFORM'] ??= 'surfaceless';
      return deviceFrom(dawn.create(['backend=opengles']), timeoutMs, 'Dawn (OpenGL ES)', { featureLevel: 'compatibility' });
    case 'swiftshader':
      if (!swiftShader) return undefined;
      await useSwiftShader(swiftShader);
      return deviceFrom(dawn.create(['backend=vulkan']), timeoutMs, `Dawn on SwiftShader (${swiftShader})`);
  }
}

export async function nodeWgslDevice(timeoutMs: number): Promise<WgslDevice> {
  const dawn = await loadDawn();
  const { fs } = await nodeModules();
  const swiftShader = process.env['VK_ICD_FILENAMES'] ? undefined : findSwiftShader(fs);
  const order = backendOrder(fs, swiftShader);
  for (const backend of order) {
    const found = await tryBackend(dawn, backend, swiftShader, timeoutMs);
    if (found) return found;
  }
  const missing = swiftShader || process.env['VK_ICD_FILENAMES'] ? '' : `; no SwiftShader ICD at ${swiftShaderCandidates.join(', ')}`;
  throw noAdapter(`Dawn found no adapter (tried ${order.join(', ')}${missing})`);
}
