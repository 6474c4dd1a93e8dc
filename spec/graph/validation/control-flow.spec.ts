// Validation of control flow: start blocks, interstate edge endpoints, unreachable blocks, duplicate block ids.
import assert from 'node:assert/strict';
import { addInterstateEdge, addLoopRegion, addState, createRegion } from '../../../graph/construct.js';
import { captureSourceLocation } from '../../../graph/source-location.js';
import { expectOnly, expectValid, loopProgram, mapProgram, name, num, bin, program, vector } from './graphs.js';

describe('graph/validate: control flow', () => {
  describe('missing-start', () => {
    it('rejects an SDFG without blocks', () => {
      const sdfg = program({ A: vector() });
      expectOnly(sdfg, {
        code: 'missing-start', message: "SDFG 'prog' has no blocks", path: { sdfg: 'prog' },
        hint: 'add a state (addState) so that the program has somewhere to start',
      });
    });

    it('rejects a start block id that is not a block', () => {
      const { sdfg } = mapProgram();
      sdfg.startBlock = 7;
      expectOnly(sdfg, {
        code: 'missing-start', message: "SDFG 'prog' starts at block #7, which is not one of its blocks", path: { sdfg: 'prog' },
        hint: "set startBlock to the id of one of its blocks (e.g. 0 for 's0')",
      });
    });

    it('rejects blocks without a start block', () => {
      const { sdfg } = mapProgram();
      sdfg.startBlock = null;
      expectOnly(sdfg, {
        code: 'missing-start', message: "SDFG 'prog' has no start block", path: { sdfg: 'prog' },
        hint: "set startBlock to the id of the block that runs first (e.g. 0 for 's0')",
      });
    });

    it('checks loop bodies too, naming the loop as the block', () => {
      const { sdfg, loop } = loopProgram();
      loop.startBlock = 3;
      expectOnly(sdfg, {
        code: 'missing-start', message: "LoopRegion 'loop' starts at block #3, which is not one of its blocks",
        path: { sdfg: 'prog', state: 'loop' }, hint: "set startBlock to the id of one of its blocks (e.g. 0 for 'body')",
      });
    });

    it('accepts an empty loop body, but not one that names a start', () => {
      const sdfg = program({});
      addState(sdfg, 's0');
      const loop = addLoopRegion(sdfg, 'spin', { loopVariable: 'k', init: num(0), condition: bin('<', name('k'), num(4)), update: bin('+', name('k'), num(1)) });
      addInterstateEdge(sdfg, sdfg.blocks[0]!, loop);
      expectValid(sdfg);
      loop.startBlock = 0;
      expectOnly(sdfg, {
        code: 'missing-start', message: "LoopRegion 'spin' has no blocks but names block #0 as its start",
        path: { sdfg: 'prog', state: 'spin' }, hint: 'set its startBlock to null, or add the block it should start at',
      });
    });
  });

  describe('unreachable-block', () => {
    it('rejects a state no interstate edge leads to', () => {
      const { sdfg } = mapProgram();
      const loc = captureSourceLocation();
      addState(sdfg, 'orphan', loc);
      const issue = expectOnly(sdfg, {
        code: 'unreachable-block', message: "State 'orphan' in SDFG 'prog' is not reachable from the start block 's0'",
        path: { sdfg: 'prog', state: 'orphan' }, hint: "add an interstate edge that leads to 'orphan', or remove the block",
      });
      assert.deepEqual(issue.loc, loc);
      assert.match(issue.message, /control-flow\.spec\.ts:\d+:\d+/);
    });

    it('follows edges in their direction only', () => {
      const sdfg = program({});
      const a = addState(sdfg, 'a'), b = addState(sdfg, 'b');
      addInterstateEdge(sdfg, b, a);
      expectOnly(sdfg, {
        code: 'unreachable-block', message: "State 'b' in SDFG 'prog' is not reachable from the start block 'a'",
        path: { sdfg: 'prog', state: 'b' }, hint: "add an interstate edge that leads to 'b', or remove the block",
      });
    });

    it('checks the blocks of a branch body', () => {
      const sdfg = program({});
      addState(sdfg, 's0');
      const body = createRegion('then');
      addState(body, 'x');
      addState(body, 'y');
      sdfg.blocks.push({ kind: 'ConditionalBlock', id: 1, label: 'if', branches: [{ condition: bin('>', name('N'), num(0)), body }] });
      sdfg.nextBlockId = 2;
      addInterstateEdge(sdfg, sdfg.blocks[0]!, sdfg.blocks[1]!);
      expectOnly(sdfg, {
        code: 'unreachable-block', message: "State 'y' in ControlFlowRegion 'then' is not reachable from the start block 'x'",
        path: { sdfg: 'prog', state: 'y' }, hint: "add an interstate edge that leads to 'y', or remove the block",
      });
    });
  });

  describe('interstate-edge-endpoint', () => {
    it('rejects an edge to a block id that is not in the graph', () => {
      const { sdfg } = loopProgram();
      sdfg.edges.push({ id: 5, src: 1, dst: 9, condition: bin('>', name('N'), num(0)), assignments: {} });
      expectOnly(sdfg, {
        code: 'interstate-edge-endpoint',
        message: "interstate edge 'loop' -> #9 in SDFG 'prog' refers to block #9, which is not in that graph",
        path: { sdfg: 'prog', edge: "'loop' -> #9" },
        hint: 'connect interstate edges only between blocks of the same control-flow graph; remove the edge when its block was removed',
      });
    });

    it('rejects an edge inside a loop that points at a block outside it', () => {
      const { sdfg, loop, init } = loopProgram();
      loop.edges.push({ id: 0, src: 0, dst: init.id + 10, condition: { k: 'bool', value: true }, assignments: {} });
      expectOnly(sdfg, {
        code: 'interstate-edge-endpoint',
        message: "interstate edge 'body' -> #10 in LoopRegion 'loop' refers to block #10, which is not in that graph",
        path: { sdfg: 'prog', state: 'loop', edge: "'body' -> #10" },
        hint: 'connect interstate edges only between blocks of the same control-flow graph; remove the edge when its block was removed',
      });
    });
  });

  describe('duplicate-name (blocks)', () => {
    it('rejects two blocks with one id', () => {
      const sdfg = program({});
      const a = addState(sdfg, 'a');
      sdfg.blocks.push({ ...a, label: 'twin' });
      expectOnly(sdfg, {
        code: 'duplicate-name', message: "block id 0 is used by both State 'a' and State 'twin' in SDFG 'prog'",
        path: { sdfg: 'prog', state: 'twin' },
        hint: 'give every block of a control-flow graph its own id (blocks made with addState/addLoopRegion/addRegion get one)',
      });
    });
  });
});
