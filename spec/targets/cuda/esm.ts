// The library as the CUDA tests use it, in one object: compile(), the error classes, test programs, samples, kernels.
import * as api from '../../../index.js';
import * as errors from '../../../graph/errors.js';
import * as programs from './programs.js';
import { axpy } from '../../../samples/axpy.js';
import { samples } from '../../../samples/catalogue.js';
import { kernelList } from '../../../kernels/index.js';

export async function esm() {
  return { compile: api.compile, errors, programs, axpy, samples, kernelList };
}
