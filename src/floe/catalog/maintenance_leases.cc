#include "floe/catalog/maintenance_leases.h"

namespace floe::catalog {

Result<MaintenanceLeases> MaintenanceLeases::Open(SqlBackend* backend, std::string catalog_name) {
  // Several processes may create it at once (SqlBackend::EnsureTable: a
  // failed CREATE is fine when the table exists afterwards; PostgreSQL's own
  // catalog can report that race as more than one kind of error).
  Status st = backend->EnsureTable("floe_maintenance_leases",
                             "CREATE TABLE IF NOT EXISTS floe_maintenance_leases ("
                             "catalog_name VARCHAR(255) NOT NULL, "
                             "table_namespace VARCHAR(255) NOT NULL, "
                             "table_name VARCHAR(255) NOT NULL, "
                             "holder VARCHAR(255) NOT NULL, "
                             "expires_at_ms BIGINT NOT NULL, "
                             "PRIMARY KEY (catalog_name, table_namespace, table_name))");
  if (!st.ok()) return st.WithContext("maintenance leases");
  return MaintenanceLeases(backend, std::move(catalog_name));
}

Result<bool> MaintenanceLeases::TryAcquire(const TableIdentifier& id, const std::string& holder,
                                           int64_t now_ms, int64_t ttl_ms) {
  // One statement: insert, or take the row over when it is ours or expired.
  // SQLite (3.24+) and PostgreSQL both report 0 changed rows when the
  // conflict's WHERE is false.
  FLOE_ASSIGN_OR_RAISE(
      int64_t changed,
      backend_->Execute(
          "INSERT INTO floe_maintenance_leases VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (catalog_name, table_namespace, table_name) DO UPDATE SET "
          "holder = excluded.holder, expires_at_ms = excluded.expires_at_ms "
          "WHERE floe_maintenance_leases.holder = excluded.holder OR "
          "floe_maintenance_leases.expires_at_ms < ?",
          {catalog_name_, NamespaceToString(id.ns), id.name, holder,
           std::to_string(now_ms + ttl_ms), std::to_string(now_ms)}));
  return changed == 1;
}

Status MaintenanceLeases::Release(const TableIdentifier& id, const std::string& holder) {
  return backend_
      ->Execute("DELETE FROM floe_maintenance_leases WHERE catalog_name = ? AND "
                "table_namespace = ? AND table_name = ? AND holder = ?",
                {catalog_name_, NamespaceToString(id.ns), id.name, holder})
      .status();
}

}  // namespace floe::catalog
