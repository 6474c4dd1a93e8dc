// The host side of an HLS kernel: the entry point that allocates the device's off-chip memory, makes the explicit
// host↔device copies of the lowered graph around the call of the top function, and a testbench main for csim.
import type { DType } from '../../graph/dtypes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { CodeWriter, FunctionContext, ModuleContext, type ScopeFrame, resolveEmitOptions } from '../cpp/emit-context.js';
import { type EntryParam, entryParams } from '../cpp/emit.js';
import { cIndex, emitCopy } from '../cpp/emit-memlet.js';
import { indexHelpers } from './emit-kernel.js';
import { hlsType } from './dialect.js';
import type { KernelSource } from './emit-kernel.js';
import type { HlsPlan } from './plan.js';

export interface HostSource {
  readonly host: string;
  readonly testbench: string;
  /** The extern "C" entry: the same parameters as the C++ target's. */
  readonly entryName: string;
  readonly params: readonly EntryParam[];
}

/** The C function that returns the message of the last failed run ("" after a good one). */
export const ERROR_FUNCTION = 'sdfg_hls_last_error';

const frameOf = (state: State): ScopeFrame => ({ state, parallel: null, inParallel: false, params: [], consumed: new Map(), privateData: new Set() });

/** Elements a container's buffer holds. */
function elements(sdfg: SDFG, name: string): string {
  const desc = sdfg.arrays[name]!;
  return desc.kind === 'Array' || desc.kind === 'View' ? cIndex(desc.totalSize.add(desc.startOffset)) : '1';
}

function emitEntry(plan: HlsPlan, kernel: KernelSource, params: readonly EntryParam[], entryName: string): string {
  const sdfg = plan.sdfg;
  const fn = new FunctionContext(new ModuleContext(resolveEmitOptions(), sdfg), sdfg, false);
  for (const p of params) {
    if (p.kind === 'symbol') { fn.symbols.add(p.name); fn.reserve(p.name); continue; }
    const desc = sdfg.arrays[p.name]!;
    const placement = p.kind === 'array' ? 'pointer' : p.kind === 'scalar' ? 'value' : 'scalar-pointer';
    fn.reserve(p.name);
    fn.containers.set(p.name, { cname: p.name, desc, placement, strides: desc.kind === 'Array' ? desc.strides : [] });
  }
  const w = new CodeWriter(2);
  w.line('// off-chip (FPGA_Global) memory of the device, allocated by the host');
  for (const [name, desc] of Object.entries(sdfg.arrays)) {
    if (desc.storage !== 'FPGA_Global') continue;
    const t = hlsType(desc.dtype);
    const memory = fn.fresh(`${name}_memory`);
    fn.reserve(name);
    fn.containers.set(name, { cname: name, desc, placement: desc.kind === 'Scalar' ? 'scalar-pointer' : 'pointer', strides: desc.kind === 'Array' ? desc.strides : [] });
    w.line(`std::vector<${t}> ${memory}(static_cast<size_t>(${elements(sdfg, name)}));`);
    w.line(`${t}* ${name} = ${memory}.data();`);
  }
  const copies = (states: readonly State[], what: string): void => {
    for (const state of states) {
      w.line(`// state "${state.label}": ${what}`);
      for (const e of state.edges) {
        const [src, dst] = [state.nodes.find((n) => n.id === e.src), state.nodes.find((n) => n.id === e.dst)];
        if (src?.kind === 'AccessNode' && dst?.kind === 'AccessNode') emitCopy(fn, frameOf(state), state, e, src.data, dst.data, w);
      }
    }
  };
  copies(plan.hostBefore, 'host -> device');
  const args = kernel.topParams.map((p) => (p.kind === 'scalar' && params.find((q) => q.name === p.name)?.kind === 'scalar-out' ? `${p.name}[0]` : p.name));
  w.line(`${plan.topName}(${args.join(', ')});`);
  copies(plan.hostAfter, 'device -> host');
  const declaration = params.map((p) => `${p.cType} ${p.name}`).join(', ');
  return [
    'static std::string sdfg_hls_error;',
    '',
    '// The message of the last run that failed (a deadlock in the simulation, an exception), or "".',
    `extern "C" const char* ${ERROR_FUNCTION}() { return sdfg_hls_error.c_str(); }`,
    '',
    `// entry point of SDFG "${sdfg.name}": the arguments of the C++ target's entry, the kernel in between the copies`,
    `extern "C" void ${entryName}(${declaration}) {`,
    '  sdfg_hls_error.clear();',
    '  try {',
    ...w.lines,
    '  } catch (const std::exception& error) {',
    '    sdfg_hls_error = error.what();',
    '  }',
    '}',
  ].join('\n');
}

/** Reading a symbol or scalar of type `t` from its text. */
function parse(t: DType, text: string): string {
  if (t.kind === 'float') return `std::stod(${text})`;
  if (t.kind === 'unsigned') return `static_cast<${hlsType(t)}>(std::stoull(${text}))`;
  return `static_cast<${hlsType(t)}>(std::stoll(${text}))`;
}

const testbenchHelpers = String.raw`static std::map<std::string, std::string> read_scalars(const std::string& path) {
  std::map<std::string, std::string> values;
  std::ifstream in(path);
  std::string name, value;
  while (in >> name >> value) values[name] = value;
  return values;
}

static std::string scalar(const std::map<std::string, std::string>& values, const std::string& name) {
  auto found = values.find(name);
  if (found == values.end()) throw std::runtime_error("scalars.txt gives no value for " + name);
  return found->second;
}

template <typename T>
static void load(const std::string& path, std::vector<T>& into) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  in.read(reinterpret_cast<char*>(into.data()), static_cast<std::streamsize>(into.size() * sizeof(T)));
  if (in.gcount() != static_cast<std::streamsize>(into.size() * sizeof(T))) throw std::runtime_error(path + " is shorter than the array");
}

template <typename T>
static void store(const std::string& path, const std::vector<T>& from) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(from.data()), static_cast<std::streamsize>(from.size() * sizeof(T)));
  if (!out) throw std::runtime_error("cannot write " + path);
}`;

function emitTestbench(sdfg: SDFG, params: readonly EntryParam[], entryName: string): string {
  const w = new CodeWriter(2);
  w.line('const std::map<std::string, std::string> values = read_scalars(folder + "/scalars.txt");');
  for (const p of params.filter((q) => q.kind === 'symbol')) w.line(`const int64_t ${p.name} = std::stoll(scalar(values, "${p.name}"));`);
  const args: string[] = [];
  for (const p of params) {
    const t = hlsType(p.dtype);
    switch (p.kind) {
      case 'symbol': args.push(p.name); break;
      case 'scalar':
        w.line(`const ${t} ${p.name} = ${parse(p.dtype, `scalar(values, "${p.name}")`)};`);
        args.push(p.name);
        break;
      case 'scalar-out':
        w.line(`std::vector<${t}> ${p.name}(1, ${parse(p.dtype, `scalar(values, "${p.name}")`)});`);
        args.push(`${p.name}.data()`);
        break;
      case 'array':
        w.line(`std::vector<${t}> ${p.name}(static_cast<size_t>(${elements(sdfg, p.name)}));`);
        w.line(`load(folder + "/${p.name}.bin", ${p.name});`);
        args.push(`${p.name}.data()`);
        break;
    }
  }
  w.line(`${entryName}(${args.join(', ')});`);
  w.line(`const std::string error = ${ERROR_FUNCTION}();`);
  w.open('if (!error.empty()) {');
  w.line('std::fprintf(stderr, "%s\\n", error.c_str());');
  w.line('return 1;');
  w.close();
  for (const p of params.filter((q) => q.kind === 'array')) w.line(`store(folder + "/${p.name}.out.bin", ${p.name});`);
  w.line('std::ofstream written(folder + "/scalars.out.txt");');
  for (const p of params.filter((q) => q.kind === 'scalar-out')) w.line(`written << "${p.name} " << std::setprecision(17) << +${p.name}[0] << "\\n";`);
  const declaration = params.map((p) => `${p.cType} ${p.name}`).join(', ');
  return [
    `// Testbench of SDFG "${sdfg.name}" (Vitis HLS csim_design, and the sdfg-ts tests), generated by sdfg-ts.`,
    '//   usage: testbench <folder>',
    '//   reads  <folder>/scalars.txt (one "name value" line per symbol and scalar argument) and <folder>/<array>.bin',
    '//   writes <folder>/<array>.out.bin for every array argument and <folder>/scalars.out.txt for written scalars',
    '#include <cstdint>',
    '#include <cstdio>',
    '#include <fstream>',
    '#include <iomanip>',
    '#include <map>',
    '#include <stdexcept>',
    '#include <string>',
    '#include <vector>',
    indexHelpers(),
    '',
    `extern "C" void ${entryName}(${declaration});`,
    `extern "C" const char* ${ERROR_FUNCTION}();`,
    '',
    testbenchHelpers,
    '',
    'int main(int argc, char** argv) {',
    '  if (argc != 2) {',
    '    std::fprintf(stderr, "usage: %s <folder with scalars.txt and the arrays>\\n", argv[0]);',
    '    return 2;',
    '  }',
    '  const std::string folder = argv[1];',
    '  try {',
    ...w.lines,
    '  } catch (const std::exception& error) {',
    '    std::fprintf(stderr, "testbench: %s\\n", error.what());',
    '    return 2;',
    '  }',
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

/** The host code (entry point and copies) and the testbench of a planned kernel. */
export function emitHost(plan: HlsPlan, kernel: KernelSource, kernelHeader: string): HostSource {
  const sdfg = plan.sdfg;
  const params = entryParams(sdfg);
  const entryName = `sdfg_${sdfg.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const host = [
    `// SDFG "${sdfg.name}": host code generated by sdfg-ts. It makes the explicit host <-> device copies of the lowered`,
    `// graph around the call of the kernel's top function ${plan.topName}.`,
    '#include <exception>',
    '#include <string>',
    '#include <vector>',
    indexHelpers(),
    `#include "${kernelHeader}"`,
    '',
    emitEntry(plan, kernel, params, entryName),
    '',
  ].join('\n');
  return { host, testbench: emitTestbench(sdfg, params, entryName), entryName, params };
}
