// Which numeric types reach WGSL: f32, i32 and u32 data; f64 and i64 only when the user asks for demotion.
//
// WGSL has no 64-bit types. The tasklet language types symbols, map parameters and loop variables as i64; on the
// device those are i32 (WebGPU addresses fewer than 2^31 elements per buffer), so integer arithmetic the language
// only implicitly widens to i64 is printed in i32. Data, casts and declarations that *say* f64 or i64 are refused
// unless the program is compiled with `f64: 'f32'` (or `i64: 'i32'`), which computes them in the narrower type.
import { f32, i32, u32, type DType } from '../../graph/dtypes.js';
import { TargetError, type GraphPath } from '../../graph/errors.js';
import { allSDFGs, allStates } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { forEachStmt, type TExpr } from '../../graph/tasklet-ast.js';

export interface WgslPrecision {
  /** 'error' (the default): refuse f64; 'f32': compute f64 data and arithmetic in f32. */
  readonly f64: 'error' | 'f32';
  /** 'error' (the default): refuse i64/u64 data and explicit casts; 'i32': compute them in i32/u32. */
  readonly i64: 'error' | 'i32';
}

export const defaultPrecision: WgslPrecision = { f64: 'error', i64: 'error' };

const f64Hint = "compile with { target: 'wgsl', f64: 'f32' } to compute in f32 (results then match the reference to f32 precision), or declare the data f32";
const i64Hint = "compile with { target: 'wgsl', i64: 'i32' } to compute in 32 bits, or declare the data i32";

export function f64Error(what: string, path?: GraphPath): TargetError {
  return new TargetError({ code: 'wgsl-f64', message: `WGSL has no f64: ${what}`, hint: f64Hint, ...(path ? { path } : {}) });
}

export function i64Error(what: string, path?: GraphPath): TargetError {
  return new TargetError({ code: 'wgsl-i64', message: `WGSL has no 64-bit integers: ${what}`, hint: i64Hint, ...(path ? { path } : {}) });
}

/**
 * The type a value of type `t` has in generated WGSL. i64/u64 that the typing gives implicitly (symbols, loop
 * variables) become i32/u32; f64 becomes f32 only under demotion, else `onF64` reports it.
 */
export function deviceType(t: DType, precision: WgslPrecision, onF64: () => never): DType {
  switch (t.name) {
    case 'float64': return precision.f64 === 'f32' ? f32 : onF64();
    case 'int64': return i32;
    case 'uint64': return u32;
    default: return t;
  }
}

/** The element type of a container in device memory, or a TargetError saying why WGSL cannot hold it. */
export function storageType(name: string, t: DType, precision: WgslPrecision, path?: GraphPath): DType {
  switch (t.name) {
    case 'float32': case 'int32': case 'uint32': return t;
    case 'float64':
      if (precision.f64 === 'f32') return f32;
      throw f64Error(`${name} holds float64`, path);
    case 'int64': case 'uint64':
      if (precision.i64 === 'i32') return t.name === 'int64' ? i32 : u32;
      throw i64Error(`${name} holds ${t.name}`, path);
    case 'bool': case 'int8': case 'int16': case 'uint8': case 'uint16': case 'float16':
      throw new TargetError({
        code: 'wgsl-unsupported-type',
        message: `WGSL storage cannot hold ${t.name} data: ${name}`,
        hint: 'use i32, u32 or f32 data for the WebGPU target',
        ...(path ? { path } : {}),
      });
  }
}

function castsIn(e: TExpr, into: DType[]): DType[] {
  switch (e.k) {
    case 'num': case 'bool': case 'name': break;
    case 'index': e.indices.forEach((i) => castsIn(i, into)); break;
    case 'unary': castsIn(e.arg, into); break;
    case 'binary': castsIn(e.lhs, into); castsIn(e.rhs, into); break;
    case 'ternary': castsIn(e.cond, into); castsIn(e.then, into); castsIn(e.else, into); break;
    case 'call': e.args.forEach((a) => castsIn(a, into)); break;
    case 'cast': into.push(e.dtype); castsIn(e.arg, into); break;
  }
  return into;
}

/**
 * Refuse a program whose data or code names a type WGSL lacks, before anything is printed: containers of every
 * SDFG, declared connector types, and casts and typed declarations in tasklets. (f64 that tasklet typing
 * introduces, such as a lone float literal, is reported while printing.)
 */
export function checkProgramTypes(root: SDFG, precision: WgslPrecision): void {
  const f64Data: string[] = [], i64Data: string[] = [];
  for (const sdfg of allSDFGs(root)) {
    for (const [name, desc] of Object.entries(sdfg.arrays)) {
      if (desc.dtype.name === 'float64' && precision.f64 !== 'f32') f64Data.push(name);
      else if ((desc.dtype.name === 'int64' || desc.dtype.name === 'uint64') && precision.i64 !== 'i32') i64Data.push(name);
      else if (desc.kind !== 'Stream') storageType(name, desc.dtype, precision, { sdfg: sdfg.name });
    }
  }
  const list = (names: string[]): string => [...new Set(names)].sort().join(', ');
  if (f64Data.length) throw f64Error(`the program's data ${list(f64Data)} ${f64Data.length > 1 ? 'are' : 'is'} float64`, { sdfg: root.name });
  if (i64Data.length) throw i64Error(`the program's data ${list(i64Data)} ${i64Data.length > 1 ? 'are' : 'is'} 64-bit integers`, { sdfg: root.name });
  if (precision.i64 === 'i32' && precision.f64 === 'f32') return;
  for (const sdfg of allSDFGs(root)) {
    for (const state of allStates(sdfg)) {
      for (const node of state.nodes) {
        if (node.kind !== 'Tasklet') continue;
        const path = { sdfg: sdfg.name, state: state.label, node: `${node.label} (n${node.id})` };
        const declared = [...Object.values(node.inConnectors), ...Object.values(node.outConnectors)].filter((t): t is DType => t !== null);
        if (node.code.language === 'tasklet') {
          forEachStmt(node.code.body, (s) => {
            if (s.k === 'let' && s.dtype) declared.push(s.dtype);
            const exprs = s.k === 'assign' ? [s.value, s.target] : s.k === 'let' ? [s.value] : s.k === 'if' ? [s.cond] : [s.begin, s.end, s.step];
            for (const e of exprs) castsIn(e, declared);
          });
        }
        for (const t of declared) {
          if (t.name === 'float64' && precision.f64 !== 'f32') throw f64Error(`tasklet '${node.label}' declares or casts to f64`, path);
          if ((t.name === 'int64' || t.name === 'uint64') && precision.i64 !== 'i32') throw i64Error(`tasklet '${node.label}' declares or casts to ${t.short}`, path);
        }
      }
    }
  }
}
