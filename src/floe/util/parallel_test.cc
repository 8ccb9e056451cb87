// The shared pool's guarantees: every item runs once, the lowest failing
// index wins, ordered consumption within the window, and no deadlock when
// the pool's threads are all busy (the caller does the work itself).
#include "floe/util/parallel.h"

#include <arrow/io/interfaces.h>
#include <arrow/util/thread_pool.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace floe::util {
namespace {

TEST(ParallelFor, RunsEveryItemOnceAndReportsTheLowestFailure) {
  std::vector<std::atomic<int>> seen(1000);
  ASSERT_TRUE(ParallelFor(seen.size(), 8, [&](size_t i) {
                seen[i].fetch_add(1);
                return Status::OK();
              }).ok());
  for (auto& s : seen) EXPECT_EQ(s.load(), 1);
  Status st = ParallelFor(1000, 8, [&](size_t i) {
    return i == 700 || i == 300 ? Status::Invalid("item ", i) : Status::OK();
  });
  EXPECT_FALSE(st.ok());
  // 300 is handed out before 700; once it fails no new item starts, so the
  // lowest failing index reached is 300.
  EXPECT_EQ(st.message(), "item 300");
}

TEST(ParallelFor, NestedCallsFinish) {
  std::atomic<int> total{0};
  ASSERT_TRUE(ParallelFor(16, 4, [&](size_t) {
                return ParallelFor(16, 4, [&](size_t) {
                  total.fetch_add(1);
                  return Status::OK();
                });
              }).ok());
  EXPECT_EQ(total.load(), 256);
}

// --threads: one number for Floe's loops and Arrow's CPU and I/O pools; 0
// goes back to every default.
TEST(SetThreads, CapsEveryPoolAndZeroRestores) {
  const int default_io_bound = DefaultParallelism();
  const int default_cpu = CpuParallelism();
  const int cpu_before = arrow::GetCpuThreadPoolCapacity();
  const int io_before = arrow::io::GetIOThreadPoolCapacity();
  ASSERT_TRUE(SetThreads(3).ok());
  EXPECT_EQ(DefaultParallelism(), 3);
  EXPECT_EQ(CpuParallelism(), 3);
  EXPECT_EQ(arrow::GetCpuThreadPoolCapacity(), 3);
  EXPECT_EQ(arrow::io::GetIOThreadPoolCapacity(), 3);
  EXPECT_FALSE(SetThreads(-1).ok());
  EXPECT_FALSE(SetThreads(257).ok());
  EXPECT_EQ(CpuParallelism(), 3);  // a refused value changes nothing
  ASSERT_TRUE(SetThreads(0).ok());
  EXPECT_EQ(DefaultParallelism(), default_io_bound);
  EXPECT_EQ(CpuParallelism(), default_cpu);
  EXPECT_EQ(arrow::GetCpuThreadPoolCapacity(), cpu_before);
  EXPECT_EQ(arrow::io::GetIOThreadPoolCapacity(), io_before);
}

TEST(OrderedParallelFor, ConsumesInOrderWithinTheWindow) {
  const size_t n = 200, window = 5;
  std::mutex mu;
  size_t consumed = 0;
  size_t max_ahead = 0;
  std::vector<int> slots(n, -1);
  std::vector<size_t> order;
  ASSERT_TRUE(OrderedParallelFor(
                  n, 4, window,
                  [&](size_t i) {
                    std::lock_guard<std::mutex> lock(mu);
                    max_ahead = std::max(max_ahead, i + 1 - consumed);
                    slots[i] = static_cast<int>(i) * 2;
                    return Status::OK();
                  },
                  [&](size_t i) {
                    std::lock_guard<std::mutex> lock(mu);
                    EXPECT_EQ(slots[i], static_cast<int>(i) * 2);
                    order.push_back(i);
                    consumed = i + 1;
                    return Status::OK();
                  })
                  .ok());
  ASSERT_EQ(order.size(), n);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(order[i], i);
  EXPECT_LE(max_ahead, window + 1);
}

TEST(OrderedParallelFor, ErrorsOfProduceAndConsumeStopIt) {
  std::atomic<int> consumed{0};
  Status st = OrderedParallelFor(
      100, 4, 8, [](size_t i) { return i == 40 ? Status::IOError("bad ", i) : Status::OK(); },
      [&](size_t) {
        consumed.fetch_add(1);
        return Status::OK();
      });
  EXPECT_EQ(st.message(), "bad 40");
  EXPECT_EQ(consumed.load(), 40);
  st = OrderedParallelFor(
      100, 4, 8, [](size_t) { return Status::OK(); },
      [](size_t i) { return i == 10 ? Status::Cancelled("enough") : Status::OK(); });
  EXPECT_EQ(st.message(), "enough");
}

// OrderedStreamingFor: consume(i) runs while a helper still produces item
// i (so a scan can hand over a file's batches as they are decoded); an item
// the caller runs before consuming it is the next one; help() runs items
// ahead on the caller; errors of produce still count.
TEST(OrderedStreamingFor, ConsumesWhileAHelperProduces) {
  const size_t n = 40;
  const std::thread::id caller = std::this_thread::get_id();
  std::mutex mu;
  std::condition_variable cv;
  std::vector<char> consuming(n, 0);
  size_t next_to_consume = 0;
  bool in_consume = false;
  int overlapped = 0, caller_out_of_turn = 0;
  Status st = OrderedStreamingFor(
      n, 3, 4,
      [&](size_t i) {
        std::unique_lock<std::mutex> lock(mu);
        if (std::this_thread::get_id() == caller) {
          // Before consume(i) only the next item; from help() only later ones.
          if (in_consume ? i < next_to_consume : i != next_to_consume) ++caller_out_of_turn;
          lock.unlock();
          // Slow enough that the helpers, once started, take items too.
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          return i == 30 ? Status::IOError("bad ", i) : Status::OK();
        }
        // A helper: wait (bounded) for the consumer to start on this item
        // (items past the failing one are never consumed).
        if (i <= 30 && cv.wait_for(lock, std::chrono::seconds(2), [&] { return consuming[i] != 0; })) {
          ++overlapped;
        }
        return i == 30 ? Status::IOError("bad ", i) : Status::OK();
      },
      [&](size_t i, const std::function<bool()>& help) {
        {
          std::lock_guard<std::mutex> lock(mu);
          consuming[i] = 1;
          next_to_consume = i + 1;
          in_consume = true;
          cv.notify_all();
        }
        if (i % 4 == 0) (void)help();
        std::lock_guard<std::mutex> lock(mu);
        in_consume = false;
        return Status::OK();
      });
  EXPECT_EQ(st.message(), "bad 30");
  EXPECT_GT(overlapped, 0) << "no item was consumed while it was produced";
  EXPECT_EQ(caller_out_of_turn, 0);
}

// help() lets a waiting consumer decode ahead, within the window: with no
// helper at all every item is still produced once, and those help() runs
// are ahead of the one being consumed.
TEST(OrderedStreamingFor, HelpRunsItemsAheadWithinTheWindow) {
  const size_t n = 12, window = 3;
  std::vector<int> produced(n, 0);
  size_t consuming = SIZE_MAX;
  int helped = 0, behind = 0, beyond_window = 0;
  Status st = OrderedStreamingFor(
      n, /*threads=*/1, window,
      [&](size_t i) {
        ++produced[i];
        if (consuming != SIZE_MAX && i <= consuming) ++behind;
        if (consuming != SIZE_MAX && i > consuming + window) ++beyond_window;
        return Status::OK();
      },
      [&](size_t i, const std::function<bool()>& help) {
        consuming = i;
        while (help()) ++helped;
        consuming = SIZE_MAX;
        return Status::OK();
      });
  ASSERT_TRUE(st.ok()) << st.ToString();
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(produced[i], 1) << "item " << i;
  EXPECT_GT(helped, 0);
  EXPECT_EQ(behind, 0);
  EXPECT_EQ(beyond_window, 0);
}

// Every pool thread is held by a blocked task; work started now must still
// finish, done by its caller. Without that it would wait forever.
TEST(OrderedParallelFor, FinishesWhenThePoolIsBusy) {
  const int hold = 48;
  std::latch started(hold);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    (void)ParallelFor(hold, hold, [&](size_t) {
      started.count_down();
      released.wait();
      return Status::OK();
    });
  });
  started.wait();  // the pool's helpers (and the holder thread) are all blocked
  auto inner = std::async(std::launch::async, [] {
    std::atomic<int> produced{0};
    Status st = OrderedParallelFor(
        20, 4, 2,
        [&](size_t) {
          produced.fetch_add(1);
          return ParallelFor(4, 4, [](size_t) { return Status::OK(); });
        },
        [](size_t) { return Status::OK(); });
    return st.ok() && produced.load() == 20;
  });
  const bool finished = inner.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  release.set_value();
  holder.join();
  ASSERT_TRUE(finished) << "work waited for busy pool threads";
  EXPECT_TRUE(inner.get());
}

}  // namespace
}  // namespace floe::util
