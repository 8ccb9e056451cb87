// Running independent tasks on a few threads, all of them from one
// process-wide pool (an Arrow ThreadPool of Floe's own, separate from
// Arrow's CPU and I/O pools, so a Floe task that waits on Arrow I/O never
// holds a thread Arrow needs to finish it). Nothing creates threads per call.
//
// No deadlock by construction: the calling thread takes part in the work,
// and waits only for helpers that are already running an item, never for
// one still queued behind busy pool threads. So a task may itself call
// ParallelFor (nested work runs on the caller when the pool is busy), and
// any number of callers may share the pool.
//
// Thread-safe. `fn` must not throw.
#pragma once

#include <cstddef>
#include <functional>

#include "floe/status.h"

namespace floe::util {

// Threads to use for I/O-bound work: FLOE_THREADS if set, else twice the
// hardware threads (I/O waits dominate), at least 2.
int DefaultParallelism();

// Threads to use for CPU-bound work (encoding, decoding): FLOE_THREADS if
// set, else the hardware threads.
int CpuParallelism();

// Calls fn(i) for i in [0, n) on up to `threads` threads (the caller's
// thread included). Stops handing out new items after the first error and
// returns it (the one with the lowest index among those that failed).
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn);

// When OrderedParallelFor hands item i to the consumer.
enum class ConsumeWhen {
  kProduced,  // after produce(i) returned
  // As soon as produce(i) runs on a helper, so consume(i) can take what
  // produce(i) hands over while it still produces (through the caller's own
  // synchronised queue, which produce closes when it is done). An item the
  // caller runs itself (no helper free) is always the next one to consume:
  // produce(i) may then deliver straight to the consumer.
  kStarted,
};

// produce(i) for i in [0, n) on up to `threads` threads, never more than
// `window` items ahead of the consumer, and consume(i) in index order on
// the calling thread (after produce(i), or while it runs: `when`). The first
// error (of produce at the lowest index reached, or of consume) stops both
// and is returned. Used for ordered read-ahead: results of item i kept by
// produce (in the caller's slots) are handed over by consume.
Status OrderedParallelFor(size_t n, int threads, size_t window,
                          const std::function<Status(size_t)>& produce,
                          const std::function<Status(size_t)>& consume,
                          ConsumeWhen when = ConsumeWhen::kProduced);

}  // namespace floe::util
