// FaultInjectingFileIO: a test double that forwards every call to another
// FileIO (usually the local one) and can fail the n-th call of one kind, or
// run a hook before each call (to commit concurrently at a chosen moment).
//
//   auto faulty = std::make_shared<FaultInjectingFileIO>(io::MakeLocalFileIO());
//   faulty->FailNth(FaultInjectingFileIO::Op::kWriteNewFile, 3);
//   ... run an operation; faulty->fired() says whether the fault happened.
//
// A failed WriteNewFile or OpenOutput does not reach the base FileIO, so it
// leaves nothing behind. A failed output-stream Close closes the underlying
// stream first (the bytes may be on disk) and then reports an error, like a
// flush that fails at close. Header-only so that any test binary linking
// floe_io can use it. Thread-safe.
#pragma once

#include <arrow/io/interfaces.h>
#include <arrow/status.h>

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "floe/io/file_io.h"

namespace floe::testing {

class FaultInjectingFileIO : public io::FileIO {
 public:
  enum class Op : int {
    kReadFile = 0,
    kOpenInput,
    kOpenOutput,
    kOutputClose,  // Close() of a stream returned by OpenOutput
    kWriteNewFile,
    kDelete,
    kExists,
    kList,
    kCount
  };
  static const char* OpName(Op op) {
    static const char* kNames[] = {"ReadFile", "OpenInput", "OpenOutput", "OutputClose",
                                   "WriteNewFile", "Delete", "Exists", "List"};
    return kNames[static_cast<int>(op)];
  }

  // Runs before the call it names is forwarded (or failed); `location` is
  // the call's argument (the file's location for kOutputClose).
  using Hook = std::function<void(Op op, const std::string& location)>;

  explicit FaultInjectingFileIO(std::shared_ptr<io::FileIO> base) : base_(std::move(base)) {}

  // Fails the n-th call (1-based, counted from now) of `op`; n <= 0 disarms.
  // Resets every call counter and the fired flag.
  void FailNth(Op op, int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_op_ = op;
    fail_at_ = n;
    fail_onwards_ = false;
    fired_ = false;
    fired_location_.clear();
    counts_.fill(0);
  }
  // Fails the n-th call of `op` and every later one (a process that died
  // there: nothing after it happens).
  void FailFrom(Op op, int n) {
    FailNth(op, n);
    std::lock_guard<std::mutex> lock(mu_);
    fail_onwards_ = true;
  }
  void Disarm() {
    FailNth(Op::kReadFile, 0);
    std::lock_guard<std::mutex> lock(mu_);
    fail_onwards_ = false;
  }
  bool fired() const {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_;
  }
  std::string fired_location() const {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_location_;
  }
  int calls(Op op) const {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_[static_cast<int>(op)];
  }
  void SetHook(Hook hook) {
    std::lock_guard<std::mutex> lock(mu_);
    hook_ = std::move(hook);
  }
  // Every location passed to WriteNewFile or OpenOutput that succeeded.
  std::vector<std::string> written() const {
    std::lock_guard<std::mutex> lock(mu_);
    return written_;
  }

  Result<std::string> ReadFile(const std::string& location) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kReadFile, location));
    return base_->ReadFile(location);
  }
  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenInput(
      const std::string& location) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kOpenInput, location));
    return base_->OpenInput(location);
  }
  Result<std::shared_ptr<arrow::io::OutputStream>> OpenOutput(
      const std::string& location) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kOpenOutput, location));
    FLOE_ASSIGN_OR_RAISE(auto out, base_->OpenOutput(location));
    Record(location);
    return std::shared_ptr<arrow::io::OutputStream>(
        std::make_shared<Stream>(this, std::move(out), location));
  }
  Status WriteNewFile(const std::string& location, std::string_view bytes) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kWriteNewFile, location));
    FLOE_RETURN_NOT_OK(base_->WriteNewFile(location, bytes));
    Record(location);
    return Status::OK();
  }
  Status Delete(const std::string& location) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kDelete, location));
    return base_->Delete(location);
  }
  Result<bool> Exists(const std::string& location) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kExists, location));
    return base_->Exists(location);
  }
  Status ListEach(const std::string& prefix,
                  const std::function<Status(const io::FileInfo&)>& fn) override {
    FLOE_RETURN_NOT_OK(Enter(Op::kList, prefix));
    return base_->ListEach(prefix, fn);
  }

 private:
  // Counts the call, runs the hook (outside the lock) and decides whether
  // this call fails.
  Status Enter(Op op, const std::string& location) {
    Hook hook;
    bool fail = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      int n = ++counts_[static_cast<int>(op)];
      if (op == fail_op_ && fail_at_ > 0 && (n == fail_at_ || (fail_onwards_ && n > fail_at_))) {
        fail = true;
        fired_ = true;
        fired_location_ = location;
      }
      hook = hook_;
    }
    if (hook) hook(op, location);
    if (fail) {
      return Status::IOError("injected fault: ", OpName(op), " call of ", location);
    }
    return Status::OK();
  }
  void Record(const std::string& location) {
    std::lock_guard<std::mutex> lock(mu_);
    written_.push_back(location);
  }

  // Forwards to the real stream; Close may be failed.
  class Stream : public arrow::io::OutputStream {
   public:
    Stream(FaultInjectingFileIO* owner, std::shared_ptr<arrow::io::OutputStream> inner,
           std::string location)
        : owner_(owner), inner_(std::move(inner)), location_(std::move(location)) {}
    arrow::Status Close() override {
      arrow::Status closed = inner_->Close();
      Status st = owner_->Enter(Op::kOutputClose, location_);
      if (!st.ok()) return arrow::Status::IOError(st.message());
      return closed;
    }
    arrow::Status Abort() override { return inner_->Abort(); }
    bool closed() const override { return inner_->closed(); }
    arrow::Result<int64_t> Tell() const override { return inner_->Tell(); }
    arrow::Status Write(const void* data, int64_t nbytes) override {
      return inner_->Write(data, nbytes);
    }
    arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
      return inner_->Write(data);
    }
    arrow::Status Flush() override { return inner_->Flush(); }

   private:
    FaultInjectingFileIO* owner_;
    std::shared_ptr<arrow::io::OutputStream> inner_;
    std::string location_;
  };

  std::shared_ptr<io::FileIO> base_;
  mutable std::mutex mu_;
  Op fail_op_ = Op::kReadFile;
  int fail_at_ = 0;
  bool fail_onwards_ = false;
  bool fired_ = false;
  std::string fired_location_;
  std::array<int, static_cast<int>(Op::kCount)> counts_{};
  Hook hook_;
  std::vector<std::string> written_;
};

}  // namespace floe::testing
