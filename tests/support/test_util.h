// Helpers shared by the unit tests: temporary folders, file reading, and the
// location of the peer tables in ../shared/testdata/peer-tables.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace floe::testing {

// The peer-tables folder: $FLOE_PEER_TABLES, else ../shared/testdata/peer-tables
// next to the source tree. Fails the current test (ADD_FAILURE) if absent.
std::filesystem::path PeerTablesDir();

// A fresh folder under the system temp dir, removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string Join(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Whole-file helpers; ADD_FAILURE on I/O errors.
std::string ReadFileOrDie(const std::filesystem::path& path);
void WriteFileOrDie(const std::filesystem::path& path, std::string_view bytes);

}  // namespace floe::testing
