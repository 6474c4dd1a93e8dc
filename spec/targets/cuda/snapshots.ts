// Expected CUDA text of the emit snapshots (spec/targets/cuda/emit.spec.ts): the part after the runtime prelude.
// Regenerate only after reading the diff: these are the reviewed shape of the generated code.

/** The axpy sample: one kernel, copies in and out on forked streams, every CUDA call checked. */
export const AXPY = `// kernel of map "map_0" (state "map_0", n7): blocks of 64 x 1 x 1 threads
__global__ void __launch_bounds__(64) map_0_kernel(double a, const double* __restrict__ gpu_x, double* __restrict__ gpu_y, int64_t N) {
  // device map "map_0": one block per point of [i_blk]
  const int64_t block = blockIdx.x;
  const int64_t i_blk = block * 64;
  // state "map_0", thread-block map "map_0_threads" (n0)
  {
    const int64_t i = i_blk + threadIdx.x;
    if (i < min(N, i_blk + 64)) {
      // state "map_0", tasklet "tasklet_0" (n2)
      {
        const double xi = gpu_x[i];
        const double yi = gpu_y[i];
        const double a_ = a;
        double out;
        out = a_ * xi + yi;
        gpu_y[i] = out;
      }
    }
  }
}

// entry point of SDFG "axpy": 0 on success, else the CUDA error code (message: sdfg_cuda_last_error())
extern "C" int sdfg_axpy(double a, double* x, double* y, int64_t N) {
  cudaStream_t stream = nullptr;
  cudaStream_t sdfg_streams[1] = {};
  cudaEvent_t sdfg_fork = nullptr, sdfg_joins[1] = {};
  double* gpu_x = nullptr;
  double* gpu_y = nullptr;
  sdfg_cuda_status = 0;
  SDFG_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  SDFG_CUDA_CHECK(cudaEventCreateWithFlags(&sdfg_fork, cudaEventDisableTiming));
  for (int k = 0; k < 1; ++k) {
    SDFG_CUDA_CHECK(cudaStreamCreateWithFlags(&sdfg_streams[k], cudaStreamNonBlocking));
    SDFG_CUDA_CHECK(cudaEventCreateWithFlags(&sdfg_joins[k], cudaEventDisableTiming));
  }
  // device memory, zeroed as the reference interpreter starts every container (unless the first state fills it)
  SDFG_CUDA_CHECK(cudaMalloc(&gpu_x, sizeof(double) * (N)));
  SDFG_CUDA_CHECK(cudaMalloc(&gpu_y, sizeof(double) * (N)));
  {
    // state "gpu_copy_in"
    SDFG_CUDA_CHECK(cudaEventRecord(sdfg_fork, stream));
    SDFG_CUDA_CHECK(cudaStreamWaitEvent(sdfg_streams[0], sdfg_fork, 0));
    // copy x -> gpu_x (e0, HostToDevice)
    SDFG_CUDA_CHECK(cudaMemcpyAsync(gpu_x, x, sizeof(double) * (N), cudaMemcpyHostToDevice, stream));
    // copy y -> gpu_y (e1, HostToDevice)
    SDFG_CUDA_CHECK(cudaMemcpyAsync(gpu_y, y, sizeof(double) * (N), cudaMemcpyHostToDevice, sdfg_streams[0]));
    SDFG_CUDA_CHECK(cudaEventRecord(sdfg_joins[0], sdfg_streams[0]));
    SDFG_CUDA_CHECK(cudaStreamWaitEvent(stream, sdfg_joins[0], 0));
    // state "map_0"
    // state "map_0", map "map_0" (n7): kernel map_0_kernel
    {
      const int64_t blocks_i_blk = sdfg_floordiv(N + 63, 64);
      if (blocks_i_blk > 0) {
        SDFG_CUDA_CHECK(sdfg_grid_fits(blocks_i_blk));
        map_0_kernel<<<static_cast<unsigned int>(blocks_i_blk), dim3(64, 1, 1), 0, stream>>>(a, gpu_x, gpu_y, N);
        SDFG_CUDA_CHECK_LAUNCH("map_0_kernel");
      }
    }
    // state "gpu_copy_out"
    // copy gpu_y -> y (e0, DeviceToHost)
    SDFG_CUDA_CHECK(cudaMemcpyAsync(y, gpu_y, sizeof(double) * (N), cudaMemcpyDeviceToHost, stream));
  }
  SDFG_CUDA_CHECK(cudaStreamSynchronize(stream));
sdfg_cleanup:
  cudaFree(gpu_x);
  cudaFree(gpu_y);
  for (int k = 0; k < 1; ++k) { if (sdfg_streams[k]) cudaStreamDestroy(sdfg_streams[k]); if (sdfg_joins[k]) cudaEventDestroy(sdfg_joins[k]); }
  if (sdfg_fork) cudaEventDestroy(sdfg_fork);
  if (stream) cudaStreamDestroy(stream);
  return sdfg_cuda_status;
}`;

/** The kernel of P.dot: a sum and a max into one element each, combined per warp (shuffles), then one atomic. */
export const DOT_KERNEL = `// kernel of map "dot_map" (state "main", n7): blocks of 64 x 1 x 1 threads
__global__ void __launch_bounds__(64) dot_map_kernel(double* __restrict__ gpu_largest, double* __restrict__ gpu_result, const double* __restrict__ gpu_x, const double* __restrict__ gpu_y, int64_t N) {
  // device map "dot_map": one block per point of [i_blk]
  const int64_t block = blockIdx.x;
  const int64_t i_blk = block * 64;
  // state "main", thread-block map "dot_map_threads" (n0)
  {
    const int64_t i = i_blk + threadIdx.x;
    if (i < min(N, i_blk + 64)) {
      // state "main", tasklet "dot_map_tasklet" (n2)
      {
        const double a = gpu_x[i];
        const double b = gpu_y[i];
        double out;
        double top;
        out = a * b;
        top = a * b;
        {
          const cg::coalesced_group warp = cg::coalesced_threads();
          const double combined = cg::reduce(warp, static_cast<double>(out), cg::plus<double>());
          if (warp.thread_rank() == 0) atomicAdd(&gpu_result[0], combined);
        }
        {
          const cg::coalesced_group warp = cg::coalesced_threads();
          const double combined = cg::reduce(warp, static_cast<double>(top), cg::greater<double>());
          if (warp.thread_rank() == 0) sdfg_atomic_combine(&gpu_largest[0], static_cast<double>(combined), [](double a, double b) -> double { return max(a, b); });
        }
      }
    }
  }
}`;

/** The kernels of P.reductions: one warp per row, one warp per column, a whole-grid product (block reduction + CAS). */
export const REDUCTION_KERNELS = `// Reduce "row_sums" (state "main", n0): one warp per output element, lanes striding over the M reduced elements
__global__ void __launch_bounds__(256) row_sums_reduce(const double* __restrict__ gpu_A, double* __restrict__ gpu_rows, int64_t N, int64_t M) {
  const int64_t output = static_cast<int64_t>(blockIdx.x) * 8 + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (output >= N) return;  // the whole warp leaves together
  const int64_t r0 = output;
  double acc = 0.0;
  for (int64_t flat = lane; flat < M; flat += 32) {
    const int64_t r1 = flat;
    acc += gpu_A[M*r0 + r1];
  }
  // warp reduction: each step halves the lanes holding partial results (shuffles, no shared memory)
  for (int offset = 16; offset > 0; offset /= 2) acc += __shfl_down_sync(0xffffffffu, acc, offset);
  if (lane == 0) gpu_rows[r0] = acc;
}

// Reduce "col_max" (state "main", n3): one warp per output element, lanes striding over the N reduced elements
__global__ void __launch_bounds__(256) col_max_reduce(const double* __restrict__ gpu_A, double* __restrict__ gpu_cols, int64_t N, int64_t M) {
  const int64_t output = static_cast<int64_t>(blockIdx.x) * 8 + threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  if (output >= M) return;  // the whole warp leaves together
  const int64_t r1 = output;
  double acc = -std::numeric_limits<double>::infinity();
  for (int64_t flat = lane; flat < N; flat += 32) {
    const int64_t r0 = flat;
    acc = max(acc, gpu_A[M*r0 + r1]);
  }
  // warp reduction: each step halves the lanes holding partial results (shuffles, no shared memory)
  for (int offset = 16; offset > 0; offset /= 2) acc = max(acc, __shfl_down_sync(0xffffffffu, acc, offset));
  if (lane == 0 && N > 0) gpu_cols[r1] = acc;
}

// Reduce "everything" (state "main", n6): grid-stride partial results per thread, warp shuffles, one value per warp in shared memory, one atomic per block
__global__ void __launch_bounds__(256) everything_reduce(const double* __restrict__ gpu_A, double* __restrict__ gpu_total, int64_t N, int64_t M) {
  double acc = 1.0;
  for (int64_t flat = static_cast<int64_t>(blockIdx.x) * 256 + threadIdx.x; flat < M*N; flat += static_cast<int64_t>(gridDim.x) * 256) {
    const int64_t r0 = flat / (M);
    const int64_t r1 = flat % (M);
    acc *= gpu_A[M*r0 + r1];
  }
  // warp reduction: each step halves the lanes holding partial results (shuffles, no shared memory)
  for (int offset = 16; offset > 0; offset /= 2) acc *= __shfl_down_sync(0xffffffffu, acc, offset);
  __shared__ double partial[8];
  if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = acc;
  __syncthreads();
  if (threadIdx.x < 32) {
    acc = threadIdx.x < 8 ? partial[threadIdx.x] : 1.0;
    // warp reduction: each step halves the lanes holding partial results (shuffles, no shared memory)
    for (int offset = 16; offset > 0; offset /= 2) acc *= __shfl_down_sync(0xffffffffu, acc, offset);
    if (threadIdx.x == 0) sdfg_atomic_combine(&gpu_total[0], static_cast<double>(acc), [](double a, double b) -> double { return a * b; });
  }
}`;

/** The kernel of sharedRows: a shared buffer between two thread-block maps, a barrier between them. */
export const SHARED_KERNEL = `// kernel of map "row" (state "row", n0): blocks of 8 x 1 x 1 threads
__global__ void __launch_bounds__(8) row_kernel(const double* __restrict__ gpu_A, double* __restrict__ gpu_B, int64_t N) {
  // device map "row": one block per point of [i]
  const int64_t block = blockIdx.x;
  const int64_t i = block;
  __shared__ double t[8];
  // state "row", thread-block map "load" (n2)
  {
    const int64_t j = threadIdx.x;
    if (j < 8) {
      // state "row", tasklet "tasklet_0" (n4)
      {
        const double a = gpu_A[8*i + j];
        double o;
        o = a * 2.0;
        t[j] = o;
      }
    }
  }
  __syncthreads();
  // state "row", thread-block map "store" (n7)
  {
    const int64_t j = threadIdx.x;
    if (j < 8) {
      // state "row", tasklet "tasklet_1" (n9)
      {
        const double a = t[7 - j];
        double o;
        o = a + 1.0;
        gpu_B[8*i + j] = o;
      }
    }
  }
}`;

