// DaCe interoperability for users: load a DaCe `.sdfg`/`.sdfgz` as a program object, and write programs for DaCe.
import { readDaceFile, readDaceSDFG, writeDaceFile, writeDaceSDFG } from './graph/dace/index.js';
import { type DaceImportReport, formatReport, fullyTranslated } from './graph/dace/report.js';
import type { SDFG } from './graph/sdfg.js';
import { type Program, programFromSDFG } from './program.js';

export type { DaceImportReport, UntranslatedTasklet, UnknownLibraryNode } from './graph/dace/report.js';

/** A program read from DaCe, with what could not be translated (tasklets kept raw, unknown library nodes). */
export type DaceProgram = Program & {
  readonly report: DaceImportReport & {
    /** True when every tasklet and library node was translated: the reference interpreter can run it. */
    readonly runnable: boolean;
    /** One line per untranslated item, for a terminal. */
    toString(): string;
  };
};

function withReport(sdfg: SDFG, report: DaceImportReport): DaceProgram {
  const full = Object.assign(report, {
    runnable: fullyTranslated(report),
    toString: () => formatReport(report),
  });
  return Object.assign(programFromSDFG(sdfg), { report: full });
}

/**
 * A program from DaCe's SDFG JSON (the parsed object or its text), as `program(...)` gives: `.sdfg`, `.run(args)`
 * with arguments by the SDFG's own names, and `compile(...)` to every target.
 */
export function fromDace(json: unknown): DaceProgram {
  const { sdfg, report } = readDaceSDFG(json);
  return withReport(sdfg, report);
}

/** A program from a DaCe file: `.sdfg`, or `.sdfgz` (gzip). */
export function fromDaceFile(path: string): DaceProgram {
  const { sdfg, report } = readDaceFile(path);
  return withReport(sdfg, report);
}

/** DaCe's JSON for a program (or an SDFG): `JSON.stringify` it, or use `toDaceFile`. */
export function toDace(program: { readonly sdfg: SDFG } | SDFG): Record<string, unknown> {
  return writeDaceSDFG(sdfgOf(program));
}

function sdfgOf(program: { readonly sdfg: SDFG } | SDFG): SDFG {
  return 'kind' in program && program.kind === 'SDFG' ? program : (program as { readonly sdfg: SDFG }).sdfg;
}

/** Write a program as a DaCe file; a path ending in `.sdfgz` is gzip-compressed. Open it in DaCe's viewer. */
export function toDaceFile(program: { readonly sdfg: SDFG } | SDFG, path: string, options: { indent?: number } = {}): void {
  writeDaceFile(sdfgOf(program), path, options);
}
