// The C++ runtime prelude pasted at the top of every generated file: index helpers, streams, atomic updates.

/** Optional parts of the prelude, included only when the program uses them. */
export interface RuntimeFeatures {
  streams: boolean;
  atomics: boolean;
  blas: boolean;
}

const base = String.raw`#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <limits>
#include <algorithm>

// Loops calling math functions vectorize through glibc's vector variants (libmvec, at most 4 ulp from the scalar
// ones); glibc declares them only under -ffast-math, which would also let the compiler reorder other arithmetic.
#if defined(__x86_64__) && defined(__GLIBC__) && !defined(__FAST_MATH__)
#define SDFG_VECTOR_MATH(name) \
  extern "C" double name(double) noexcept __attribute__((simd("notinbranch"))); \
  extern "C" float name##f(float) noexcept __attribute__((simd("notinbranch")));
#define SDFG_VECTOR_MATH2(name) \
  extern "C" double name(double, double) noexcept __attribute__((simd("notinbranch"))); \
  extern "C" float name##f(float, float) noexcept __attribute__((simd("notinbranch")));
#if __GLIBC_PREREQ(2, 22)
SDFG_VECTOR_MATH(exp) SDFG_VECTOR_MATH(log) SDFG_VECTOR_MATH(sin) SDFG_VECTOR_MATH(cos) SDFG_VECTOR_MATH2(pow)
#endif
#if __GLIBC_PREREQ(2, 35)
SDFG_VECTOR_MATH(exp2) SDFG_VECTOR_MATH(log2) SDFG_VECTOR_MATH(log10) SDFG_VECTOR_MATH(tan) SDFG_VECTOR_MATH(tanh)
SDFG_VECTOR_MATH(sinh) SDFG_VECTOR_MATH(cosh) SDFG_VECTOR_MATH(asin) SDFG_VECTOR_MATH(acos) SDFG_VECTOR_MATH(atan)
SDFG_VECTOR_MATH(asinh) SDFG_VECTOR_MATH(acosh) SDFG_VECTOR_MATH(atanh) SDFG_VECTOR_MATH2(atan2)
#endif
#undef SDFG_VECTOR_MATH
#undef SDFG_VECTOR_MATH2
#endif

// Python semantics for the symbolic expressions' floor division and modulo (toC() spells them so).
static inline int64_t sdfg_floordiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static inline int64_t sdfg_mod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
static inline int64_t min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t max(int64_t a, int64_t b) { return a > b ? a : b; }

// Heap storage for large transients: 64-byte aligned, rounded up as aligned_alloc requires.
static inline void* sdfg_alloc(int64_t bytes) {
  size_t size = ((size_t)(bytes > 0 ? bytes : 1) + 63) / 64 * 64;
  return std::aligned_alloc(64, size);
}
`;

const streams = String.raw`
// A FIFO between a producer and a consumer that run one after the other in program order. The buffer
// size is the initial capacity; a full queue grows, since a sequential producer cannot wait for its consumer.
template <typename T>
struct sdfg_stream {
  T* items;
  int64_t capacity, head = 0, count = 0;
  explicit sdfg_stream(int64_t buffer_size) : capacity(buffer_size > 0 ? buffer_size : 1) {
    items = (T*)std::malloc(sizeof(T) * capacity);
  }
  ~sdfg_stream() { std::free(items); }
  sdfg_stream(const sdfg_stream&) = delete;
  sdfg_stream& operator=(const sdfg_stream&) = delete;
  bool empty() const { return count == 0; }
  int64_t size() const { return count; }
  void push(const T& value) {
    if (count == capacity) grow();
    items[(head + count) % capacity] = value;
    ++count;
  }
  // A slot at the back of the queue: s.next() = v pushes v.
  T& next() {
    if (count == capacity) grow();
    ++count;
    return items[(head + count - 1) % capacity];
  }
  T pop() {
    T value = items[head];
    head = (head + 1) % capacity;
    --count;
    return value;
  }
 private:
  void grow() {
    T* larger = (T*)std::malloc(sizeof(T) * capacity * 2);
    for (int64_t k = 0; k < count; ++k) larger[k] = items[(head + k) % capacity];
    std::free(items);
    items = larger;
    head = 0;
    capacity *= 2;
  }
};
`;

const atomics = String.raw`
// Atomic read-modify-write for combinations OpenMP's atomic construct lacks (min, max, custom).
template <typename T, typename F>
static inline void sdfg_atomic_update(T* target, T value, F combine) {
  T expected;
  __atomic_load(target, &expected, __ATOMIC_RELAXED);
  T desired = combine(expected, value);
  while (!__atomic_compare_exchange(target, &expected, &desired, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    desired = combine(expected, value);
  }
}
`;

/** The prelude text for a program using `features`. */
export function cppRuntime(features: RuntimeFeatures): string {
  let text = base;
  if (features.blas) text = text.replace('#include <algorithm>\n', '#include <algorithm>\n#include <cblas.h>\n');
  if (features.streams) text += streams;
  if (features.atomics) text += atomics;
  return text;
}
