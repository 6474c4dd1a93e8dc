// The builder's graphs, text out: what each construct makes (state per operation, scopes, memlets, control flow).
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../index.js';

describe('builder graphs', () => {
  it('nested maps with a wcr write propagate memlets outward', () => {
    const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), s: array(f64, ['N']) }, (p, { N, M, A, s }) => {
      p.map('rows')`i = 0:${N}`.map('cols')`j = 0:${M}`.tasklet({ a: A.at`i, j` }, { o: s.at`i`.wcr('+') })`o = a`;
    });
    assert.equal(String(nested), `sdfg nested
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array s: float64[N]
  args A, s, N, M
  state s0 "rows"
    n0 map_entry rows [i = 0:N]
    n1 map_exit rows
    n2 map_entry cols [j = 0:M]
    n3 map_exit cols
    n4 tasklet tasklet_0 (a -> o) {o = a}
    n5 access A
    n6 access s
    e0 n5 -> n0.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.IN_A  A[i, 0:M]
    e2 n2.OUT_A -> n4.a  A[i, j]
    e3 n4.o -> n3.IN_s  s[i] (wcr sum)
    e4 n3.OUT_s -> n1.IN_s  s[i] (volume M, wcr sum)
    e5 n1.OUT_s -> n6  s[0:N] (volume M*N, wcr sum)`);
  });

  it('a map scope with a scope-local transient', () => {
    const scoped = program('scoped', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
      p.map('body')`i = 0:${N}`.scope((m) => {
        const t = m.transient('t', f64);
        m.tasklet({ v: x.at`i` }, { o: t }, 'square')`o = v * v`;
        m.tasklet({ v: t, w: x.at`i` }, { o: y.at`i` }, 'add')`o = v + w`;
      });
    });
    assert.equal(String(scoped), `sdfg scoped
  symbol N: int64
  scalar t: float64 (transient)
  array x: float64[N]
  array y: float64[N]
  args x, y, N
  state s0 "body"
    n0 map_entry body [i = 0:N]
    n1 map_exit body
    n2 tasklet square (v -> o) {o = v * v}
    n3 access x
    n4 access t
    n5 tasklet add (v, w -> o) {o = v + w}
    n6 access y
    e0 n3 -> n0.IN_x  x[0:N] (volume 2*N)
    e1 n0.OUT_x -> n2.v  x[i]
    e2 n2.o -> n4  t[0]
    e3 n4 -> n5.v  t[0]
    e4 n0.OUT_x -> n5.w  x[i]
    e5 n5.o -> n1.IN_y  y[i]
    e6 n1.OUT_y -> n6  y[0:N]`);
  });

  it('a loop around an if/else', () => {
    const flow = program('flow', { N: symbol, T: symbol, x: array(f64, ['N']) }, (p, { N, T, x }) => {
      p.for`t = 0:${T}`((t) => {
        p.if`${t} % 2 == 0`(() => {
          p.map('even')`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v + 1`;
        }).else(() => {
          p.map('odd')`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v * 2`;
        });
      });
    });
    assert.equal(String(flow), `sdfg flow
  symbol N: int64
  symbol T: int64
  symbol t: int64
  array x: float64[N]
  args x, N, T
  loop l0 "loop_t_0" for (t = 0; t < T; t = t + 1)
    if c0 "if_0"
      branch r0 "if_0_branch0" if (t % 2 == 0)
        state s0 "even"
          n0 map_entry even [i = 0:N]
          n1 map_exit even
          n2 tasklet tasklet_0 (v -> o) {o = v + 1}
          n3 access x
          n4 access x
          e0 n3 -> n0.IN_x  x[0:N]
          e1 n0.OUT_x -> n2.v  x[i]
          e2 n2.o -> n1.IN_x  x[i]
          e3 n1.OUT_x -> n4  x[0:N]
      branch r1 "if_0_branch1" else
        state s0 "odd"
          n0 map_entry odd [i = 0:N]
          n1 map_exit odd
          n2 tasklet tasklet_1 (v -> o) {o = v * 2}
          n3 access x
          n4 access x
          e0 n3 -> n0.IN_x  x[0:N]
          e1 n0.OUT_x -> n2.v  x[i]
          e2 n2.o -> n1.IN_x  x[i]
          e3 n1.OUT_x -> n4  x[0:N]`);
  });
});
