// Test programs for the C++ target, built with graph/construct.ts (a small helper for maps around one tasklet).
import { addEdge, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { makeArray, makeScalar, makeStream, type ArrayOptions } from '../../../graph/data.js';
import { i64, type DType } from '../../../graph/dtypes.js';
import { makeMemlet, type Wcr } from '../../../graph/memlet.js';
import type { AccessNode, MapEntry, MapExit, Node, ScheduleType } from '../../../graph/nodes.js';
import { propagateMemletsInState } from '../../../graph/propagate.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { parseSubset } from '../../../graph/subsets.js';
import { type ExprLike, int, sym } from '../../../graph/symbolic.js';
import { parseTasklet } from '../../../dsl/tasklet-parser.js';

export function newSDFG(name: string, symbols: readonly string[] = []): SDFG {
  const sdfg = createSDFG(name);
  for (const s of symbols) {
    sdfg.symbols[s] = i64;
    sdfg.argNames.push(s);
  }
  return sdfg;
}

export function array(sdfg: SDFG, name: string, dtype: DType, shape: readonly ExprLike[], options: ArrayOptions = {}): void {
  sdfg.arrays[name] = makeArray(dtype, shape.map((s) => (typeof s === 'string' ? sym(s) : s)), options);
  if (!options.transient) sdfg.argNames.push(name);
}

export function scalar(sdfg: SDFG, name: string, dtype: DType, transient = false): void {
  sdfg.arrays[name] = makeScalar(dtype, { transient });
  if (!transient) sdfg.argNames.push(name);
}

export function stream(sdfg: SDFG, name: string, dtype: DType, bufferSize: ExprLike): void {
  sdfg.arrays[name] = makeStream(dtype, bufferSize, { transient: true });
}

export const access = (state: State, data: string): AccessNode =>
  addNode(state, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });

/** "A[i, j]" → memlet of A at that subset. */
export function memletOf(text: string, wcr: Wcr | null = null, options: { dynamic?: boolean } = {}): ReturnType<typeof makeMemlet> {
  const m = /^(\w+)\[(.*)\]$/.exec(text.trim());
  if (!m) throw new Error(`bad memlet text ${text}`);
  return makeMemlet(m[1]!, parseSubset(m[2]!), { wcr, ...(options.dynamic ? { dynamic: true } : {}) });
}

export function tasklet(state: State, label: string, ins: readonly string[], outs: readonly string[], code: string, language: 'tasklet' | 'CPP' = 'tasklet'): Node {
  return addNode(state, {
    kind: 'Tasklet', label,
    code: language === 'tasklet' ? { language, body: parseTasklet(code), source: code } : { language, source: code },
    inConnectors: Object.fromEntries(ins.map((c) => [c, null])), outConnectors: Object.fromEntries(outs.map((c) => [c, null])),
  });
}

export interface Output { readonly memlet: string; readonly wcr?: Wcr; readonly dynamic?: boolean }

/**
 * `map ranges { tasklet }` reading and writing through access nodes: inputs and outputs are connector → "A[i]".
 * Returns the entry; memlets on the outer side are propagated.
 */
export function mapTasklet(
  sdfg: SDFG, state: State, label: string, ranges: string, inputs: Record<string, string>, outputs: Record<string, string | Output>, code: string,
  options: { schedule?: ScheduleType; language?: 'tasklet' | 'CPP' } = {},
): MapEntry {
  const parts = ranges.split(',').map((r) => r.split('=').map((x) => x.trim()) as [string, string]);
  const map = {
    label, params: parts.map(([p]) => p), ranges: parts.map(([, r]) => parseSubset(r).ranges[0]!),
    schedule: options.schedule ?? 'Default', unroll: false, collapse: 1,
  };
  const entry = addNode(state, { kind: 'MapEntry', label, map, inConnectors: {}, outConnectors: {} }) as MapEntry;
  const exit = addNode(state, { kind: 'MapExit', label, map, inConnectors: {}, outConnectors: {} }) as MapExit;
  const t = tasklet(state, `${label}_tasklet`, Object.keys(inputs), Object.keys(outputs), code, options.language);
  for (const [conn, text] of Object.entries(inputs)) {
    const m = memletOf(text);
    if (!(`IN_${m.data}` in entry.inConnectors)) {
      entry.inConnectors[`IN_${m.data}`] = null;
      entry.outConnectors[`OUT_${m.data}`] = null;
      addEdge(state, access(state, m.data!), null, entry, `IN_${m.data}`, memletOf(text));
    }
    addEdge(state, entry, `OUT_${m.data}`, t, conn, m);
  }
  if (Object.keys(inputs).length === 0) addEdge(state, entry, null, t, null, { data: null, subset: null, otherSubset: null, volume: int(0), dynamic: false, wcr: null });
  for (const [conn, spec] of Object.entries(outputs)) {
    const o: Output = typeof spec === 'string' ? { memlet: spec } : spec;
    const m = memletOf(o.memlet, o.wcr ?? null, { dynamic: o.dynamic ?? false });
    const a = access(state, m.data!);
    exit.inConnectors[`IN_${m.data}`] = null;
    exit.outConnectors[`OUT_${m.data}`] = null;
    addEdge(state, t, conn, exit, `IN_${m.data}`, m);
    addEdge(state, exit, `OUT_${m.data}`, a, null, memletOf(o.memlet, o.wcr ?? null));
  }
  propagateMemletsInState(sdfg, state);
  return entry;
}

export { addState, addEdge, addNode };
