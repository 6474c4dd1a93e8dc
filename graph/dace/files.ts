// DaCe files on disk: `.sdfg` (JSON) and `.sdfgz` (gzip-compressed JSON), read and written.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FormatError } from '../errors.js';
import type { SDFG } from '../sdfg.js';
import { type DaceImport, readDaceSDFG } from './read.js';
import { writeDaceSDFG } from './write.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/** The JSON text of a DaCe file, decompressed when it is gzip (whatever its extension says). */
export function daceFileText(bytes: Buffer, path = 'the file'): string {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      return gunzipSync(new Uint8Array(bytes)).toString('utf8');
    } catch (error) {
      throw new FormatError({ code: 'bad-gzip', message: `${path} looks compressed but cannot be decompressed: ${error instanceof Error ? error.message : String(error)}`, cause: error });
    }
  }
  return bytes.toString('utf8');
}

export function readDaceFile(path: string): DaceImport {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FormatError({ code: 'file-not-readable', message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`, cause: error });
  }
  return readDaceSDFG(daceFileText(bytes, path));
}

/** Write DaCe JSON; a path ending in `.sdfgz` is gzip-compressed, as DaCe does. */
export function writeDaceFile(sdfg: SDFG, path: string, options: { indent?: number } = {}): void {
  const text = JSON.stringify(writeDaceSDFG(sdfg), null, options.indent ?? 1);
  if (path.endsWith('.sdfgz')) writeFileSync(path, new Uint8Array(gzipSync(text)));
  else writeFileSync(path, text);
}
