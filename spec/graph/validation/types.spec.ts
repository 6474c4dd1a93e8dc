// Validation of types: connector dtypes, converting copies, custom wcr lambdas, and tasklet code.
import assert from 'node:assert/strict';
import { addEdge } from '../../../graph/construct.js';
import { f32, i32 } from '../../../graph/dtypes.js';
import { TaskletError } from '../../../graph/errors.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { validationIssues } from '../../../graph/validate.js';
import {
  assign, bin, copyProgram, expectOnly, expectValid, loopProgram, mapProgram, mem, name, num, vector, wcrSumProgram,
} from './graphs.js';

/**
 * The graph's only failure is a tasklet-code one wrapping a TaskletError of `cause` code: the message is
 * the tasklet's label and kind before the tasklet error's own message, the hint is the tasklet error's.
 */
function expectTaskletIssue(sdfg: SDFG, cause: string, summary: RegExp): void {
  const issues = validationIssues(sdfg);
  assert.equal(issues.length, 1);
  const issue = issues[0]!;
  assert.ok(issue.cause instanceof TaskletError);
  assert.equal(issue.cause.code, cause);
  assert.match(issue.cause.summary, summary);
  assert.deepEqual(
    { code: issue.code, message: issue.summary, path: issue.path, hint: issue.hint },
    { code: 'tasklet-code', message: `Tasklet 't': ${issue.cause.summary}`, path: { sdfg: 'prog', state: 's0', node: 't' }, hint: issue.cause.hint },
  );
}

describe('graph/validate: types', () => {
  describe('dtype-mismatch', () => {
    it('rejects a connector declared with another dtype than the data it receives', () => {
      const { sdfg, t } = mapProgram();
      t.inConnectors.a = f32;
      expectOnly(sdfg, {
        code: 'dtype-mismatch',
        message: "input connector 'a' of Tasklet 't' is declared float32, but memlet A[i] on edge m.OUT_A -> t.a moves float64 data 'A'",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' },
        hint: 'declare the connector as float64 (or null to take the data\'s dtype), and convert inside the tasklet with a cast',
      });
    });

    it('rejects a copy between containers of different dtypes', () => {
      const { sdfg } = copyProgram();
      sdfg.arrays.B = vector(i32);
      expectOnly(sdfg, {
        code: 'dtype-mismatch', message: "edge A -> B copies float64 data 'A' into int32 data 'B'",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> B' },
        hint: 'copies do not convert: give both containers the same dtype, or convert in a tasklet (e.g. out = i32(a))',
      });
    });

    it('rejects a custom wcr lambda that does not fit the data', () => {
      const { sdfg, st } = wcrSumProgram();
      sdfg.arrays.S = vector(i32, [1]);
      sdfg.arrays.A = vector(i32);
      const wcr = { op: 'custom' as const, params: ['x', 'y'] as const, body: bin('*', name('x'), num(0.5, true)) };
      for (const e of st.edges) if (e.memlet.wcr) e.memlet.wcr = wcr;
      const issues = validationIssues(sdfg);
      assert.deepEqual(issues.map((e) => [e.code, e.path?.edge]), [['dtype-mismatch', 't.s -> sum.IN_S'], ['dtype-mismatch', 'sum.OUT_S -> S']]);
      assert.match(issues[0]!.summary, /^custom write-conflict resolution \(x, y\) => x \* 0\.5 on edge t\.s -> sum\.IN_S does not type-check for int32 data 'S': /);
      assert.ok(issues[0]!.cause instanceof TaskletError);
    });

    it('accepts a custom wcr lambda of the right type', () => {
      const { sdfg, st } = wcrSumProgram();
      const wcr = { op: 'custom' as const, params: ['x', 'y'] as const, body: bin('+', name('x'), name('y')) };
      for (const e of st.edges) if (e.memlet.wcr) e.memlet.wcr = wcr;
      expectValid(sdfg);
    });
  });

  describe('tasklet-code', () => {
    it('turns a tasklet type error into a validation error naming the tasklet', () => {
      const { sdfg, t } = mapProgram();
      sdfg.arrays.B = vector(f32);
      t.code = { language: 'tasklet', body: [assign('b', bin('*', name('a'), num(2)))] };
      expectTaskletIssue(sdfg, 'narrowing', /^cannot assign f64 to .*'b'.* \(f32\) without a cast$/);
    });

    it('reports unknown names in tasklet code', () => {
      const { sdfg, t } = mapProgram();
      t.code = { language: 'tasklet', body: [assign('b', bin('*', name('a'), name('scale')))] };
      const [issue] = validationIssues(sdfg);
      assert.equal(issue?.code, 'tasklet-code');
      assert.equal(issue?.summary, "Tasklet 't': unknown name 'scale'");
    });

    it('lets a tasklet read SDFG symbols, map parameters and loop variables', () => {
      const { sdfg, t } = mapProgram();
      t.code = { language: 'tasklet', body: [assign('b', bin('+', bin('*', name('a'), name('i')), name('N')))] };
      expectValid(sdfg);
      const loop = loopProgram();
      loop.t.code = { language: 'tasklet', body: [assign('b', bin('+', name('a'), name('k')))] };
      expectValid(loop.sdfg);
    });

    it('sees an array view as an array: a[0] for a subset of more than one element', () => {
      const { sdfg, st, t, entry } = mapProgram();
      st.edges = st.edges.filter((e) => !(e.src === entry.id && e.dst === t.id));
      addEdge(st, entry, 'OUT_A', t, 'a', mem('A', '0:N'));
      expectTaskletIssue(sdfg, 'wrong-index-count', /'a' is an array with 1 dimension/);
    });

    it('skips tasklets in a raw target language', () => {
      const { sdfg, t } = mapProgram();
      t.code = { language: 'CPP', source: 'b = a * 2 +' };
      expectValid(sdfg);
    });
  });
});
