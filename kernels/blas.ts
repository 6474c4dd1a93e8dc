// BLAS-like building blocks (axpy, dot, gemv, gemm) as functions returning programs, generic over f32 and f64.
//
// Other libraries call them as nested programs (`p.call(gemv(f64), { A, x, y, alpha, beta })`) or run them
// directly. Each comes with its plain TypeScript twin (rounding to f32 where the program computes in f32).
import { program, symbol, array, f64, f32, type DType } from '../index.js';

export type FloatDType = DType<'float64'> | DType<'float32'>;
type FloatArray = Float64Array | Float32Array;

const defaultName = (op: string, dtype: FloatDType) => `${op}_${dtype.short}`;

/** y = a·x + y over `N` elements. */
export function axpy(dtype: FloatDType = f64, options: { name?: string } = {}) {
  return program(options.name ?? defaultName('axpy', dtype), { N: symbol, a: dtype, x: array(dtype, ['N']), y: array(dtype, ['N']) }, (p, { N, a, x, y }) => {
    p.map('axpy')`i = 0:${N}`.tasklet({ xi: x.at`i`, yi: y.at`i` }, { out: y.at`i` })`out = ${a} * xi + yi`;
  });
}

/** result[0] = x · y: products summed by a write-conflict resolution into one element. */
export function dot(dtype: FloatDType = f64, options: { name?: string } = {}) {
  return program(options.name ?? defaultName('dot', dtype), { N: symbol, x: array(dtype, ['N']), y: array(dtype, ['N']), result: array(dtype, [1]) }, (p, { N, x, y, result }) => {
    p.tasklet({}, { r: result.at`0` }, 'clear')`r = 0`;
    p.map('products')`i = 0:${N}`.tasklet({ xi: x.at`i`, yi: y.at`i` }, { r: result.at`0`.wcr('+') })`r = xi * yi`;
  });
}

/**
 * y = alpha·A·x + beta·y with A of shape [M, N] (x has N elements, y has M); with `transpose`,
 * y = alpha·Aᵀ·x + beta·y (x has M elements, y has N).
 */
export function gemv(dtype: FloatDType = f64, options: { transpose?: boolean; name?: string } = {}) {
  const t = options.transpose ?? false;
  const name = options.name ?? defaultName(t ? 'gemv_t' : 'gemv', dtype);
  return program(name, {
    M: symbol, N: symbol, alpha: dtype, beta: dtype,
    A: array(dtype, ['M', 'N']), x: array(dtype, [t ? 'M' : 'N']), y: array(dtype, [t ? 'N' : 'M']),
  }, (p, { M, N, alpha, beta, A, x, y }) => {
    p.map('scale')`r = 0:${t ? N : M}`.tasklet({ v: y.at`r` }, { o: y.at`r` })`o = ${beta} * v`;
    // the row index i and the column index j run over A; which one indexes y depends on the transpose
    p.map('multiply')`i = 0:${M}, j = 0:${N}`.tasklet(
      { a: A.at`i, j`, v: t ? x.at`i` : x.at`j` },
      { o: (t ? y.at`j` : y.at`i`).wcr('+') },
    )`o = ${alpha} * a * v`;
  });
}

export interface GemmOptions {
  /** Use Aᵀ (A stored [K, M]) and/or Bᵀ (B stored [N, K]). */
  transA?: boolean;
  transB?: boolean;
  /** 'map' (default): a 3-D map with a sum over k. 'matmul': a MatMul library node into a transient (no transposes). */
  implementation?: 'map' | 'matmul';
  name?: string;
}

/** C = alpha·op(A)·op(B) + beta·C with C of shape [M, N] and a sum over K. */
export function gemm(dtype: FloatDType = f64, options: GemmOptions = {}) {
  const { transA = false, transB = false, implementation = 'map' } = options;
  if (implementation === 'matmul' && (transA || transB)) {
    throw new RangeError('gemm: the MatMul implementation takes A and B untransposed; use implementation "map" for transposes');
  }
  const name = options.name ?? defaultName(`gemm${transA ? '_ta' : ''}${transB ? '_tb' : ''}${implementation === 'matmul' ? '_mm' : ''}`, dtype);
  return program(name, {
    M: symbol, N: symbol, K: symbol, alpha: dtype, beta: dtype,
    A: array(dtype, transA ? ['K', 'M'] : ['M', 'K']), B: array(dtype, transB ? ['N', 'K'] : ['K', 'N']), C: array(dtype, ['M', 'N']),
  }, (p, { M, N, K, alpha, beta, A, B, C }) => {
    if (implementation === 'matmul') {
      const T = p.transient('AB', dtype, [M, N]);
      p.matmul(A, B, T);
      p.map('combine')`i = 0:${M}, j = 0:${N}`.tasklet({ t: T.at`i, j`, c: C.at`i, j` }, { o: C.at`i, j` })`o = ${alpha} * t + ${beta} * c`;
      return;
    }
    p.map('scale')`i = 0:${M}, j = 0:${N}`.tasklet({ c: C.at`i, j` }, { o: C.at`i, j` })`o = ${beta} * c`;
    p.map('multiply')`i = 0:${M}, j = 0:${N}, k = 0:${K}`.tasklet(
      { a: transA ? A.at`k, i` : A.at`i, k`, b: transB ? B.at`j, k` : B.at`k, j` },
      { o: C.at`i, j`.wcr('+') },
    )`o = ${alpha} * a * b`;
  });
}

// ---- plain TypeScript twins ------------------------------------------------------------------

/** Rounding after every operation, as the program does in its dtype. */
const rounder = (dtype: FloatDType): ((v: number) => number) => (dtype === f32 ? Math.fround : (v) => v);

export function axpyReference(dtype: FloatDType, a: number, x: FloatArray, y: FloatArray): void {
  const r = rounder(dtype);
  for (let i = 0; i < x.length; i++) y[i] = r(r(a * x[i]!) + y[i]!);
}

export function dotReference(dtype: FloatDType, x: FloatArray, y: FloatArray): number {
  const r = rounder(dtype);
  let s = 0;
  for (let i = 0; i < x.length; i++) s = r(s + r(x[i]! * y[i]!));
  return s;
}

export function gemvReference(dtype: FloatDType, transpose: boolean, M: number, N: number, alpha: number, beta: number, A: FloatArray, x: FloatArray, y: FloatArray): void {
  const r = rounder(dtype);
  for (let k = 0; k < y.length; k++) y[k] = r(beta * y[k]!);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const [o, v] = transpose ? [j, x[i]!] : [i, x[j]!];
      y[o] = r(y[o]! + r(r(alpha * A[i * N + j]!) * v));
    }
  }
}

export function gemmReference(dtype: FloatDType, options: Pick<GemmOptions, 'transA' | 'transB'>, M: number, N: number, K: number, alpha: number, beta: number, A: FloatArray, B: FloatArray, C: FloatArray): void {
  const r = rounder(dtype);
  const a = (i: number, k: number) => (options.transA ? A[k * M + i]! : A[i * K + k]!);
  const b = (k: number, j: number) => (options.transB ? B[j * K + k]! : B[k * N + j]!);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = r(beta * C[i * N + j]!);
      for (let k = 0; k < K; k++) acc = r(acc + r(r(alpha * a(i, k)) * b(k, j)));
      C[i * N + j] = acc;
    }
  }
}
