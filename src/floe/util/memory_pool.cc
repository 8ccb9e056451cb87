#include "floe/util/memory_pool.h"

#include <arrow/memory_pool.h>

#include <cstdlib>

namespace floe::util {

void PreferJemallocPool() {
  if (std::getenv("ARROW_DEFAULT_MEMORY_POOL") != nullptr) return;  // the user's choice wins
  arrow::MemoryPool* pool = nullptr;
  if (arrow::jemalloc_memory_pool(&pool).ok()) setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc", 0);
}

}  // namespace floe::util
