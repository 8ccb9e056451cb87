#include "floe/table/table.h"

namespace floe::table {

Table::Table(std::shared_ptr<catalog::Catalog> catalog, catalog::LoadedTable loaded)
    : catalog_(std::move(catalog)), io_(catalog_->io()), loaded_(std::move(loaded)) {}

Table::Table(std::shared_ptr<io::FileIO> io, catalog::LoadedTable loaded)
    : io_(std::move(io)), loaded_(std::move(loaded)) {}

std::string Table::name() const {
  return loaded_.id.name.empty() ? loaded_.metadata_location : loaded_.id.ToString();
}

Status Table::Refresh() {
  if (!catalog_) return Status::OK();
  FLOE_ASSIGN_OR_RAISE(catalog::LoadedTable fresh, catalog_->LoadTable(loaded_.id));
  // A table replaced under the same name is another table (spec: a reader
  // must fail if table-uuid changes).
  if (fresh.metadata->table_uuid != loaded_.metadata->table_uuid) {
    return Status::CommitConflict("table ", name(), " was dropped and re-created (table-uuid ",
                                  loaded_.metadata->table_uuid, " is now ",
                                  fresh.metadata->table_uuid, "); load it again");
  }
  loaded_ = std::move(fresh);
  return Status::OK();
}

}  // namespace floe::table
