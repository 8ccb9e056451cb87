// Catalog: where tables are found and how their metadata pointer moves.
//
// A catalog tracks, per table, the location of its current metadata file.
// Committing writes a new metadata file next to the old ones and swaps the
// pointer atomically if, and only if, it still names the base file (spec
// §Optimistic Concurrency). Implementations are safe to use from several
// threads; several processes may share one catalog.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/catalog/table_identifier.h"
#include "floe/io/file_io.h"
#include "floe/result.h"
#include "floe/spec/table_metadata.h"

namespace floe::catalog {

// A table as loaded: its identifier, the metadata file the catalog points
// at, and that file's content.
struct LoadedTable {
  TableIdentifier id;
  std::string metadata_location;
  std::shared_ptr<const spec::TableMetadata> metadata;
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  virtual const std::string& name() const = 0;
  // The FileIO for the warehouse's metadata and data files.
  virtual std::shared_ptr<io::FileIO> io() const = 0;

  // Namespaces. CreateNamespace: AlreadyExists if present. DropNamespace:
  // NotFound if absent, Invalid if it still holds tables or namespaces.
  virtual Status CreateNamespace(const Namespace& ns, const Properties& properties) = 0;
  virtual Result<bool> NamespaceExists(const Namespace& ns) = 0;
  // Top-level namespaces, or the direct children of `parent`.
  virtual Result<std::vector<Namespace>> ListNamespaces(const std::optional<Namespace>& parent) = 0;
  virtual Result<Properties> LoadNamespaceProperties(const Namespace& ns) = 0;
  virtual Status DropNamespace(const Namespace& ns) = 0;

  // Tables of a namespace (NotFound if the namespace does not exist).
  virtual Result<std::vector<TableIdentifier>> ListTables(const Namespace& ns) = 0;
  // NotFound: "table analytics.events not found in catalog 'default'".
  virtual Result<LoadedTable> LoadTable(const TableIdentifier& id) = 0;

  // Where a new table's files go when it is created without a location:
  // <warehouse>/<ns levels>/<table> (Java's JdbcCatalog), or the namespace's
  // `location` property joined with the table name.
  virtual Result<std::string> DefaultTableLocation(const TableIdentifier& id) = 0;

  // Writes `metadata` as the table's first metadata file and registers it.
  // AlreadyExists (nothing left behind) if the table exists; NotFound if the
  // namespace does not.
  virtual Result<LoadedTable> CreateTable(const TableIdentifier& id,
                                          const spec::TableMetadata& metadata) = 0;

  // Writes `updated` as the next metadata file and swaps the table's pointer
  // from base.metadata_location to it. Returns the new LoadedTable.
  // CommitConflict: the table moved on; the new file is deleted and the
  //   caller refreshes and retries.
  // CommitStateUnknown: the outcome is unknown (e.g. the connection dropped
  //   mid-update); the new file is kept and nothing may be cleaned up.
  virtual Result<LoadedTable> CommitTable(const LoadedTable& base,
                                          const spec::TableMetadata& updated) = 0;

  virtual Status RenameTable(const TableIdentifier& from, const TableIdentifier& to) = 0;
  // Removes the table from the catalog (files stay); returns what it was, so
  // the caller can purge its files.
  virtual Result<LoadedTable> DropTable(const TableIdentifier& id) = 0;
  // Registers an existing metadata file as a new table.
  virtual Result<LoadedTable> RegisterTable(const TableIdentifier& id,
                                            const std::string& metadata_location) = 0;

  // The current metadata location of every table of `ns`, so a monitor
  // re-reads only the metadata that changed. The SQL catalog answers in one
  // query; the default loads each table.
  virtual Result<std::vector<std::pair<TableIdentifier, std::string>>> ListTableLocations(
      const Namespace& ns);

  // Maintenance leases (maintenance_leases.h): TryAcquireLease is true when
  // `holder` holds the lease on `id` for `ttl_ms` from now. NotSupported by
  // catalogs without a place to keep them.
  virtual Result<bool> TryAcquireLease(const TableIdentifier& id, const std::string& holder,
                                       int64_t ttl_ms);
  virtual Status ReleaseLease(const TableIdentifier& id, const std::string& holder);
};

// `root` and every namespace below it (every namespace of the catalog when
// `root` is empty), parents before children.
Result<std::vector<Namespace>> ListNamespacesRecursive(Catalog& catalog,
                                                       const std::optional<Namespace>& root);

}  // namespace floe::catalog
