// Run by run.spec.ts in a child process with a chosen environment: compiles and runs a small kernel, and prints the
// device it found and VK_ICD_FILENAMES afterwards, or the error compiling gives.
import { program, symbol, array, f32 } from '../../../index.js';
import { SdfgError } from '../../../graph/errors.js';
import { compileWgsl, releaseWgslDevice } from '../../../targets/wgsl/index.js';

const inc = program('inc', { N: symbol, x: array(f32, ['N']) }, (p, { N, x }) => {
  p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v + 1`;
});

try {
  const compiled = await compileWgsl(inc.sdfg);
  const x = new Float32Array([1, 2, 3]);
  await compiled.run({ N: 3, x });
  console.log(`${compiled.deviceDescription.split(' (')[0]} | ${[...x].join(',')} | ${process.env['VK_ICD_FILENAMES']}`);
  await releaseWgslDevice();
} catch (error) {
  console.log(error instanceof SdfgError ? `${error.constructor.name} ${error.code} ${error.summary}` : `not an SdfgError: ${String(error)}`);
}
