#include "support/seaweedfs_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "support/child_process.h"

namespace floe::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

Result<fs::path> FindWeed() {
  if (const char* env = std::getenv("FLOE_WEED"); env && *env) {
    if (access(env, X_OK) == 0) return fs::path(env);
    return Status::NotFound("FLOE_WEED=", env, " is not an executable");
  }
  fs::path cache;
  if (const char* c = std::getenv("FLOE_CACHE_DIR"); c && *c) {
    cache = c;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    cache = fs::path(x) / "floe";
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    cache = fs::path(h) / ".cache" / "floe";
  }
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache, ec)) {
    if (entry.path().filename().string().rfind("seaweedfs-", 0) == 0 &&
        access((entry.path() / "weed").c_str(), X_OK) == 0) {
      found.push_back(entry.path() / "weed");
    }
  }
  if (found.empty()) {
    return Status::NotFound("SeaweedFS's weed binary not found in ", cache.string(),
                            ": run scripts/install_seaweedfs.sh (scripts/setup.sh does) or set "
                            "FLOE_WEED");
  }
  std::sort(found.begin(), found.end());
  return found.back();
}

bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

// weed also listens on port + 10000 (gRPC) for each server.
Result<int> FreePortPair(const std::vector<int>& taken) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    FLOE_ASSIGN_OR_RAISE(int port, FreeLoopbackPort());
    if (port >= 55000 || !PortFree(port + 10000)) continue;
    bool clash = false;
    for (int t : taken) clash |= std::abs(port - t) <= 1 || std::abs(port + 10000 - t) <= 1;
    if (!clash) return port;
  }
  return Status::IOError("no free pair of loopback ports (p, p+10000) for SeaweedFS");
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// A signed request; the HTTP status, or 0 when the server did not answer.
long SignedRequest(const std::string& method, const std::string& url) {
  CURL* curl = curl_easy_init();
  if (!curl) return 0;
  std::string userpwd = std::string(kSeaweedAccessKey) + ":" + kSeaweedSecretKey;
  curl_slist* headers = curl_slist_append(nullptr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, "aws:amz:us-east-1:s3");
  curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  long code = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return code;
}

}  // namespace

Result<std::unique_ptr<SeaweedServer>> SeaweedServer::Start() {
  const auto started = Clock::now();
  std::unique_ptr<SeaweedServer> server(new SeaweedServer());
  FLOE_ASSIGN_OR_RAISE(server->binary_, FindWeed());
  std::string base = "/tmp";
  if (const char* env = std::getenv("TMPDIR"); env && *env) base = env;
  std::string templ = base + "/floe-s3-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) {
    return Status::IOError("cannot create a temporary folder in ", base, ": ",
                           std::strerror(errno));
  }
  server->dir_ = templ;
  fs::create_directories(server->dir_ / "data");
  std::ofstream(server->dir_ / "s3.json")
      << R"({"identities":[{"name":"floe","credentials":[{"accessKey":")" << kSeaweedAccessKey
      << R"(","secretKey":")" << kSeaweedSecretKey
      << R"("}],"actions":["Admin","Read","Write","List","Tagging"]}]})";
  std::vector<int> taken;
  for (int* port : {&server->master_port_, &server->volume_port_, &server->filer_port_,
                    &server->s3_port_}) {
    FLOE_ASSIGN_OR_RAISE(*port, FreePortPair(taken));
    taken.push_back(*port);
    taken.push_back(*port + 10000);
  }
  FLOE_RETURN_NOT_OK(server->Launch());
  server->startup_time_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return server;
}

Status SeaweedServer::Launch() {
  const fs::path log = dir_ / "weed.log";
  FLOE_ASSIGN_OR_RAISE(
      pid_, Spawn({binary_.string(), "mini", "-dir=" + (dir_ / "data").string(), "-ip=127.0.0.1",
                   "-ip.bind=127.0.0.1", "-master.port=" + std::to_string(master_port_),
                   "-volume.port=" + std::to_string(volume_port_),
                   "-filer.port=" + std::to_string(filer_port_),
                   "-s3.port=" + std::to_string(s3_port_),
                   "-s3.config=" + (dir_ / "s3.json").string(), "-webdav=false",
                   "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0"},
                  std::nullopt, log, dir_));
  // Ready when the filer behind the gateway accepts a write: a bucket
  // can be created.
  const auto deadline = Clock::now() + std::chrono::seconds(90);
  while (Clock::now() < deadline) {
    if (std::optional<int> exited = Reap(pid_)) {
      pid_ = -1;
      return Status::IOError("weed exited at start-up (", DescribeExit(*exited), "): ",
                             Tail(log));
    }
    long code = SignedRequest("PUT", endpoint() + "/floe-ready");
    if (code == 200 || code == 409) return Status::OK();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Stop();
  return Status::IOError("SeaweedFS's S3 gateway on ", endpoint(), " was not ready after 90 s: ",
                         Tail(log));
}

SeaweedServer::~SeaweedServer() {
  Stop();
  std::error_code ec;
  if (!dir_.empty() && !std::getenv("FLOE_KEEP_TEMP")) fs::remove_all(dir_, ec);
}

std::string SeaweedServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(s3_port_);
}

Status SeaweedServer::CreateBucket(const std::string& name) {
  long code = SignedRequest("PUT", endpoint() + "/" + name);
  if (code == 200 || code == 409) return Status::OK();
  return Status::IOError("creating bucket ", name, " on ", endpoint(), ": HTTP ", code);
}

void SeaweedServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!WaitExit(pid_, std::chrono::seconds(20))) {
    kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

Status SeaweedServer::Resume() {
  if (pid_ > 0) return Status::OK();
  return Launch();
}

namespace {

std::mutex g_mu;
std::unique_ptr<SeaweedServer> g_server;  // guarded by g_mu
std::string g_error;                      // guarded by g_mu

class SeaweedEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard<std::mutex> lock(g_mu);
    g_server.reset();
    g_error.clear();
  }
};

[[maybe_unused]] ::testing::Environment* const g_environment =
    ::testing::AddGlobalTestEnvironment(new SeaweedEnvironment);

}  // namespace

SeaweedServer* SharedSeaweed() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_server && g_error.empty()) {
    Result<std::unique_ptr<SeaweedServer>> started = SeaweedServer::Start();
    if (started.ok()) {
      g_server = std::move(started).value();
      std::cerr << "[floe] SeaweedFS test server on " << g_server->endpoint() << " started in "
                << g_server->startup_time().count() << " ms\n";
    } else {
      g_error = started.status().ToString();
    }
  }
  if (g_server) return g_server.get();
  const char* skip = std::getenv("FLOE_SKIP_SEAWEEDFS");
  if (!(skip && std::string(skip) == "1")) {
    ADD_FAILURE() << "the SeaweedFS test server could not start: " << g_error
                  << " (set FLOE_SKIP_SEAWEEDFS=1 to skip S3 tests)";
  }
  return nullptr;
}

}  // namespace floe::testing
