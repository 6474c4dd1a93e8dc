// hls_stream.h of sdfg-ts, for C-simulation only: hls::stream<T, DEPTH> is a bounded blocking FIFO, and each
// process of a dataflow region runs on its own thread, so feedback and back-pressure behave as on hardware.
// When every process of a region is blocked on a stream, the simulation reports a deadlock (naming the streams)
// instead of hanging. Vitis HLS brings its own hls_stream.h: do not add this file to a Vitis project.
#ifndef SDFG_TS_HLS_STREAM_H
#define SDFG_TS_HLS_STREAM_H

// Generated kernels test this to run dataflow processes on threads; with any other hls_stream.h they are plain calls.
#define SDFG_HLS_THREADED_DATAFLOW 1

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hls_sim {

class stream_base;
class region;

/** Raised in every blocked process of a deadlocked region, and by `region::join` to the caller. */
class deadlock_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One mutex guards every stream and region: a simple design, and it makes the deadlock check exact, since the
// check sees every FIFO and every process at one instant.
inline std::mutex& global_mutex() {
  static std::mutex m;
  return m;
}
inline std::condition_variable& global_changed() {
  static std::condition_variable c;
  return c;
}

/** Seconds one blocked stream access may wait before the simulation gives up (HLS_SIM_TIMEOUT_S, default 60). */
inline double timeout_seconds() {
  static const double seconds = [] {
    const char* text = std::getenv("HLS_SIM_TIMEOUT_S");
    const double value = text ? std::atof(text) : 0.0;
    return value > 0 ? value : 60.0;
  }();
  return seconds;
}

/** A thread of a dataflow region, and the stream access it is blocked on (if any). */
struct process {
  std::string name;
  region* owner = nullptr;
  const stream_base* waiting_on = nullptr;
  bool waiting_to_write = false;
  bool done = false;
};

inline process*& current_process() {
  static thread_local process* p = nullptr;
  return p;
}

class stream_base {
 public:
  stream_base() = default;
  stream_base(const stream_base&) = delete;
  stream_base& operator=(const stream_base&) = delete;
  virtual ~stream_base() = default;
  const std::string& name() const { return name_; }
  void set_name(const std::string& name) { name_ = name; }
  // The following are called with the global mutex held.
  virtual long count_locked() const = 0;
  virtual long depth() const = 0;
  bool ready_locked(bool writing) const { return writing ? count_locked() < depth() : count_locked() > 0; }
  std::string describe_locked(bool writing) const {
    std::string text = "stream '" + (name_.empty() ? std::string("(unnamed)") : name_) + "'";
    return text + (writing ? " (full, " : " (empty, ") + "depth " + std::to_string(depth()) + ")";
  }

 protected:
  std::string name_;
};

/** Processes started together and joined together: the threads of one dataflow region. */
class region {
 public:
  explicit region(const char* name) : name_(name) {}
  region(const region&) = delete;
  region& operator=(const region&) = delete;
  ~region() {
    // A region left by an exception still joins its threads (they see the failure and stop).
    if (!joined_) {
      fail("the dataflow region was left early");
      for (std::thread& t : threads_) if (t.joinable()) t.join();
    }
  }

  /** Start a process; `call` is the call's text, of which the function name is kept for messages. */
  template <typename Body>
  void spawn(const char* call, Body body) {
    std::string name(call);
    name = name.substr(0, name.find('('));
    auto* p = new process;
    p->name = name;
    p->owner = this;
    {
      std::lock_guard<std::mutex> lock(global_mutex());
      processes_.emplace_back(p);
    }
    threads_.emplace_back([this, p, body]() mutable {
      current_process() = p;
      try {
        body();
      } catch (const deadlock_error&) {
        // reported once, by join()
      } catch (...) {
        std::lock_guard<std::mutex> lock(global_mutex());
        if (!error_) error_ = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(global_mutex());
      p->done = true;
      global_changed().notify_all();
    });
  }

  /** Wait for every process; throws deadlock_error after a deadlock, or rethrows what a process threw. */
  void join() {
    {
      // Only a sealed region can be judged deadlocked: before, a process still to be spawned could unblock the rest.
      std::lock_guard<std::mutex> lock(global_mutex());
      sealed_ = true;
      global_changed().notify_all();
    }
    for (std::thread& t : threads_) t.join();
    joined_ = true;
    if (!failure_.empty()) throw deadlock_error(failure_);
    if (error_) std::rethrow_exception(error_);
  }

  // Called with the global mutex held.
  bool sealed_locked() const { return sealed_; }
  const std::string& failure_locked() const { return failure_; }

  /** True when every live process waits on a stream access that cannot complete now. */
  bool deadlocked_locked() const {
    bool any = false;
    for (const auto& p : processes_) {
      if (p->done) continue;
      if (p->waiting_on == nullptr || p->waiting_on->ready_locked(p->waiting_to_write)) return false;
      any = true;
    }
    return any;
  }

  std::string describe_locked(const std::string& what, const std::string& why) const {
    std::string text = what + " in dataflow region '" + name_ + "': " + why;
    for (const auto& p : processes_) {
      if (p->done) continue;
      text += "\n  process " + p->name;
      if (p->waiting_on == nullptr) text += " is running";
      else text += std::string(p->waiting_to_write ? " waits to write " : " waits to read ") + p->waiting_on->describe_locked(p->waiting_to_write);
    }
    return text;
  }

  void fail_locked(const std::string& message) {
    if (failure_.empty()) failure_ = message;
    global_changed().notify_all();
  }

 private:
  void fail(const std::string& message) {
    std::lock_guard<std::mutex> lock(global_mutex());
    fail_locked(message);
  }

  std::string name_;
  std::vector<std::unique_ptr<process>> processes_;
  std::vector<std::thread> threads_;
  std::string failure_;
  std::exception_ptr error_;
  bool sealed_ = false;
  bool joined_ = false;
};

/**
 * Block until `s` can be read (or written): the heart of the simulation. Outside any region nothing else runs, so a
 * stream that is not ready never will be; inside one, the region is deadlocked when every live process waits so.
 */
inline void wait_ready(std::unique_lock<std::mutex>& lock, const stream_base& s, bool writing) {
  if (s.ready_locked(writing)) return;
  process* self = current_process();
  if (self == nullptr) {
    throw deadlock_error("deadlock: sequential code (outside any dataflow region) waits to " + std::string(writing ? "write " : "read ") +
                         s.describe_locked(writing) + ", and nothing else runs to " + (writing ? "drain" : "fill") + " it");
  }
  region& r = *self->owner;
  self->waiting_on = &s;
  self->waiting_to_write = writing;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds());
  while (!s.ready_locked(writing)) {
    if (r.failure_locked().empty() && r.sealed_locked() && r.deadlocked_locked()) {
      r.fail_locked(r.describe_locked("deadlock", "every process is blocked on a stream"));
    }
    if (r.failure_locked().empty() && std::chrono::steady_clock::now() >= deadline) {
      r.fail_locked(r.describe_locked("timeout", "a stream access waited " + std::to_string(static_cast<int>(timeout_seconds())) + " s"));
    }
    if (!r.failure_locked().empty()) {
      self->waiting_on = nullptr;
      throw deadlock_error(r.failure_locked());
    }
    global_changed().wait_until(lock, deadline);
  }
  self->waiting_on = nullptr;
}

/** Names the elements of an array of streams "base[k]" for the simulator's messages. */
template <typename Stream, std::size_t N>
void name_streams(Stream (&streams)[N], const char* base) {
  for (std::size_t k = 0; k < N; ++k) streams[k].set_name(std::string(base) + "[" + std::to_string(k) + "]");
}

}  // namespace hls_sim

namespace hls {

/** A FIFO of at most DEPTH elements: read blocks while it is empty, write blocks while it is full. */
template <typename T, int DEPTH = 2>
class stream : public hls_sim::stream_base {
  static_assert(DEPTH > 0, "a stream holds at least one element");

 public:
  stream() = default;
  explicit stream(const char* name) { set_name(name); }
  ~stream() override {
    if (!items_.empty()) std::fprintf(stderr, "WARNING: hls::stream '%s' contains leftover data (%zu elements)\n", name_.c_str(), items_.size());
  }

  T read() {
    std::unique_lock<std::mutex> lock(hls_sim::global_mutex());
    hls_sim::wait_ready(lock, *this, false);
    T value = items_.front();
    items_.pop_front();
    hls_sim::global_changed().notify_all();
    return value;
  }
  void read(T& value) { value = read(); }
  void write(const T& value) {
    std::unique_lock<std::mutex> lock(hls_sim::global_mutex());
    hls_sim::wait_ready(lock, *this, true);
    items_.push_back(value);
    hls_sim::global_changed().notify_all();
  }
  bool read_nb(T& value) {
    std::lock_guard<std::mutex> lock(hls_sim::global_mutex());
    if (items_.empty()) return false;
    value = items_.front();
    items_.pop_front();
    hls_sim::global_changed().notify_all();
    return true;
  }
  bool write_nb(const T& value) {
    std::lock_guard<std::mutex> lock(hls_sim::global_mutex());
    if (static_cast<long>(items_.size()) >= DEPTH) return false;
    items_.push_back(value);
    hls_sim::global_changed().notify_all();
    return true;
  }
  bool empty() const {
    std::lock_guard<std::mutex> lock(hls_sim::global_mutex());
    return items_.empty();
  }
  bool full() const {
    std::lock_guard<std::mutex> lock(hls_sim::global_mutex());
    return static_cast<long>(items_.size()) >= DEPTH;
  }
  int size() const {
    std::lock_guard<std::mutex> lock(hls_sim::global_mutex());
    return static_cast<int>(items_.size());
  }
  void operator>>(T& value) { read(value); }
  void operator<<(const T& value) { write(value); }

  long count_locked() const override { return static_cast<long>(items_.size()); }
  long depth() const override { return DEPTH; }

 private:
  std::deque<T> items_;
};

}  // namespace hls

#endif  // SDFG_TS_HLS_STREAM_H
