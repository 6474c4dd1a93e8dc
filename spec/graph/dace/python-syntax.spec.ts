// The Python-subset parser (graph/dace/python-syntax.ts): precedence, statements, blocks, and its syntax errors.
import assert from 'node:assert/strict';
import { FormatError } from '../../../graph/errors.js';
import { type PyExpr, type PyStmt, parsePythonExpression, parsePythonStatements } from '../../../graph/dace/python-syntax.js';

/** An expression as an s-expression: structure only, no positions. */
function sx(e: PyExpr): string {
  switch (e.k) {
    case 'num': return e.isFloat ? `${e.value}f` : String(e.value);
    case 'str': return JSON.stringify(e.value);
    case 'const': return String(e.value);
    case 'name': return e.id;
    case 'attr': return `${sx(e.obj)}.${e.attr}`;
    case 'call': return `(call ${sx(e.fn)}${e.args.map((a) => ` ${sx(a)}`).join('')}${e.keywords.map((k) => ` ${k}=`).join('')})`;
    case 'subscript': return `(at ${sx(e.obj)}${e.indices.map((a) => ` ${sx(a)}`).join('')})`;
    case 'slice': return 'slice';
    case 'unary': return `(${e.op} ${sx(e.arg)})`;
    case 'binary': return `(${e.op} ${sx(e.lhs)} ${sx(e.rhs)})`;
    case 'boolop': return `(${e.op}${e.values.map((v) => ` ${sx(v)}`).join('')})`;
    case 'compare': return `(cmp ${sx(e.first)}${e.ops.map((op, i) => ` ${op} ${sx(e.rest[i]!)}`).join('')})`;
    case 'ifexp': return `(if ${sx(e.test)} ${sx(e.body)} ${sx(e.orelse)})`;
    case 'lambda': return `(lambda ${e.params.join(' ')} ${sx(e.body)})`;
    case 'tuple': return `(tuple${e.items.map((v) => ` ${sx(v)}`).join('')})`;
  }
}

function sxStmt(s: PyStmt): string {
  switch (s.k) {
    case 'assign': return `(= ${s.targets.map(sx).join(' ')} ${sx(s.value)})`;
    case 'augassign': return `(${s.op} ${sx(s.target)} ${sx(s.value)})`;
    case 'expr': return `(expr ${sx(s.value)})`;
    case 'if': return `(if ${sx(s.test)} [${s.body.map(sxStmt).join(' ')}] [${s.orelse.map(sxStmt).join(' ')}])`;
    case 'for': return `(for ${s.target} ${sx(s.iter)} [${s.body.map(sxStmt).join(' ')}])`;
    case 'pass': return 'pass';
    case 'other': return `(other ${s.keyword})`;
  }
}

const expr = (src: string): string => sx(parsePythonExpression(src));
const stmts = (src: string): string => parsePythonStatements(src).map(sxStmt).join(' ');

function syntaxError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof FormatError && e.code === 'python-syntax' && e.summary === message);
}

describe('graph/dace/python-syntax', () => {
  it('follows Python precedence for arithmetic, bitwise and power operators', () => {
    assert.equal(expr('a + b * c - d / e // f % g'), '(- (+ a (* b c)) (% (// (/ d e) f) g))');
    assert.equal(expr('a | b ^ c & d << 1 >> e'), '(| a (^ b (& c (>> (<< d 1) e))))');
    assert.equal(expr('-a ** -b ** 2'), '(- (** a (- (** b 2))))');
    assert.equal(expr('~x + +y'), '(+ (~ x) (+ y))');
  });

  it('reads comparisons (chained), boolean operators, not and conditional expressions', () => {
    assert.equal(expr('0 <= i < n and not done or x is not None'), '(or (and (cmp 0 <= i < n) (not done)) (cmp x is not null))');
    assert.equal(expr('a if c > 0 else b if d else e'), '(if (cmp c > 0) a (if d b e))');
    assert.equal(expr('x not in y'), '(cmp x not in y)');
  });

  it('reads literals: integers in any base, floats, booleans, None and strings', () => {
    assert.equal(expr('(0x1F, 0o17, 0b101, 1_000, 1.5, 2., .5, 1e-3, True, None, "inf")'), '(tuple 31 15 5 1000 1.5f 2f 0.5f 0.001f true null "inf")');
  });

  it('reads calls, attributes, subscripts, slices and lambdas', () => {
    assert.equal(expr('dace.float64(math.exp(a[i, j + 1]))'), '(call dace.float64 (call math.exp (at a i (+ j 1))))');
    assert.equal(expr('f(x, axis=1)'), '(call f x axis=)');
    assert.equal(expr('a[1:n, :]'), '(at a slice slice)');
    assert.equal(expr('(lambda x, y: min(x, y))'), '(lambda x y (call min x y))');
  });

  it('reads assignment, augmented assignment, chained targets and semicolons', () => {
    assert.equal(stmts('__out = (__in1 + __in2)'), '(= __out (+ __in1 __in2))');
    assert.equal(stmts('a = b = 1; c //= 2\nd **= 3'), '(= a b 1) (//= c 2) (**= d 3)');
    assert.equal(stmts('x, y = y, x'), '(= (tuple x y) (tuple y x))');
  });

  it('reads if/elif/else and for blocks by indentation, with comments, blank lines and continuations', () => {
    const src = [
      '# a comment', 'if a > 0:', '    x = 1  # trailing', '', 'elif a < 0:', '    x = 2', 'else:', '    for k in range(0, n, 2):',
      '        x += k \\', '            * 2', '    pass', 'y = (x +', '     1)',
    ].join('\n');
    assert.equal(stmts(src), '(if (cmp a > 0) [(= x 1)] [(if (cmp a < 0) [(= x 2)] [(for k (call range 0 n 2) [(+= x (* k 2))]) pass])]) (= y (+ x 1))');
    assert.equal(stmts('if c: x = 1\nelse: x = 2'), '(if c [(= x 1)] [(= x 2)])');
  });

  it('keeps statements outside the subset as named placeholders', () => {
    assert.equal(stmts('while x:\n    x -= 1'), '(other while)');
    assert.equal(stmts('return 5'), '(other return)');
  });

  it('reports syntax errors with the line and column', () => {
    syntaxError(() => parsePythonExpression('a +', 'cond'), "cond: unexpected end of the code at line 1, column 4");
    syntaxError(() => parsePythonExpression('a $ b', 'cond'), "cond: unexpected character '$' at line 1, column 3");
    syntaxError(() => parsePythonExpression('f(a', 'cond'), "cond: expected ')' but found the end of the code at line 1, column 4");
    syntaxError(() => parsePythonExpression('a b', 'cond'), 'cond: unexpected text after the expression at line 1, column 3');
    syntaxError(() => parsePythonExpression('', 'cond'), 'cond: the expression is empty at line 1, column 1');
    syntaxError(() => parsePythonStatements("s = 'abc", 'code'), 'code: unterminated string at line 1, column 5');
    syntaxError(() => parsePythonStatements('if a:\nx = 1', 'code'), 'code: expected an indented block at line 2, column 1');
    syntaxError(() => parsePythonStatements('x = 1\n    y = 2', 'code'), 'code: unexpected indentation at line 2, column 1');
    syntaxError(() => parsePythonStatements('if a:\n        x = 1\n    y = 2', 'code'), 'code: inconsistent indentation at line 3, column 5');
    syntaxError(() => parsePythonStatements('for (a, b) in c:\n    pass', 'code'), 'code: a for loop needs a single loop variable at line 1, column 5');
    syntaxError(() => parsePythonExpression('lambda (a): a', 'wcr'), 'wcr: lambda parameters must be plain names at line 1, column 8');
  });
});
