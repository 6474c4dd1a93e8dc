// Each kind of bad builder input fails at the builder call, with an exact code, message and the user's line.
import assert from 'node:assert/strict';
import { program, symbol, array, sym, f64, f32, i32, BuilderError, TaskletError, SdfgError } from '../../index.js';

/** Run `build`, expect an SdfgError of `type` with `code`, and return it (its loc must be this file). */
function expectError(type: new (...args: never[]) => SdfgError, code: string, build: () => unknown): SdfgError {
  let caught: unknown;
  try { build(); } catch (e) { caught = e; }
  assert.ok(caught instanceof type, `expected ${type.name}, got ${caught instanceof Error ? `${caught.constructor.name}: ${caught.message}` : String(caught)}`);
  const error = caught as SdfgError;
  assert.equal(error.code, code, error.message);
  assert.ok(error.loc, `no source location on ${error.message}`);
  assert.match(error.loc!.file, /builder-errors\.spec\.ts$/);
  return error;
}

const vec = { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) };

describe('builder errors', () => {
  it('a subset with the wrong number of dimensions', () => {
    const e = expectError(BuilderError, 'subset-rank', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i, 0` }, { o: y.at`i` })`o = v`;
    }));
    assert.equal(e.summary, 'x.at gives 2 dimension(s), but x has 1 ([N])');
    assert.equal(e.hint, 'write one index or range per dimension, e.g. x.at`i`');
  });

  it('a name in a subset that is not a parameter or symbol', () => {
    const e = expectError(BuilderError, 'unknown-name', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`j` }, { o: y.at`i` })`o = v`;
    }));
    assert.equal(e.summary, 'x[j] (connector v) uses j, which is not a map parameter or symbol here');
    assert.equal(e.hint, 'names in scope: N, i');
  });

  it('a subset that provably leaves the array', () => {
    const e = expectError(BuilderError, 'subset-out-of-bounds', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i + 1` }, { o: y.at`i` })`o = v`;
    }));
    assert.match(e.summary, /^x\[i \+ 1\] \(connector v\) reaches outside x: /);
  });

  it('an interpolated string', () => {
    const name = 'i';
    const e = expectError(BuilderError, 'interpolated-string', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`${name}` }, { o: y.at`i` })`o = v`;
    }));
    assert.equal(e.summary, 'interpolation #1 in x.at is the string "i"; text is never pasted into templates');
  });

  it('a non-integer in a range', () => {
    const e = expectError(BuilderError, 'bad-interpolation', () => program('p', vec, (p, { x, y }) => {
      p.map`i = 0:${2.5}`.tasklet({ v: x.at`i` }, { o: y.at`i` })`o = v`;
    }));
    assert.equal(e.summary, 'interpolation #1 in map ranges is 2.5, not an integer');
  });

  it('a duplicate container name', () => {
    const e = expectError(BuilderError, 'duplicate-name', () => program('p', (p) => {
      p.array('A', f64, [4]);
      p.array('A', f32, [4]);
    }));
    assert.equal(e.summary, 'A is already declared in program p');
  });

  it('a shape over an undeclared symbol', () => {
    const e = expectError(BuilderError, 'unknown-name', () => program('p', (p) => {
      p.array('A', f64, [p.symbol('N').mul(2), sym('M')]);
    }));
    assert.equal(e.summary, 'the shape of A uses M, not declared as a symbol');
  });

  it('a size that is not a positive integer', () => {
    const e = expectError(BuilderError, 'bad-shape', () => program('p', (p) => {
      p.array('B', f64, [3, 0]);
    }));
    assert.equal(e.summary, 'dimension 1 of B is 0; sizes are positive integers');
  });

  it('a dtype mismatch in matmul', () => {
    const e = expectError(BuilderError, 'dtype-mismatch', () => program('p', (p) => {
      const A = p.array('A', f64, [4, 4]), B = p.array('B', f32, [4, 4]), C = p.array('C', f64, [4, 4]);
      p.matmul(A, B, C);
    }));
    assert.equal(e.summary, 'matmul: A is float64 but B is float32');
  });

  it('a dtype mismatch when calling another program', () => {
    const callee = program('scale', { N: symbol, v: array(f32, ['N']) }, (p, { N, v }) => {
      p.map`i = 0:${N}`.tasklet({ a: v.at`i` }, { b: v.at`i` })`b = 2 * a`;
    });
    const e = expectError(BuilderError, 'dtype-mismatch', () => program('p', (p) => {
      const A = p.array('A', i32, [8]);
      p.call(callee, { v: A });
    }));
    assert.equal(e.summary, 'call to scale: v is float32, but A is int32');
  });

  it('an unknown wcr', () => {
    const e = expectError(BuilderError, 'unknown-wcr', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: y.at`0`.wcr('avg' as never) })`o = v`;
    }));
    assert.equal(e.summary, 'unknown write-conflict resolution "avg"');
  });

  it('a connector bound to something that is not data', () => {
    const e = expectError(BuilderError, 'bad-connector', () => program('p', vec, (p, { N, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: 'x[i]' }, { o: y.at`i` })`o = v`;
    }));
    assert.equal(e.summary, 'connector v is bound to the string "x[i]", not to data');
  });

  it('a tasklet that assigns a float to an integer output', () => {
    const e = expectError(TaskletError, 'narrowing', () => program('p', { N: symbol, x: array(f64, ['N']), k: array(i32, ['N']) }, (p, { N, x, k }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: k.at`i` })`o = v * 2`;
    }));
    assert.equal(e.summary, "cannot assign f64 to 'o' (i32) without a cast at 1:3\n  o = v * 2\n    ^");
  });

  it('tasklet code that does not parse', () => {
    expectError(TaskletError, 'tasklet-syntax', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: y.at`i` })`o = v +* 2`;
    }));
  });

  it('a loop with a zero step', () => {
    const e = expectError(BuilderError, 'zero-step', () => program('p', vec, (p, { N }) => {
      p.for`t = 0:${N}:0`(() => {});
    }));
    assert.equal(e.summary, 'in loop range: a range step cannot be 0');
  });

  it('a condition over an unknown name', () => {
    const e = expectError(BuilderError, 'unknown-name', () => program('p', vec, (p) => {
      p.if`K > 0`(() => {});
    }));
    assert.equal(e.summary, 'condition uses K, not a symbol, loop variable or scalar here');
  });

  it('a loop variable name is free again after its loop, for loops and maps alike', () => {
    const p = program('reuse', vec, (p, { N, x, y }) => {
      p.for`k = 0:${N}`(() => {});
      p.for`k = 0:${N}`(() => {});
      p.map`k = 0:${N}`.tasklet({ v: x.at`k` }, { o: y.at`k` })`o = v`;
    });
    assert.equal(p.sdfg.blocks.length, 3);
    expectError(BuilderError, 'shadowed-name', () => program('nested', vec, (q, { N }) => {
      q.for`k = 0:${N}`(() => { q.for`k = 0:${N}`(() => {}); });
    }));
  });

  it('a map parameter that hides a symbol', () => {
    const e = expectError(BuilderError, 'shadowed-name', () => program('p', vec, (p, { N, x, y }) => {
      p.map`N = 0:4`.tasklet({ v: x.at`N` }, { o: y.at`N` })`o = v`;
    }));
    assert.equal(e.summary, 'map parameter N hides a symbol or parameter of the same name');
  });

  it('a scope-local transient read before it is written', () => {
    const e = expectError(BuilderError, 'read-before-write', () => program('p', vec, (p, { N, y }) => {
      p.map`i = 0:${N}`.scope((m) => {
        const t = m.transient('t', f64);
        m.tasklet({ v: t }, { o: y.at`i` })`o = v`;
      });
    }));
    assert.equal(e.summary, 'transient t is read in this scope before anything writes it');
  });

  it('a copy between subsets of different shapes', () => {
    const e = expectError(BuilderError, 'shape-mismatch', () => program('p', (p) => {
      const A = p.array('A', f64, [8]), B = p.array('B', f64, [8]);
      p.copy(A.at`0:4`, B.at`0:5`);
    }));
    assert.equal(e.summary, 'copy from A[0:4] (shape [4]) to B[0:5] (shape [5])');
  });

  it('a reduce axis out of range', () => {
    const e = expectError(BuilderError, 'bad-axis', () => program('p', (p) => {
      const A = p.array('A', f64, [8, 2]), B = p.array('B', f64, [8]);
      p.reduce(A, B, { op: '+', axes: [2] });
    }));
    assert.equal(e.summary, 'reduce axis 2 is out of range for a 2-dimensional input');
  });

  it('a program name that is not an identifier', () => {
    const e = expectError(BuilderError, 'bad-name', () => program('my program', () => {}));
    assert.equal(e.summary, 'program name "my program" is not an identifier');
  });

  it('the error message names the user\'s line', () => {
    const e = expectError(BuilderError, 'subset-rank', () => program('p', vec, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i, i` }, { o: y.at`i` })`o = v`;
    }));
    assert.match(e.message, /\n {2}at spec\/dsl\/builder-errors\.spec\.ts:\d+:\d+/);
  });
});
