#include "floe/io/s3_file_io.h"

#include <arrow/filesystem/s3fs.h>
#include <arrow/buffer.h>
#include <arrow/util/future.h>
#include <arrow/util/iterator.h>
#include <arrow/io/interfaces.h>
#include <curl/curl.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "floe/io/io_internal.h"
#include "floe/util/strings.h"

namespace floe::io {

namespace {

struct S3Path {
  std::string scheme;  // "s3", "s3a", "s3n"
  std::string bucket;
  std::string key;
  std::string arrow_path() const { return key.empty() ? bucket : bucket + "/" + key; }
};

Result<S3Path> ParseS3(std::string_view location) {
  size_t sep = location.find("://");
  if (sep == std::string_view::npos) {
    return Status::Invalid(util::Quote(location), " is not an s3:// location");
  }
  S3Path p;
  p.scheme = std::string(location.substr(0, sep));
  std::string_view rest = location.substr(sep + 3);
  size_t slash = rest.find('/');
  p.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) p.key = std::string(rest.substr(slash + 1));
  while (!p.key.empty() && p.key.back() == '/') p.key.pop_back();
  if (p.bucket.empty()) return Status::Invalid(util::Quote(location), " names no bucket");
  return p;
}

// Arrow's S3 needs a process-wide initialization, and a finalization before
// exit (ShutdownS3; an atexit handler would run after the bundled OpenSSL's
// own, which it registers later, and crash).
Status EnsureS3() {
  static std::once_flag once;
  static arrow::Status init;
  std::call_once(once, [] {
    arrow::fs::S3GlobalOptions g = arrow::fs::S3GlobalOptions::Defaults();
    init = arrow::fs::InitializeS3(g);
    curl_global_init(CURL_GLOBAL_DEFAULT);
  });
  if (!init.ok()) return Status::IOError("cannot initialize S3 support: ", init.message());
  return Status::OK();
}

// Retries with exponential backoff (100 ms doubling, at most 5 s, with
// jitter), up to `max_attempts` per request, plus a circuit breaker: once a
// request has failed every attempt because the server could not be reached,
// further unreachable-server errors fail at once for 30 s. Without it, an
// append whose server went away retries every remaining upload, abort and
// cleanup delete in turn, for minutes, before saying so.
class BackoffRetryStrategy final : public arrow::fs::S3RetryStrategy {
 public:
  explicit BackoffRetryStrategy(int max_attempts) : max_attempts_(std::max(1, max_attempts)) {}

  bool ShouldRetry(const AWSErrorDetail& error, int64_t attempted_retries) override {
    if (!error.should_retry) return false;
    const bool unreachable = IsUnreachable(error);
    const int64_t now = NowMs();
    if (attempted_retries + 1 >= max_attempts_) {
      if (unreachable) open_until_ms_.store(now + kOpenMs);
      return false;
    }
    return !(unreachable && now < open_until_ms_.load());
  }

  int64_t CalculateDelayBeforeNextRetry(const AWSErrorDetail&,
                                        int64_t attempted_retries) override {
    int64_t base = std::min<int64_t>(kMaxDelayMs, int64_t{100} << std::min<int64_t>(
                                                      attempted_retries, 10));
    // Jitter spreads the retries of parallel uploads apart.
    static thread_local uint64_t state = 0x9E3779B97F4A7C15ull ^
        static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&state));
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return base / 2 + static_cast<int64_t>((state >> 33) % static_cast<uint64_t>(base / 2 + 1));
  }

 private:
  static constexpr int64_t kMaxDelayMs = 5000;
  static constexpr int64_t kOpenMs = 30000;
  static constexpr int kNetworkConnection = 99;  // Aws::Client::CoreErrors::NETWORK_CONNECTION

  static bool IsUnreachable(const AWSErrorDetail& e) {
    return e.error_type == kNetworkConnection ||
           e.message.find("curlCode: 7") != std::string::npos ||
           e.message.find("Could not connect") != std::string::npos;
  }
  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  const int max_attempts_;
  std::atomic<int64_t> open_until_ms_{0};
};

// An Arrow S3 error as a Floe status that says what to check.
Status FromS3(const arrow::Status& st, const std::string& location, const std::string& endpoint) {
  if (st.ok()) return Status::OK();
  const std::string& m = st.message();
  auto has = [&](const char* s) { return m.find(s) != std::string::npos; };
  std::string where = location + (endpoint.empty() ? "" : " (endpoint " + endpoint + ")");
  if (has("ACCESS_DENIED") || has("AccessDenied") || has("InvalidAccessKeyId") ||
      has("INVALID_ACCESS_KEY_ID") || has("SignatureDoesNotMatch") ||
      has("SIGNATURE_DOES_NOT_MATCH") || has("HTTP response code: 403")) {
    return Status::IOError(where, ": access denied; check s3.access-key-id and "
                                  "s3.secret-access-key (", m, ")");
  }
  if (has("NoSuchBucket") || has("NO_SUCH_BUCKET") || has("Bucket does not exist")) {
    return Status::NotFound(where, ": the bucket does not exist; create it first (", m, ")");
  }
  if (has("Path does not exist") || has("NoSuchKey") || has("NO_SUCH_KEY") ||
      has("HTTP response code: 404")) {
    return Status::NotFound(where, ": no such object");
  }
  if (has("NETWORK_CONNECTION") || has("Couldn't connect") || has("curlCode: 7") ||
      has("Connection refused") || has("Failed to connect") || has("Timeout") ||
      has("curlCode: 28")) {
    return Status::IOError(where, ": cannot reach the S3 server; is it running and is "
                                  "s3.endpoint right? (", m, ")");
  }
  return internal::FromArrow(st, where);
}

// Minimal URL-encoding of an object key for a path-style request URL.
std::string EncodeKey(std::string_view key) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

size_t CollectBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Arrow's S3 stream completes the multipart upload when it is destroyed
// unclosed, and retries that when an abort failed: either could make a
// partial object appear. This wrapper aborts instead, and when the abort
// itself fails (server unreachable) it abandons the inner stream rather
// than destroy it: the uploaded parts stay invisible on the server until
// its multipart-upload expiry removes them.
class S3OutputStream final : public arrow::io::OutputStream {
 public:
  S3OutputStream(std::shared_ptr<arrow::io::OutputStream> inner, std::string endpoint)
      : inner_(std::move(inner)), endpoint_(std::move(endpoint)) {}
  ~S3OutputStream() override {
    if (inner_ && !inner_->closed()) (void)Abort();
  }
  arrow::Status Write(const void* data, int64_t n) override {
    if (!inner_) return Abandoned();
    return Explain(inner_->Write(data, n));
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    if (!inner_) return Abandoned();
    return Explain(inner_->Write(data));
  }
  arrow::Status Flush() override {
    if (!inner_) return Abandoned();
    return Explain(inner_->Flush());
  }
  arrow::Result<int64_t> Tell() const override {
    if (!inner_) return Abandoned();
    return inner_->Tell();
  }
  bool closed() const override { return !inner_ || inner_->closed(); }
  arrow::Status Close() override {
    if (!inner_) return Abandoned();
    arrow::Status st = inner_->Close();
    if (!st.ok()) return AbortAfter(Explain(st));
    return st;
  }
  arrow::Status Abort() override {
    if (!inner_ || inner_->closed()) return arrow::Status::OK();
    arrow::Status st = inner_->Abort();
    if (!st.ok()) Abandon();
    return st;
  }

 private:
  // The callers name the object; this adds what to check.
  arrow::Status Explain(const arrow::Status& st) const {
    if (st.ok()) return st;
    return arrow::Status::IOError(FromS3(st, "upload", endpoint_).message());
  }
  static arrow::Status Abandoned() {
    return arrow::Status::IOError("the S3 upload was aborted and abandoned");
  }
  arrow::Status AbortAfter(const arrow::Status& failure) {
    if (!inner_->closed() && !inner_->Abort().ok()) Abandon();
    return failure;
  }
  void Abandon() {
    // Deliberately never destroyed (see above); a few hundred bytes.
    new std::shared_ptr<arrow::io::OutputStream>(std::move(inner_));
  }
  std::shared_ptr<arrow::io::OutputStream> inner_;
  std::string endpoint_;
};

class S3FileIO final : public FileIO {
 public:
  S3FileIO(std::shared_ptr<arrow::fs::S3FileSystem> fs, S3Config config)
      : fs_(std::move(fs)), config_(std::move(config)) {}

  Result<std::string> ReadFile(const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(auto in, OpenInput(location));
    auto size = in->GetSize();
    if (!size.ok()) return FromS3(size.status(), location, config_.endpoint);
    auto buf = in->ReadAt(0, *size);
    if (!buf.ok()) return FromS3(buf.status(), location, config_.endpoint);
    return (*buf)->ToString();
  }

  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(
      const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(location));
    auto f = fs_->OpenInputFile(p.arrow_path());
    if (!f.ok()) return FromS3(f.status(), location, config_.endpoint);
    return *f;
  }

  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(
      const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(location));
    // Multipart upload: the object appears only when Close() completes it.
    auto f = fs_->OpenOutputStream(p.arrow_path());
    if (!f.ok()) return FromS3(f.status(), location, config_.endpoint);
    return std::shared_ptr<arrow::io::OutputStream>(std::make_shared<S3OutputStream>(*f, config_.endpoint));
  }

  Status WriteNewFile(const std::string& location, std::string_view bytes) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(location));
    if (!HaveKeys()) {
      // Without static keys curl cannot sign: check, then write (not atomic
      // against a racing writer, but metadata names are unique anyway).
      FLOE_ASSIGN_OR_RAISE(bool exists, Exists(location));
      if (exists) return Status::AlreadyExists(location, ": already exists");
      FLOE_ASSIGN_OR_RAISE(auto out, OpenOutput(location));
      auto st = out->Write(bytes.data(), static_cast<int64_t>(bytes.size()));
      if (st.ok()) st = out->Close();
      return FromS3(st, location, config_.endpoint);
    }
    return ConditionalPut(p, location, bytes);
  }

  Status Delete(const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(location));
    auto st = fs_->DeleteFile(p.arrow_path());
    if (!st.ok()) {
      Status mapped = FromS3(st, location, config_.endpoint);
      if (mapped.IsNotFound()) return Status::OK();
      return mapped;
    }
    return Status::OK();
  }

  Result<bool> Exists(const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(location));
    auto info = fs_->GetFileInfo(p.arrow_path());
    if (!info.ok()) return FromS3(info.status(), location, config_.endpoint);
    return info->type() == arrow::fs::FileType::File;
  }

  // Pages of ListObjectsV2 (1,000 keys) arrive one at a time.
  Status ListEach(const std::string& prefix,
                  const std::function<Status(const FileInfo&)>& fn) override {
    FLOE_ASSIGN_OR_RAISE(S3Path p, ParseS3(prefix));
    arrow::fs::FileSelector selector;
    selector.base_dir = p.arrow_path();
    selector.recursive = true;
    selector.allow_not_found = true;
    auto pages = fs_->GetFileInfoGenerator(selector);
    while (true) {
      auto page = pages().result();
      if (!page.ok()) return FromS3(page.status(), prefix, config_.endpoint);
      if (arrow::IsIterationEnd(*page)) break;
      for (const auto& i : *page) {
        if (i.type() != arrow::fs::FileType::File) continue;
        FileInfo f;
        f.location = p.scheme + "://" + i.path();
        f.size = i.size();
        f.mtime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         i.mtime().time_since_epoch())
                         .count();
        FLOE_RETURN_NOT_OK(fn(f));
      }
    }
    return Status::OK();
  }

 private:
  bool HaveKeys() const {
    return !Key().empty() && !Secret().empty();
  }
  std::string Key() const {
    if (!config_.access_key_id.empty()) return config_.access_key_id;
    const char* env = std::getenv("AWS_ACCESS_KEY_ID");
    return env ? env : "";
  }
  std::string Secret() const {
    if (!config_.secret_access_key.empty()) return config_.secret_access_key;
    const char* env = std::getenv("AWS_SECRET_ACCESS_KEY");
    return env ? env : "";
  }
  std::string Token() const {
    if (!config_.session_token.empty()) return config_.session_token;
    const char* env = std::getenv("AWS_SESSION_TOKEN");
    return env ? env : "";
  }

  std::string ObjectUrl(const S3Path& p) const {
    std::string key = EncodeKey(p.key);
    if (!config_.endpoint.empty()) {
      std::string base = config_.endpoint;
      while (!base.empty() && base.back() == '/') base.pop_back();
      if (base.find("://") == std::string::npos) base = "https://" + base;
      if (config_.path_style_access) return base + "/" + p.bucket + "/" + key;
      size_t host = base.find("://") + 3;
      return base.substr(0, host) + p.bucket + "." + base.substr(host) + "/" + key;
    }
    return "https://" + p.bucket + ".s3." + config_.region + ".amazonaws.com/" + key;
  }

  // One signed PUT with If-None-Match: *, retried on server errors and
  // timeouts. A 412 after an ambiguous earlier attempt may be our own write:
  // the object is read back and compared before calling it a conflict.
  Status ConditionalPut(const S3Path& p, const std::string& location, std::string_view bytes) {
    const std::string url = ObjectUrl(p);
    bool ambiguous = false;
    for (int attempt = 1;; ++attempt) {
      CURL* curl = curl_easy_init();
      if (!curl) return Status::IOError(location, ": cannot start an HTTP request");
      std::string response;
      std::string sigv4 = "aws:amz:" + config_.region + ":s3";
      std::string userpwd = Key() + ":" + Secret();
      curl_slist* headers = nullptr;
      headers = curl_slist_append(headers, "If-None-Match: *");
      // SigV4 for S3 needs the payload hash header; S3 accepts an unsigned
      // payload (the request itself is still signed).
      headers = curl_slist_append(headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
      headers = curl_slist_append(headers, "Content-Type: application/json");
      std::string token = Token();
      std::string token_header = "x-amz-security-token: " + token;
      if (!token.empty()) headers = curl_slist_append(headers, token_header.c_str());
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, bytes.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
      curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
      curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
      curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(config_.connect_timeout_s * 1000));
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                       static_cast<long>(config_.request_timeout_s * 1000));
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      CURLcode rc = curl_easy_perform(curl);
      long code = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
      curl_slist_free_all(headers);
      curl_easy_cleanup(curl);

      if (rc == CURLE_OK && code >= 200 && code < 300) return Status::OK();
      if (rc == CURLE_OK && code == 412) {
        if (ambiguous) {
          auto existing = ReadFile(location);
          if (existing.ok() && *existing == bytes) return Status::OK();  // our earlier attempt
        }
        return Status::AlreadyExists(location, ": already exists; metadata files are never "
                                               "overwritten");
      }
      if (rc == CURLE_OK && code == 403) {
        return Status::IOError(location, " (endpoint ", config_.endpoint,
                               "): access denied; check s3.access-key-id and "
                               "s3.secret-access-key (", Excerpt(response), ")");
      }
      if (rc == CURLE_OK && code == 404) {
        return Status::NotFound(location, " (endpoint ", config_.endpoint,
                                "): the bucket does not exist; create it first (",
                                Excerpt(response), ")");
      }
      bool retryable = rc != CURLE_OK || code >= 500 || code == 429 || code == 408;
      if (!retryable || attempt >= config_.max_attempts) {
        if (rc != CURLE_OK) {
          return Status::IOError(location, ": cannot reach the S3 server at ", config_.endpoint,
                                 " (", curl_easy_strerror(rc), "); is it running?");
        }
        return Status::IOError(location, ": the S3 server answered HTTP ", code, " (",
                               Excerpt(response), ")");
      }
      // A timeout or 5xx may have stored the object anyway.
      ambiguous = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt, 6)));
    }
  }

  static std::string Excerpt(const std::string& body) {
    return body.size() > 300 ? body.substr(0, 300) + "..." : body;
  }

  std::shared_ptr<arrow::fs::S3FileSystem> fs_;
  S3Config config_;
};

class RoutingFileIO final : public FileIO {
 public:
  RoutingFileIO(std::shared_ptr<FileIO> local, std::shared_ptr<FileIO> s3)
      : local_(std::move(local)), s3_(std::move(s3)) {}

  Result<std::string> ReadFile(const std::string& l) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->ReadFile(l);
  }
  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(const std::string& l) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->OpenInput(l);
  }
  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(const std::string& l) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->OpenOutput(l);
  }
  Status WriteNewFile(const std::string& l, std::string_view b) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->WriteNewFile(l, b);
  }
  Status Delete(const std::string& l) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->Delete(l);
  }
  Result<bool> Exists(const std::string& l) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->Exists(l);
  }
  Status ListEach(const std::string& l, const std::function<Status(const FileInfo&)>& fn) override {
    FLOE_ASSIGN_OR_RAISE(FileIO * io, For(l));
    return io->ListEach(l, fn);
  }

 private:
  Result<FileIO*> For(const std::string& location) {
    if (IsS3Location(location)) {
      if (!s3_) {
        return Status::Invalid(location, ": S3 is not configured; set s3.endpoint and the "
                                         "access keys (catalog.properties, --property or "
                                         "FLOE_S3_*), or the AWS_* environment variables");
      }
      return s3_.get();
    }
    if (IsRemote(location)) {
      return Status::NotSupported(location, ": Floe reads local paths and s3:// locations");
    }
    return local_.get();
  }
  std::shared_ptr<FileIO> local_;
  std::shared_ptr<FileIO> s3_;
};

}  // namespace

void ShutdownS3() {
  if (arrow::fs::IsS3Initialized()) (void)arrow::fs::EnsureS3Finalized();
}

bool IsS3Location(std::string_view location) {
  return location.rfind("s3://", 0) == 0 || location.rfind("s3a://", 0) == 0 ||
         location.rfind("s3n://", 0) == 0;
}

Result<std::shared_ptr<FileIO>> MakeS3FileIO(const S3Config& config) {
  FLOE_RETURN_NOT_OK(EnsureS3());
  arrow::fs::S3Options o = arrow::fs::S3Options::Defaults();
  o.region = config.region.empty() ? "us-east-1" : config.region;
  if (!config.endpoint.empty()) {
    std::string e = config.endpoint;
    size_t sep = e.find("://");
    if (sep != std::string::npos) {
      o.scheme = e.substr(0, sep);
      e = e.substr(sep + 3);
    }
    while (!e.empty() && e.back() == '/') e.pop_back();
    if (e.empty() || (o.scheme != "http" && o.scheme != "https")) {
      return Status::Invalid("s3.endpoint ", util::Quote(config.endpoint),
                             " must look like http://host:port or https://host");
    }
    o.endpoint_override = e;
  }
  o.force_virtual_addressing = !config.path_style_access;
  if (!config.access_key_id.empty()) {
    o.ConfigureAccessKey(config.access_key_id, config.secret_access_key, config.session_token);
  } else {
    o.ConfigureDefaultCredentials();
  }
  o.connect_timeout = config.connect_timeout_s;
  o.request_timeout = config.request_timeout_s;
  o.retry_strategy = std::make_shared<BackoffRetryStrategy>(config.max_attempts);
  // Tables create objects, never buckets; a missing bucket is an error.
  o.allow_bucket_creation = false;
  auto fs = arrow::fs::S3FileSystem::Make(o);
  if (!fs.ok()) return FromS3(fs.status(), "S3", config.endpoint);
  return std::shared_ptr<FileIO>(std::make_shared<S3FileIO>(*fs, config));
}

std::shared_ptr<FileIO> MakeRoutingFileIO(std::shared_ptr<FileIO> local,
                                          std::shared_ptr<FileIO> s3) {
  return std::make_shared<RoutingFileIO>(std::move(local), std::move(s3));
}

}  // namespace floe::io
