// The library as `compile()` sees it. Mocha loads spec files through tsx's require hook, but `compile()` loads the CUDA
// target with a dynamic import(), which gives a second copy of every module: objects built by the spec's own imports
// (programs, Expr, error classes) fail `instanceof` checks on the other side. Tests of `compile(…, { target: 'cuda' })`
// therefore take everything from here, loaded by import() like the target itself.
export async function esm() {
  const [api, errors, programs, axpy, samples, kernels] = await Promise.all([
    import('../../../index.js'), import('../../../graph/errors.js'), import('./programs.js'), import('../../../samples/axpy.js'),
    import('../../../samples/catalogue.js'), import('../../../kernels/index.js'),
  ]);
  return { compile: api.compile, errors, programs, axpy: axpy.axpy, samples: samples.samples, kernelList: kernels.kernelList };
}
