// validate(): the rule table, valid programs, first-failure order, options, per-state validation, robustness.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addEdge, addState } from '../../graph/construct.js';
import { SdfgError, ValidationError } from '../../graph/errors.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { allStates } from '../../graph/query.js';
import { captureSourceLocation } from '../../graph/source-location.js';
import { parseSubset } from '../../graph/subsets.js';
import { stateIssues, validate, validateState, validationIssues, validationRules } from '../../graph/validate.js';
import {
  access, copyProgram, loopProgram, mapProgram, mem, nestedProgram, wcrSumProgram,
} from './validation/graphs.js';

const programs = { mapProgram, wcrSumProgram, copyProgram, loopProgram, nestedProgram };

describe('graph/validate', () => {
  it('has one named, summarized rule per code', () => {
    assert.deepEqual(validationRules.map((r) => r.name), [
      'missing-start', 'interstate-edge-endpoint', 'unreachable-block',
      'duplicate-name', 'edge-endpoint', 'state-cycle', 'map-entry-without-exit', 'map-exit-without-entry', 'scope-crossing',
      'dangling-connector', 'connector-mismatch',
      'unknown-data', 'memlet-data-mismatch', 'subset-dims', 'subset-out-of-bounds', 'undefined-symbol',
      'dtype-mismatch', 'nested-sdfg-connectors', 'library-node', 'tasklet-code',
      'concurrent-write-without-wcr', 'stream-misuse',
      'transient-in-args', 'arg-unknown',
    ]);
    for (const rule of validationRules) assert.ok(rule.summary.length > 10, rule.name);
  });

  for (const [name, make] of Object.entries(programs)) {
    it(`accepts a valid program: ${name}`, () => {
      const { sdfg } = make();
      assert.deepEqual(validationIssues(sdfg), []);
      validate(sdfg);
    });
  }

  it('throws the first failure in rule order, as a located SdfgError', () => {
    const { sdfg, st, t } = mapProgram();
    const loc = captureSourceLocation();
    t.loc = loc;
    t.inConnectors.c = null; // dangling-connector
    access(st, 'Q'); // unknown-data, a later rule
    assert.deepEqual(validationIssues(sdfg).map((e) => e.code), ['dangling-connector', 'unknown-data']);
    assert.throws(() => validate(sdfg), (e: unknown) => {
      assert.ok(e instanceof ValidationError && e instanceof SdfgError);
      assert.equal(e.code, 'dangling-connector');
      assert.deepEqual(e.loc, loc);
      assert.deepEqual(e.message.split('\n').map((l) => l.replace(/validate\.spec\.ts:\d+:\d+/, 'validate.spec.ts:L:C')), [
        "[dangling-connector] input connector 'c' of Tasklet 't' has no edge",
        '  in prog / s0 / t',
        '  at spec/graph/validate.spec.ts:L:C',
        '  hint: connect a memlet to t.c, or remove the connector',
      ]);
      return true;
    });
  });

  it('runs only or skips the rules named in the options', () => {
    const { sdfg, st, t } = mapProgram();
    t.inConnectors.c = null;
    access(st, 'Q');
    assert.deepEqual(validationIssues(sdfg, { only: ['unknown-data'] }).map((e) => e.code), ['unknown-data']);
    assert.deepEqual(validationIssues(sdfg, { skip: ['unknown-data'] }).map((e) => e.code), ['dangling-connector']);
    validate(sdfg, { skip: ['unknown-data', 'dangling-connector'] });
    assert.throws(() => validate(sdfg, { only: ['no-such-rule'] }), (e: unknown) =>
      e instanceof ValidationError && e.code === 'unknown-rule' && e.summary === "there is no validation rule named 'no-such-rule'");
  });

  it('validates one state on its own', () => {
    const { sdfg, body } = loopProgram();
    const other = addState(sdfg, 'other'); // unreachable: a control-flow failure that state validation does not see
    access(other, 'Q');
    assert.deepEqual(stateIssues(sdfg, body), []);
    validateState(sdfg, body);
    assert.deepEqual(stateIssues(sdfg, other).map((e) => e.code), ['unknown-data']);
    assert.throws(() => validateState(sdfg, other), (e: unknown) => e instanceof ValidationError && e.code === 'unknown-data');
    const stranger = addState(mapProgram().sdfg, 'elsewhere');
    assert.throws(() => validateState(sdfg, stranger), (e: unknown) => e instanceof ValidationError && e.code === 'unknown-state');
  });

  it('reports an issue inside a nested SDFG with the nested name', () => {
    const { sdfg, ist } = nestedProgram();
    access(ist, 'Q');
    const [issue] = validationIssues(sdfg);
    assert.deepEqual([issue?.code, issue?.path], ['unknown-data', { sdfg: 'inner', state: 'copy', node: 'Q' }]);
  });

  it('never crashes on mangled graphs: every problem is a ValidationError', () => {
    const firstState = (sdfg: SDFG): State | undefined => [...allStates(sdfg)].find((s) => s.nodes.length > 0);
    const mutations: ((sdfg: SDFG, pick: number) => void)[] = [
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; st.nodes.splice(k % st.nodes.length, 1); },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; const e = st.edges[k % st.edges.length]; if (e) e.dst = k % 5; },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; const e = st.edges[k % st.edges.length]; if (e) e.dstConn = k % 2 ? null : 'IN_zz'; },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; const e = st.edges[k % st.edges.length]; if (e) e.memlet = mem(k % 2 ? 'A' : 'B', k % 3 ? '0:N, 1' : 'N + 4'); },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; const e = st.edges[k % st.edges.length]; if (e) e.memlet = { ...e.memlet, data: 'nothing' }; },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; const [a, b] = [st.nodes[k % st.nodes.length], st.nodes[(k + 1) % st.nodes.length]]; if (a && b) addEdge(st, a, null, b, null, mem('A', '0', { otherSubset: parseSubset('0, 0') })); },
      (sdfg, k) => { sdfg.blocks.splice(k % Math.max(1, sdfg.blocks.length), 1); },
      (sdfg, k) => { const st = firstState(sdfg); if (!st) return; for (const n of st.nodes) if (n.kind === 'MapEntry' && k % 2) n.map = { ...n.map, params: [] }; },
      (sdfg) => { delete sdfg.arrays.A; },
      (sdfg, k) => { sdfg.startBlock = k % 3; },
    ];
    const makers = Object.values(programs);
    fc.assert(fc.property(
      fc.integer({ min: 0, max: makers.length - 1 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: mutations.length - 1 }), fc.nat(50)), { minLength: 1, maxLength: 4 }),
      (which, steps) => {
        const { sdfg } = makers[which]!();
        for (const [m, k] of steps) mutations[m]!(sdfg, k);
        for (const issue of validationIssues(sdfg)) assert.ok(issue instanceof ValidationError);
      },
    ), { numRuns: 300 });
  });
});
