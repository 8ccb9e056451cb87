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
#include <optional>

#include "floe/status.h"

namespace floe::util {

// Threads to use for I/O-bound work: SetThreads's value if set, else
// FLOE_THREADS if set, else twice the hardware threads (I/O waits
// dominate), at least 2.
int DefaultParallelism();

// Threads to use for CPU-bound work (encoding, decoding): SetThreads's
// value, else FLOE_THREADS if set, else the hardware threads.
int CpuParallelism();

// FLOE_THREADS when it is a positive number (above 256: 256); else none.
std::optional<int> ThreadsFromEnv();

// Caps the threads of every pool the process uses at `threads` (1..256):
// what DefaultParallelism and CpuParallelism return, so Floe's own pool and
// every planning, decoding and writing loop, and Arrow's CPU pool
// (column decoding) and I/O pool (object store reads). 0 goes back to the
// defaults (FLOE_THREADS or the hardware; Arrow's pools as they were). For
// `floe --threads`; call it at start-up, before work starts. Invalid
// outside 0..256, changing nothing.
Status SetThreads(int threads);

// Calls fn(i) for i in [0, n) on up to `threads` threads (the caller's
// thread included). Stops handing out new items after the first error and
// returns it (the one with the lowest index among those that failed).
Status ParallelFor(size_t n, int threads, const std::function<Status(size_t)>& fn);

// produce(i) for i in [0, n) on up to `threads` threads, never more than
// `window` items ahead of the consumer, and consume(i) in index order on
// the calling thread once produce(i) finished. The first error (of produce
// at the lowest index reached, or of consume) stops both and is returned.
// Used for ordered read-ahead: results of item i kept by produce (in the
// caller's slots) are handed over by consume.
Status OrderedParallelFor(size_t n, int threads, size_t window,
                          const std::function<Status(size_t)>& produce,
                          const std::function<Status(size_t)>& consume);

// As OrderedParallelFor, but consume(i) is called as soon as produce(i) runs
// on a helper, so it can take what produce(i) hands over while it still
// produces (through the caller's own synchronised queue, which produce
// closes when it is done). An item the caller runs itself before consuming
// it is the next one to consume. While consume(i) waits for its queue it
// should call help(): that runs one item no helper has claimed yet (within
// the window) on the caller's thread, and returns false when there is none
// — so the caller decodes too instead of only waiting. Items help() runs are
// always ahead of the one being consumed.
Status OrderedStreamingFor(
    size_t n, int threads, size_t window, const std::function<Status(size_t)>& produce,
    const std::function<Status(size_t, const std::function<bool()>& help)>& consume);

}  // namespace floe::util
