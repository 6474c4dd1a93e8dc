// What a tasklet's names mean in a state: connector types from the memlets' data, symbols and map parameters.
import type { DataDesc } from '../data.js';
import { dataShape } from '../data.js';
import { i64, type DType } from '../dtypes.js';
import type { Memlet } from '../memlet.js';
import type { Tasklet } from '../nodes.js';
import { inEdges, outEdges } from '../query.js';
import type { SDFG, State } from '../sdfg.js';
import { isIndex } from '../subsets.js';
import type { ConnectorInfo } from '../tasklet-types.js';
import type { TranslateEnv } from './python-translate.js';

/** What a connector holds: a scalar for a single element or a stream, else a view with the subset's non-index dimensions. */
export function connectorInfo(desc: DataDesc | undefined, memlet: Memlet): ConnectorInfo | undefined {
  if (!desc) return undefined;
  // A stream connector is one element at a time: reading pops, assigning pushes.
  const dims = desc.kind === 'Scalar' || desc.kind === 'Stream' || !memlet.subset ? 0 : memlet.subset.ranges.filter((r) => !isIndex(r)).length;
  return { dtype: desc.dtype, dims, ...(memlet.dynamic ? { dynamic: true } : {}) };
}

/** Symbols a tasklet may read: the SDFG's, its constants, and the parameters of every map (and consume) of the state. */
export function symbolTypes(sdfg: SDFG, state?: State): Record<string, DType> {
  const out: Record<string, DType> = {};
  if (state) for (const n of state.nodes) if (n.kind === 'MapEntry') for (const p of n.map.params) out[p] = i64;
  if (state) for (const n of state.nodes) if (n.kind === 'ConsumeEntry') out[n.consume.peIndex] = i64;
  for (const [name, c] of Object.entries(sdfg.constants)) out[name] = c.dtype;
  return Object.assign(out, sdfg.symbols);
}

/** The connectors of a tasklet, typed by the data their memlets move. */
export function taskletEnv(sdfg: SDFG, state: State, node: Tasklet): TranslateEnv {
  const inputs: Record<string, ConnectorInfo> = {}, outputs: Record<string, ConnectorInfo> = {};
  for (const e of inEdges(state, node)) {
    const info = e.dstConn && e.memlet.data ? connectorInfo(sdfg.arrays[e.memlet.data], e.memlet) : undefined;
    if (info) inputs[e.dstConn!] = info;
  }
  for (const e of outEdges(state, node)) {
    const info = e.srcConn && e.memlet.data ? connectorInfo(sdfg.arrays[e.memlet.data], e.memlet) : undefined;
    if (info) outputs[e.srcConn!] = info;
  }
  return { inputs, outputs, symbols: symbolTypes(sdfg, state) };
}

/** The environment of a control-flow expression: the SDFG's symbols and its containers (scalars by value, arrays by element). */
export function controlEnv(sdfg: SDFG): TranslateEnv {
  const inputs: Record<string, ConnectorInfo> = {};
  for (const [name, desc] of Object.entries(sdfg.arrays)) {
    if (desc.kind === 'Stream') continue;
    inputs[name] = { dtype: desc.dtype, dims: desc.kind === 'Scalar' ? 0 : dataShape(desc).length };
  }
  return { inputs, outputs: {}, symbols: symbolTypes(sdfg) };
}
