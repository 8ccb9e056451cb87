// The shared pool's guarantees: every item runs once, the lowest failing
// index wins, ordered consumption within the window, and no deadlock when
// the pool's threads are all busy (the caller does the work itself).
#include "floe/util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
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
