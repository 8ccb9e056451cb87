// Running independent tasks on a few threads. Floe's work items (manifests,
// data files) are coarse, so plain threads with an atomic work index are
// enough; no task waits on another, so nothing can deadlock.
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

}  // namespace floe::util
