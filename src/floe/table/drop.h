// Dropping a table, and with purge deleting its files — Java's
// Catalog.dropTable(id, purge) / CatalogUtil.dropTableData.
//
// Purge deletes exactly the files the table's metadata reaches
// (reachable_files.h: metadata files, manifest lists, manifests, data,
// delete and statistics files, content files named only by DELETED entries
// too) and nothing else under its location: a stray file there may belong
// to another table. The files go only after the catalog stopped pointing at
// the table, so a crash in between leaves unreferenced files (which
// `floe remove-orphans` on a table at that location would find), never a
// table whose files are gone. A table with gc.enabled=false is refused: its
// files may be shared (Java refuses too).
//
// Thread-safety: as the catalog's. Errors: the catalog's (NotFound for an
// unknown table); Invalid for gc.enabled=false, with the table unchanged.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "floe/catalog/catalog.h"

namespace floe::table {

struct DropOptions {
  bool purge = false;
  // With purge: only list what would be deleted; the table stays.
  bool dry_run = false;
  int threads = 0;  // 0: util::DefaultParallelism()
};

struct DropReport {
  bool dropped = false;
  std::set<std::string> files;  // with purge: the table's files (to delete, or deleted)
  int64_t deleted = 0;          // files whose delete succeeded
  int64_t failed = 0;           // files whose delete failed (left behind, e.g. already gone)
};

Result<DropReport> DropTable(catalog::Catalog& catalog, const catalog::TableIdentifier& id,
                             const DropOptions& options = {});

}  // namespace floe::table
