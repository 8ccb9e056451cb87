// Which allocator Arrow's default memory pool uses in Floe's programs.
//
// pyarrow's wheels default to mimalloc. On Linux with transparent huge pages
// in `madvise` mode, mimalloc's fresh segments are faulted in as huge pages
// that the kernel zeroes (and sometimes compacts memory for) on first
// touch: a scan of 2M rows spent 0.05–0.67 s of system time from one run to
// the next, and a 5M-row scan more system than user time. jemalloc (in the
// same wheels) gives the same medians without the spread and ~35% less
// peak memory (bench/run_scan_bench.py, docs/PERFORMANCE.md).
#pragma once

namespace floe::util {

// Makes jemalloc Arrow's default pool for this process unless the user
// chose one (ARROW_DEFAULT_MEMORY_POOL) or this Arrow lacks it. Call first
// thing in main(), before anything allocates through Arrow: the default
// pool is chosen once, on first use. Not thread-safe (it sets an
// environment variable).
void PreferJemallocPool();

}  // namespace floe::util
