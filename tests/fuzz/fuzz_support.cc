#include <cstdio>
#include <cstdlib>

#include "fuzz_target.h"

namespace floe::fuzz {

namespace {

std::vector<Target>& MutableTargets() {
  static std::vector<Target> targets;
  return targets;
}

void AbortOnFailure(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "fuzz property failed at %s:%d: %s\n", file, line, what.c_str());
  std::abort();
}

FailureHandler& Handler() {
  static FailureHandler handler = &AbortOnFailure;
  return handler;
}

}  // namespace

const std::vector<Target>& Targets() { return MutableTargets(); }

bool RegisterTarget(const char* name, TargetFn fn) {
  MutableTargets().push_back(Target{name, fn});
  return true;
}

void SetFailureHandler(FailureHandler handler) {
  Handler() = handler ? handler : &AbortOnFailure;
}

void PropertyFailed(const char* file, int line, const std::string& what) {
  Handler()(file, line, what);
}

}  // namespace floe::fuzz
