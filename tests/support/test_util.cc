#include "support/test_util.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace floe::testing {

std::filesystem::path PeerTablesDir() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("FLOE_PEER_TABLES"); env && *env) {
    dir = env;
  } else if (const char* src = std::getenv("FLOE_SOURCE_DIR"); src && *src) {
    dir = std::filesystem::path(src) / ".." / "shared" / "testdata" / "peer-tables";
  } else {
    dir = std::filesystem::path("..") / "shared" / "testdata" / "peer-tables";
  }
  if (!std::filesystem::is_directory(dir)) {
    ADD_FAILURE() << "peer tables not found at " << dir
                  << "; set FLOE_PEER_TABLES to the shared/testdata/peer-tables folder";
  }
  return std::filesystem::weakly_canonical(dir);
}

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto p = std::filesystem::temp_directory_path() /
             ("floe-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::error_code ec;
    if (std::filesystem::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  ADD_FAILURE() << "could not create a temporary directory";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty() && !std::getenv("FLOE_KEEP_TEMP")) std::filesystem::remove_all(path_, ec);
}

std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

void WriteFileOrDie(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

}  // namespace floe::testing
