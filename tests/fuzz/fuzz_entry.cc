// libFuzzer's entry point for an executable that links exactly one target.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const floe::fuzz::TargetFn fn = [] {
    const auto& targets = floe::fuzz::Targets();
    if (targets.size() != 1) {
      std::fprintf(stderr, "fuzz: expected one target in this program, found %zu\n",
                   targets.size());
      std::abort();
    }
    return targets.front().fn;
  }();
  fn(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
