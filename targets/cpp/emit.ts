// The C++ target's emitter: one SDFG → one self-contained C++17/OpenMP file with an `extern "C"` entry point.
//
// The entry is named `sdfg_<name>` and takes, in order: the non-transient containers (`sdfg.argNames` order, then
// the remaining ones as declared; arrays as pointers, read-only scalars by value, written scalars by pointer), then
// the free symbols as int64_t (argNames order, then the rest).
import type { DType } from '../../graph/dtypes.js';
import { allStates, inEdges } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { validate } from '../../graph/validate.js';
import { helpersFor } from '../../graph/tasklet-ops.js';
import { argumentContainers, freeSymbolsOf } from '../common/arguments.js';
import {
  CodeWriter, FunctionContext, ModuleContext, cIdentifier, reservedWords, resolveEmitOptions, unsupported, type EmitOptions,
} from './emit-context.js';
import { emitFunctionBody } from './emit-function.js';
import { cppRuntime, type RuntimeFeatures } from './runtime.js';

export type { EmitOptions } from './emit-context.js';

/** One parameter of the entry point. */
export interface EntryParam {
  /** The container's or symbol's name in the SDFG. */
  readonly name: string;
  /** array: pointer; scalar: by value; scalar-out: pointer to one element (written); symbol: int64_t. */
  readonly kind: 'array' | 'scalar' | 'scalar-out' | 'symbol';
  readonly dtype: DType;
  /** The parameter's C++ type. */
  readonly cType: string;
}

export interface CppProgram {
  readonly source: string;
  readonly entryName: string;
  readonly params: readonly EntryParam[];
  /** Libraries to link (`-lopenblas`). */
  readonly links: readonly string[];
  readonly features: RuntimeFeatures;
}

/** The line separating the runtime prelude from the program in every generated file. */
export const PROGRAM_MARKER = '// ---- program ----';

/** Non-transient scalars that some state writes: passed by pointer so that the caller sees the new value. */
function writtenScalars(sdfg: SDFG): Set<string> {
  const written = new Set<string>();
  for (const state of allStates(sdfg)) {
    for (const node of state.nodes) {
      if (node.kind !== 'AccessNode' || sdfg.arrays[node.data]?.kind !== 'Scalar') continue;
      if (inEdges(state, node).some((e) => e.memlet.data !== null)) written.add(node.data);
    }
  }
  return written;
}

/** The entry's parameters, in order. */
export function entryParams(sdfg: SDFG): EntryParam[] {
  const written = writtenScalars(sdfg);
  const params: EntryParam[] = [];
  for (const [name, desc] of argumentContainers(sdfg)) {
    switch (desc.kind) {
      case 'Array':
        params.push({ name, kind: 'array', dtype: desc.dtype, cType: `${desc.dtype.c}*` });
        break;
      case 'Scalar':
        params.push(written.has(name)
          ? { name, kind: 'scalar-out', dtype: desc.dtype, cType: `${desc.dtype.c}*` }
          : { name, kind: 'scalar', dtype: desc.dtype, cType: desc.dtype.c });
        break;
      case 'Stream': case 'View':
        throw unsupported(`${desc.kind.toLowerCase()} '${name}' cannot be an argument of the C++ target`, { sdfg: sdfg.name },
          `make '${name}' transient, or pass the data as an array`);
    }
  }
  const free = freeSymbolsOf(sdfg);
  const ordered = [...sdfg.argNames.filter((n) => free.includes(n)), ...free];
  for (const name of new Set(ordered)) {
    const dtype = sdfg.symbols[name];
    params.push({ name, kind: 'symbol', dtype: dtype ?? ({ name: 'int64', c: 'int64_t' } as DType), cType: 'int64_t' });
  }
  return params;
}

function parameterDeclaration(fn: FunctionContext, p: EntryParam): string {
  const desc = fn.sdfg.arrays[p.name];
  const cname = p.kind === 'symbol' ? p.name : fn.fresh(p.name);
  switch (p.kind) {
    case 'array': {
      const array = desc!.kind === 'Array' ? desc! : undefined;
      fn.containers.set(p.name, { cname, desc: desc!, placement: 'pointer', strides: array?.strides ?? [] });
      return `${p.cType}${array?.mayAlias ? '' : ' __restrict__'} ${cname}`;
    }
    case 'scalar':
      fn.containers.set(p.name, { cname, desc: desc!, placement: 'value', strides: [] });
      return `${p.cType} ${cname}`;
    case 'scalar-out':
      fn.containers.set(p.name, { cname, desc: desc!, placement: 'scalar-pointer', strides: [] });
      return `${p.cType} ${cname}`;
    case 'symbol':
      if (reservedWords.has(p.name)) throw unsupported(`symbol '${p.name}' is a reserved word in C++`, { sdfg: fn.sdfg.name }, 'rename the symbol');
      fn.symbols.add(p.name);
      fn.reserve(p.name);
      return `int64_t ${p.name}`;
  }
}

/** Emit a validated SDFG as C++. */
export function emitCpp(sdfg: SDFG, options: EmitOptions = {}): CppProgram {
  if (!options.assumeValid) validate(sdfg);
  const module = new ModuleContext(resolveEmitOptions(options), sdfg);
  const fn = new FunctionContext(module, sdfg, false);
  const params = entryParams(sdfg);
  // Symbols first: containers must not take their names.
  for (const p of params) if (p.kind === 'symbol') fn.reserve(p.name);
  for (const s of Object.keys(sdfg.constants)) fn.reserve(s);
  const declarations = [...params.filter((p) => p.kind !== 'symbol'), ...params.filter((p) => p.kind === 'symbol')]
    .map((p) => [p, parameterDeclaration(fn, p)] as const);
  const ordered = params.map((p) => declarations.find(([q]) => q === p)![1]);
  const entryName = `sdfg_${cIdentifier(sdfg.name)}`;
  module.uniqueGlobal(entryName);

  const body = new CodeWriter(1);
  emitFunctionBody(fn, body);

  const program = [
    ...[...module.globals],
    ...module.functions.flatMap((f) => [f, '']),
    `// entry point of SDFG "${sdfg.name}"`,
    `extern "C" void ${entryName}(${ordered.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n');
  const helpers = helpersFor('c', program);
  const source = [
    `// SDFG "${sdfg.name}": C++17 with OpenMP, generated by sdfg-ts. Entry point: ${entryName}.`,
    cppRuntime(module.features),
    ...(helpers ? [`#include <type_traits>\n${helpers}`] : []),
    PROGRAM_MARKER,
    program,
    '',
  ].join('\n');
  return { source, entryName, params, links: module.features.blas ? ['-lopenblas'] : [], features: { ...module.features } };
}
