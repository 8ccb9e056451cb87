#include "floe/io/memory_file_io.h"

#include <arrow/buffer.h>
#include <arrow/io/memory.h>

#include <map>
#include <mutex>

namespace floe::io {

namespace {

class MemoryFileIO final : public FileIO, public std::enable_shared_from_this<MemoryFileIO> {
 public:
  Result<std::string> ReadFile(const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(auto buffer, Get(location));
    return buffer->ToString();
  }

  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(
      const std::string& location) override {
    FLOE_ASSIGN_OR_RAISE(auto buffer, Get(location));
    return std::make_shared<arrow::io::BufferReader>(std::move(buffer));
  }

  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(
      const std::string& location) override {
    auto sink = arrow::io::BufferOutputStream::Create();
    if (!sink.ok()) return Status::IOError(location, ": ", sink.status().message());
    return std::shared_ptr<arrow::io::OutputStream>(
        std::make_shared<Output>(shared_from_this(), location, *std::move(sink)));
  }

  Status WriteNewFile(const std::string& location, std::string_view bytes) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (objects_.count(location)) return Status::AlreadyExists(location, ": already exists");
    objects_[location] = arrow::Buffer::FromString(std::string(bytes));
    return Status::OK();
  }

  Status Delete(const std::string& location) override {
    std::lock_guard<std::mutex> lock(mu_);
    objects_.erase(location);
    return Status::OK();
  }

  Result<bool> Exists(const std::string& location) override {
    std::lock_guard<std::mutex> lock(mu_);
    return objects_.count(location) > 0;
  }

  Status ListEach(const std::string& prefix,
                  const std::function<Status(const FileInfo&)>& fn) override {
    std::string folder = prefix;
    if (!folder.empty() && folder.back() != '/') folder += '/';
    std::vector<FileInfo> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = objects_.lower_bound(folder);
           it != objects_.end() && it->first.compare(0, folder.size(), folder) == 0; ++it) {
        out.push_back(FileInfo{it->first, it->second->size(), 0});
      }
    }
    for (const FileInfo& f : out) FLOE_RETURN_NOT_OK(fn(f));  // fn may call back in
    return Status::OK();
  }

 private:
  // Buffers writes; publishes the object on Close (like a completed upload).
  class Output final : public arrow::io::OutputStream {
   public:
    Output(std::shared_ptr<MemoryFileIO> owner, std::string location,
           std::shared_ptr<arrow::io::BufferOutputStream> sink)
        : owner_(std::move(owner)), location_(std::move(location)), sink_(std::move(sink)) {}
    arrow::Status Close() override {
      if (sink_->closed()) return arrow::Status::OK();
      ARROW_ASSIGN_OR_RAISE(auto buffer, sink_->Finish());
      std::lock_guard<std::mutex> lock(owner_->mu_);
      owner_->objects_[location_] = std::move(buffer);
      return arrow::Status::OK();
    }
    bool closed() const override { return sink_->closed(); }
    arrow::Result<int64_t> Tell() const override { return sink_->Tell(); }
    arrow::Status Write(const void* data, int64_t nbytes) override {
      return sink_->Write(data, nbytes);
    }
    using arrow::io::OutputStream::Write;

   private:
    std::shared_ptr<MemoryFileIO> owner_;
    std::string location_;
    std::shared_ptr<arrow::io::BufferOutputStream> sink_;
  };

  Result<std::shared_ptr<arrow::Buffer>> Get(const std::string& location) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = objects_.find(location);
    if (it == objects_.end()) return Status::NotFound(location, ": no such object");
    return it->second;
  }

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<arrow::Buffer>> objects_;
};

}  // namespace

std::shared_ptr<FileIO> MakeMemoryFileIO() { return std::make_shared<MemoryFileIO>(); }

}  // namespace floe::io
