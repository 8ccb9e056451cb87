#include "floe/catalog/catalog.h"

namespace floe::catalog {

Result<std::vector<std::pair<TableIdentifier, std::string>>> Catalog::ListTableLocations(
    const Namespace& ns) {
  FLOE_ASSIGN_OR_RAISE(auto ids, ListTables(ns));
  std::vector<std::pair<TableIdentifier, std::string>> out;
  for (auto& id : ids) {
    FLOE_ASSIGN_OR_RAISE(LoadedTable t, LoadTable(id));
    out.emplace_back(std::move(id), std::move(t.metadata_location));
  }
  return out;
}

Result<bool> Catalog::TryAcquireLease(const TableIdentifier&, const std::string&, int64_t) {
  return Status::NotSupported("catalog '", name(), "' keeps no maintenance leases");
}

Status Catalog::ReleaseLease(const TableIdentifier&, const std::string&) {
  return Status::NotSupported("catalog '", name(), "' keeps no maintenance leases");
}

}  // namespace floe::catalog
