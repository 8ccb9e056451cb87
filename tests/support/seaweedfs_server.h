// SeaweedServer: a private SeaweedFS for tests. `weed mini` runs the master,
// a volume server, the filer and the S3 gateway in one process, on free
// ports of 127.0.0.1, with its data in a fresh temporary folder and one
// static identity (kSeaweedAccessKey / kSeaweedSecretKey).
//
// The binary: $FLOE_WEED, else the one scripts/install_seaweedfs.sh built
// and cached (${FLOE_CACHE_DIR:-~/.cache/floe}/seaweedfs-*/weed).
//
// Like PostgresServer, the process gets SIGQUIT if the starting thread dies,
// and the destructor stops it and deletes the folder (FLOE_KEEP_TEMP=1
// keeps it). Stop() and Start() again keep the data: tests use them to take
// the object store away in the middle of an operation.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "floe/result.h"

namespace floe::testing {

inline constexpr const char* kSeaweedAccessKey = "floe-test-access";
inline constexpr const char* kSeaweedSecretKey = "floe-test-secret";

class SeaweedServer {
 public:
  static Result<std::unique_ptr<SeaweedServer>> Start();
  ~SeaweedServer();
  SeaweedServer(const SeaweedServer&) = delete;
  SeaweedServer& operator=(const SeaweedServer&) = delete;

  // http://127.0.0.1:<port>, the S3 gateway.
  std::string endpoint() const;
  std::chrono::milliseconds startup_time() const { return startup_time_; }

  // Creates a bucket (an existing one is fine).
  Status CreateBucket(const std::string& name);

  // Stops the server, keeping its data; Resume() starts it again on the
  // same ports.
  void Stop();
  Status Resume();

 private:
  SeaweedServer() = default;
  Status Launch();

  std::filesystem::path binary_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int master_port_ = 0, volume_port_ = 0, filer_port_ = 0, s3_port_ = 0;
  std::chrono::milliseconds startup_time_{0};
};

// One server per test binary, started on first use and stopped after the
// last test. nullptr when it cannot start: the current test then fails with
// the reason, unless FLOE_SKIP_SEAWEEDFS=1 makes callers skip instead.
SeaweedServer* SharedSeaweed();

}  // namespace floe::testing
