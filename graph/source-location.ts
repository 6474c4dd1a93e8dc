// Where in the user's code a graph element was made: captured once, at the builder call.
import { fileURLToPath } from 'node:url';
import { findSourceMap, type SourceMap } from 'node:module';
import path from 'node:path';

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The folder that holds the library; frames inside it (but not its samples/kernels/specs) are skipped. */
const libraryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const internalFolders = ['graph', 'dsl', 'passes', 'targets'].map((f) => path.join(libraryRoot, f) + path.sep);

function isInternal(file: string): boolean {
  if (file.startsWith('node:') || file.includes(`${path.sep}node_modules${path.sep}`)) return true;
  return internalFolders.some((folder) => file.startsWith(folder)) || ['index.ts', 'program.ts', 'dace-interop.ts'].some((f) => file === path.join(libraryRoot, f));
}

const internalNames = new Map<string, boolean>();

/** isInternal by the call site's file name (a path or a file URL), cached: the same few files come up again and again. */
function internalByName(name: string): boolean {
  let internal = internalNames.get(name);
  if (internal === undefined) {
    internal = isInternal(name.startsWith('file://') ? fileURLToPath(name) : name);
    internalNames.set(name, internal);
  }
  return internal;
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** The position in the file as written: through the loader's source map (TypeScript via tsx), cached per file. */
function originalPosition(fileOrUrl: string, line: number, column: number): SourceLocation {
  let map = sourceMaps.get(fileOrUrl);
  if (!sourceMaps.has(fileOrUrl)) {
    map = findSourceMap(fileOrUrl);
    sourceMaps.set(fileOrUrl, map);
  }
  const entry = map?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (entry?.originalLine !== undefined && entry.originalColumn !== undefined) {
    const source = entry.originalSource ?? fileOrUrl;
    return { file: source.startsWith('file://') ? fileURLToPath(source) : source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  return { file: fileOrUrl.startsWith('file://') ? fileURLToPath(fileOrUrl) : fileOrUrl, line, column };
}

/**
 * The first stack frame outside the library: the user's call that is building something. Structured call sites
 * (not the formatted stack text) keep this cheap: it runs for every node and edge the builder makes.
 */
export function captureSourceLocation(): SourceLocation | undefined {
  const original = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let sites: NodeJS.CallSite[];
  try {
    Error.stackTraceLimit = 40;
    Error.prepareStackTrace = (_error, stack) => stack;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, captureSourceLocation);
    sites = (holder.stack as NodeJS.CallSite[] | undefined) ?? [];
  } finally {
    Error.prepareStackTrace = original;
    Error.stackTraceLimit = limit;
  }
  for (const site of sites) {
    const name = site.getFileName();
    if (!name || internalByName(name)) continue;
    return originalPosition(name, site.getLineNumber() ?? 0, site.getColumnNumber() ?? 0);
  }
  return undefined;
}

export function formatSourceLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '<unknown location>';
  const relative = path.relative(process.cwd(), loc.file);
  const shown = relative && !relative.startsWith('..') ? relative : loc.file;
  return `${shown}:${loc.line}:${loc.column}`;
}
