// FileIO reads, writes and deletes objects by location: "file:///abs/path",
// "/abs/path" and relative local paths today; "s3://bucket/key" with the S3
// implementation. All implementations are safe to call from many threads.
#pragma once

#include <arrow/io/interfaces.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

namespace floe::io {

struct FileInfo {
  std::string location;  // as the FileIO names it (same scheme as the listed prefix)
  int64_t size = 0;
  int64_t mtime_ms = 0;  // last modification, milliseconds since the epoch
};

class FileIO {
 public:
  virtual ~FileIO() = default;

  // The whole content of `location`. NotFound if it does not exist.
  virtual Result<std::string> ReadFile(const std::string& location) = 0;

  // Opens `location` for positioned reads (Parquet). NotFound if absent. The
  // file may be read from several threads.
  virtual Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(
      const std::string& location) = 0;

  // Creates `location` (and missing parent folders) for streaming writes of
  // a new data file. An existing object is overwritten; callers use fresh
  // unique names. A crash mid-write can leave a partial object that no
  // metadata references (an orphan), never a partial committed file.
  virtual Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(
      const std::string& location) = 0;

  // Writes `bytes` to `location` only if nothing exists there: AlreadyExists
  // otherwise. Readers see the whole object or none (metadata files are
  // never overwritten; spec §Commit).
  virtual Status WriteNewFile(const std::string& location, std::string_view bytes) = 0;

  // Deletes `location`; deleting a missing object is OK.
  virtual Status Delete(const std::string& location) = 0;

  virtual Result<bool> Exists(const std::string& location) = 0;

  // Every object under `prefix` (a folder), recursively. An absent prefix
  // lists nothing. ListEach streams them (an object store a page at a time),
  // so memory does not grow with the number of objects; it stops at the
  // first error `fn` returns. List collects them.
  virtual Status ListEach(const std::string& prefix,
                          const std::function<Status(const FileInfo&)>& fn) = 0;
  Result<std::vector<FileInfo>> List(const std::string& prefix);

  // The identity of the object `location` names through this FileIO: equal
  // for every spelling of one object (scheme aliases, slashes, and the
  // prefixes a path-mapping FileIO maps to one place). Writers spell the
  // data file a position delete names differently from the manifest now and
  // then (s3a:// from Hadoop, s3:// from S3FileIO); matching by key applies
  // the delete anyway. Default: io::CanonicalLocation.
  virtual std::string LocationKey(const std::string& location) const;
};

// The FileIO for local paths and file:// URIs.
std::shared_ptr<FileIO> MakeLocalFileIO();

// Forwards to `base` after replacing the longest matching `from` prefix of
// every location with its `to`, so that a table whose files were moved (or
// copied from another machine) can be read in place. Listing results are
// mapped back. Mappings are tried in order; the first match wins.
std::shared_ptr<FileIO> MakePathMappingFileIO(
    std::shared_ptr<FileIO> base, std::vector<std::pair<std::string, std::string>> mappings);

// Joins a folder location and a relative name with exactly one '/'.
std::string JoinLocation(std::string_view folder, std::string_view name);

// The local path of a file:// URI or plain path ("file:///a/b" -> "/a/b",
// "file:/a/b" -> "/a/b"); other locations are returned unchanged.
std::string LocalPath(std::string_view location);

// True for locations with a scheme other than file: (s3://, gs://, ...).
bool IsRemote(std::string_view location);

}  // namespace floe::io
