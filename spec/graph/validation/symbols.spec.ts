// Validation of symbol use: shapes, memlets, map ranges, interstate edges, loops, branches and symbol mappings.
import assert from 'node:assert/strict';
import { addConditionalBlock, addBranch, addEdge, addInterstateEdge, addState } from '../../../graph/construct.js';
import { f64, i64 } from '../../../graph/dtypes.js';
import { parseSubset } from '../../../graph/subsets.js';
import { sym } from '../../../graph/symbolic.js';
import { validationIssues } from '../../../graph/validate.js';
import {
  access, assign, at, bin, expectOnly, expectValid, loopProgram, mapProgram, mem, name, nestedProgram, num, tasklet, vector,
} from './graphs.js';

const hint = (s: string, sdfg = 'prog'): string =>
  `declare '${s}' as a symbol of SDFG '${sdfg}' (sdfg.symbols), or use a map parameter, loop variable or interstate assignment that is in scope here`;

describe('graph/validate: undefined-symbol', () => {
  it('rejects a shape with an undeclared symbol', () => {
    const { sdfg } = mapProgram();
    sdfg.arrays.C = vector(f64, [sym('K'), 4]);
    sdfg.argNames.push('C');
    expectOnly(sdfg, { code: 'undefined-symbol', message: "the shape of data 'C' uses undefined symbol 'K'", path: { sdfg: 'prog' }, hint: hint('K') });
  });

  it('accepts constants in shapes', () => {
    const { sdfg } = mapProgram();
    sdfg.arrays.C = vector(f64, [sym('K')]);
    sdfg.argNames.push('C');
    sdfg.constants.K = { dtype: i64, value: 8 };
    expectValid(sdfg);
  });

  it('rejects a memlet using a symbol that is not defined', () => {
    const { sdfg, inInner } = mapProgram();
    inInner.memlet = mem('A', 'j');
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "memlet A[j] on edge m.OUT_A -> t.a uses undefined symbol 'j'",
      path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' }, hint: hint('j'),
    });
  });

  it('rejects a map parameter used outside its map', () => {
    const { sdfg, outOuter } = mapProgram();
    outOuter.memlet = mem('B', 'i');
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "memlet B[i] on edge m.OUT_B -> B uses undefined symbol 'i'",
      path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_B -> B' }, hint: hint('i'),
    });
  });

  it('rejects a map range using an undeclared symbol', () => {
    const { sdfg, map } = mapProgram();
    map.ranges = [parseSubset('0:K').ranges[0]!];
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "the range of MapEntry 'm' uses undefined symbol 'K'",
      path: { sdfg: 'prog', state: 's0', node: 'm' }, hint: hint('K'),
    });
  });

  it('accepts a map range bounded by a dynamic map input', () => {
    const { sdfg, st, map, entry } = mapProgram();
    sdfg.arrays.n = { kind: 'Scalar', dtype: i64, transient: false, storage: 'Default', lifetime: 'Scope' };
    sdfg.argNames.push('n');
    map.ranges = [parseSubset('0:n').ranges[0]!];
    entry.inConnectors.n = i64;
    addEdge(st, access(st, 'n'), null, entry, 'n', mem('n', '0'));
    // A[i] for i in 0:n no longer provably fits A, which is fine: nothing is proved wrong either.
    expectValid(sdfg);
  });

  it('rejects an interstate condition using an undeclared symbol, and accepts data and assigned symbols', () => {
    const { sdfg, body } = loopProgram();
    const edge = sdfg.edges[0]!;
    edge.assignments = { half: bin('/', name('N'), num(2)) };
    edge.condition = bin('>', at('A', num(0)), num(0));
    body.edges[0]!.memlet = mem('A', 'half');
    expectValid(sdfg);
    edge.condition = bin('<', name('X'), num(3));
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "the condition of interstate edge 'init' -> 'loop' uses undefined symbol 'X'",
      path: { sdfg: 'prog', edge: "'init' -> 'loop'" }, hint: hint('X'),
    });
  });

  it('rejects a loop condition using an undeclared symbol', () => {
    const { sdfg, loop } = loopProgram();
    loop.condition = bin('<', name('k'), name('M'));
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "the condition of LoopRegion 'loop' uses undefined symbol 'M'",
      path: { sdfg: 'prog', state: 'loop' }, hint: hint('M'),
    });
  });

  it('rejects a loop variable used after its loop', () => {
    const { sdfg, loop } = loopProgram();
    const after = addState(sdfg, 'after');
    addInterstateEdge(sdfg, loop, after);
    const B = access(after, 'B');
    const t = tasklet(after, 'z', {}, { b: null }, [assign('b', num(0))]);
    addEdge(after, t, 'b', B, null, mem('B', 'k'));
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "memlet B[k] on edge z.b -> B uses undefined symbol 'k'",
      path: { sdfg: 'prog', state: 'after', edge: 'z.b -> B' }, hint: hint('k'),
    });
  });

  it('rejects a branch condition using an undeclared symbol', () => {
    const { sdfg } = mapProgram();
    const cond = addConditionalBlock(sdfg, 'if');
    addInterstateEdge(sdfg, sdfg.blocks[0]!, cond);
    addState(addBranch(cond, bin('>', name('W'), num(0))), 'then');
    addState(addBranch(cond, null), 'else');
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "the condition of branch 0 of ConditionalBlock 'if' uses undefined symbol 'W'",
      path: { sdfg: 'prog', state: 'if' }, hint: hint('W'),
    });
  });

  it('rejects a symbol mapping over undeclared outer symbols', () => {
    const { sdfg, call } = nestedProgram();
    call.symbolMapping = { M: sym('K') };
    expectOnly(sdfg, {
      code: 'undefined-symbol', message: "the symbol mapping of NestedSDFG 'call' uses undefined symbol 'K'",
      path: { sdfg: 'prog', state: 's0', node: 'call' }, hint: hint('K'),
    });
  });

  it('checks nested SDFGs under their own name', () => {
    const { sdfg, inner } = nestedProgram();
    inner.arrays.x = vector(f64, [sym('P')]);
    const issues = validationIssues(sdfg);
    assert.deepEqual(issues.map((e) => [e.code, e.summary, e.path]), [
      ['undefined-symbol', "the shape of data 'x' uses undefined symbol 'P'", { sdfg: 'inner' }],
      ['nested-sdfg-connectors', "symbol 'P' used inside SDFG 'inner' is not mapped by NestedSDFG 'call'", { sdfg: 'prog', state: 's0', node: 'call' }],
    ]);
    assert.equal(issues[0]!.hint, hint('P', 'inner'));
  });
});
