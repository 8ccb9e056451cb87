// Local file system FileIO on arrow::fs::LocalFileSystem, with exclusive
// atomic creation through link(2).
#include <arrow/filesystem/localfs.h>
#include <arrow/io/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "floe/io/file_io.h"
#include "floe/io/io_internal.h"

namespace floe::io {

namespace fs = std::filesystem;

namespace {

Status FromErrno(const std::string& what, const std::string& path, int err) {
  std::string msg = path + ": " + what + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  if (err == EEXIST) return Status::AlreadyExists(msg);
  return Status::IOError(msg);
}

std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  char buf[17];
  snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

class LocalFileIO final : public FileIO {
 public:
  LocalFileIO() : fs_(std::make_shared<arrow::fs::LocalFileSystem>()) {}

  Result<std::string> ReadFile(const std::string& location) override {
    std::string path = LocalPath(location);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return FromErrno("cannot open for reading", path, errno);
    std::string out;
    char buf[1 << 16];
    while (true) {
      ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        return FromErrno("read failed", path, err);
      }
      if (n == 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
  }

  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(
      const std::string& location) override {
    std::string path = LocalPath(location);
    auto f = arrow::io::ReadableFile::Open(path);
    if (!f.ok()) {
      if (!fs::exists(path)) return Status::NotFound(path, ": no such file");
      return internal::FromArrow(f.status(), path);
    }
    return std::static_pointer_cast<arrow::io::RandomAccessFile>(*f);
  }

  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(
      const std::string& location) override {
    std::string path = LocalPath(location);
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) return Status::IOError(path, ": cannot create its folder: ", ec.message());
    auto f = arrow::io::FileOutputStream::Open(path);
    if (!f.ok()) return internal::FromArrow(f.status(), path);
    return std::static_pointer_cast<arrow::io::OutputStream>(*f);
  }

  Status WriteNewFile(const std::string& location, std::string_view bytes) override {
    std::string path = LocalPath(location);
    fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) return Status::IOError(path, ": cannot create its folder: ", ec.message());
    // Write a hidden temporary file, sync it, then link it into place: link
    // fails if the target exists, so creation is exclusive and atomic.
    std::string tmp = (parent / ("." + fs::path(path).filename().string() + "." +
                                 RandomSuffix() + ".tmp")).string();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return FromErrno("cannot create temporary file", tmp, errno);
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return FromErrno("write failed", tmp, err);
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      return FromErrno("sync failed", tmp, err);
    }
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
      if (err == EEXIST) {
        return Status::AlreadyExists(path, ": already exists; metadata files are never "
                                           "overwritten");
      }
      return FromErrno("cannot create", path, err);
    }
    return Status::OK();
  }

  Status Delete(const std::string& location) override {
    std::string path = LocalPath(location);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return FromErrno("cannot delete", path, errno);
    }
    return Status::OK();
  }

  Result<bool> Exists(const std::string& location) override {
    std::error_code ec;
    bool exists = fs::exists(LocalPath(location), ec);
    if (ec) return Status::IOError(location, ": ", ec.message());
    return exists;
  }

  Status ListEach(const std::string& prefix,
                  const std::function<Status(const FileInfo&)>& fn) override {
    std::string root = LocalPath(prefix);
    std::error_code ec;
    if (!fs::exists(root, ec)) return Status::OK();
    bool uri = prefix.rfind("file:", 0) == 0;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      FileInfo info;
      std::string p = it->path().string();
      info.location = uri ? "file://" + p : p;
      info.size = static_cast<int64_t>(it->file_size(ec));
      auto t = it->last_write_time(ec);
      info.mtime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::file_clock::to_sys(t).time_since_epoch())
                          .count();
      FLOE_RETURN_NOT_OK(fn(info));
    }
    if (ec) return Status::IOError(root, ": cannot list: ", ec.message());
    return Status::OK();
  }

 private:
  std::shared_ptr<arrow::fs::LocalFileSystem> fs_;
};

}  // namespace

std::shared_ptr<FileIO> MakeLocalFileIO() { return std::make_shared<LocalFileIO>(); }

}  // namespace floe::io
