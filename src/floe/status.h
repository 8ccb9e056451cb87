// Status: the outcome of an operation that returns no value.
//
// OK is represented by a null pointer, so returning success costs nothing.
// A non-OK Status carries a code and a message; the message must say what
// failed, where (file, table, field) and, when it helps, what to do.
// Status is [[nodiscard]]: ignoring an error is a compile warning.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

namespace floe {

enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalid,             // bad argument or bad input (malformed JSON, bad filter)
  kNotFound,            // a table, namespace, file or field does not exist
  kAlreadyExists,       // create of something that exists
  kIOError,             // the file system or network failed
  kCorruption,          // a file's bytes contradict its format
  kNotSupported,        // valid, but not implemented (or not allowed in this format version)
  kCommitConflict,      // optimistic commit lost a race; refresh and retry
  kCommitStateUnknown,  // the commit may or may not have landed; do not clean up
  kCancelled,
};

// Returns the code's name as used in messages, e.g. "Invalid".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);

  static Status OK() { return Status(); }
  template <typename... Args>
  static Status Invalid(Args&&... args) { return Make(StatusCode::kInvalid, args...); }
  template <typename... Args>
  static Status NotFound(Args&&... args) { return Make(StatusCode::kNotFound, args...); }
  template <typename... Args>
  static Status AlreadyExists(Args&&... args) { return Make(StatusCode::kAlreadyExists, args...); }
  template <typename... Args>
  static Status IOError(Args&&... args) { return Make(StatusCode::kIOError, args...); }
  template <typename... Args>
  static Status Corruption(Args&&... args) { return Make(StatusCode::kCorruption, args...); }
  template <typename... Args>
  static Status NotSupported(Args&&... args) { return Make(StatusCode::kNotSupported, args...); }
  template <typename... Args>
  static Status CommitConflict(Args&&... args) { return Make(StatusCode::kCommitConflict, args...); }
  template <typename... Args>
  static Status CommitStateUnknown(Args&&... args) {
    return Make(StatusCode::kCommitStateUnknown, args...);
  }
  template <typename... Args>
  static Status Cancelled(Args&&... args) { return Make(StatusCode::kCancelled, args...); }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  // The message without the code name; empty when OK.
  const std::string& message() const;
  // "Invalid: <message>", or "OK".
  std::string ToString() const;

  bool IsInvalid() const { return code() == StatusCode::kInvalid; }
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  bool IsIOError() const { return code() == StatusCode::kIOError; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsNotSupported() const { return code() == StatusCode::kNotSupported; }
  bool IsCommitConflict() const { return code() == StatusCode::kCommitConflict; }
  bool IsCommitStateUnknown() const { return code() == StatusCode::kCommitStateUnknown; }

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  // Used to add the file or table an inner error happened in.
  Status WithContext(std::string_view context) const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  template <typename... Args>
  static Status Make(StatusCode code, Args&&... args) {
    std::ostringstream os;
    (os << ... << args);
    return Status(code, std::move(os).str());
  }
  // Shared so that copying an error is cheap; a State is never mutated.
  std::shared_ptr<const State> state_;
};

inline const Status& ToStatus(const Status& s) { return s; }

}  // namespace floe

#define FLOE_CONCAT_INNER(a, b) a##b
#define FLOE_CONCAT(a, b) FLOE_CONCAT_INNER(a, b)

// Returns from the current function if `expr` (a Status or Result) is not OK.
#define FLOE_RETURN_NOT_OK(expr)                                 \
  do {                                                           \
    ::floe::Status _floe_st = ::floe::ToStatus(expr);            \
    if (!_floe_st.ok()) [[unlikely]] return _floe_st;            \
  } while (0)
