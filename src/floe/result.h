// Result<T>: a value of type T, or the non-OK Status that explains its absence.
//
// Construct from a T (success) or from a non-OK Status (failure); constructing
// from an OK Status is a programming error and becomes an Invalid status.
#pragma once

#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>

#include "floe/status.h"

namespace floe {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Invalid("internal error: Result built from an OK Status");
  }
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, T>>>
  Result(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  // REQUIRES: ok(). Aborts otherwise: check ok() or use FLOE_ASSIGN_OR_RAISE.
  const T& value() const& { Check(); return *value_; }
  T& value() & { Check(); return *value_; }
  T value() && { Check(); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  T ValueOr(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

 private:
  void Check() const {
    if (!value_.has_value()) [[unlikely]] std::abort();
  }
  std::optional<T> value_;
  Status status_;
};

template <typename T>
const Status& ToStatus(const Result<T>& r) { return r.status(); }

}  // namespace floe

#define FLOE_ASSIGN_OR_RAISE_IMPL(tmp, lhs, rexpr)      \
  auto&& tmp = (rexpr);                                 \
  if (!tmp.ok()) [[unlikely]] return std::move(tmp).status(); \
  lhs = std::move(tmp).value()

// Evaluates `rexpr` (a Result<T>); on error returns its Status from the
// current function, else moves the value into `lhs` (which may be a
// declaration such as `auto x`). Expands to several statements.
#define FLOE_ASSIGN_OR_RAISE(lhs, rexpr) \
  FLOE_ASSIGN_OR_RAISE_IMPL(FLOE_CONCAT(_floe_result_, __COUNTER__), lhs, rexpr)
