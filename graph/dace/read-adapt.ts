// Fitting DaCe's freedoms to the model's conventions after a state is read; each change is noted so that
// writing back restores DaCe's form.
import { dataShape } from '../data.js';
import type { Node } from '../nodes.js';
import { memletPath, nodeById } from '../query.js';
import type { Edge, SDFG, State } from '../sdfg.js';
import { type Subset, fullSubset } from '../subsets.js';
import { noteAdaptation } from './extras.js';

export function adaptState(sdfg: SDFG, state: State): void {
  for (const node of state.nodes) if (node.kind === 'LibraryNode') nameLibraryConnectors(state, node);
  for (const edge of state.edges) nameAdjacentData(sdfg, state, edge);
}

/**
 * DaCe lets a library node (Reduce, typically) take and give data on edges without connectors; the model names
 * every connector. They get DaCe's own names for them: `_in`, `_out` (numbered when there are several).
 */
function nameLibraryConnectors(state: State, node: Node): void {
  const name = (base: string, taken: Record<string, unknown>): string => {
    if (!(base in taken)) return base;
    for (let k = 1; ; k++) if (!(`${base}${k}` in taken)) return `${base}${k}`;
  };
  for (const e of state.edges) {
    if (e.dst === node.id && e.dstConn === null && e.memlet.data !== null) {
      e.dstConn = name('_in', node.inConnectors);
      node.inConnectors[e.dstConn] = null;
      noteAdaptation(e, { dstConn: e.dstConn });
    }
    if (e.src === node.id && e.srcConn === null && e.memlet.data !== null) {
      e.srcConn = name('_out', node.outConnectors);
      node.outConnectors[e.srcConn] = null;
      noteAdaptation(e, { srcConn: e.srcConn });
    }
  }
}

/**
 * DaCe may name a memlet by the container at the far end of its path through a scope (`tmp -> MapExit` carrying
 * `A[i, j]` with other_subset `[0, 0]`); the model names the access node the edge touches. Swapping data, subset
 * and other subset keeps the same copy.
 */
function nameAdjacentData(sdfg: SDFG, state: State, edge: Edge): void {
  const m = edge.memlet;
  if (m.data === null) return;
  const src = nodeById(state, edge.src), dst = nodeById(state, edge.dst);
  const adjacent = [src, dst].filter((n) => n?.kind === 'AccessNode').map((n) => (n as Node & { data: string }).data);
  if (adjacent.length === 0 || adjacent.includes(m.data)) return;
  const chain = memletPath(state, edge);
  const first = nodeById(state, chain[0]!.src), last = nodeById(state, chain[chain.length - 1]!.dst);
  const far = [first, last].filter((n) => n?.kind === 'AccessNode').map((n) => (n as Node & { data: string }).data);
  if (!far.includes(m.data) || adjacent.length !== 1) return;
  const near = adjacent[0]!;
  const nearDesc = sdfg.arrays[near];
  if (!nearDesc || !m.subset) return;
  // Without other_subset, the other side is the same subset when the two shapes match, else its whole extent.
  const farDesc = sdfg.arrays[m.data];
  const [nearShape, farShape] = [dataShape(nearDesc), farDesc ? dataShape(farDesc) : []];
  const sameShape = nearShape.length === farShape.length && nearShape.every((d, k) => d.equals(farShape[k]!));
  const nearSubset: Subset = m.otherSubset ?? (sameShape ? m.subset : fullSubset(nearShape));
  const from = m.data, hadOtherSubset = m.otherSubset !== null;
  // In place: the memlet keeps what was read with it (guid, debug info).
  m.otherSubset = m.subset;
  m.subset = nearSubset;
  m.data = near;
  noteAdaptation(m, { swappedData: { from, to: near, hadOtherSubset } });
}
