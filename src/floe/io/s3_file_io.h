// FileIO for S3 and S3-compatible stores (SeaweedFS, MinIO), on Arrow's
// S3FileSystem: path-style or virtual-host addressing, an endpoint override,
// static keys or the standard AWS credential chain (AWS_ACCESS_KEY_ID, ...),
// retries with backoff, multipart uploads for large files (an upload that
// does not complete never becomes a visible object), and ranged reads.
//
// Metadata files are created with a conditional PUT (If-None-Match: *), so
// an existing object is never overwritten where the server honours it.
// Locations are s3://bucket/key; s3a:// and s3n:// (Hadoop's names) are read
// the same way.
#pragma once

#include <memory>
#include <string>

#include "floe/io/file_io.h"

namespace floe::io {

struct S3Config {
  // "http://127.0.0.1:8333"; empty for AWS itself.
  std::string endpoint;
  std::string region = "us-east-1";
  // Empty: the AWS default chain (environment, profile, instance role).
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  bool path_style_access = true;
  int max_attempts = 5;            // per request, with exponential backoff
  double connect_timeout_s = 10;
  double request_timeout_s = 120;
};

// Errors: Invalid for a malformed endpoint. Connection problems surface on
// first use, naming the object and the endpoint.
Result<std::shared_ptr<FileIO>> MakeS3FileIO(const S3Config& config);

// Sends s3://, s3a:// and s3n:// locations to `s3` (which may be null: then
// they fail with a message saying how to configure S3) and the rest to
// `local`.
std::shared_ptr<FileIO> MakeRoutingFileIO(std::shared_ptr<FileIO> local,
                                          std::shared_ptr<FileIO> s3);

// Shuts Arrow's S3 layer (its AWS SDK) down. Call it once every S3 FileIO
// and every file opened through one is gone, before the process exits:
// otherwise the SDK is torn down after the OpenSSL it bundles, which can
// crash at exit. Programs keep a ScopedS3Shutdown as the first local of
// main(). A no-op when S3 was never used; S3 cannot be used afterwards.
void ShutdownS3();
struct ScopedS3Shutdown {
  ScopedS3Shutdown() = default;
  ScopedS3Shutdown(const ScopedS3Shutdown&) = delete;
  ScopedS3Shutdown& operator=(const ScopedS3Shutdown&) = delete;
  ~ScopedS3Shutdown() { ShutdownS3(); }
};

// True for s3://, s3a://, s3n:// locations.
bool IsS3Location(std::string_view location);

}  // namespace floe::io
