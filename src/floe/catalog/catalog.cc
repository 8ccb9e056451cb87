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

Result<std::vector<Namespace>> ListNamespacesRecursive(Catalog& catalog,
                                                       const std::optional<Namespace>& root) {
  std::vector<Namespace> out;
  if (root) out.push_back(*root);
  FLOE_ASSIGN_OR_RAISE(auto children, catalog.ListNamespaces(root));
  // Breadth first with an explicit queue: namespaces nest as deep as their
  // creators liked.
  for (size_t i = 0; i < children.size(); ++i) {
    out.push_back(children[i]);
    FLOE_ASSIGN_OR_RAISE(auto nested, catalog.ListNamespaces(children[i]));
    children.insert(children.end(), nested.begin(), nested.end());
  }
  return out;
}

}  // namespace floe::catalog
