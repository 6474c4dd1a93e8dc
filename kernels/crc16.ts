// NPBench crc16: CRC-16-CCITT over a byte stream: sequential scalar state, bit operations and branches.
import { program, symbol, array, u8, i32 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { crc16Presets } from './presets.js';
import { seeded } from './random.js';

const POLY = 0x8408;

export const crc16Program = () => program('crc16', { N: symbol, data: array(u8, ['N']), result: array(i32, [1]) }, (p, { N, data, result }) => {
  const crc = p.scalar('crc', i32, { transient: true });
  p.tasklet({}, { o: crc }, 'start')`o = 0xFFFF`;
  // every byte needs the state the previous one left: a sequential loop, eight bit steps per byte
  p.for`i = 0:${N}`((i) => {
    p.tasklet({ c: crc, b: data.at`${i}` }, { o: crc }, 'byte')`
      let cur: i32 = b
      let v = c
      for (bit in 0:8) {
        if (((v & 1) ^ (cur & 1)) != 0) {
          v = (v >> 1) ^ ${POLY}
        } else {
          v = v >> 1
        }
        cur = cur >> 1
      }
      o = v
    `;
  });
  p.tasklet({ c: crc }, { o: result.at`0` }, 'finish')`
    let v = ~c & 0xFFFF
    o = ((v << 8) | ((v >> 8) & 0xFF)) & 0xFFFF
  `;
});

export function crc16Reference(args: KernelArgs): void {
  const N = sizeOf(args, 'N'), data = arrayOf<Uint8Array>(args, 'data'), result = arrayOf<Int32Array>(args, 'result');
  let crc = 0xffff;
  for (let i = 0; i < N; i++) {
    let cur = data[i]!;
    for (let bit = 0; bit < 8; bit++) {
      crc = ((crc & 1) ^ (cur & 1)) !== 0 ? (crc >> 1) ^ POLY : crc >> 1;
      cur >>= 1;
    }
  }
  crc = ~crc & 0xffff;
  result[0] = ((crc << 8) | ((crc >> 8) & 0xff)) & 0xffff;
}

export const crc16 = defineKernel<{ N: number }>({
  name: 'crc16',
  description: 'CRC-16-CCITT: a p.for over bytes carrying a scalar transient; bit operations, a bounded loop and branches in the tasklet',
  sizeNames: ['N'],
  presets: crc16Presets,
  program: crc16Program,
  init: ({ N }, seed) => ({ N, data: seeded(seed).uint8Array(N), result: new Int32Array(1) }),
  reference: crc16Reference,
  outputs: ['result'],
  flops: ({ N }) => 8 * 5 * N,
  bytes: ({ N }) => N + 4,
});
