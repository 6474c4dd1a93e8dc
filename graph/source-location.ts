// Where in the user's code a graph element was made: captured once, at the builder call.
import { fileURLToPath } from 'node:url';
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

// Frames look like "    at fn (/path/file.ts:12:5)" or "    at /path/file.ts:12:5" (already source-mapped by the loader).
const framePattern = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/** The first stack frame outside the library: the user's call that is building something. */
export function captureSourceLocation(): SourceLocation | undefined {
  const limit = Error.stackTraceLimit;
  const holder: { stack?: string } = {};
  try {
    Error.stackTraceLimit = 40;
    Error.captureStackTrace(holder, captureSourceLocation);
  } finally {
    Error.stackTraceLimit = limit;
  }
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = framePattern.exec(line);
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (isInternal(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

export function formatSourceLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '<unknown location>';
  const relative = path.relative(process.cwd(), loc.file);
  const shown = relative && !relative.startsWith('..') ? relative : loc.file;
  return `${shown}:${loc.line}:${loc.column}`;
}
