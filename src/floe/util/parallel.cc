#include "floe/util/parallel.h"

#include <arrow/io/interfaces.h>
#include <arrow/util/thread_pool.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "floe/util/strings.h"

namespace floe::util {

namespace {
std::atomic<int> g_threads{0};  // SetThreads; 0: not set
}  // namespace

std::optional<int> ThreadsFromEnv() {
  const char* env = std::getenv("FLOE_THREADS");
  if (env == nullptr) return std::nullopt;
  auto v = ParseInt64(env);
  if (!v || *v <= 0) return std::nullopt;
  return static_cast<int>(std::min<int64_t>(*v, 256));
}

Status SetThreads(int threads) {
  if (threads < 0 || threads > 256) {
    return Status::Invalid("threads must be between 1 and 256 (0: the default), not ", threads);
  }
  // Arrow's own sizes, kept from before the first change so 0 restores them.
  static const int arrow_cpu = arrow::GetCpuThreadPoolCapacity();
  static const int arrow_io = arrow::io::GetIOThreadPoolCapacity();
  const int cpu = threads > 0 ? threads : arrow_cpu;
  const int io = threads > 0 ? threads : arrow_io;
  if (auto st = arrow::SetCpuThreadPoolCapacity(cpu); !st.ok()) {
    return Status::IOError("cannot resize Arrow's CPU thread pool to ", cpu, ": ", st.ToString());
  }
  if (auto st = arrow::io::SetIOThreadPoolCapacity(io); !st.ok()) {
    return Status::IOError("cannot resize Arrow's I/O thread pool to ", io, ": ", st.ToString());
  }
  g_threads = threads;
  return Status::OK();
}

int DefaultParallelism() {
  if (const int set = g_threads.load(); set > 0) return set;
  if (std::optional<int> env = ThreadsFromEnv()) return *env;
  unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(2u, hw * 2));
}

int CpuParallelism() {
  if (const int set = g_threads.load(); set > 0) return set;
  if (std::optional<int> env = ThreadsFromEnv()) return *env;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

namespace {

constexpr int kMaxPoolThreads = 256;

// The pool, with at least `helpers` threads (grown on demand, never
// shrunk); nullptr if Arrow cannot make one (callers then work alone).
// MakeEternal: the pool outlives static destruction, as Arrow's own do.
arrow::internal::ThreadPool* Pool(int helpers) {
  static std::mutex mu;
  static std::shared_ptr<arrow::internal::ThreadPool> pool;
  std::lock_guard<std::mutex> lock(mu);
  helpers = std::clamp(helpers, 1, kMaxPoolThreads);
  if (!pool) {
    auto made = arrow::internal::ThreadPool::MakeEternal(std::max(helpers, DefaultParallelism()));
    if (!made.ok()) return nullptr;
    pool = *made;
  } else if (pool->GetCapacity() < helpers) {
    (void)pool->SetCapacity(helpers);  // on failure the pool keeps its size: slower, not wrong
  }
  return pool.get();
}

// What the caller and its helpers share. Helpers hold it by shared_ptr; a
// helper touches the caller's functions only while counted in `active`,
// and the caller returns only once `finished` is set and `active` is zero,
// so a helper that starts late returns without touching them.
struct Shared {
  std::mutex mu;
  std::condition_variable cv;
  int active = 0;
  bool finished = false;
};

// Spawns up to `helpers` runs of `body` on the pool, each guarded as above.
void SpawnHelpers(const std::shared_ptr<Shared>& shared, int helpers,
                  std::function<void()> body) {
  arrow::internal::ThreadPool* pool = Pool(helpers);
  if (pool == nullptr) return;
  auto shared_body = std::make_shared<std::function<void()>>(std::move(body));
  for (int t = 0; t < helpers; ++t) {
    Status spawned = Status::OK();
    auto st = pool->Spawn([shared, shared_body] {
      {
        std::lock_guard<std::mutex> lock(shared->mu);
        if (shared->finished) return;
        ++shared->active;
      }
      (*shared_body)();
      {
        std::lock_guard<std::mutex> lock(shared->mu);
        --shared->active;
      }
      shared->cv.notify_all();
    });
    if (!st.ok()) return;  // the caller works alone
  }
}

// Marks the work finished and waits for the helpers that are running.
void Finish(Shared& shared) {
  std::unique_lock<std::mutex> lock(shared.mu);
  shared.finished = true;
  shared.cv.notify_all();
  shared.cv.wait(lock, [&] { return shared.active == 0; });
}

}  // namespace

Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn) {
  if (n == 0) return Status::OK();
  const size_t workers = std::min<size_t>(n, static_cast<size_t>(std::max(1, threads)));
  if (workers == 1) {
    for (size_t i = 0; i < n; ++i) FLOE_RETURN_NOT_OK(fn(i));
    return Status::OK();
  }
  struct State {
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex mu;
    size_t error_index = SIZE_MAX;
    Status error;
  };
  auto shared = std::make_shared<Shared>();
  auto state = std::make_shared<State>();
  auto run = [state, n, &fn] {
    while (!state->failed.load(std::memory_order_relaxed)) {
      const size_t i = state->next.fetch_add(1);
      if (i >= n) return;
      Status st = fn(i);
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(state->mu);
        if (i < state->error_index) {
          state->error_index = i;
          state->error = st;
        }
        state->failed = true;
      }
    }
  };
  SpawnHelpers(shared, static_cast<int>(workers) - 1, run);
  run();
  Finish(*shared);
  return state->error;
}

namespace {

// Both ordered loops: `streaming` hands item i to consume once it runs.
Status OrderedImpl(size_t n, int threads, size_t window, bool streaming,
                   const std::function<Status(size_t)>& produce,
                   const std::function<Status(size_t, const std::function<bool()>&)>& consume) {
  if (n == 0) return Status::OK();
  window = std::max<size_t>(window, 1);
  const int helpers = static_cast<int>(std::min<size_t>(n, static_cast<size_t>(std::max(1, threads)))) - 1;
  struct State {
    explicit State(size_t n) : done(n, 0), status(n) {}
    size_t next = 0;      // items claimed: [0, next)
    size_t consumed = 0;  // items consumed: [0, consumed)
    bool stop = false;
    std::vector<char> done;
    std::vector<Status> status;
  };
  auto shared = std::make_shared<Shared>();
  auto state = std::make_shared<State>(n);
  // Claims the next item if the window allows (or `force`), runs it, records it.
  auto work_one = [state, shared, n, window, &produce](std::unique_lock<std::mutex>& lock,
                                                       bool force) -> bool {
    if (state->stop || state->next >= n) return false;
    if (!force && state->next >= state->consumed + window) return false;
    const size_t i = state->next++;
    lock.unlock();
    Status st = produce(i);
    lock.lock();
    state->done[i] = 1;
    state->status[i] = std::move(st);
    shared->cv.notify_all();
    return true;
  };
  SpawnHelpers(shared, helpers, [state, shared, n, window, work_one] {
    std::unique_lock<std::mutex> lock(shared->mu);
    while (true) {
      shared->cv.wait(lock, [&] {
        return state->stop || state->next >= n || state->next < state->consumed + window;
      });
      if (!work_one(lock, false)) {
        if (state->stop || state->next >= n) return;
      }
    }
  });
  // For a streaming consumer that waits: one unclaimed item within the window.
  const std::function<bool()> help = [&]() -> bool {
    std::unique_lock<std::mutex> lock(shared->mu);
    return work_one(lock, false);
  };
  Status result;
  for (size_t i = 0; i < n && result.ok(); ++i) {
    bool running = false;  // consumed while a helper still produces it
    {
      std::unique_lock<std::mutex> lock(shared->mu);
      while (!state->done[i]) {
        // Unclaimed (helpers busy elsewhere or not started): do it here.
        if (state->next <= i) {
          work_one(lock, true);
        } else if (streaming) {
          running = true;  // a helper runs it: it cannot be stuck in a queue
          break;
        } else {
          shared->cv.wait(lock);
        }
      }
      if (!running) {
        if (!state->status[i].ok()) {
          result = state->status[i];
          break;
        }
        state->status[i] = Status::OK();
      }
      state->consumed = i + 1;
      shared->cv.notify_all();
    }
    result = consume(i, help);
    if (running) {
      std::unique_lock<std::mutex> lock(shared->mu);
      shared->cv.wait(lock, [&] { return state->done[i] != 0; });
      if (result.ok()) result = state->status[i];
      state->status[i] = Status::OK();
    }
  }
  {
    std::lock_guard<std::mutex> lock(shared->mu);
    state->stop = true;
  }
  Finish(*shared);
  return result;
}

}  // namespace

Status OrderedParallelFor(size_t n, int threads, size_t window,
                          const std::function<Status(size_t)>& produce,
                          const std::function<Status(size_t)>& consume) {
  return OrderedImpl(n, threads, window, /*streaming=*/false, produce,
                     [&](size_t i, const std::function<bool()>&) { return consume(i); });
}

Status OrderedStreamingFor(
    size_t n, int threads, size_t window, const std::function<Status(size_t)>& produce,
    const std::function<Status(size_t, const std::function<bool()>& help)>& consume) {
  return OrderedImpl(n, threads, window, /*streaming=*/true, produce, consume);
}

}  // namespace floe::util
