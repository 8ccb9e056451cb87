#include "floe/catalog/sql_catalog.h"

#include <algorithm>
#include <set>
#include <utility>

#include "floe/util/strings.h"

namespace floe::catalog {
namespace {

// The V1 layout of Java's JdbcCatalog / PyIceberg's SqlCatalog. Property key
// and value are NOT NULL as PyIceberg declares them; Java's nullable columns
// are read the same way.
constexpr std::string_view kCreateTables =
    "CREATE TABLE IF NOT EXISTS iceberg_tables ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "table_namespace VARCHAR(255) NOT NULL, "
    "table_name VARCHAR(255) NOT NULL, "
    "metadata_location VARCHAR(1000), "
    "previous_metadata_location VARCHAR(1000), "
    "iceberg_type VARCHAR(5), "
    "PRIMARY KEY (catalog_name, table_namespace, table_name))";
constexpr std::string_view kCreateNamespaceProperties =
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "namespace VARCHAR(255) NOT NULL, "
    "property_key VARCHAR(255) NOT NULL, "
    "property_value VARCHAR(1000) NOT NULL, "
    "PRIMARY KEY (catalog_name, namespace, property_key))";

// A namespace exists if a table or property row has it or a child of it.
constexpr std::string_view kNamespaceExists =
    "SELECT 1 FROM iceberg_tables WHERE catalog_name = ? AND "
    "(table_namespace = ? OR table_namespace LIKE ? ESCAPE '!') "
    "UNION ALL "
    "SELECT 1 FROM iceberg_namespace_properties WHERE catalog_name = ? AND "
    "(namespace = ? OR namespace LIKE ? ESCAPE '!') "
    "LIMIT 1";

constexpr std::string_view kExistsProperty = "exists";

// Column widths of the layout; PostgreSQL would reject longer values with a
// less helpful message, SQLite would store them and Java could not read them.
constexpr size_t kMaxName = 255;
constexpr size_t kMaxLocation = 1000;

size_t CodePoints(std::string_view s) {
  // VARCHAR(n) counts characters: skip UTF-8 continuation bytes.
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Status CheckLength(std::string_view what, std::string_view value, size_t max) {
  if (CodePoints(value) > max) {
    return Status::Invalid(what, " ", util::Quote(value), " is longer than the ", max,
                           " characters the SQL catalog can store");
  }
  return Status::OK();
}

Status CheckNamespace(const Namespace& ns) {
  FLOE_RETURN_NOT_OK(ValidateNamespace(ns));
  return CheckLength("namespace", NamespaceToString(ns), kMaxName);
}

Status CheckTable(const Namespace& ns, std::string_view name) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  if (name.empty()) return Status::Invalid("empty table name in namespace ", NamespaceToString(ns));
  return CheckLength("table name", name, kMaxName);
}

Status CheckLocation(std::string_view what, std::string_view location) {
  if (location.empty()) return Status::Invalid("empty ", what);
  return CheckLength(what, location, kMaxLocation);
}

// "ns.%" for LIKE with ESCAPE '!': the namespace's own '!', '_' and '%' must
// match literally.
std::string ChildPattern(const std::string& ns) {
  std::string out;
  for (char c : ns) {
    if (c == '!' || c == '_' || c == '%') out.push_back('!');
    out.push_back(c);
  }
  return out + ".%";
}

// Runs on a SqlBackend (autocommit) or on a SqlConnection inside a
// transaction; both have Query(sql, params).
template <typename Db>
Result<bool> NamespaceExistsOn(Db& db, const std::string& catalog, const Namespace& ns) {
  std::string name = NamespaceToString(ns);
  std::string pattern = ChildPattern(name);
  FLOE_ASSIGN_OR_RAISE(
      std::vector<SqlRow> rows,
      db.Query(kNamespaceExists, {catalog, name, pattern, catalog, name, pattern}));
  return !rows.empty();
}

}  // namespace

SqlCatalog::SqlCatalog(std::unique_ptr<SqlBackend> backend, std::string name,
                       SqlSchemaVersion version)
    : backend_(std::move(backend)), name_(std::move(name)), version_(version) {}

Result<std::unique_ptr<SqlCatalog>> SqlCatalog::Open(std::string uri, std::string catalog_name,
                                                     SqlCatalogOptions options) {
  if (catalog_name.empty()) return Status::Invalid("empty SQL catalog name");
  FLOE_RETURN_NOT_OK(CheckLength("catalog name", catalog_name, kMaxName));
  FLOE_ASSIGN_OR_RAISE(std::unique_ptr<SqlBackend> backend,
                       SqlBackend::Open(uri, options.backend));
  if (options.create_tables) {
    FLOE_RETURN_NOT_OK(backend->EnsureTable("iceberg_tables", kCreateTables));
    FLOE_RETURN_NOT_OK(
        backend->EnsureTable("iceberg_namespace_properties", kCreateNamespaceProperties));
  }
  FLOE_ASSIGN_OR_RAISE(std::set<std::string> columns, backend->TableColumns("iceberg_tables"));
  FLOE_ASSIGN_OR_RAISE(std::set<std::string> property_columns,
                       backend->TableColumns("iceberg_namespace_properties"));
  if (columns.empty() || property_columns.empty()) {
    return Status::NotFound(backend->description(), " has no table ",
                            columns.empty() ? "iceberg_tables" : "iceberg_namespace_properties",
                            "; open the catalog with create_tables to create it");
  }
  SqlSchemaVersion version =
      columns.count("iceberg_type") ? SqlSchemaVersion::kV1 : SqlSchemaVersion::kV0;
  return std::unique_ptr<SqlCatalog>(
      new SqlCatalog(std::move(backend), std::move(catalog_name), version));
}

std::string_view SqlCatalog::TableFilter() const {
  if (version_ == SqlSchemaVersion::kV0) return "";
  return " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)";
}

std::string SqlCatalog::TableNotFound(const Namespace& ns, std::string_view name) const {
  return "table " + TableToString(ns, name) + " not found in catalog " + util::Quote(name_);
}

std::string SqlCatalog::NamespaceNotFound(const Namespace& ns) const {
  return "namespace " + NamespaceToString(ns) + " not found in catalog " + util::Quote(name_);
}

// ---------------------------------------------------------------------------
// Namespaces

Status SqlCatalog::CreateNamespace(const Namespace& ns, const Properties& properties) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  for (const auto& [key, value] : properties) {
    if (key == kExistsProperty) {
      return Status::Invalid("cannot set the reserved namespace property 'exists' on ",
                             NamespaceToString(ns), "; the catalog maintains it");
    }
    if (key.empty()) return Status::Invalid("empty property key for namespace ",
                                            NamespaceToString(ns));
    FLOE_RETURN_NOT_OK(CheckLength("property key", key, kMaxName));
    FLOE_RETURN_NOT_OK(CheckLength("property value", value, kMaxLocation));
  }
  const std::string ns_name = NamespaceToString(ns);
  auto already_exists = [&] {
    return Status::AlreadyExists("namespace ", ns_name, " already exists in catalog ",
                                 util::Quote(name_));
  };
  Status st = backend_->Transaction([&](SqlConnection& db) -> Status {
    FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(db, name_, ns));
    if (exists) return already_exists();
    constexpr std::string_view kInsert =
        "INSERT INTO iceberg_namespace_properties "
        "(catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?)";
    for (const auto& [key, value] : properties) {
      FLOE_RETURN_NOT_OK(db.Execute(kInsert, {name_, ns_name, key, value}));
    }
    // Java always adds it, so that a namespace without properties has a row.
    return db.Execute(kInsert, {name_, ns_name, std::string(kExistsProperty), "true"}).status();
  });
  // Another process created it between our check and insert (PostgreSQL).
  if (st.IsAlreadyExists()) return already_exists();
  return st;
}

Result<bool> SqlCatalog::NamespaceExists(const Namespace& ns) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  return NamespaceExistsOn(*backend_, name_, ns);
}

Result<std::vector<Namespace>> SqlCatalog::ListNamespaces(const Namespace& parent) {
  std::string sql;
  std::vector<SqlValue> params;
  if (parent.empty()) {
    sql = "SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ? "
          "UNION "
          "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?";
    params = {name_, name_};
  } else {
    FLOE_RETURN_NOT_OK(CheckNamespace(parent));
    FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(*backend_, name_, parent));
    if (!exists) return Status::NotFound(NamespaceNotFound(parent));
    sql = "SELECT table_namespace FROM iceberg_tables "
          "WHERE catalog_name = ? AND table_namespace LIKE ? ESCAPE '!' "
          "UNION "
          "SELECT namespace FROM iceberg_namespace_properties "
          "WHERE catalog_name = ? AND namespace LIKE ? ESCAPE '!'";
    std::string pattern = ChildPattern(NamespaceToString(parent));
    params = {name_, pattern, name_, pattern};
  }
  FLOE_ASSIGN_OR_RAISE(std::vector<SqlRow> rows, backend_->Query(sql, params));
  std::set<Namespace> children;
  for (const SqlRow& row : rows) {
    if (row.empty() || !row[0]) continue;
    Namespace ns = NamespaceFromString(*row[0]);
    if (ns.size() <= parent.size() || !std::equal(parent.begin(), parent.end(), ns.begin())) {
      continue;
    }
    ns.resize(parent.size() + 1);
    if (ns.back().empty()) continue;  // a malformed row such as "a..b"
    children.insert(std::move(ns));
  }
  return std::vector<Namespace>(children.begin(), children.end());
}

Result<Properties> SqlCatalog::LoadNamespaceProperties(const Namespace& ns) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(*backend_, name_, ns));
  if (!exists) return Status::NotFound(NamespaceNotFound(ns));
  FLOE_ASSIGN_OR_RAISE(
      std::vector<SqlRow> rows,
      backend_->Query("SELECT property_key, property_value FROM iceberg_namespace_properties "
                      "WHERE catalog_name = ? AND namespace = ?",
                      {name_, NamespaceToString(ns)}));
  Properties properties;
  for (const SqlRow& row : rows) {
    // Java's layout allows NULL keys and values.
    if (row.size() < 2 || !row[0] || *row[0] == kExistsProperty) continue;
    properties[*row[0]] = row[1].value_or("");
  }
  return properties;
}

Result<PropertiesUpdateSummary> SqlCatalog::UpdateNamespaceProperties(
    const Namespace& ns, const Properties& updates, const std::vector<std::string>& removals) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  const std::string ns_name = NamespaceToString(ns);
  for (const std::string& key : removals) {
    if (updates.count(key)) {
      return Status::Invalid("namespace ", ns_name, ": property ", util::Quote(key),
                             " is both set and removed in one update");
    }
  }
  for (const auto& [key, value] : updates) {
    if (key.empty()) return Status::Invalid("empty property key for namespace ", ns_name);
    FLOE_RETURN_NOT_OK(CheckLength("property key", key, kMaxName));
    FLOE_RETURN_NOT_OK(CheckLength("property value", value, kMaxLocation));
  }
  if (updates.count(std::string(kExistsProperty)) ||
      std::find(removals.begin(), removals.end(), kExistsProperty) != removals.end()) {
    return Status::Invalid("cannot set or remove the reserved namespace property 'exists' of ",
                           ns_name, "; the catalog maintains it");
  }
  PropertiesUpdateSummary summary;
  FLOE_RETURN_NOT_OK(backend_->Transaction([&](SqlConnection& db) -> Status {
    summary = {};  // the transaction may run twice after a lost connection
    FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(db, name_, ns));
    if (!exists) return Status::NotFound(NamespaceNotFound(ns));
    for (const std::string& key : removals) {
      FLOE_ASSIGN_OR_RAISE(int64_t removed,
                           db.Execute("DELETE FROM iceberg_namespace_properties WHERE "
                                      "catalog_name = ? AND namespace = ? AND property_key = ?",
                                      {name_, ns_name, key}));
      (removed > 0 ? summary.removed : summary.missing).push_back(key);
    }
    for (const auto& [key, value] : updates) {
      // An upsert: a concurrent writer of the same key must not fail ours.
      FLOE_RETURN_NOT_OK(db.Execute(
          "INSERT INTO iceberg_namespace_properties "
          "(catalog_name, namespace, property_key, property_value) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (catalog_name, namespace, property_key) "
          "DO UPDATE SET property_value = excluded.property_value",
          {name_, ns_name, key, value}));
      summary.updated.push_back(key);
    }
    return Status::OK();
  }));
  return summary;
}

Status SqlCatalog::DropNamespace(const Namespace& ns) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  const std::string ns_name = NamespaceToString(ns);
  return backend_->Transaction([&](SqlConnection& db) -> Status {
    FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(db, name_, ns));
    if (!exists) return Status::NotFound(NamespaceNotFound(ns));
    // Tables and views alike: a view left in a dropped namespace would be
    // unreachable for engines that require the namespace.
    FLOE_ASSIGN_OR_RAISE(
        std::vector<SqlRow> tables,
        db.Query("SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND "
                 "table_namespace = ? LIMIT 4",
                 {name_, ns_name}));
    if (!tables.empty()) {
      std::vector<std::string> names;
      for (size_t i = 0; i < tables.size() && i < 3; ++i) {
        names.push_back(tables[i][0].value_or(""));
      }
      if (tables.size() > 3) names.push_back("...");
      return Status::Invalid("cannot drop namespace ", ns_name, " in catalog ",
                             util::Quote(name_), ": it is not empty, it holds tables or views (",
                             util::Join(names, ", "), "); drop them first");
    }
    std::string pattern = ChildPattern(ns_name);
    FLOE_ASSIGN_OR_RAISE(
        std::vector<SqlRow> children,
        db.Query("SELECT table_namespace FROM iceberg_tables "
                 "WHERE catalog_name = ? AND table_namespace LIKE ? ESCAPE '!' "
                 "UNION "
                 "SELECT namespace FROM iceberg_namespace_properties "
                 "WHERE catalog_name = ? AND namespace LIKE ? ESCAPE '!' LIMIT 1",
                 {name_, pattern, name_, pattern}));
    if (!children.empty()) {
      return Status::Invalid("cannot drop namespace ", ns_name, " in catalog ",
                             util::Quote(name_), ": it is not empty, it has child namespace ",
                             children[0][0].value_or(""), "; drop the children first");
    }
    return db.Execute("DELETE FROM iceberg_namespace_properties WHERE catalog_name = ? AND "
                      "namespace = ?",
                      {name_, ns_name})
        .status();
  });
}

// ---------------------------------------------------------------------------
// Tables

Result<std::vector<std::string>> SqlCatalog::ListTables(const Namespace& ns) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  std::string sql =
      "SELECT table_name FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ?";
  sql += TableFilter();
  FLOE_ASSIGN_OR_RAISE(std::vector<SqlRow> rows,
                       backend_->Query(sql, {name_, NamespaceToString(ns)}));
  if (rows.empty()) {
    FLOE_ASSIGN_OR_RAISE(bool exists, NamespaceExistsOn(*backend_, name_, ns));
    if (!exists) return Status::NotFound(NamespaceNotFound(ns));
  }
  std::vector<std::string> names;
  for (const SqlRow& row : rows) {
    if (!row.empty() && row[0]) names.push_back(*row[0]);
  }
  // Sorted here: the databases' collations differ.
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<std::pair<std::string, std::string>>> SqlCatalog::ListTableLocations(
    const Namespace& ns) {
  FLOE_RETURN_NOT_OK(CheckNamespace(ns));
  std::string sql =
      "SELECT table_name, metadata_location FROM iceberg_tables WHERE catalog_name = ? AND "
      "table_namespace = ?";
  sql += TableFilter();
  FLOE_ASSIGN_OR_RAISE(std::vector<SqlRow> rows,
                       backend_->Query(sql, {name_, NamespaceToString(ns)}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const SqlRow& row : rows) {
    if (row.size() >= 2 && row[0] && row[1]) out.emplace_back(*row[0], *row[1]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<TableEntry> SqlCatalog::LoadTable(const Namespace& ns, std::string_view name) {
  FLOE_RETURN_NOT_OK(CheckTable(ns, name));
  std::string sql =
      "SELECT metadata_location, previous_metadata_location FROM iceberg_tables "
      "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?";
  sql += TableFilter();
  FLOE_ASSIGN_OR_RAISE(std::vector<SqlRow> rows,
                       backend_->Query(sql, {name_, NamespaceToString(ns), std::string(name)}));
  if (rows.empty()) return Status::NotFound(TableNotFound(ns, name));
  if (!rows[0][0]) {
    return Status::Corruption("table ", TableToString(ns, name), " in catalog ",
                              util::Quote(name_), " has no metadata_location in ",
                              description());
  }
  return TableEntry{*rows[0][0], rows[0][1]};
}

Result<bool> SqlCatalog::TableExists(const Namespace& ns, std::string_view name) {
  Result<TableEntry> entry = LoadTable(ns, name);
  if (entry.ok()) return true;
  if (entry.status().IsNotFound()) return false;
  return entry.status();
}

Status SqlCatalog::InsertTable(const Namespace& ns, std::string_view name,
                               std::string_view metadata_location, std::string_view verb) {
  FLOE_RETURN_NOT_OK(CheckTable(ns, name));
  FLOE_RETURN_NOT_OK(CheckLocation("metadata location", metadata_location));
  FLOE_ASSIGN_OR_RAISE(bool ns_exists, NamespaceExistsOn(*backend_, name_, ns));
  if (!ns_exists) {
    return Status::NotFound("cannot ", verb, " table ", TableToString(ns, name), ": ",
                            NamespaceNotFound(ns), "; create the namespace first");
  }
  std::string sql =
      version_ == SqlSchemaVersion::kV1
          ? "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location, iceberg_type) "
            "VALUES (?, ?, ?, ?, NULL, 'TABLE')"
          : "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
            "metadata_location, previous_metadata_location) VALUES (?, ?, ?, ?, NULL)";
  Result<int64_t> inserted = backend_->Execute(
      sql, {name_, NamespaceToString(ns), std::string(name), std::string(metadata_location)});
  if (inserted.ok()) return Status::OK();
  const Status& st = inserted.status();
  if (st.IsAlreadyExists()) {
    return Status::AlreadyExists("cannot ", verb, " table ", TableToString(ns, name),
                                 ": a table or view of that name already exists in catalog ",
                                 util::Quote(name_));
  }
  if (st.IsCommitStateUnknown()) {
    // The row carries our location if the INSERT landed.
    Result<TableEntry> entry = LoadTable(ns, name);
    if (entry.ok() && entry->metadata_location == metadata_location) return Status::OK();
  }
  return st.WithContext(std::string(verb) + " table " + TableToString(ns, name));
}

Status SqlCatalog::CreateTable(const Namespace& ns, std::string_view name,
                               std::string_view metadata_location) {
  return InsertTable(ns, name, metadata_location, "create");
}

Status SqlCatalog::RegisterTable(const Namespace& ns, std::string_view name,
                                 std::string_view metadata_location) {
  return InsertTable(ns, name, metadata_location, "register");
}

Status SqlCatalog::CommitTable(const Namespace& ns, std::string_view name,
                               std::string_view expected_location,
                               std::string_view new_location) {
  FLOE_RETURN_NOT_OK(CheckTable(ns, name));
  FLOE_RETURN_NOT_OK(CheckLocation("expected metadata location", expected_location));
  FLOE_RETURN_NOT_OK(CheckLocation("new metadata location", new_location));
  const std::string table = TableToString(ns, name);
  // One compare-and-swap: the row changes only if it still points at
  // `expected_location`, so of two concurrent commits from the same base
  // exactly one updates a row.
  std::string sql =
      "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? "
      "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND "
      "metadata_location = ?";
  sql += TableFilter();
  Result<int64_t> updated = backend_->Execute(
      sql, {std::string(new_location), std::string(expected_location), name_,
            NamespaceToString(ns), std::string(name), std::string(expected_location)});
  if (!updated.ok()) {
    const Status& st = updated.status();
    if (st.IsCommitStateUnknown()) {
      // Locations are unique per commit, so seeing ours proves it landed.
      // Seeing anything else proves nothing: the UPDATE may still be running
      // on the server, or another commit may have followed ours.
      Result<TableEntry> entry = LoadTable(ns, name);
      if (entry.ok() && entry->metadata_location == new_location) return Status::OK();
      return Status::CommitStateUnknown(
          "commit of table ", table, " in catalog ", util::Quote(name_), " to ",
          new_location, " may or may not have been applied: ", st.message(),
          "; do not delete the new metadata file; reload the table to find out");
    }
    return st.WithContext("commit of table " + table + " in catalog " + util::Quote(name_));
  }
  if (*updated == 1) return Status::OK();
  if (*updated > 1) {
    return Status::Corruption("commit of table ", table, " updated ", *updated, " rows in ",
                              description(),
                              ": iceberg_tables lacks its primary key (catalog_name, "
                              "table_namespace, table_name)");
  }
  // No row matched: tell a lost race from a dropped table.
  FLOE_ASSIGN_OR_RAISE(bool exists, TableExists(ns, name));
  if (!exists) {
    return Status::NotFound(TableNotFound(ns, name), " (dropped or renamed before the commit)");
  }
  return Status::CommitConflict("table ", table, " in catalog ", util::Quote(name_),
                                " changed concurrently: it no longer points at ",
                                expected_location, "; reload the table and retry the commit");
}

Status SqlCatalog::RenameTable(const Namespace& from_ns, std::string_view from_name,
                               const Namespace& to_ns, std::string_view to_name) {
  FLOE_RETURN_NOT_OK(CheckTable(from_ns, from_name));
  FLOE_RETURN_NOT_OK(CheckTable(to_ns, to_name));
  const std::string from = TableToString(from_ns, from_name);
  const std::string to = TableToString(to_ns, to_name);
  FLOE_ASSIGN_OR_RAISE(bool ns_exists, NamespaceExistsOn(*backend_, name_, to_ns));
  if (!ns_exists) {
    return Status::NotFound("cannot rename table ", from, " to ", to, ": ",
                            NamespaceNotFound(to_ns), "; create the namespace first");
  }
  std::string sql =
      "UPDATE iceberg_tables SET table_namespace = ?, table_name = ? "
      "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?";
  sql += TableFilter();
  Result<int64_t> updated =
      backend_->Execute(sql, {NamespaceToString(to_ns), std::string(to_name), name_,
                              NamespaceToString(from_ns), std::string(from_name)});
  if (!updated.ok()) {
    if (updated.status().IsAlreadyExists()) {
      return Status::AlreadyExists("cannot rename table ", from, " to ", to,
                                   ": a table or view named ", to, " already exists in catalog ",
                                   util::Quote(name_));
    }
    return updated.status().WithContext("rename of table " + from + " to " + to);
  }
  if (*updated == 0) {
    return Status::NotFound("cannot rename table ", from, " to ", to, ": ",
                            TableNotFound(from_ns, from_name));
  }
  return Status::OK();
}

Result<TableEntry> SqlCatalog::DropTable(const Namespace& ns, std::string_view name) {
  FLOE_RETURN_NOT_OK(CheckTable(ns, name));
  // RETURNING (SQLite 3.35+, PostgreSQL) reads and deletes the row in one
  // statement, so the locations returned are the ones deleted.
  std::string sql =
      "DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND "
      "table_name = ?";
  sql += TableFilter();
  sql += " RETURNING metadata_location, previous_metadata_location";
  Result<std::vector<SqlRow>> rows =
      backend_->ExecuteReturning(sql, {name_, NamespaceToString(ns), std::string(name)});
  if (!rows.ok()) {
    return rows.status().WithContext("drop of table " + TableToString(ns, name));
  }
  if (rows->empty()) return Status::NotFound(TableNotFound(ns, name));
  const SqlRow& row = rows->front();
  return TableEntry{row[0].value_or(""), row[1]};
}

}  // namespace floe::catalog
