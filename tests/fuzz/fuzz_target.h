// Fuzz targets: one function of one input each, which must return normally
// for every input (a value or an error, never a crash, hang or unbounded
// allocation) and whose properties — round trips, agreement of two
// implementations, the model a rule defines — are checked with
// FLOE_FUZZ_CHECK.
//
// The same bodies run two ways: under libFuzzer (scripts/fuzz.sh; one
// executable per target, fuzz_entry.cc) and replayed by the unit test
// floe_fuzz_replay_test over every seed in corpus/<target>/ and every past
// failure in regressions/<target>/, in each CI run.
//
// A target keeps no state between inputs except caches that do not change
// its result (a schema built once).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace floe::fuzz {

using TargetFn = void (*)(std::string_view input);

struct Target {
  const char* name;
  TargetFn fn;
};

// Every target linked into this program, in registration order.
const std::vector<Target>& Targets();
bool RegisterTarget(const char* name, TargetFn fn);

// Called when a property fails. The default prints `what` with the place
// and aborts (libFuzzer then saves the input); the replay test records the
// failure instead and goes on.
using FailureHandler = void (*)(const char* file, int line, const std::string& what);
void SetFailureHandler(FailureHandler handler);  // nullptr: the default
void PropertyFailed(const char* file, int line, const std::string& what);

}  // namespace floe::fuzz

// Defines target `name`: FLOE_FUZZ_TARGET(filter) { ... input ... }
#define FLOE_FUZZ_TARGET(name)                                                 \
  static void FloeFuzzTarget_##name(std::string_view input);                  \
  [[maybe_unused]] static const bool floe_fuzz_registered_##name =            \
      ::floe::fuzz::RegisterTarget(#name, &FloeFuzzTarget_##name);            \
  static void FloeFuzzTarget_##name(std::string_view input)

// Checks a property; on failure reports `what` (evaluated only then) and
// returns from the enclosing void function.
#define FLOE_FUZZ_CHECK(cond, what)                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      ::floe::fuzz::PropertyFailed(__FILE__, __LINE__, (what));      \
      return;                                                        \
    }                                                                \
  } while (0)
