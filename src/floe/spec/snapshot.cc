#include "floe/spec/snapshot.h"

namespace floe::spec {

std::optional<std::string> Snapshot::SummaryValue(std::string_view key) const {
  if (key == "operation") return operation;
  for (const auto& [k, v] : summary) {
    if (k == key) return v;
  }
  return std::nullopt;
}

}  // namespace floe::spec
