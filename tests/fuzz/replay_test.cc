// Replays every fuzz target over its seed corpus (corpus/<target>/) and the
// inputs that once failed (regressions/<target>/): each must run to the
// end with every property holding. Runs in each CI run, under ASan+UBSan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_target.h"

namespace floe::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<std::string>* failures = nullptr;

void Record(const char* file, int line, const std::string& what) {
  failures->push_back(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

fs::path FuzzDir() {
  const char* root = std::getenv("FLOE_SOURCE_DIR");
  return fs::path(root ? root : ".") / "tests" / "fuzz";
}

std::vector<fs::path> Inputs(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FuzzReplay, EveryTargetHasASeedCorpus) {
  std::set<std::string> names;
  for (const Target& t : Targets()) {
    names.insert(t.name);
    EXPECT_FALSE(Inputs(FuzzDir() / "corpus" / t.name).empty())
        << "fuzz target " << t.name << " has no seeds in tests/fuzz/corpus/" << t.name;
  }
  EXPECT_GE(names.size(), 10u) << "fuzz targets missing from floe_fuzz_replay_test";
  for (const char* kind : {"corpus", "regressions"}) {
    if (!fs::is_directory(FuzzDir() / kind)) continue;
    for (const auto& e : fs::directory_iterator(FuzzDir() / kind)) {
      EXPECT_TRUE(names.count(e.path().filename().string()))
          << "tests/fuzz/" << kind << "/" << e.path().filename().string()
          << " belongs to no fuzz target";
    }
  }
}

TEST(FuzzReplay, CorporaAndRegressionsRunCleanly) {
  std::vector<std::string> recorded;
  failures = &recorded;
  SetFailureHandler(&Record);
  int inputs = 0;
  // FLOE_FUZZ_TARGET=name replays one target (when reproducing a failure).
  const char* only = std::getenv("FLOE_FUZZ_TARGET");
  for (const Target& t : Targets()) {
    if (only && *only && std::string(only) != t.name) continue;
    for (const char* kind : {"corpus", "regressions"}) {
      for (const fs::path& p : Inputs(FuzzDir() / kind / t.name)) {
        recorded.clear();
        t.fn(ReadAll(p));
        ++inputs;
        for (const std::string& f : recorded) ADD_FAILURE() << t.name << " on " << p << ": " << f;
      }
    }
  }
  SetFailureHandler(nullptr);
  failures = nullptr;
  EXPECT_GT(inputs, 0);
}

}  // namespace
}  // namespace floe::fuzz
