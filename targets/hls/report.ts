// The FPGA report of a program: per kernel state its processing elements, the streams between them with their
// depths, the on-chip buffers with their sizes, and the estimated initiation interval of every pipelined loop.
import type { DataDesc } from '../../graph/data.js';
import type { ConsumeEntry, MapEntry, Node } from '../../graph/nodes.js';
import { scopeDict, scopeNodes } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { formatRange } from '../../graph/subsets.js';
import { planTransients } from '../cpp/emit-alloc.js';
import { analyzeConsume, analyzeMap, type LoopInfo } from './loops.js';
import { type FpgaLoweringOptions, lowerForFpga } from './lower.js';
import { type HlsPlan, type HlsProcess, allProcesses, isStream, planKernel } from './plan.js';

/** One pipelined (or unrolled, or plain) loop nest of a processing element. */
export interface LoopReport {
  readonly process: string;
  /** "map multiply [i = 0:NI, j = 0:NJ, k = 0:NK]". */
  readonly loop: string;
  readonly info: LoopInfo;
}

export interface StreamReport { readonly name: string; readonly dtype: string; readonly depth: string; readonly from: string[]; readonly to: string[] }
export interface BufferReport { readonly name: string; readonly process: string; readonly elements: string; readonly bytes: string }

/** Everything the report prints, as data (tests and tools read this; `fpgaReport` formats it). */
export interface FpgaReportData {
  readonly plan: HlsPlan;
  readonly loops: readonly LoopReport[];
  readonly streams: readonly StreamReport[];
  readonly buffers: readonly BufferReport[];
}

const mapText = (e: MapEntry): string => `map ${e.map.label} [${e.map.params.map((p, d) => `${p} = ${formatRange(e.map.ranges[d]!)}`).join(', ')}]`;

function loopsOf(sdfg: SDFG, p: HlsProcess): LoopReport[] {
  const dict = scopeDict(p.state);
  const nodes: Node[] = p.root.kind === 'MapEntry' || p.root.kind === 'ConsumeEntry' ? [p.root, ...scopeNodes(p.state, p.root, dict)] : [p.root];
  const out: LoopReport[] = [];
  for (const n of nodes) {
    if (n.kind === 'MapEntry') out.push({ process: p.name, loop: mapText(n), info: analyzeMap(sdfg, p.state, n, dict) });
    if (n.kind === 'ConsumeEntry') out.push({ process: p.name, loop: `consume ${(n as ConsumeEntry).consume.label}`, info: analyzeConsume(sdfg, p.state, n, dict) });
  }
  if (p.kind === 'copy') out.push({ process: p.name, loop: 'copy loop', info: { unrolled: false, pipelined: true, ii: 1, notes: [], accumulations: [] } });
  return out;
}

const sizeOf = (desc: DataDesc): string => (desc.kind === 'Array' ? desc.totalSize.toString() : '1');

/** Collect the report's data from a lowered SDFG. */
export function fpgaReportData(lowered: SDFG): FpgaReportData {
  const plan = planKernel(lowered);
  const processes = allProcesses(plan);
  const loops = processes.flatMap((p) => loopsOf(lowered, p));
  const streams: StreamReport[] = Object.entries(lowered.arrays).filter(([, d]) => isStream(d)).map(([name, d]) => ({
    name, dtype: d.dtype.name, depth: d.kind === 'Stream' ? d.bufferSize.toString() : '?',
    from: processes.filter((p) => p.writes.has(name)).map((p) => p.name),
    to: processes.filter((p) => p.reads.has(name)).map((p) => p.name),
  }));
  const transients = planTransients(lowered);
  const buffers: BufferReport[] = [];
  for (const p of processes) {
    const ids = new Set([p.root.id, ...(p.root.kind === 'MapEntry' || p.root.kind === 'ConsumeEntry' ? scopeNodes(p.state, p.root).map((n) => n.id) : [])]);
    for (const [entry, names] of transients.scoped.get(p.state) ?? []) {
      if (!ids.has(entry)) continue;
      for (const name of names) {
        const d = lowered.arrays[name]!;
        if (d.kind !== 'Array') continue;
        buffers.push({ name, process: p.name, elements: sizeOf(d), bytes: d.totalSize.mul(d.dtype.bytes).toString() });
      }
    }
  }
  for (const l of loops) {
    for (const a of l.info.accumulations) {
      buffers.push({ name: `${a.edge.memlet.data}_partial`, process: l.process, elements: String(a.partials), bytes: String(a.partials * a.dtype.bytes) });
    }
  }
  return { plan, loops, streams, buffers };
}

function describeLoop(l: LoopReport): string {
  const i = l.info;
  const head = i.unrolled ? 'unrolled' : i.pipelined ? `pipelined, estimated II=${i.ii}` : 'not pipelined';
  return [`      ${l.loop}: ${head}`, ...i.notes.filter((n) => n !== 'unrolled').map((n) => `        - ${n}`)].join('\n');
}

/** The report as text. */
export function formatFpgaReport(data: FpgaReportData): string {
  const { plan } = data;
  const sdfg = plan.sdfg;
  const lines = [`FPGA report for SDFG "${sdfg.name}" (top function ${plan.topName})`];
  const port = (n: string): string => { const d = sdfg.arrays[n]!; return `${n} (${d.dtype.name}${d.kind === 'Array' ? `[${d.shape.join(', ')}]` : ''})`; };
  lines.push(`off-chip memory (m_axi ports): ${plan.ports.map(port).join(', ') || 'none'}`);
  if (plan.hostScalars.length) lines.push(`scalar arguments (s_axilite): ${plan.hostScalars.join(', ')}`);
  const copies = (states: typeof plan.hostBefore): string => states.flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'AccessNode' && sdfg.arrays[n.data]?.storage === 'FPGA_Global' ? [n.data] : []))).join(', ');
  lines.push(`host -> device copies: ${copies(plan.hostBefore) || 'none'}; device -> host copies: ${copies(plan.hostAfter) || 'none'}`);
  for (const sp of plan.states.values()) {
    const count = sp.regions.reduce((n, r) => n + r.processes.length, 0);
    lines.push('', `state "${sp.state.label}" (s${sp.state.id}): ${count} processing element${count === 1 ? '' : 's'}, ${sp.regions.length} dataflow region${sp.regions.length === 1 ? '' : 's'}`);
    sp.regions.forEach((r, k) => {
      lines.push(`  region ${k}${r.processes.length > 1 || r.processes.some((p) => p.replicas) ? ' (DATAFLOW)' : ''}:`);
      for (const p of r.processes) {
        const replicas = p.replicas ? ` ×${p.replicas.count} (replicated over ${p.replicas.param})` : '';
        lines.push(`    PE ${p.name} (${p.role}${replicas})`);
        for (const l of data.loops.filter((x) => x.process === p.name)) lines.push(describeLoop(l));
      }
    });
  }
  const streamLines = data.streams.map((s) => `  ${s.name}: ${s.dtype}, depth ${s.depth}, ${s.from.join(', ') || '(outside)'} -> ${s.to.join(', ') || '(outside)'}`);
  lines.push('', 'streams:', ...(streamLines.length ? streamLines : ['  none']));
  const bufferLines = data.buffers.map((b) => `  ${b.name} in ${b.process}: ${b.elements} elements, ${b.bytes} bytes`);
  lines.push('', 'on-chip buffers:', ...(bufferLines.length ? bufferLines : ['  none']));
  return lines.join('\n') + '\n';
}

/** The FPGA report of an SDFG: lowered first (as `compile(…, { target: 'hls' })` does) unless it already is. */
export function fpgaReport(sdfg: SDFG, options: FpgaLoweringOptions = {}): string {
  return formatFpgaReport(fpgaReportData(lowerForFpga(sdfg, options).sdfg));
}
