// Every operator and math function of the tasklet language, defined once: type rule, evaluation, spelling per target.
//
// Values are JS numbers: bools are 0|1; integers are exact up to 2^53 in magnitude (i64/u64 results are computed
// exactly, through BigInt where needed, then rounded to the nearest double); f32 and f16 results are rounded after
// every operation, so the interpreter sees what the native code computes.
//
// Spellings take arguments already printed, parenthesised and converted to `operandType` by the caller
// (`TaskletTyping.operandTypeOf`). The C-family spellings cast results narrower than `int` back to their type,
// because C computes `uint8_t + uint8_t` in `int` while the language wraps to the operand type.
// WGSL spellings throw a `TargetError` ('wgsl-unsupported-type') for types WGSL lacks (i8, i16, i64, u8, u16, u64,
// f64); they never return a reason string. Functions WGSL lacks (log10, C's round) are spelled with its builtins.
// An evaluator must itself short-circuit `&&`, `||` and `?:` (a skipped operand may divide by zero), and convert
// each literal to the type the typing gave it (`castValue(0.1, f32)`, as C reads `0.1f`).
import type { BinaryOp, UnaryOp } from './tasklet-ast.js';
import type { WcrOp } from './memlet.js';
import { bool, isFloat, isInteger, type DType } from './dtypes.js';
import { TargetError, TaskletError } from './errors.js';

export type SpellingTarget = 'c' | 'cuda' | 'hls' | 'wgsl';
/** Spells an operation in one target's language from its printed operands. */
export type Spelling = (args: readonly string[], operandType: DType) => string;
export interface Spellings {
  readonly c: Spelling;
  readonly cuda: Spelling;
  readonly hls: Spelling;
  readonly wgsl: Spelling;
}

/**
 * Operand types an operation accepts: 'numeric' integers or floats; 'integer' only; 'bool' only; 'scalar' any,
 * both sides bool or both numeric; 'float' numbers computed in a float type (integers convert to f64).
 */
export type OperandClass = 'numeric' | 'integer' | 'bool' | 'scalar' | 'float';

export interface BinaryOpDef extends Spellings {
  readonly op: BinaryOp;
  readonly operands: OperandClass;
  /** `&&` and `||`: an evaluator must not evaluate the right operand when the left one decides. */
  readonly shortCircuit: boolean;
  resultType(operandType: DType): DType;
  evaluate(a: number, b: number, operandType: DType): number;
}

export interface UnaryOpDef extends Spellings {
  readonly op: UnaryOp;
  readonly operands: OperandClass;
  resultType(operandType: DType): DType;
  evaluate(x: number, operandType: DType): number;
}

export interface MathFunctionDef extends Spellings {
  readonly name: string;
  readonly arity: number;
  readonly operands: OperandClass;
  resultType(operandType: DType): DType;
  evaluate(args: readonly number[], operandType: DType): number;
}

// ---------------------------------------------------------------------------------------------
// Numbers of a dtype.

/** Round to the nearest IEEE half (ties to even); Node 20 has no Math.f16round. */
export function f16round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity; // halfway between the largest half (65504) and 2^16
  // Spacing of halves around `a`: 2^(e-10) for normals, 2^-24 for subnormals.
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1; // log2 may round up just below a power of two
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const q = a / ulp, fl = Math.floor(q), rest = q - fl;
  const n = rest > 0.5 || (rest === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  return Math.sign(x) * n * ulp;
}

/** Round a float result to the precision of `t`. */
function roundFloat(x: number, t: DType): number {
  return t.name === 'float32' ? Math.fround(x) : t.name === 'float16' ? f16round(x) : x;
}

const intBits = (t: DType): number => t.bytes * 8;

/** Wrap an integer to the width and signedness of `t` (two's complement, as C conversions do). */
export function wrapInteger(x: number, t: DType): number {
  switch (t.name) {
    case 'int8': return (x << 24) >> 24;
    case 'int16': return (x << 16) >> 16;
    case 'int32': return x | 0;
    case 'uint8': return x & 0xff;
    case 'uint16': return x & 0xffff;
    case 'uint32': return x >>> 0;
    case 'int64': return Number.isSafeInteger(x) ? x + 0 : Number(BigInt.asIntN(64, BigInt(x)));
    case 'uint64': return Number.isSafeInteger(x) && x >= 0 ? x + 0 : Number(BigInt.asUintN(64, BigInt(x)));
    default: return x;
  }
}

/** An integer result computed exactly: as a double while it stays exact, else through BigInt. */
function exactInt(a: number, b: number, t: DType, viaNumber: (a: number, b: number) => number, viaBig: (a: bigint, b: bigint) => bigint): number {
  const r = viaNumber(a, b);
  if (Number.isSafeInteger(r)) return wrapInteger(r, t);
  const big = viaBig(BigInt(a), BigInt(b));
  return Number(t.kind === 'unsigned' ? BigInt.asUintN(intBits(t), big) : BigInt.asIntN(intBits(t), big));
}

function divisionByZero(op: string): TaskletError {
  return new TaskletError({
    code: 'division-by-zero',
    message: `integer ${op === '/' ? 'division' : op === '%' ? 'remainder' : 'power'} by zero`,
    hint: 'guard the divisor (C leaves this undefined)',
  });
}

/** C conversion: float→int truncates toward zero (NaN and ±∞ give 0, where C is undefined), ints wrap, bool is x != 0. */
export function castValue(x: number, to: DType): number {
  if (to.kind === 'bool') return x !== 0 ? 1 : 0;
  if (isFloat(to)) return roundFloat(x, to);
  if (!Number.isFinite(x)) return 0;
  return wrapInteger(Math.trunc(x), to);
}

function intDivide(a: number, b: number, t: DType): number {
  if (b === 0) throw divisionByZero('/');
  // Below 2^52 the rounded double quotient truncates to the exact integer quotient.
  if (Math.abs(a) < 2 ** 52 && Math.abs(b) < 2 ** 52) return wrapInteger(Math.trunc(a / b), t);
  return exactInt(a, b, t, () => NaN, (x, y) => x / y);
}

function intPower(a: number, b: number, t: DType): number {
  if (b < 0) {
    if (a === 0) throw divisionByZero('**');
    // 1 / a^|b| truncated toward zero: only ±1 survive.
    return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : wrapInteger(-1, t)) : 0;
  }
  const bits = BigInt(intBits(t));
  let result = 1n, base = BigInt(a), exp = BigInt(b);
  const wrap = (v: bigint): bigint => (t.kind === 'unsigned' ? BigInt.asUintN(Number(bits), v) : BigInt.asIntN(Number(bits), v));
  while (exp > 0n) {
    if (exp & 1n) result = wrap(result * base);
    base = wrap(base * base);
    exp >>= 1n;
  }
  return wrapInteger(Number(result), t);
}

/** Shift count as the hardware takes it: modulo the width C computes in (at least 32 bits). */
function shiftCount(b: number, t: DType): number {
  const width = Math.max(intBits(t), 32);
  return ((b % width) + width) % width;
}

function shift(op: '<<' | '>>', a: number, b: number, t: DType): number {
  const n = shiftCount(b, t);
  if (t.bytes <= 4) {
    if (op === '<<') return wrapInteger(a << n, t);
    return wrapInteger(t.name === 'uint32' ? a >>> n : a >> n, t);
  }
  return exactInt(a, n, t, () => NaN, (x, y) => (op === '<<' ? x << y : x >> y));
}

function bitwise(op: '&' | '|' | '^', a: number, b: number, t: DType): number {
  const viaBig = (x: bigint, y: bigint): bigint => (op === '&' ? x & y : op === '|' ? x | y : x ^ y);
  if (t.bytes <= 4) return wrapInteger(op === '&' ? a & b : op === '|' ? a | b : a ^ b, t);
  return exactInt(a, b, t, () => NaN, viaBig);
}

// ---------------------------------------------------------------------------------------------
// Spelling helpers.

/** WGSL's name for `t`, or a TargetError saying that WGSL has no such type. */
export function wgslType(t: DType): string {
  if (t.wgsl !== null) return t.wgsl;
  throw new TargetError({
    code: 'wgsl-unsupported-type',
    message: `WGSL has no ${t.short} (${t.name}) type`,
    hint: 'use i32, u32, f32 or f16 data for the WebGPU target, or cast in the tasklet',
  });
}

/** C computes types narrower than int in int: cast the result back so that it wraps like the language. */
function narrowC(t: DType, text: string, spelling: 'c' | 'cuda' = 'c'): string {
  const narrow = isInteger(t) ? t.bytes < 4 : t.name === 'float16' && spelling === 'c';
  return narrow ? `(${spelling === 'c' ? t.c : t.cuda})(${text})` : text;
}

const infix = (op: string) => ([a, b]: readonly string[]): string => `${a} ${op} ${b}`;

/** A float function in C++: `std::sqrt`; _Float16 goes through float, which libstdc++ overloads. */
function cFloat(fn: string, args: readonly string[], t: DType): string {
  if (t.name === 'float16') return `((_Float16)std::${fn}(${args.map((a) => `(float)${a}`).join(', ')}))`;
  return `std::${fn}(${args.join(', ')})`;
}

/** A float function in CUDA: `sqrtf` for f32, `sqrt` for f64; __half goes through float. */
function cudaFloat(fn: string, args: readonly string[], t: DType): string {
  if (t.name === 'float16') return `__float2half(${fn}f(${args.map((a) => `__half2float(${a})`).join(', ')}))`;
  return `${fn}${t.name === 'float32' ? 'f' : ''}(${args.join(', ')})`;
}

function wgslCall(fn: string, args: readonly string[], t: DType): string {
  wgslType(t);
  return `${fn}(${args.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Binary operators.

type BinaryCategory = 'arithmetic' | 'compare' | 'equality' | 'logical' | 'bitwise' | 'shift';

function binaryDef(op: BinaryOp, category: BinaryCategory, evaluate: BinaryOpDef['evaluate'], overrides: Partial<Spellings> = {}): BinaryOpDef {
  const operands: OperandClass =
    category === 'arithmetic' || category === 'compare' ? 'numeric'
    : category === 'equality' ? 'scalar'
    : category === 'logical' ? 'bool' : 'integer';
  const yieldsBool = category === 'compare' || category === 'equality' || category === 'logical';
  const c: Spelling = (args, t) => (yieldsBool ? infix(op)(args) : narrowC(t, infix(op)(args)));
  return {
    op, operands, shortCircuit: category === 'logical',
    resultType: (t) => (yieldsBool ? bool : t),
    evaluate,
    c,
    cuda: (args, t) => (yieldsBool ? infix(op)(args) : narrowC(t, infix(op)(args), 'cuda')),
    hls: c,
    wgsl: (args, t) => { wgslType(t); return infix(op)(args); },
    ...overrides,
  };
}

const arith = (floatOp: (a: number, b: number) => number, intOp: (a: number, b: number, t: DType) => number) =>
  (a: number, b: number, t: DType): number => (isFloat(t) ? roundFloat(floatOp(a, b), t) : intOp(a, b, t));
const truth = (x: boolean): number => (x ? 1 : 0);

const wgslShift = (op: '<<' | '>>'): Spelling => ([a, b], t) => {
  wgslType(t);
  return `${a} ${op} u32(${b})`;
};

const ipowC = (prefix = ''): Spelling => ([a, b], t) => narrowC(t, `${prefix}sdfg_ipow(${a}, ${b})`);

export const binaryOps: Readonly<Record<BinaryOp, BinaryOpDef>> = {
  '+': binaryDef('+', 'arithmetic', arith((a, b) => a + b, (a, b, t) => exactInt(a, b, t, (x, y) => x + y, (x, y) => x + y))),
  '-': binaryDef('-', 'arithmetic', arith((a, b) => a - b, (a, b, t) => exactInt(a, b, t, (x, y) => x - y, (x, y) => x - y))),
  '*': binaryDef('*', 'arithmetic', arith((a, b) => a * b, (a, b, t) => exactInt(a, b, t, (x, y) => x * y, (x, y) => x * y))),
  '/': binaryDef('/', 'arithmetic', arith((a, b) => a / b, intDivide)),
  '%': binaryDef('%', 'arithmetic', arith((a, b) => a % b, (a, b, t) => {
    if (b === 0) throw divisionByZero('%');
    return wrapInteger(a % b, t); // JS `%` is exact and takes the dividend's sign, like C
  }), {
    c: (args, t) => (isFloat(t) ? cFloat('fmod', args, t) : narrowC(t, infix('%')(args))),
    hls: (args, t) => (isFloat(t) ? cFloat('fmod', args, t) : narrowC(t, infix('%')(args))),
    cuda: (args, t) => (isFloat(t) ? cudaFloat('fmod', args, t) : narrowC(t, infix('%')(args), 'cuda')),
  }),
  '**': binaryDef('**', 'arithmetic', arith((a, b) => a ** b, intPower), {
    c: (args, t) => (isFloat(t) ? cFloat('pow', args, t) : ipowC()(args, t)),
    hls: (args, t) => (isFloat(t) ? cFloat('pow', args, t) : ipowC()(args, t)),
    cuda: (args, t) => (isFloat(t) ? cudaFloat('pow', args, t) : ipowC()(args, t)),
    // WGSL's pow is exp2(b * log2(a)): undefined for a negative base.
    wgsl: (args, t) => (isFloat(t) ? wgslCall('pow', args, t) : `sdfg_ipow_${wgslType(t)}(${args.join(', ')})`),
  }),
  '==': binaryDef('==', 'equality', (a, b) => truth(a === b)),
  '!=': binaryDef('!=', 'equality', (a, b) => truth(a !== b)),
  '<': binaryDef('<', 'compare', (a, b) => truth(a < b)),
  '<=': binaryDef('<=', 'compare', (a, b) => truth(a <= b)),
  '>': binaryDef('>', 'compare', (a, b) => truth(a > b)),
  '>=': binaryDef('>=', 'compare', (a, b) => truth(a >= b)),
  '&&': binaryDef('&&', 'logical', (a, b) => truth(a !== 0 && b !== 0)),
  '||': binaryDef('||', 'logical', (a, b) => truth(a !== 0 || b !== 0)),
  '&': binaryDef('&', 'bitwise', (a, b, t) => bitwise('&', a, b, t)),
  '|': binaryDef('|', 'bitwise', (a, b, t) => bitwise('|', a, b, t)),
  '^': binaryDef('^', 'bitwise', (a, b, t) => bitwise('^', a, b, t)),
  // WGSL takes the shift count as u32 (and, like the interpreter, modulo the width).
  '<<': binaryDef('<<', 'shift', (a, b, t) => shift('<<', a, b, t), { wgsl: wgslShift('<<') }),
  '>>': binaryDef('>>', 'shift', (a, b, t) => shift('>>', a, b, t), { wgsl: wgslShift('>>') }),
};

// ---------------------------------------------------------------------------------------------
// Unary operators.

export const unaryOps: Readonly<Record<UnaryOp, UnaryOpDef>> = {
  '-': {
    op: '-', operands: 'numeric', resultType: (t) => t,
    evaluate: (x, t) => (isFloat(t) ? -x : wrapInteger(-x, t)),
    c: ([x], t) => narrowC(t, `-${x}`),
    cuda: ([x], t) => narrowC(t, `-${x}`, 'cuda'),
    hls: ([x], t) => narrowC(t, `-${x}`),
    // WGSL has no unary minus on u32; subtracting from zero wraps the same way.
    wgsl: ([x], t) => (wgslType(t) === 'u32' ? `0u - ${x}` : `-${x}`),
  },
  // WGSL has no unary plus, and in C it only promotes: the operand itself is the value everywhere.
  '+': {
    op: '+', operands: 'numeric', resultType: (t) => t, evaluate: (x) => x,
    c: ([x]) => x!, cuda: ([x]) => x!, hls: ([x]) => x!, wgsl: ([x], t) => { wgslType(t); return x!; },
  },
  '!': {
    op: '!', operands: 'bool', resultType: () => bool, evaluate: (x) => truth(x === 0),
    c: ([x]) => `!${x}`, cuda: ([x]) => `!${x}`, hls: ([x]) => `!${x}`, wgsl: ([x]) => `!${x}`,
  },
  '~': {
    op: '~', operands: 'integer', resultType: (t) => t,
    evaluate: (x, t) => (t.bytes <= 4 ? wrapInteger(~x, t) : wrapInteger(-x - 1, t)),
    c: ([x], t) => narrowC(t, `~${x}`),
    cuda: ([x], t) => narrowC(t, `~${x}`, 'cuda'),
    hls: ([x], t) => narrowC(t, `~${x}`),
    wgsl: ([x], t) => { wgslType(t); return `~${x}`; },
  },
};

/** `a op b` evaluated with C semantics in `operandType`; comparisons and logic give 0|1, other results wrap to the type. */
export function evalBinary(op: BinaryOp, a: number, b: number, operandType: DType): number {
  return binaryOps[op].evaluate(a, b, operandType);
}

export function evalUnary(op: UnaryOp, x: number, t: DType): number {
  return unaryOps[op].evaluate(x, t);
}

// ---------------------------------------------------------------------------------------------
// Math functions. Their spellings are primary expressions (calls or parenthesised), safe as any operand.

interface FunctionSpec {
  readonly arity: number;
  readonly operands: OperandClass;
  readonly result?: (t: DType) => DType;
  readonly evaluate: (args: readonly number[], t: DType) => number;
  readonly c: Spelling;
  readonly cuda: Spelling;
  readonly hls?: Spelling;
  readonly wgsl: Spelling;
}

function fn(name: string, spec: FunctionSpec): MathFunctionDef {
  return {
    name, arity: spec.arity, operands: spec.operands, resultType: spec.result ?? ((t) => t),
    evaluate: spec.evaluate, c: spec.c, cuda: spec.cuda, hls: spec.hls ?? spec.c, wgsl: spec.wgsl,
  };
}

/** A narrowing cast around a call, parenthesised so that the whole stays a primary expression. */
function narrowCall(t: DType, text: string, spelling: 'c' | 'cuda' = 'c'): string {
  return narrowC(t, text, spelling) === text ? text : `((${spelling === 'c' ? t.c : t.cuda})${text})`;
}

/** C's round: halves away from zero (JS Math.round and WGSL round do otherwise). */
function cRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** A float function that C, CUDA and WGSL all spell with its own name (CUDA adding `f` for f32). */
function floatFn(name: string, arity: number, compute: (...xs: number[]) => number, wgsl?: Spelling): MathFunctionDef {
  return fn(name, {
    arity, operands: 'float',
    evaluate: (args, t) => roundFloat(compute(...args), t),
    c: (args, t) => cFloat(name, args, t),
    cuda: (args, t) => cudaFloat(name, args, t),
    wgsl: wgsl ?? ((args, t) => wgslCall(name, args, t)),
  });
}

/** `std::min` and `std::max` semantics: the first argument unless the second is strictly better (NaN-sensitive). */
const pickMin = (a: number, b: number): number => (b < a ? b : a);
const pickMax = (a: number, b: number): number => (a < b ? b : a);

function minMax(name: 'min' | 'max'): MathFunctionDef {
  const pick = name === 'min' ? pickMin : pickMax;
  return fn(name, {
    arity: 2, operands: 'numeric',
    evaluate: ([a, b]) => pick(a!, b!),
    c: ([a, b], t) => `std::${name}<${t.c}>(${a}, ${b})`,
    cuda: ([a, b], t) => (t.name === 'float16' ? `__h${name}(${a}, ${b})` : narrowCall(t, `${name}(${a}, ${b})`, 'cuda')),
    wgsl: (args, t) => wgslCall(name, args, t),
  });
}

/** A float predicate; WGSL has none, so it tests the f32 bit pattern (exponent all ones). */
function floatPredicate(name: 'isnan' | 'isinf', compute: (x: number) => boolean): MathFunctionDef {
  return fn(name, {
    arity: 1, operands: 'float', result: () => bool,
    evaluate: ([x]) => truth(compute(x!)),
    c: ([x], t) => `std::${name}(${t.name === 'float16' ? `(float)${x}` : x})`,
    cuda: ([x], t) => (t.name === 'float16' ? `(__h${name}(${x}) != 0)` : `${name}(${x})`),
    wgsl: ([x], t) => {
      const bits = `(bitcast<u32>(${wgslType(t) === 'f32' ? x : `f32(${x})`}) & 0x7fffffffu)`;
      return `(${bits} ${name === 'isnan' ? '>' : '=='} 0x7f800000u)`;
    },
  });
}

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

const functionList: readonly MathFunctionDef[] = [
  floatFn('sqrt', 1, Math.sqrt),
  floatFn('exp', 1, Math.exp),
  floatFn('exp2', 1, (x) => 2 ** x),
  floatFn('log', 1, Math.log),
  floatFn('log2', 1, Math.log2),
  // WGSL has no log10: log2(x) · log10(2).
  floatFn('log10', 1, Math.log10, ([x], t) => `(${wgslCall('log2', [x!], t)} * 0.30102999566398120)`),
  floatFn('sin', 1, Math.sin), floatFn('cos', 1, Math.cos), floatFn('tan', 1, Math.tan),
  floatFn('asin', 1, Math.asin), floatFn('acos', 1, Math.acos), floatFn('atan', 1, Math.atan),
  floatFn('sinh', 1, Math.sinh), floatFn('cosh', 1, Math.cosh), floatFn('tanh', 1, Math.tanh),
  floatFn('asinh', 1, Math.asinh), floatFn('acosh', 1, Math.acosh), floatFn('atanh', 1, Math.atanh),
  floatFn('floor', 1, Math.floor), floatFn('ceil', 1, Math.ceil), floatFn('trunc', 1, Math.trunc),
  // WGSL's round goes to even on halves; C's goes away from zero: add sign(x) where the fraction is at least one half.
  floatFn('round', 1, cRound, ([x], t) => {
    wgslType(t);
    return `(trunc(${x}) + select(${t.wgsl}(0), sign(${x}), abs(${x} - trunc(${x})) >= ${t.wgsl}(0.5)))`;
  }),
  floatFn('pow', 2, (a, b) => a ** b),
  floatFn('atan2', 2, Math.atan2),
  // Evaluated as a*b + c in f64: exact for f32 operands up to one double rounding, not fused for f64.
  floatFn('fma', 3, (a, b, c) => a * b + c),
  floatPredicate('isnan', Number.isNaN),
  floatPredicate('isinf', (x) => x === Infinity || x === -Infinity),
  fn('abs', {
    arity: 1, operands: 'numeric',
    evaluate: ([x], t) => (isFloat(t) ? Math.abs(x!) : wrapInteger(Math.abs(x!), t)),
    c: ([x], t) => (t.kind === 'unsigned' ? x! : isFloat(t) ? cFloat('abs', [x!], t) : narrowCall(t, `std::abs(${x})`)),
    cuda: ([x], t) => (t.kind === 'unsigned' ? x!
      : isFloat(t) ? (t.name === 'float16' ? `__habs(${x})` : cudaFloat('fabs', [x!], t))
      : t.bytes === 8 ? `llabs(${x})` : narrowCall(t, `abs(${x})`, 'cuda')),
    wgsl: (args, t) => wgslCall('abs', args, t),
  }),
  minMax('min'),
  minMax('max'),
  fn('clamp', {
    arity: 3, operands: 'numeric',
    evaluate: ([x, lo, hi]) => (x! < lo! ? lo! : hi! < x! ? hi! : x!),
    c: ([x, lo, hi], t) => `std::clamp<${t.c}>(${x}, ${lo}, ${hi})`,
    cuda: ([x, lo, hi]) => `(${x} < ${lo} ? ${lo} : ${hi} < ${x} ? ${hi} : ${x})`,
    wgsl: (args, t) => wgslCall('clamp', args, t),
  }),
  fn('sign', {
    arity: 1, operands: 'numeric',
    evaluate: ([x]) => sign(x!),
    c: ([x], t) => `((${t.c})((${x} > 0) - (${x} < 0)))`,
    cuda: ([x], t) => (t.name === 'float16'
      ? `__float2half((float)((__half2float(${x}) > 0.0f) - (__half2float(${x}) < 0.0f)))`
      : `((${t.cuda})((${x} > 0) - (${x} < 0)))`),
    // WGSL's sign takes no u32; for unsigned values min(x, 1) is the sign.
    wgsl: ([x], t) => (wgslType(t) === 'u32' ? `min(${x}, 1u)` : `sign(${x})`),
  }),
];

export const mathFunctions: Readonly<Record<string, MathFunctionDef>> = Object.freeze(
  Object.fromEntries(functionList.map((d) => [d.name, d])),
);

export function isMathFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(mathFunctions, name);
}

/** The definition of a math function, or a TaskletError naming the known ones. */
export function mathFunction(name: string): MathFunctionDef {
  if (isMathFunction(name)) return mathFunctions[name]!;
  throw new TaskletError({
    code: 'unknown-function',
    message: `unknown function '${name}'`,
    hint: `known functions: ${Object.keys(mathFunctions).join(', ')}; casts are written f32(x), i32(x), …`,
  });
}

/** A math function evaluated in `t`, the type its arguments were converted to. */
export function evalCall(name: string, args: readonly number[], t: DType): number {
  return mathFunction(name).evaluate(args, t);
}

// ---------------------------------------------------------------------------------------------
// Write-conflict resolution: how concurrent writes combine, with the identity each starts from.

export type BuiltinWcrOp = Exclude<WcrOp, 'custom'>;

export interface WcrOpDef extends Spellings {
  readonly op: BuiltinWcrOp;
  /** The value that leaves any other unchanged, as a number (the largest double inside the type for i64/u64). */
  identity(t: DType): number;
  /** The identity in C++ (also CUDA and HLS). */
  identityC(t: DType): string;
  identityWgsl(t: DType): string;
  evaluate(current: number, incoming: number, t: DType): number;
}

function intLimits(t: DType): { min: number; max: number } {
  const bits = intBits(t);
  // 2^63 - 1 and 2^64 - 1 are not doubles: take the largest doubles below them.
  if (t.kind === 'unsigned') return { min: 0, max: bits === 64 ? 2 ** 64 - 2048 : 2 ** bits - 1 };
  return { min: -(2 ** (bits - 1)), max: bits === 64 ? 2 ** 63 - 1024 : 2 ** (bits - 1) - 1 };
}

function extreme(which: 'min' | 'max', t: DType): number {
  if (t.kind === 'bool') return which === 'max' ? 1 : 0;
  if (isFloat(t)) return which === 'max' ? Infinity : -Infinity;
  return intLimits(t)[which];
}

function extremeC(which: 'min' | 'max', t: DType): string {
  if (isFloat(t)) return `${which === 'max' ? '' : '-'}std::numeric_limits<${t.c}>::infinity()`;
  return `std::numeric_limits<${t.c}>::${which === 'max' ? 'max' : 'lowest'}()`;
}

function extremeWgsl(which: 'min' | 'max', t: DType): string {
  const name = wgslType(t);
  // WGSL has no infinity literal; the bit pattern makes one at run time.
  if (isFloat(t)) return `${name}(bitcast<f32>(${which === 'max' ? '0x7f800000u' : '0xff800000u'}))`;
  if (t.kind === 'bool') return which === 'max' ? 'true' : 'false';
  return `${name}(${intLimits(t)[which]})`;
}

function zeroOrOne(value: 0 | 1, t: DType, target: 'c' | 'wgsl'): string {
  if (t.kind === 'bool') return value ? 'true' : 'false';
  const name = target === 'c' ? t.c : wgslType(t);
  return `${name}(${value})`;
}

const wcrCombine = (def: Spellings): Spellings => ({ c: def.c, cuda: def.cuda, hls: def.hls, wgsl: def.wgsl });

export const wcrOps: Readonly<Record<BuiltinWcrOp, WcrOpDef>> = {
  sum: {
    op: 'sum', ...wcrCombine(binaryOps['+']),
    identity: () => 0, identityC: (t) => zeroOrOne(0, t, 'c'), identityWgsl: (t) => zeroOrOne(0, t, 'wgsl'),
    evaluate: (a, b, t) => castValue(t.kind === 'bool' ? truth(a !== 0 || b !== 0) : evalBinary('+', a, b, t), t),
  },
  product: {
    op: 'product', ...wcrCombine(binaryOps['*']),
    identity: () => 1, identityC: (t) => zeroOrOne(1, t, 'c'), identityWgsl: (t) => zeroOrOne(1, t, 'wgsl'),
    evaluate: (a, b, t) => castValue(t.kind === 'bool' ? truth(a !== 0 && b !== 0) : evalBinary('*', a, b, t), t),
  },
  min: {
    op: 'min', ...wcrCombine(mathFunctions['min']!),
    identity: (t) => extreme('max', t), identityC: (t) => extremeC('max', t), identityWgsl: (t) => extremeWgsl('max', t),
    evaluate: (a, b) => pickMin(a, b),
  },
  max: {
    op: 'max', ...wcrCombine(mathFunctions['max']!),
    identity: (t) => extreme('min', t), identityC: (t) => extremeC('min', t), identityWgsl: (t) => extremeWgsl('min', t),
    evaluate: (a, b) => pickMax(a, b),
  },
};

/** Combine the value in memory with an incoming write. */
export function evalWcrOp(op: BuiltinWcrOp, current: number, incoming: number, t: DType): number {
  return wcrOps[op].evaluate(current, incoming, t);
}

export function wcrIdentity(op: BuiltinWcrOp, t: DType): number {
  return wcrOps[op].identity(t);
}

// ---------------------------------------------------------------------------------------------
// Helpers that spellings call; an emitter includes them when its output mentions them.

const cIpow = (qualifiers: string): string => `template <typename T, typename E>
${qualifiers}inline T sdfg_ipow(T base, E exponent) {
  // Integer power for the tasklet language's '**': wraps like every integer operation;
  // a negative exponent truncates 1 / base^|exponent| toward zero.
  using U = typename std::conditional<(sizeof(T) < sizeof(unsigned)), unsigned, typename std::make_unsigned<T>::type>::type;
  if (exponent < 0) return base == T(1) ? T(1) : base == T(-1) ? T((exponent & 1) ? -1 : 1) : T(0);
  U result = 1, b = static_cast<U>(base);
  while (exponent > 0) {
    if (exponent & 1) result = static_cast<U>(result * b);
    b = static_cast<U>(b * b);
    exponent >>= 1;
  }
  return static_cast<T>(result);
}
`;

const wgslIpow = (t: 'i32' | 'u32'): string => `fn sdfg_ipow_${t}(base: ${t}, exponent: ${t}) -> ${t} {
  ${t === 'i32' ? 'if (exponent < 0) {\n    if (base == 1) { return 1; }\n    if (base == -1) { return select(1, -1, (exponent & 1) != 0); }\n    return 0;\n  }\n  ' : ''}var result: ${t} = 1${t === 'u32' ? 'u' : ''};
  var b = base;
  var e = exponent;
  while (e > 0${t === 'u32' ? 'u' : ''}) {
    if ((e & 1${t === 'u32' ? 'u' : ''}) != 0${t === 'u32' ? 'u' : ''}) { result = result * b; }
    b = b * b;
    e = e >> 1u;
  }
  return result;
}
`;

interface Helper { readonly name: string; readonly source: Readonly<Record<SpellingTarget, string>> }

const helpers: readonly Helper[] = [
  { name: 'sdfg_ipow', source: { c: cIpow('static '), hls: cIpow('static '), cuda: cIpow('static __host__ __device__ '), wgsl: '' } },
  { name: 'sdfg_ipow_i32', source: { c: '', hls: '', cuda: '', wgsl: wgslIpow('i32') } },
  { name: 'sdfg_ipow_u32', source: { c: '', hls: '', cuda: '', wgsl: wgslIpow('u32') } },
];

/**
 * The helper definitions that `emitted` code calls, to place before it. C-family helpers need
 * `<type_traits>`; the C++ spellings also use `<cmath>`, `<cstdlib>`, `<algorithm>` and `<limits>`.
 */
export function helpersFor(target: SpellingTarget, emitted: string): string {
  return helpers
    .filter((h) => h.source[target] !== '' && new RegExp(`\\b${h.name}\\(`).test(emitted))
    .map((h) => h.source[target])
    .join('\n');
}
