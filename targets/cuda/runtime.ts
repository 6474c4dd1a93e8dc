// The CUDA runtime prelude pasted at the top of every generated file: error checking, index helpers, atomics, reductions.

/** Optional parts of the prelude, included only when the program uses them. */
export interface CudaFeatures {
  /** Compare-and-swap combining for conflicts CUDA has no native atomic for. */
  atomics: boolean;
  /** Cooperative groups: warp-aggregated atomics (one atomic per warp). */
  groups: boolean;
  /** `__half` (cuda_fp16.h). */
  half: boolean;
  /** cuBLAS for MatMul. */
  cublas: boolean;
}

export const noFeatures = (): CudaFeatures => ({ atomics: false, groups: false, half: false, cublas: false });

/** The line separating the prelude from the program (the part that can be wrapped in a namespace). */
export const CUDA_PROGRAM_MARKER = '// ---- program ----';

const base = String.raw`#include <cstdint>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <limits>
#include <type_traits>
#include <cuda_runtime.h>

// Python semantics for the floor division and modulo of symbolic index expressions (toC() spells them so).
__host__ __device__ inline int64_t sdfg_floordiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
__host__ __device__ inline int64_t sdfg_mod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
// Min/Max of an int64 index and an int literal: CUDA's own overloads make those calls ambiguous.
__host__ __device__ inline int64_t min(int64_t a, int b) { return a < b ? a : int64_t(b); }
__host__ __device__ inline int64_t min(int a, int64_t b) { return a < b ? int64_t(a) : b; }
__host__ __device__ inline int64_t max(int64_t a, int b) { return a > b ? a : int64_t(b); }
__host__ __device__ inline int64_t max(int a, int64_t b) { return a > b ? int64_t(a) : b; }

// Errors: the first failing CUDA call of a run is kept for the caller (sdfg_cuda_last_error) and the run stops.
static int sdfg_cuda_status = 0;
static char sdfg_cuda_message[1024] = "";
static void sdfg_cuda_fail(cudaError_t error, const char* what, int line) {
  if (sdfg_cuda_status != 0) return;
  sdfg_cuda_status = static_cast<int>(error);
  std::snprintf(sdfg_cuda_message, sizeof sdfg_cuda_message, "CUDA error %d (%s): %s, in %s (line %d)",
                static_cast<int>(error), cudaGetErrorName(error), cudaGetErrorString(error), what, line);
}
#define SDFG_CUDA_CHECK(call) \
  do { cudaError_t sdfg_error_ = (call); if (sdfg_error_ != cudaSuccess) { sdfg_cuda_fail(sdfg_error_, #call, __LINE__); goto sdfg_cleanup; } } while (0)
// A launch reports bad configurations at once (cudaGetLastError) and faults in the kernel at the next synchronization.
#define SDFG_CUDA_CHECK_LAUNCH(kernel) \
  do { cudaError_t sdfg_error_ = cudaGetLastError(); if (sdfg_error_ != cudaSuccess) { sdfg_cuda_fail(sdfg_error_, "the launch of " kernel, __LINE__); goto sdfg_cleanup; } } while (0)
// A one-dimensional grid holds at most 2^31 - 1 blocks.
static inline cudaError_t sdfg_grid_fits(int64_t blocks) {
  return blocks <= 2147483647 ? cudaSuccess : cudaErrorInvalidConfiguration;
}

extern "C" const char* sdfg_cuda_last_error(void) { return sdfg_cuda_status != 0 ? sdfg_cuda_message : nullptr; }

// Devices visible to the runtime: a negative CUDA error code when there are none (no driver, no device).
extern "C" int sdfg_cuda_device_count(void) {
  int count = 0;
  cudaError_t error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    sdfg_cuda_status = static_cast<int>(error);
    std::snprintf(sdfg_cuda_message, sizeof sdfg_cuda_message, "%s (%s, error %d)", cudaGetErrorString(error), cudaGetErrorName(error),
                  static_cast<int>(error));
    cudaGetLastError();
    return -static_cast<int>(error);
  }
  return count;
}

// Kernel times of the last run in milliseconds, when the program was emitted with profiling.
static double sdfg_cuda_times[256];
static int sdfg_cuda_timed = 0;
extern "C" int sdfg_cuda_profile(double* milliseconds, int capacity) {
  for (int k = 0; k < sdfg_cuda_timed && k < capacity; ++k) milliseconds[k] = sdfg_cuda_times[k];
  return sdfg_cuda_timed;
}
`;

const half = '#include <cuda_fp16.h>\n';

const groups = String.raw`#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
namespace cg = cooperative_groups;
`;

const atomics = String.raw`
// Combine value into *address atomically with a compare-and-swap loop on the bits of the word holding it, for
// operations and types CUDA has no native atomic for (min/max of floats, products, custom, 1- and 2-byte types).
template <typename To, typename From>
__device__ inline To sdfg_bit_cast(From from) {
  To to;
  memcpy(&to, &from, sizeof(To));
  return to;
}
template <typename T, typename F>
__device__ inline void sdfg_atomic_combine(T* address, T value, F combine) {
  if constexpr (sizeof(T) == 8 || sizeof(T) == 4) {
    using Word = typename std::conditional<sizeof(T) == 8, unsigned long long, unsigned int>::type;
    Word* word = reinterpret_cast<Word*>(address);
    Word old = *word, assumed;
    do {
      assumed = old;
      old = atomicCAS(word, assumed, sdfg_bit_cast<Word>(combine(sdfg_bit_cast<T>(assumed), value)));
    } while (old != assumed);
  } else {
    // 1- and 2-byte values: swap the aligned 32-bit word that holds them.
    unsigned int* word = reinterpret_cast<unsigned int*>(reinterpret_cast<uintptr_t>(address) & ~uintptr_t(3));
    const unsigned shift = (reinterpret_cast<uintptr_t>(address) & 3) * 8;
    const unsigned mask = sizeof(T) == 1 ? 0xffu : 0xffffu;
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      using Bits = typename std::conditional<sizeof(T) == 1, unsigned char, unsigned short>::type;
      const T current = sdfg_bit_cast<T>(static_cast<Bits>((assumed >> shift) & mask));
      const unsigned int next = static_cast<unsigned int>(sdfg_bit_cast<Bits>(combine(current, value)));
      old = atomicCAS(word, assumed, (assumed & ~(mask << shift)) | (next << shift));
    } while (old != assumed);
  }
}
`;

/** The prelude for a program using `features`. */
export function cudaRuntime(features: CudaFeatures): string {
  let text = base;
  const extra = [features.half ? half : '', features.groups ? groups : '', features.cublas ? '#include <cublas_v2.h>\n' : ''].join('');
  if (extra) text = text.replace('#include <cuda_runtime.h>\n', `#include <cuda_runtime.h>\n${extra}`);
  if (features.atomics) text += atomics;
  return text;
}
