#include "floe/util/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "floe/util/strings.h"

namespace floe::util {

int DefaultParallelism() {
  if (const char* env = std::getenv("FLOE_THREADS")) {
    if (auto v = ParseInt64(env); v && *v > 0) return static_cast<int>(std::min<int64_t>(*v, 256));
  }
  unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::max(2u, hw * 2));
}

int CpuParallelism() {
  if (const char* env = std::getenv("FLOE_THREADS")) {
    if (auto v = ParseInt64(env); v && *v > 0) return static_cast<int>(std::min<int64_t>(*v, 256));
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn) {
  if (n == 0) return Status::OK();
  size_t workers = std::min<size_t>(n, static_cast<size_t>(std::max(1, threads)));
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  size_t error_index = n;
  Status error;
  auto run = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      Status st = fn(i);
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (i < error_index) {
          error_index = i;
          error = st;
        }
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
  return error;
}

}  // namespace floe::util
