#include "floe/io/file_io.h"

#include "floe/io/io_internal.h"
#include "floe/io/location.h"

namespace floe::io {

namespace internal {

Status FromArrow(const arrow::Status& st, const std::string& location) {
  if (st.ok()) return Status::OK();
  std::string msg = location + ": " + st.message();
  if (st.IsIOError()) return Status::IOError(msg);
  if (st.IsInvalid()) return Status::Invalid(msg);
  if (st.IsNotImplemented()) return Status::NotSupported(msg);
  if (st.IsKeyError()) return Status::NotFound(msg);
  if (st.IsCancelled()) return Status::Cancelled(msg);
  return Status::IOError(msg);
}

}  // namespace internal

std::string FileIO::LocationKey(const std::string& location) const {
  return CanonicalLocation(location);
}

Result<std::vector<FileInfo>> FileIO::List(const std::string& prefix) {
  std::vector<FileInfo> out;
  FLOE_RETURN_NOT_OK(ListEach(prefix, [&](const FileInfo& f) {
    out.push_back(f);
    return Status::OK();
  }));
  return out;
}

std::string JoinLocation(std::string_view folder, std::string_view name) {
  std::string out(folder);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  out += '/';
  out += name;
  return out;
}

std::string LocalPath(std::string_view location) {
  if (location.rfind("file://", 0) == 0) {
    location.remove_prefix(7);  // file:///abs -> /abs ; file://host/x is not supported
  } else if (location.rfind("file:", 0) == 0) {
    location.remove_prefix(5);
  }
  return std::string(location);
}

bool IsRemote(std::string_view location) {
  size_t colon = location.find("://");
  if (colon == std::string_view::npos) return false;
  return location.substr(0, colon) != "file";
}

namespace {

class PathMappingFileIO final : public FileIO {
 public:
  PathMappingFileIO(std::shared_ptr<FileIO> base,
                    std::vector<std::pair<std::string, std::string>> mappings)
      : base_(std::move(base)), mappings_(std::move(mappings)) {}

  Result<std::string> ReadFile(const std::string& l) override { return base_->ReadFile(Map(l)); }
  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(const std::string& l) override {
    return base_->OpenInput(Map(l));
  }
  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(const std::string& l) override {
    return base_->OpenOutput(Map(l));
  }
  Status WriteNewFile(const std::string& l, std::string_view b) override {
    return base_->WriteNewFile(Map(l), b);
  }
  Status Delete(const std::string& l) override { return base_->Delete(Map(l)); }
  Result<bool> Exists(const std::string& l) override { return base_->Exists(Map(l)); }
  std::string LocationKey(const std::string& l) const override { return base_->LocationKey(Map(l)); }
  Status ListEach(const std::string& prefix,
                  const std::function<Status(const FileInfo&)>& fn) override {
    return base_->ListEach(Map(prefix), [&](const FileInfo& f) {
      FileInfo mapped = f;
      mapped.location = Unmap(f.location);
      return fn(mapped);
    });
  }

 private:
  std::string Map(const std::string& l) const {
    for (const auto& [from, to] : mappings_) {
      if (l.rfind(from, 0) == 0) return to + l.substr(from.size());
    }
    return l;
  }
  std::string Unmap(const std::string& l) const {
    for (const auto& [from, to] : mappings_) {
      if (l.rfind(to, 0) == 0) return from + l.substr(to.size());
    }
    return l;
  }
  std::shared_ptr<FileIO> base_;
  std::vector<std::pair<std::string, std::string>> mappings_;
};

}  // namespace

std::shared_ptr<FileIO> MakePathMappingFileIO(
    std::shared_ptr<FileIO> base, std::vector<std::pair<std::string, std::string>> mappings) {
  return std::make_shared<PathMappingFileIO>(std::move(base), std::move(mappings));
}

}  // namespace floe::io
