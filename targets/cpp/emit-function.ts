// One SDFG as a C++ function body: constants, symbol locals, transients, the control flow, and the frees.
import { cNumber } from '../common/c-like.js';
import { type CodeWriter, type FunctionContext, unsupported } from './emit-context.js';
import { declareTransient, planTransients } from './emit-alloc.js';
import { assignedSymbols, emitControlFlow } from './emit-control-flow.js';

/** Emit the body of `fn` (its parameters are already registered in `fn.containers` and `fn.symbols`). */
export function emitFunctionBody(fn: FunctionContext, w: CodeWriter): void {
  const sdfg = fn.sdfg;
  for (const [name, c] of Object.entries(sdfg.constants)) {
    fn.reserve(name);
    w.line(`constexpr ${c.dtype.c} ${name} = ${cNumber(c.value, c.dtype)};`);
  }
  const assigned = assignedSymbols(sdfg).filter((s) => !fn.symbols.has(s));
  for (const s of assigned) {
    fn.symbols.add(s);
    fn.reserve(s);
  }
  if (assigned.length) w.line(`int64_t ${assigned.map((s) => `${s} = 0`).join(', ')};`);

  const plan = planTransients(sdfg);
  fn.scopedTransients = plan.scoped;
  const frees: string[] = [];
  const available = new Set([...fn.symbols].filter((s) => !assigned.includes(s)));
  for (const name of plan.functionLevel) {
    const desc = sdfg.arrays[name]!;
    const sizes = desc.kind === 'Array' ? [desc.totalSize] : desc.kind === 'Stream' ? [desc.bufferSize] : [];
    const missing = sizes.flatMap((e) => [...e.freeSymbols()]).filter((s) => !available.has(s) && !(s in sdfg.constants));
    if (missing.length) {
      throw unsupported(`transient '${name}' is sized by ${missing.join(', ')}, which the program assigns while running`, { sdfg: sdfg.name },
        'size transients with the SDFG\'s free symbols');
    }
    const d = declareTransient(fn, name, true);
    w.append(d.lines);
    frees.push(...d.free);
  }
  emitControlFlow(fn, sdfg, w);
  w.append(frees);
}
