// InLocalStorage: what an inner map reads for one iteration of its outer map is copied first into a small
// scope-local buffer, and the inner map reads the buffer: `outer entry -> buf -> inner entry -> ...`.
//
// The copy is taken once per outer iteration, so nothing inside the outer map may write the container
// meanwhile. The buffer is as large as the biggest tile (see out-local-storage.ts for the shared parts).
import { addEdge, addNode, removeEdge } from '../../graph/construct.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { MapEntry } from '../../graph/nodes.js';
import { exitOf, nodeById } from '../../graph/query.js';
import type { Edge, SDFG } from '../../graph/sdfg.js';
import { fullSubset } from '../../graph/subsets.js';
import { defineTransformation } from '../framework.js';
import { pruneConnectors } from './helpers.js';
import { memletTree } from './redundant-array-removal.js';
import {
  type LocalStorageOptions, type ScopeEdgeCandidate, type Tile, addBuffer, describeScopeEdge, moveConnector, propagateWithBuffers, retarget, scopeEdgeCandidates, tileOf,
} from './out-local-storage.js';

function resolve(c: ScopeEdgeCandidate, options: LocalStorageOptions): { edge: Edge; outer: MapEntry; inner: MapEntry; tile: Tile } | string {
  const edge = c.state.edges.find((e) => e.id === c.edge);
  if (!edge) return `edge e${c.edge} is no longer in state ${c.state.label}`;
  const [outer, inner] = [nodeById(c.state, edge.src), nodeById(c.state, edge.dst)];
  if (outer?.kind !== 'MapEntry' || inner?.kind !== 'MapEntry') return `edge e${c.edge} does not lead from a map entry into a nested map`;
  const data = edge.memlet.data!;
  if (options.array !== '' && options.array !== data) return `the edge carries ${data}, not ${options.array}`;
  if (edge.memlet.wcr) return `the memlet on ${data} resolves conflicts (wcr)`;
  const tile = tileOf(c.sdfg, c.state, edge, outer);
  if (typeof tile === 'string') return tile;
  const outerExit = exitOf(c.state, outer);
  if (outerExit && c.state.edges.some((e) => e.dst === outerExit.id && e.memlet.data === data)) return `${data} is also written inside map ${outer.map.label}`;
  return { edge, outer, inner, tile };
}

function apply(sdfg: SDFG, c: ScopeEdgeCandidate, options: LocalStorageOptions): void {
  const { edge, outer, inner, tile } = resolve(c, options) as Exclude<ReturnType<typeof resolve>, string>;
  const { state } = c;
  const buffer = addBuffer(sdfg, tile);
  const local = fullSubset(tile.sizes);
  retarget(memletTree(state, edge, 'forward').filter((e) => e !== edge), tile.data, buffer, tile.tile);
  const node = addNode(state, { kind: 'AccessNode', data: buffer, setzero: false, label: buffer, inConnectors: {}, outConnectors: {} });
  const conn = moveConnector(state, inner, edge.dstConn!.slice(3), buffer);
  removeEdge(state, edge);
  addEdge(state, outer, edge.srcConn, node, null, makeMemlet(buffer, local, { otherSubset: tile.tile }));
  addEdge(state, node, null, inner, `IN_${conn}`, makeMemlet(buffer, local));
  pruneConnectors(state, inner);
  propagateWithBuffers(sdfg, state);
}

export const inLocalStorage = defineTransformation<ScopeEdgeCandidate, LocalStorageOptions>({
  name: 'InLocalStorage',
  summary: 'Copy the tile an inner map reads into a scope-local buffer before the inner map, and read that',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors'],
  defaults: { array: '' },
  candidates: (sdfg) => scopeEdgeCandidates(sdfg, 'entry'),
  canApply: (_sdfg, c, options) => {
    const r = resolve(c, options);
    return typeof r === 'string' ? r : true;
  },
  apply,
  describe: describeScopeEdge,
});
