// Writing data descriptors, ranges and memlets in DaCe's form (inclusive range ends, spelled symbols).
import { type DataDesc, lifetimes, storageTypes } from '../data.js';
import { assertNever } from '../errors.js';
import type { Memlet, Wcr } from '../memlet.js';
import { memletPath, nodeById } from '../query.js';
import type { Edge, SDFG, State } from '../sdfg.js';
import { type Range, type Subset, toInclusiveEnd } from '../subsets.js';
import type { Expr } from '../symbolic.js';
import { type JsonObject, adaptationOf, extrasOf, mergeAttributes, rawOf, sourceOf, spellingsOf } from './extras.js';
import { DEFAULTS } from './properties.js';
import { pythonLambda } from './python-print.js';
import { UNDECLARED_SYMBOL_DTYPE, writeSymbolic } from './symbols.js';

/** Writes one SDFG's expressions with its symbols' spellings. */
export class ExprWriter {
  private readonly dtypeOf: (name: string) => string;

  constructor(readonly sdfg: SDFG) {
    const spelled = spellingsOf(sdfg);
    this.dtypeOf = (name) => spelled?.get(name) ?? sdfg.symbols[name]?.name ?? UNDECLARED_SYMBOL_DTYPE;
  }

  expr(e: Expr): string {
    return sourceOf(e) ?? writeSymbolic(e, this.dtypeOf);
  }

  range(r: Range): JsonObject {
    return rawOf(r) ?? { start: this.expr(r.begin), end: this.expr(toInclusiveEnd(r)), step: this.expr(r.step), tile: '1' };
  }

  subset(s: Subset | null): JsonObject | null {
    return s ? { type: 'Range', ranges: s.ranges.map((r) => this.range(r)) } : null;
  }
}

/** A value the model holds in a closed set: one the reader could not place (kept) is written back as it was. */
export function keptEnum(value: string, fallback: string, kept: unknown, known: readonly string[]): string {
  return value === fallback && typeof kept === 'string' && !known.includes(kept) ? kept : value;
}

export function writeData(w: ExprWriter, desc: DataDesc): JsonObject {
  const kept = extrasOf(desc).attributes;
  const common = {
    dtype: desc.dtype.name,
    transient: desc.transient,
    storage: keptEnum(desc.storage, 'Default', kept['storage'], storageTypes),
    lifetime: keptEnum(desc.lifetime, 'Scope', kept['lifetime'], lifetimes),
  };
  const defaults = { ...DEFAULTS.Data, ...DEFAULTS.Array };
  const exprs = (xs: readonly Expr[]): string[] => xs.map((x) => w.expr(x));
  switch (desc.kind) {
    case 'Array': case 'View': {
      const computed = {
        strides: exprs(desc.strides), total_size: w.expr(desc.totalSize), offset: exprs(desc.offset),
        dtype: common.dtype, shape: exprs(desc.shape), transient: common.transient, storage: common.storage, lifetime: common.lifetime,
        alignment: desc.alignment, start_offset: desc.startOffset, may_alias: desc.mayAlias,
      };
      const owned = Object.keys(computed);
      return { type: desc.kind === 'Array' ? 'Array' : 'ArrayView', attributes: mergeAttributes(kept, owned, computed, defaults) };
    }
    case 'Scalar': {
      const computed = { ...common, shape: ['1'] };
      return { type: 'Scalar', attributes: mergeAttributes(kept, Object.keys(computed), computed, defaults) };
    }
    case 'Stream': {
      const computed = { ...common, shape: exprs(desc.shape), buffer_size: w.expr(desc.bufferSize) };
      return { type: 'Stream', attributes: mergeAttributes(kept, Object.keys(computed), computed, { ...defaults, ...DEFAULTS.Stream }) };
    }
    default: return assertNever(desc, 'data descriptor');
  }
}

const WCR_TEXT: Readonly<Record<'sum' | 'product' | 'min' | 'max', string>> = {
  sum: '(lambda a, b: (a + b))', product: '(lambda a, b: (a * b))', min: '(lambda a, b: min(a, b))', max: '(lambda a, b: max(a, b))',
};

export function writeWcr(wcr: Wcr): string {
  const text = sourceOf(wcr);
  if (text !== undefined) return text;
  return wcr.op === 'custom' ? pythonLambda(wcr.params, wcr.body) : WCR_TEXT[wcr.op];
}

/** Whether the memlet's data is at the source end of its path (DaCe's `is_data_src`). */
function isDataSource(state: State, edge: Edge): boolean {
  const chain = memletPath(state, edge);
  const first = nodeById(state, chain[0]!.src), last = nodeById(state, chain[chain.length - 1]!.dst);
  if (first?.kind === 'AccessNode' && first.data === edge.memlet.data) return true;
  if (last?.kind === 'AccessNode' && last.data === edge.memlet.data) return false;
  return true;
}

const MEMLET_OWNED = ['volume', 'dynamic', 'subset', 'other_subset', 'data', 'wcr', 'src_subset', 'dst_subset', 'is_data_src', 'num_accesses'];

export function writeMemlet(w: ExprWriter, state: State, edge: Edge): JsonObject {
  const m: Memlet = edge.memlet;
  const kept = extrasOf(m).attributes;
  if (m.data === null) {
    const volume = typeof kept['volume'] === 'string' ? kept['volume'] : '1';
    const computed = { volume, src_subset: null, dst_subset: null, is_data_src: kept['is_data_src'] ?? false, num_accesses: volume };
    return { type: 'Memlet', attributes: mergeAttributes(kept, MEMLET_OWNED, computed) };
  }
  // Undo the reader's renaming: DaCe named this memlet by the container at the far end of its path.
  const adapted = adaptationOf(m);
  const swapped = adapted?.swappedData;
  const restore = swapped !== undefined && swapped.to === m.data && m.otherSubset !== null;
  const [data, subset, other] = restore ? [swapped.from, m.otherSubset, swapped.hadOtherSubset ? m.subset : null] : [m.data, m.subset, m.otherSubset];
  const isSrc = restore && typeof kept['is_data_src'] === 'boolean' ? kept['is_data_src'] : isDataSource(state, edge);
  const volumeKept = adapted?.volumeRead === m.volume && 'num_accesses' in kept;
  const volume = volumeKept ? kept['volume'] : w.expr(m.volume);
  const computed = {
    volume, dynamic: m.dynamic, subset: w.subset(subset), other_subset: w.subset(other), data,
    wcr: m.wcr ? writeWcr(m.wcr) : null,
    src_subset: w.subset(isSrc ? subset : other), dst_subset: w.subset(isSrc ? other : subset),
    is_data_src: isSrc, num_accesses: volumeKept ? kept['num_accesses'] : volume,
  };
  return { type: 'Memlet', attributes: mergeAttributes(kept, MEMLET_OWNED, computed, DEFAULTS.Memlet) };
}
