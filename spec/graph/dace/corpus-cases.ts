// The DaCe corpus (shared/dace-sdfg): what each file is expected to do here, with the reason wherever it cannot yet,
// and how to run a file on its case.json inputs and compare with NumPy's outputs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyTypedArray } from '../../../graph/dtypes.js';
import { dtypeByName } from '../../../graph/dtypes.js';
import type { SDFG } from '../../../graph/sdfg.js';

/** The corpus lives beside the checkout (it is DaCe's output, not this project's); SDFG_DACE_CORPUS points elsewhere. */
export const corpusDir = process.env.SDFG_DACE_CORPUS ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/dace-sdfg');
export const corpusAvailable = existsSync(corpusDir);
let warned = false;

/** In a suite that needs the corpus: skip it (saying why, once) where the corpus is missing. */
export function requireCorpus(this: Mocha.Context): void {
  if (corpusAvailable) return;
  if (!warned) console.warn(`  (the DaCe corpus is not at ${corpusDir}: its tests are skipped; set SDFG_DACE_CORPUS to run them)`);
  warned = true;
  this.skip();
}

/** A run that cannot happen yet: why, and the error code it stops with meanwhile. */
export interface Pending { readonly pending: string; readonly code: string }
export type Outcome = 'match' | 'not-runnable' | Pending;

export interface CorpusFile {
  readonly kernel: string;
  /** Path below the corpus folder. */
  readonly file: string;
  /** Tasklets kept raw (C++ BLAS calls) and unknown library nodes the report must list. */
  readonly untranslated: number;
  readonly unknownLibraries: number;
  /** Validation rules that reject the file for a limitation of the rule, not of the file (DaCe runs it). */
  readonly knownIssues: readonly string[];
  readonly reference: Outcome;
  readonly cpp: Outcome;
}

const CPP_RESIZE = 'cpp: transients sized by symbols the program assigns while running are not supported';

const both = (kernel: string, spec: Partial<Omit<CorpusFile, 'kernel' | 'file'>> = {}): CorpusFile[] =>
  ['auto_cpu', 'simplified'].map((v) => entry(kernel, v, spec));

function entry(kernel: string, variant: string, spec: Partial<Omit<CorpusFile, 'kernel' | 'file'>> = {}): CorpusFile {
  return {
    kernel, file: `${kernel}/${kernel}.${variant}.sdfg`, untranslated: 0, unknownLibraries: 0, knownIssues: [],
    reference: 'match', cpp: 'match', ...spec,
  };
}

const notRunnable = { reference: 'not-runnable', cpp: 'not-runnable' } as const;

export const corpusFiles: readonly CorpusFile[] = [
  ...both('azimint_hist'),
  entry('cholesky', 'auto_cpu', { untranslated: 2, ...notRunnable }),
  entry('cholesky', 'simplified', { unknownLibraries: 2, ...notRunnable }),
  ...both('conv2d_bias'),
  ...both('crc16'),
  ...both('deriche'),
  ...both('fdtd_2d'),
  ...both('floyd_warshall'),
  entry('gemm', 'auto_cpu', { untranslated: 1, ...notRunnable }),
  entry('gemm', 'simplified'),
  entry('gemver', 'auto_cpu', { untranslated: 2, ...notRunnable }),
  entry('gemver', 'simplified'),
  ...both('hdiff'),
  ...both('jacobi_2d'),
  ...both('seidel_2d'),
  ...both('softmax'),
  entry('spmv', 'auto_cpu', { untranslated: 1, ...notRunnable }),
  entry('spmv', 'simplified', { cpp: { pending: CPP_RESIZE, code: 'cpp-unsupported' } }),
  entry('syrk', 'auto_cpu'),
  entry('syrk', 'simplified', { cpp: { pending: CPP_RESIZE, code: 'cpp-unsupported' } }),
  entry('vadv', 'auto_cpu'),
  entry('vadv', 'simplified'),
  { kernel: 'hand-built', file: 'hand-built/axpy_builder.sdfg', untranslated: 0, unknownLibraries: 0, knownIssues: [], reference: 'match', cpp: 'match' },
  { kernel: 'hand-built', file: 'hand-built/prog_loop.sdfg', untranslated: 0, unknownLibraries: 0, knownIssues: [], reference: 'match', cpp: 'match' },
];

interface CaseArray { dtype: string; shape: number[]; data: number[] }
export interface Case {
  kernel: string;
  symbols: Record<string, number>;
  inputs: Record<string, CaseArray | number>;
  outputs: Record<string, CaseArray>;
}

export function readCase(kernel: string): Case | undefined {
  if (kernel === 'hand-built' || !corpusAvailable) return undefined;
  return JSON.parse(readFileSync(path.join(corpusDir, kernel, 'case.json'), 'utf8')) as Case;
}

function typed(sdfg: SDFG, name: string, values: readonly number[], fallback: string): AnyTypedArray {
  // The container's own dtype: NumPy may report a wider one (crc16 returns int64 for DaCe's uint16 __return).
  const dtype = sdfg.arrays[name]?.dtype ?? dtypeByName(fallback)!;
  const out = new dtype.array(values.length) as AnyTypedArray;
  values.forEach((v, i) => { (out as unknown as (number | bigint)[])[i] = out instanceof BigInt64Array || out instanceof BigUint64Array ? BigInt(v) : v; });
  return out;
}

/** Arguments by the SDFG's own names: the case's inputs and symbols, and zeroed outputs that are not inputs. */
export function caseArguments(sdfg: SDFG, c: Case): Record<string, AnyTypedArray | number> {
  const args: Record<string, AnyTypedArray | number> = {};
  for (const [name, v] of Object.entries(c.inputs)) {
    if (!(name in sdfg.arrays) && !(name in sdfg.symbols)) continue;
    args[name] = typeof v === 'number' ? v : typed(sdfg, name, v.data, v.dtype);
  }
  for (const [name, v] of Object.entries(c.symbols)) if (name in sdfg.symbols && sdfg.argNames.includes(name) && !(name in args)) args[name] = v;
  for (const [name, v] of Object.entries(c.outputs)) if (!(name in args)) args[name] = typed(sdfg, name, v.data.map(() => 0), v.dtype);
  return args;
}

/** NumPy's allclose (rtol 1e-5, atol 1e-8): the first element outside it, or undefined. */
export function firstMismatch(c: Case, args: Record<string, AnyTypedArray | number>): string | undefined {
  for (const [name, want] of Object.entries(c.outputs)) {
    const got = args[name] as AnyTypedArray;
    if (got.length !== want.data.length) return `${name}: ${got.length} elements, expected ${want.data.length}`;
    for (let i = 0; i < want.data.length; i++) {
      const g = Number(got[i]), w = want.data[i]!;
      if (!(Math.abs(g - w) <= 1e-8 + 1e-5 * Math.abs(w))) return `${name}[${i}] = ${g}, NumPy gives ${w}`;
    }
  }
  return undefined;
}
