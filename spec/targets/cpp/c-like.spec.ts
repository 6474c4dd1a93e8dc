// The shared C-like printer (targets/common/c-like.ts) in its C++ dialect: parentheses, literals, casts, statements.
import assert from 'node:assert/strict';
import { parseTasklet } from '../../../dsl/tasklet-parser.js';
import { f32, f64, i32, i64, u8, type DType } from '../../../graph/dtypes.js';
import { typeTasklet } from '../../../graph/tasklet-types.js';
import { CLikePrinter, cNumber, cppDialect } from '../../../targets/common/c-like.js';

const scalar = (dtype: DType): { dtype: DType; dims: number } => ({ dtype, dims: 0 });

/** Print tasklet code with connectors named as they are and array elements as `q[i][j]`. */
function print(code: string, inputs: Record<string, { dtype: DType; dims: number }>, outputs: Record<string, { dtype: DType; dims: number }>): string {
  const body = parseTasklet(code);
  const typing = typeTasklet(body, { inputs, outputs, symbols: { n: i64 } });
  return new CLikePrinter(cppDialect, typing, { read: (name) => name, element: (name, idx) => `${name}[${idx.join('][')}]` })
    .statements(body, '').join('\n');
}

describe('targets/common/c-like (C++ dialect)', () => {
  it('keeps the parentheses C needs and no others', () => {
    const io = { inputs: { a: scalar(f64), b: scalar(f64) }, outputs: { out: scalar(f64) } };
    assert.equal(print('out = (a + b) * a\nout = a - (b - a)\nout = a * b + a\nout = - -a', io.inputs, io.outputs), [
      'out = (a + b) * a;', 'out = a - (b - a);', 'out = a * b + a;', 'out = -(-a);',
    ].join('\n'));
  });

  it('spells operators and functions as graph/tasklet-ops.ts says', () => {
    assert.equal(print('out = -a ** 2\nout = a % b\nout = min(a, b) + abs(a)\nout %= b\nout += 1', { a: scalar(f64), b: scalar(f64) }, { out: scalar(f64) }), [
      'out = -std::pow(a, 2.0);', 'out = std::fmod(a, b);', 'out = std::min<double>(a, b) + std::abs(a);', 'out = std::fmod(out, b);', 'out += 1.0;',
    ].join('\n'));
  });

  it('wraps narrow integer results and types literals after their context', () => {
    assert.equal(print('y = x * x + 200\nlet t: f32 = f32(2.5) * w\nz = t', { x: scalar(u8), w: scalar(f32) }, { y: scalar(u8), z: scalar(f32) }), [
      'y = (uint8_t)((uint8_t)(x * x) + 200);', 'float t = 2.5f * w;', 'z = t;',
    ].join('\n'));
  });

  it('prints locals, casts, branches and loops', () => {
    const code = 'let big = 4294967296\nr = i32(big % 7) + (p << 2 | 1) + (p > 0 ? p : -p)\nif (p > 1 && q[0] < 2) {\n  r = 1\n} else if (p < 0) {\n  r = 2\n} else {\n  r = 3\n}\nfor (k in 0:n:2) {\n  r += q[k] ** 2\n}';
    assert.equal(print(code, { p: scalar(i32), q: { dtype: i32, dims: 1 } }, { r: scalar(i32) }), [
      'int64_t big = 4294967296ll;',
      'r = static_cast<int32_t>(big % 7) + (p << 2 | 1) + (p > 0 ? p : -p);',
      'if (p > 1 && q[0] < 2) {', '  r = 1;', '} else if (p < 0) {', '  r = 2;', '} else {', '  r = 3;', '}',
      'for (int64_t k = 0; k < n; k += 2) {', '  r += sdfg_ipow(q[k], 2);', '}',
    ].join('\n'));
  });

  it('spells literals that keep their type', () => {
    assert.deepEqual([cNumber(3, f64), cNumber(0.5, f32), cNumber(-(2 ** 31), i32), cNumber(2 ** 40, i64), cNumber(Infinity, f64), cNumber(NaN, f32)],
      ['3.0', '0.5f', '(-2147483647 - 1)', '1099511627776ll', 'std::numeric_limits<double>::infinity()', 'std::numeric_limits<float>::quiet_NaN()']);
  });
});
