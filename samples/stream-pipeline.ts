// A producer map pushes into a stream; a consume scope pops every element and accumulates it.
import { program, symbol, array, f64 } from '../index.js';

export const streamPipeline = program('stream_pipeline', { N: symbol, x: array(f64, ['N']), total: array(f64, [1]) }, (p, { N, x, total }) => {
  const queue = p.stream('queue', f64, { bufferSize: 64 });
  p.state('pipeline', (s) => {
    s.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: queue.push })`o = 2.0 * v`;
  });
  p.consume(queue).tasklet({ v: queue.pop }, { acc: total.at`0`.wcr('+') })`acc = v`;
});

export function streamPipelinePlain(x: Float64Array, total: Float64Array): void {
  for (const v of x) total[0]! += 2 * v;
}
