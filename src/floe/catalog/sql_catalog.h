// SqlCatalog: Iceberg's SQL catalog on SQLite or PostgreSQL, sharing one
// database with Java's JdbcCatalog and PyIceberg's SqlCatalog.
//
// The catalog stores, per table, only the location of its current metadata
// file (and the previous one), in the tables `iceberg_tables` and
// `iceberg_namespace_properties` (docs: iceberg-spec-notes.md §10). Writing
// metadata files is the caller's job; CommitTable swaps the pointer
// atomically, so concurrent writers from any engine serialize on it.
//
// Every query is scoped by the catalog name: engines see each other's tables
// only when configured with the same name.
//
// Namespaces are lists of levels (identifier.h), stored joined by '.'. A
// namespace exists when any table row or property row has that namespace or a
// namespace below it, so creating "a.b" makes "a" exist too (Java's rule).
//
// Errors common to all methods: Invalid for a malformed namespace or name (or
// a name longer than the columns hold); IOError when the database cannot be
// reached or written (the message names the file or host:port, never a
// password). See sql_backend.h.
//
// Thread safety: all methods may be called from many threads at once; they
// share a small connection pool (SqlBackendOptions::max_connections).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/catalog/identifier.h"
#include "floe/catalog/sql_backend.h"
#include "floe/result.h"

namespace floe::catalog {

struct SqlCatalogOptions {
  SqlBackendOptions backend;
  // Create the two tables when missing (PyIceberg's init_catalog_tables). When
  // false, Open fails with NotFound if they are missing.
  bool create_tables = true;
};

// Which layout the database has. V1 has the `iceberg_type` column ('TABLE' or
// 'VIEW'; NULL means TABLE). A V0 database (written by Java by default, or an
// older PyIceberg) lacks it; the catalog then works without views and never
// migrates it.
enum class SqlSchemaVersion { kV0, kV1 };

// A table's row: where its current metadata file is.
struct TableEntry {
  std::string metadata_location;
  std::optional<std::string> previous_metadata_location;
};

// What UpdateNamespaceProperties did, as the REST API reports it.
struct PropertiesUpdateSummary {
  std::vector<std::string> updated;  // keys set (new or changed)
  std::vector<std::string> removed;  // keys removed
  std::vector<std::string> missing;  // keys asked to remove that were absent
};

class SqlCatalog {
 public:
  // Opens the database at `uri` (see sql_backend.h for the forms) as catalog
  // `catalog_name`, creating the tables with the V1 layout if missing; safe
  // when several processes open a fresh database at once. Detects V0.
  static Result<std::unique_ptr<SqlCatalog>> Open(std::string uri, std::string catalog_name,
                                                  SqlCatalogOptions options = {});

  const std::string& name() const { return name_; }
  SqlSchemaVersion schema_version() const { return version_; }
  // The database, for messages: "SQLite file '/w/catalog.db'".
  const std::string& description() const { return backend_->description(); }
  // The database itself, for tests and tools; statements bypass the catalog.
  SqlBackend& backend() { return *backend_; }

  // ---- Namespaces

  // Inserts a row per property plus `exists`=`true` (as Java does, so an empty
  // namespace is visible to every engine). AlreadyExists if the namespace
  // exists (also implicitly, through a child); Invalid if `properties` sets
  // the reserved key `exists`.
  Status CreateNamespace(const Namespace& ns, const Properties& properties = {});

  Result<bool> NamespaceExists(const Namespace& ns);

  // With an empty `parent`: the first level of every namespace in the
  // catalog. Otherwise the direct children of `parent` (full paths), NotFound
  // if `parent` does not exist. Sorted, without duplicates.
  Result<std::vector<Namespace>> ListNamespaces(const Namespace& parent = {});

  // The namespace's properties without the internal `exists` marker.
  // NotFound if the namespace does not exist.
  Result<Properties> LoadNamespaceProperties(const Namespace& ns);

  // Removes `removals`, then sets `updates`, in one transaction. NotFound if
  // the namespace does not exist; Invalid if a key is in both, or is `exists`.
  Result<PropertiesUpdateSummary> UpdateNamespaceProperties(
      const Namespace& ns, const Properties& updates, const std::vector<std::string>& removals);

  // Deletes the namespace's property rows. NotFound if it does not exist;
  // Invalid ("not empty") if it holds tables or views or has child namespaces.
  Status DropNamespace(const Namespace& ns);

  // ---- Tables

  // Names of the tables (not views) in `ns`, sorted. NotFound if `ns` does
  // not exist.
  Result<std::vector<std::string>> ListTables(const Namespace& ns);
  // (table name, metadata location) of every table of `ns`, in one query,
  // sorted by name. A namespace without tables gives an empty list.
  Result<std::vector<std::pair<std::string, std::string>>> ListTableLocations(const Namespace& ns);

  // NotFound ("table analytics.events not found in catalog 'default'") if
  // absent or a view; Corruption if its row has no metadata location.
  Result<TableEntry> LoadTable(const Namespace& ns, std::string_view name);

  Result<bool> TableExists(const Namespace& ns, std::string_view name);

  // Adds the table's row pointing at `metadata_location` (previous NULL).
  // NotFound if `ns` does not exist (Java requires it); AlreadyExists if a
  // table or view of that name exists.
  Status CreateTable(const Namespace& ns, std::string_view name,
                     std::string_view metadata_location);

  // Adds a table whose metadata file already exists; same as CreateTable.
  Status RegisterTable(const Namespace& ns, std::string_view name,
                       std::string_view metadata_location);

  // Points the table at `new_location` if it still points at
  // `expected_location` (one conditional UPDATE; previous := expected).
  //  - CommitConflict: the table changed concurrently; reload and retry.
  //  - NotFound: the table no longer exists.
  //  - CommitStateUnknown: the connection broke while the UPDATE ran and a
  //    re-read could not show it landed; the caller must NOT delete
  //    `new_location`'s files.
  //  - IOError (e.g. SQLite lock timeout): not applied.
  Status CommitTable(const Namespace& ns, std::string_view name,
                     std::string_view expected_location, std::string_view new_location);

  // NotFound if the source table or the target namespace does not exist;
  // AlreadyExists if a table or view already has the target name.
  Status RenameTable(const Namespace& from_ns, std::string_view from_name,
                     const Namespace& to_ns, std::string_view to_name);

  // Deletes the table's row and returns what it pointed at, so the caller can
  // purge the files. NotFound if absent. Does not touch any file.
  Result<TableEntry> DropTable(const Namespace& ns, std::string_view name);

 private:
  SqlCatalog(std::unique_ptr<SqlBackend> backend, std::string name, SqlSchemaVersion version);

  Status InsertTable(const Namespace& ns, std::string_view name,
                     std::string_view metadata_location, std::string_view verb);
  // " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)", or "" on V0.
  std::string_view TableFilter() const;
  std::string TableNotFound(const Namespace& ns, std::string_view name) const;
  std::string NamespaceNotFound(const Namespace& ns) const;

  std::unique_ptr<SqlBackend> backend_;
  const std::string name_;
  const SqlSchemaVersion version_;
};

}  // namespace floe::catalog
