#include "floe/util/random_ids.h"

#include <chrono>
#include <cstdio>
#include <random>

namespace floe::util {

namespace {
std::mt19937_64& Rng() {
  // Seeded per thread from the OS, mixed with the thread's address so forked
  // processes that share a seed state still diverge.
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    int local = 0;
    seed ^= reinterpret_cast<uintptr_t>(&local);
    seed ^= static_cast<uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    return seed;
  }());
  return rng;
}

void RandomUuidHalves(uint64_t* hi, uint64_t* lo) {
  *hi = Rng()();
  *lo = Rng()();
  *hi = (*hi & ~0xF000ULL) | 0x4000ULL;                          // version 4
  *lo = (*lo & ~(0xC000000000000000ULL)) | 0x8000000000000000ULL;  // IETF variant
}
}  // namespace

std::string RandomUuid() {
  uint64_t hi, lo;
  RandomUuidHalves(&hi, &lo);
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

int64_t RandomSnapshotId() {
  while (true) {
    uint64_t hi, lo;
    RandomUuidHalves(&hi, &lo);
    int64_t id = static_cast<int64_t>((hi ^ lo) & 0x7FFFFFFFFFFFFFFFULL);
    if (id != 0) return id;
  }
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace floe::util
