// Table: a loaded table — its catalog entry, current metadata and FileIO —
// and the entry point for scans and changes. Not thread-safe: use one Table
// per thread (they may share the catalog).
#pragma once

#include <memory>
#include <string>

#include "floe/catalog/catalog.h"
#include "floe/result.h"

namespace floe::table {

class Table {
 public:
  // A table in `catalog`.
  Table(std::shared_ptr<catalog::Catalog> catalog, catalog::LoadedTable loaded);
  // A read-only table loaded from a metadata file (no catalog).
  Table(std::shared_ptr<io::FileIO> io, catalog::LoadedTable loaded);

  const catalog::TableIdentifier& id() const { return loaded_.id; }
  std::string name() const;  // "analytics.events" or the metadata location
  const spec::TableMetadata& metadata() const { return *loaded_.metadata; }
  const std::shared_ptr<const spec::TableMetadata>& metadata_ptr() const { return loaded_.metadata; }
  const std::string& metadata_location() const { return loaded_.metadata_location; }
  const catalog::LoadedTable& loaded() const { return loaded_; }
  const std::shared_ptr<io::FileIO>& io() const { return io_; }
  // nullptr for tables loaded by path.
  catalog::Catalog* catalog() const { return catalog_.get(); }

  // Reloads the current metadata from the catalog (no-op for path tables).
  Status Refresh();
  // Adopts the result of a successful commit.
  void Update(catalog::LoadedTable loaded) { loaded_ = std::move(loaded); }

 private:
  std::shared_ptr<catalog::Catalog> catalog_;
  std::shared_ptr<io::FileIO> io_;
  catalog::LoadedTable loaded_;
};

}  // namespace floe::table
