// Helpers shared by FileIO implementations.
#pragma once

#include <arrow/status.h>

#include <string>

#include "floe/status.h"

namespace floe::io::internal {

// An Arrow status as a Floe Status naming `location`.
Status FromArrow(const arrow::Status& st, const std::string& location);

}  // namespace floe::io::internal
