// Parsing symbolic expressions: DaCe/sympy text round trips, Python syntax, templates, and the exact syntax errors.
import assert from 'node:assert/strict';
import { type Expr, sym } from '../../graph/symbolic.js';
import { ExprParser, type TemplateSource, parseExpr, tokenize } from '../../graph/symbolic-parse.js';

const K = sym('K');

function syntaxError(src: string | TemplateSource, message: string, hint?: string): void {
  assert.throws(() => parseExpr(src), { name: 'SymbolicError', code: 'expr-syntax', summary: message, ...(hint ? { hint } : {}) });
}

describe('graph/symbolic-parse', () => {
  describe('round trips DaCe text', () => {
    const table = [
      'N - 1', 'Min(N, i + 2)', 'int_floor(N, 2)', '2*i + 1', 'Max(0, N - 1)', 'Mod(i, 2)', 'N**2 + 1', '-i',
      '2*M*N + i', 'int_floor(N + 1, 2)', 'Min(4, M, N)', '1 - i', 'Mod(i + 1, N) + int_floor(N, M)', 'M*N*i - 3',
    ];
    for (const src of table) it(src, () => assert.equal(parseExpr(src).toString(), src));
  });

  describe('canonicalizes other spellings', () => {
    const table: [string, string][] = [
      ['i + 1 - 1', 'i'],
      ['  N  -  1 ', 'N - 1'],
      ['-(i - 1)', '1 - i'],
      ['N // 2', 'int_floor(N, 2)'],
      ['N % 3', 'Mod(N, 3)'],
      ['floor(N/2)', 'int_floor(N, 2)'],
      ['floor((N + 1) / 2)', 'int_floor(N + 1, 2)'],
      ['floor(2*N/4)', 'int_floor(N, 2)'],
      ['floor(N)', 'N'],
      ['ceiling(N/2)', '-int_floor(-N, 2)'],
      ['int_ceil(N, 2)', '-int_floor(-N, 2)'],
      ['int_ceil(2*N, 2)', 'N'],
      ['min(a, b)', 'Min(a, b)'],
      ['max(i, i + 1)', 'i + 1'],
      ['-2**2', '-4'], // Python: -(2**2)
      ['2**3**2', '512'], // right associative
      ['(N + 1)**2', 'N**2 + 2*N + 1'],
      ['-N*-M', 'M*N'],
      ['+N', 'N'],
      ['7 // -2', '-4'],
      ['-7 % 3', '2'],
    ];
    for (const [src, expected] of table) it(`${src} -> ${expected}`, () => assert.equal(parseExpr(src).toString(), expected));
  });

  describe('templates', () => {
    it('tokenizes strings and values with their positions', () => {
      const tokens = tokenize({ strings: ['i-1:i+', ''], values: [K] });
      assert.deepEqual(
        tokens.map((t) => [t.kind, t.pos.segment, t.pos.offset]),
        [['ident', 0, 0], ['punct', 0, 1], ['int', 0, 2], ['punct', 0, 3], ['ident', 0, 4], ['punct', 0, 5], ['value', 0, 6], ['end', 1, 0]],
      );
      assert.deepEqual(
        tokenize('a**2//b').map((t) => (t.kind === 'punct' ? t.text : t.kind)),
        ['ident', '**', 'int', '//', 'ident', 'end'],
      );
    });

    it('parses interpolated values as expressions', () => {
      const e: Expr = parseExpr({ strings: ['2*', ' - ', ''], values: [K.add(1), sym('i')] });
      assert.equal(e.toString(), '2*K - i + 2');
    });

    it('lets other grammars drive the parser', () => {
      const parser = new ExprParser({ strings: ['i = 0:', ', j = 1:M'], values: [K] });
      const ranges: string[] = [];
      do {
        const name = parser.next();
        assert.equal(name.kind, 'ident');
        parser.expect('=');
        const begin = parser.parseExpr();
        parser.expect(':');
        ranges.push(`${begin.toString()}:${parser.parseExpr().toString()}`);
      } while (parser.accept(','));
      assert.ok(parser.atEnd());
      assert.deepEqual(ranges, ['0:K', '1:M']);
    });

    it('reports positions by template part', () => {
      syntaxError(
        { strings: ['i-1:i+', ' )'], values: [K] },
        "expected an operator or the end of the input but found ':' in template part 1, column 4\n  i-1:i+${K} )\n     ^",
      );
      syntaxError(
        { strings: ['', ' + '], values: [K] },
        'expected an expression but found the end of the input in template part 2, column 4\n  ${K} + \n         ^',
      );
      syntaxError({ strings: ['N ', ''], values: [K] }, 
        'expected an operator or the end of the input but found the interpolated value ${K} in template part 1, column 3\n  N ${K}\n    ^',
        'is an operator missing?',
      );
    });

    it('rejects templates with mismatched pieces', () => {
      assert.throws(() => parseExpr({ strings: ['a'], values: [K] }), { code: 'bad-template' });
    });
  });

  describe('syntax errors', () => {
    it('points at the end of an incomplete expression', () => {
      syntaxError('N +', 'expected an expression but found the end of the input at column 4\n  N +\n     ^');
      syntaxError('', 'expected an expression but found the end of the input at column 1\n  \n  ^');
      syntaxError('(N', "expected ')' but found the end of the input at column 3\n  (N\n    ^");
    });

    it('rejects non-integer constants', () => {
      syntaxError('N + 1.5', "non-integer constant '1.5' at column 5\n  N + 1.5\n      ^", 'symbolic expressions are integer-valued');
      syntaxError('1e3', "non-integer constant '1e3' at column 1\n  1e3\n  ^");
    });

    it("rejects true division outside floor(), suggesting '//'", () => {
      syntaxError('a / b', "'/' is true division, which integer expressions do not have at column 3\n  a / b\n    ^", "use '//' for floor division (or int_floor(a, b))");
      syntaxError('Min(N/2, 3)', "'/' is true division, which integer expressions do not have at column 6\n  Min(N/2, 3)\n       ^");
    });

    it('accepts only one whole division inside floor() and ceiling()', () => {
      syntaxError('floor(N/2 + 1)', 'floor() takes a single division a / b as its whole argument at column 11\n  floor(N/2 + 1)\n            ^', "write floor((a + b) / c), or use '//'");
      syntaxError('ceiling(1 + N/2)', 'ceiling() takes a single division a / b as its whole argument at column 14\n  ceiling(1 + N/2)\n               ^');
      syntaxError('floor(N/2/3)', 'floor() takes a single division a / b as its whole argument at column 10\n  floor(N/2/3)\n           ^');
    });

    it('explains glued and stray tokens', () => {
      syntaxError('2N', "missing operator between '2' and 'N' at column 2\n  2N\n   ^", 'write 2*N');
      syntaxError('N M', "expected an operator or the end of the input but found 'M' at column 3\n  N M\n    ^", 'is an operator missing?');
      syntaxError('N $ 1', "unexpected character '$' at column 3\n  N $ 1\n    ^");
      syntaxError('99999999999999999999', 'integer constant 99999999999999999999 is too large at column 1\n  99999999999999999999\n  ^');
    });

    it('checks functions and their arguments', () => {
      syntaxError('foo(1)', "unknown function 'foo' at column 1\n  foo(1)\n  ^", 'known functions: Min, Max, min, max, int_floor, int_ceil, Mod, floor, ceiling, ceil');
      syntaxError('Min()', 'Min() takes at least 1 argument but got 0 at column 1\n  Min()\n  ^');
      syntaxError('int_floor(N)', 'int_floor() takes 2 arguments but got 1 at column 1\n  int_floor(N)\n  ^');
      syntaxError('Mod(N, 2, 3)', 'Mod() takes 2 arguments but got 3 at column 1\n  Mod(N, 2, 3)\n  ^');
    });

    it('needs constant non-negative exponents', () => {
      syntaxError('N**M', 'the exponent M is not a non-negative integer constant at column 4\n  N**M\n     ^');
      syntaxError('2**-1', 'the exponent -1 is not a non-negative integer constant at column 4\n  2**-1\n     ^');
    });

    it('reports a parser failure raised by another grammar at the given token', () => {
      const parser = new ExprParser('i = 0');
      const name = parser.next();
      assert.throws(() => parser.fail('parameter i appears twice', name, 'rename one'), {
        code: 'expr-syntax', summary: 'parameter i appears twice at column 1\n  i = 0\n  ^', hint: 'rename one',
      });
      assert.throws(() => parser.expect(':'), { summary: "expected ':' but found '=' at column 3\n  i = 0\n    ^" });
    });
  });
});
