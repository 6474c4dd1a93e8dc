// Vectorization: mark the innermost, unit-stride dimension of a map whose body is one simple tasklet for SIMD of a given width.
import type { Memlet } from '../../graph/memlet.js';
import type { ScheduleType, Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges, scopeChildren } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { formatSubset, isIndex, rangeSize } from '../../graph/subsets.js';
import { proveLess } from '../../graph/symbolic-compare.js';
import { defineTransformation } from '../framework.js';
import { type MapCandidate, describeMapCandidate, mapCandidates, mustResolveMap, resolveMap } from './helpers.js';

export interface VectorizationOptions {
  /** Lanes per SIMD operation. */
  width: number;
}

/** Schedules whose loops a CPU compiler vectorizes. */
const cpuSchedules: readonly ScheduleType[] = ['Default', 'Sequential', 'CPU_Multicore', 'Unrolled'];

/** Why a memlet cannot be read or written lane by lane along `param`, if it cannot. */
function laneProblem(sdfg: SDFG, m: Memlet, conn: string, param: string, side: 'in' | 'out'): string | undefined {
  const data = m.data!;
  const desc = sdfg.arrays[data];
  if (!desc || desc.kind === 'Stream') return `connector ${conn} uses stream ${data}`;
  if (m.dynamic) return `connector ${conn} ${side === 'in' ? 'reads' : 'writes'} ${data} dynamically (data-dependent access)`;
  const s = m.subset;
  if (!s) return `connector ${conn} has no subset`;
  if (!s.ranges.every(isIndex)) return `connector ${conn} sees ${data}[${formatSubset(s)}] as an array, indexed inside the tasklet (data-dependent access)`;
  const dims = s.ranges.map((r, d) => (r.begin.freeSymbols().has(param) ? d : -1)).filter((d) => d >= 0);
  const last = s.ranges.length - 1;
  if (side === 'out' && m.wcr?.op === 'custom') return `the write to ${data} uses a custom wcr lambda`;
  if (dims.length === 0) {
    if (side === 'out') return m.wcr ? `the write to ${data}[${formatSubset(s)}] is a reduction along ${param}` : `every lane writes ${data}[${formatSubset(s)}]`;
    return undefined;
  }
  const unitStride = dims.length === 1 && dims[0] === last && s.ranges[last]!.begin.linearCoefficient(param)?.equals(1) === true
    && (desc.kind === 'Scalar' || desc.strides[last]?.equals(1) === true);
  return unitStride ? undefined : `${data}[${formatSubset(s)}] is not a unit-stride access along ${param}`;
}

function canApply(sdfg: SDFG, c: MapCandidate, options: VectorizationOptions): true | string {
  if (!Number.isInteger(options.width) || options.width < 2) return `the vector width must be an integer of at least 2, got ${options.width}`;
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const map = found.entry.map;
  if (map.vectorWidth !== undefined) return `${map.label} is already vectorized`;
  if (!cpuSchedules.includes(map.schedule)) return `${map.label} is scheduled ${map.schedule}`;
  const body = scopeChildren(c.state, found.entry.id);
  if (body.length !== 1 || body[0]!.kind !== 'Tasklet') return `the body of ${map.label} is not a single tasklet`;
  const tasklet = body[0] as Tasklet;
  if (tasklet.code.language !== 'tasklet') return `tasklet ${tasklet.label} is raw ${tasklet.code.language} code`;
  const last = map.params.length - 1;
  const param = map.params[last]!, r = map.ranges[last]!;
  if (!r.step.equals(1)) return `the innermost dimension ${param} has step ${r.step.toString()}`;
  if (proveLess(rangeSize(r), options.width) === true) return `${param} has fewer than ${options.width} iterations`;
  for (const e of inEdges(c.state, tasklet)) {
    if (e.memlet.data === null) continue;
    const problem = laneProblem(sdfg, e.memlet, e.dstConn ?? '?', param, 'in');
    if (problem) return problem;
  }
  for (const e of outEdges(c.state, tasklet)) {
    if (e.memlet.data === null) continue;
    const problem = laneProblem(sdfg, e.memlet, e.srcConn ?? '?', param, 'out');
    if (problem) return problem;
  }
  return true;
}

/** Only a mark: targets emit the innermost loop as a SIMD loop of this width (C++: `#pragma omp simd simdlen(W)`). */
function apply(_sdfg: SDFG, c: MapCandidate, options: VectorizationOptions): void {
  mustResolveMap(c.state, c.entry).entry.map.vectorWidth = options.width;
}

export const vectorization = defineTransformation<MapCandidate, VectorizationOptions>({
  name: 'Vectorization',
  summary: 'Mark the innermost unit-stride dimension of a map with a simple tasklet body for SIMD execution',
  modifies: ['schedules'],
  defaults: { width: 8 },
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
