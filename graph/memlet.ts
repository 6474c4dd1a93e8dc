// Memlets: what data an edge moves (which container, which elements, how conflicts resolve).
import type { Expr } from './symbolic.js';
import type { Subset } from './subsets.js';
import { subsetVolume } from './subsets.js';
import type { TExpr } from './tasklet-ast.js';

/** Write-conflict resolution: how concurrent writes to one element combine. */
export type Wcr =
  | { readonly op: 'sum' | 'product' | 'min' | 'max' }
  /** A custom binary lambda `(a, b) => body` in the tasklet language. */
  | { readonly op: 'custom'; readonly params: readonly [string, string]; readonly body: TExpr };

export type WcrOp = Wcr['op'];

export interface Memlet {
  /** The container moved; null for an empty memlet (ordering only). */
  data: string | null;
  /** Elements of `data` that are read or written. */
  subset: Subset | null;
  /** Elements on the other side of a copy between two containers. */
  otherSubset: Subset | null;
  /** Number of elements moved (an upper bound when `dynamic`). */
  volume: Expr;
  /** True when the number of accesses is only known at run time. */
  dynamic: boolean;
  wcr: Wcr | null;
}

export function makeMemlet(data: string, subset: Subset, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  return {
    data,
    subset,
    otherSubset: options.otherSubset ?? null,
    volume: options.volume ?? subsetVolume(subset),
    dynamic: options.dynamic ?? false,
    wcr: options.wcr ?? null,
  };
}

export function emptyMemlet(): Memlet {
  return { data: null, subset: null, otherSubset: null, volume: subsetVolumeOfNothing, dynamic: false, wcr: null };
}

import { ZERO } from './symbolic.js';
const subsetVolumeOfNothing: Expr = ZERO;

export function isEmptyMemlet(m: Memlet): boolean {
  return m.data === null;
}
