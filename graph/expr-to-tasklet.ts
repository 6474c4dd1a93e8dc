// Symbolic integer expressions (Python semantics: floor division, modulo) as tasklet-language expressions (C semantics).
import { asAtom, type Atom, type Expr, type Term } from './symbolic.js';
import type { BinaryOp, TExpr } from './tasklet-ast.js';

type Num = Extract<TExpr, { k: 'num' }>;
const num = (value: number, isFloat: boolean): Num => ({ k: 'num', value, isFloat });


const bin = (op: BinaryOp, lhs: TExpr, rhs: TExpr): TExpr => ({ k: 'binary', op, lhs, rhs });
const intLit = (n: number): TExpr => (n < 0 ? { k: 'unary', op: '-', arg: num(-n, false) } : num(n, false));

/** Python's floor division and modulo from C's truncating ones: adjust when the remainder and divisor differ in sign. */
function pythonDivision(kind: 'floordiv' | 'mod', a: TExpr, b: TExpr): TExpr {
  const rem = bin('%', a, b);
  const positive = b.k === 'num' && b.value > 0;
  const needsFix: TExpr = positive
    ? bin('<', rem, num(0, false))
    : bin('&&', bin('!=', rem, num(0, false)), bin('!=', bin('<', rem, num(0, false)), bin('<', b, num(0, false))));
  if (kind === 'floordiv') return { k: 'ternary', cond: needsFix, then: bin('-', bin('/', a, b), num(1, false)), else: bin('/', a, b) };
  return { k: 'ternary', cond: needsFix, then: bin('+', rem, b), else: rem };
}

function atomToTExpr(atom: Atom): TExpr {
  if (atom.kind === 'symbol') return { k: 'name', name: atom.name };
  const args = atom.args.map(exprToTExpr);
  if (atom.kind === 'floordiv' || atom.kind === 'mod') return pythonDivision(atom.kind, args[0]!, args[1]!);
  // Min/Max of many arguments nest pairwise.
  return args.reduceRight((inner, arg) => ({ k: 'call', fn: atom.kind, args: [arg, inner] }));
}

function termBody(t: Term): TExpr {
  const factors = t.monomial.factors.flatMap((f) => Array.from({ length: f.power }, () => atomToTExpr(f.atom)));
  const product = factors.reduce((acc, f) => bin('*', acc, f));
  return Math.abs(t.coef) === 1 ? product : bin('*', num(Math.abs(t.coef), false), product);
}

/** A symbolic integer expression as a tasklet expression: positive terms first, then subtractions, then the constant. */
export function exprToTExpr(e: Expr): TExpr {
  const atom = asAtom(e);
  if (atom) return atomToTExpr(atom);
  if (e.isConstant()) return intLit(e.constant);
  const terms = [...e.terms].sort((a, b) => Number(a.coef < 0) - Number(b.coef < 0));
  let acc: TExpr = terms[0]!.coef < 0 ? { k: 'unary', op: '-', arg: termBody(terms[0]!) } : termBody(terms[0]!);
  for (const t of terms.slice(1)) acc = bin(t.coef < 0 ? '-' : '+', acc, termBody(t));
  if (e.constant !== 0) acc = bin(e.constant < 0 ? '-' : '+', acc, num(Math.abs(e.constant), false));
  return acc;
}

