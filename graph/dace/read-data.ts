// Reading DaCe's data descriptors, ranges, subsets and memlets (inclusive range ends become exclusive).
import { type DataDesc, rowMajorStrides, totalExtent } from '../data.js';
import { FormatError } from '../errors.js';
import { type Memlet, emptyMemlet } from '../memlet.js';
import type { SDFG } from '../sdfg.js';
import type { SourceLocation } from '../source-location.js';
import { type Range, type Subset, fromInclusive, index, subset, subsetVolume } from '../subsets.js';
import { type Expr, ZERO } from '../symbolic.js';
import type { TExpr } from '../tasklet-ast.js';
import { type JsonObject, isObject, keepExtras, keepRaw, keepSource, noteAdaptation } from './extras.js';
import { DEFAULTS, type NoteSink, readDType, readLifetime, readStorage } from './properties.js';
import { translateWcr } from './python-translate.js';
import { type SymbolSpellings, readSymbolic } from './symbols.js';
import type { DaceImportReport } from './report.js';

/** What reading one SDFG (the root or a nested one) needs to hand down. */
export interface ReadScope {
  readonly sdfg: SDFG;
  readonly spellings: SymbolSpellings;
  readonly report: DaceImportReport;
  /** The root file's `source_files`, which debug info indexes. */
  readonly sourceFiles: readonly string[];
  /** The SDFG's name, with the names of the SDFGs around it: `outer/inner`. */
  readonly path: string;
  readonly note: NoteSink;
}

export function formatError(code: string, message: string, path?: { sdfg?: string; state?: string; node?: string }, hint?: string): FormatError {
  return new FormatError({ code, message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw formatError('bad-structure', `${what}: expected an object, got ${describeJson(value)}`);
  return value;
}

export function asArray(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw formatError('bad-structure', `${what}: expected a list, got ${describeJson(value)}`);
  return value;
}

export function describeJson(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** An expression, remembering its text: an unchanged one is written back exactly as DaCe wrote it. */
export function expr(scope: ReadScope, value: unknown, what: string): Expr {
  const e = readSymbolic(value, what, scope.spellings);
  if (typeof value === 'string') keepSource(e, value);
  return e;
}

/** DaCe's DebugInfo as a source location: the user's Python file and line. */
export function readDebugLoc(value: unknown, scope: ReadScope): { loc?: SourceLocation } {
  if (!isObject(value) || typeof value['start_line'] !== 'number') return {};
  const fileIndex = value['file_index'];
  const file = typeof value['filename'] === 'string' ? value['filename']
    : typeof fileIndex === 'number' ? scope.sourceFiles[fileIndex] : undefined;
  if (!file) return {};
  const column = typeof value['start_column'] === 'number' ? value['start_column'] : 0;
  return { loc: { file, line: value['start_line'], column } };
}

// ---------------------------------------------------------------------------------------------------------------
// Data descriptors.

export function readData(scope: ReadScope, name: string, json: unknown): DataDesc {
  const what = `${scope.path}: data ${name}`;
  const j = asObject(json, what);
  const a = isObject(j['attributes']) ? j['attributes'] : {};
  const common = {
    dtype: readDType(a['dtype'], what),
    transient: a['transient'] === true,
    storage: readStorage(a['storage'], what, scope.note),
    lifetime: readLifetime(a['lifetime'], what, scope.note),
  };
  const exprs = (key: string): Expr[] | undefined => (Array.isArray(a[key]) ? (a[key] as unknown[]).map((v, d) => expr(scope, v, `${what}: ${key}[${d}]`)) : undefined);
  let desc: DataDesc;
  switch (j['type']) {
    case 'Array': case 'ArrayView': case 'View': {
      const shape = exprs('shape') ?? [];
      const strides = exprs('strides') ?? rowMajorStrides(shape);
      desc = {
        kind: j['type'] === 'Array' ? 'Array' : 'View', ...common, shape, strides,
        offset: exprs('offset') ?? shape.map(() => ZERO),
        totalSize: a['total_size'] !== undefined ? expr(scope, a['total_size'], `${what}: total_size`) : totalExtent(shape, strides),
        alignment: typeof a['alignment'] === 'number' ? a['alignment'] : DEFAULTS.Array.alignment,
        startOffset: typeof a['start_offset'] === 'number' ? a['start_offset'] : DEFAULTS.Array.start_offset,
        mayAlias: a['may_alias'] === true,
      };
      break;
    }
    case 'Scalar': desc = { kind: 'Scalar', ...common }; break;
    case 'Stream':
      desc = {
        kind: 'Stream', ...common, shape: exprs('shape') ?? [ZERO.add(1)],
        bufferSize: expr(scope, a['buffer_size'] ?? DEFAULTS.Stream.buffer_size, `${what}: buffer_size`),
      };
      break;
    default:
      throw formatError('unsupported-data', `${what} is a ${describeJson(j['type'])}, which sdfg-ts does not model`, { sdfg: scope.path },
        'supported containers: Array, ArrayView (View), Scalar, Stream');
  }
  keepExtras(desc, j);
  return desc;
}

// ---------------------------------------------------------------------------------------------------------------
// Ranges and subsets.

/** `{type: Range, ranges: [{start, end, step, tile}]}` (inclusive ends) or `{type: Indices, indices}`. */
export function readSubset(scope: ReadScope, json: unknown, what: string): Subset | null {
  if (json === undefined || json === null) return null;
  const j = asObject(json, what);
  if (j['type'] === 'Indices') {
    return subset(...asArray(j['indices'], what).map((v, d) => index(expr(scope, v, `${what}: index ${d}`))));
  }
  if (j['type'] !== 'Range') throw formatError('bad-subset', `${what}: expected a Range or Indices, got ${describeJson(j['type'])}`);
  return subset(...asArray(j['ranges'], what).map((r, d) => readRange(scope, r, `${what}: range ${d}`)));
}

function readRange(scope: ReadScope, json: unknown, what: string): Range {
  const r = asObject(json, what);
  if (r['tile'] !== undefined && String(r['tile']) !== '1') scope.note(`${what} has tile size ${String(r['tile'])}, which is dropped`);
  const step = r['step'] === undefined ? 1 : expr(scope, r['step'], `${what}: step`);
  const range = fromInclusive(expr(scope, r['start'], `${what}: start`), expr(scope, r['end'], `${what}: end`), step);
  keepRaw(range, r);
  return range;
}

// ---------------------------------------------------------------------------------------------------------------
// Memlets.

export function readMemlet(scope: ReadScope, json: unknown, what: string): Memlet {
  if (json === undefined || json === null) return emptyMemlet();
  const j = asObject(json, what);
  const a = isObject(j['attributes']) ? j['attributes'] : {};
  const data = typeof a['data'] === 'string' ? a['data'] : null;
  const set = readSubset(scope, a['subset'], `${what}: subset`);
  if (data === null && set === null) {
    const m = emptyMemlet();
    keepExtras(m, j);
    return m;
  }
  if (data === null) throw formatError('bad-memlet', `${what} has a subset but no data`);
  // DaCe writes -1 accesses for "unknown" (dynamic); the model's volume is then the subset's, an upper bound.
  const volumeText = a['volume'] ?? a['num_accesses'];
  const unknown = volumeText === undefined || volumeText === -1 || volumeText === '-1';
  const memlet: Memlet = {
    data,
    subset: set ?? null,
    otherSubset: readSubset(scope, a['other_subset'], `${what}: other_subset`),
    volume: !unknown ? expr(scope, volumeText, `${what}: volume`) : set ? subsetVolume(set) : ZERO,
    dynamic: a['dynamic'] === true || (unknown && volumeText !== undefined),
    wcr: null,
  };
  noteAdaptation(memlet, { volumeRead: memlet.volume });
  if (typeof a['wcr'] === 'string') {
    try {
      memlet.wcr = translateWcr(a['wcr']);
      keepSource(memlet.wcr, a['wcr']);
    } catch (error) {
      throw formatError('unsupported-wcr', `${what}: cannot read the write-conflict resolution ${a['wcr']}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  keepExtras(memlet, j);
  return memlet;
}

/** Keep the text an expression was read from, so that an unchanged one is written back identically. */
export function withSource<T extends TExpr>(e: T, text: string): T {
  keepSource(e, text);
  return e;
}
