// Internal to floe/data: turning Arrow's Status and Result into Floe's, and
// the one-time setup Arrow's compute kernels need.
#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <string_view>
#include <utility>

#include "floe/result.h"
#include "floe/status.h"

namespace floe::data::internal {

// Keeps the nature of an Arrow error where Floe has the same code (I/O,
// not implemented, cancelled); everything else is Invalid. `context` says
// what Floe was doing, e.g. "gathering the rows of partition 3".
inline Status FromArrow(const arrow::Status& st, std::string_view context) {
  if (st.ok()) return Status::OK();
  std::string message = std::string(context) + ": Arrow: " + st.ToString();
  switch (st.code()) {
    case arrow::StatusCode::IOError: return Status::IOError(std::move(message));
    case arrow::StatusCode::NotImplemented: return Status::NotSupported(std::move(message));
    case arrow::StatusCode::Cancelled: return Status::Cancelled(std::move(message));
    default: return Status::Invalid(std::move(message));
  }
}

template <typename T>
Result<T> FromArrow(arrow::Result<T> r, std::string_view context) {
  if (!r.ok()) return FromArrow(r.status(), context);
  return std::move(r).ValueUnsafe();
}

// Registers Arrow's compute kernels (arrow::compute::Initialize, needed once
// per process since Arrow 21 split them into libarrow_compute). Thread-safe;
// later calls return the first call's outcome.
Status EnsureArrowCompute();

}  // namespace floe::data::internal
