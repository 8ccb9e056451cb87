// The Catalog of tables kept in a SQL catalog (SqlCatalog: SQLite or
// PostgreSQL) with a warehouse for their files.
#pragma once

#include <memory>
#include <string>

#include "floe/catalog/catalog.h"
#include "floe/catalog/sql_catalog.h"

namespace floe::catalog {

struct SqlCatalogConfig {
  std::string uri;               // sqlite:///path.db, postgresql://user:pass@host:port/db
  std::string name = "default";  // the catalog_name column; engines sharing tables use the same
  std::string warehouse;         // folder or URI under which new tables are created
  std::shared_ptr<io::FileIO> io;  // for the warehouse's files (local when null)
};

// Opens the catalog database (creating its tables if missing). A warehouse
// given as a local path is made absolute (file:///...) so that every engine
// and working directory resolves table locations the same way.
Result<std::shared_ptr<Catalog>> OpenSqlTableCatalog(SqlCatalogConfig config);

// The warehouse as a location: absolute file:// URI for local paths,
// unchanged for URIs with another scheme; no trailing '/'.
std::string NormalizeWarehouse(const std::string& warehouse);

}  // namespace floe::catalog
