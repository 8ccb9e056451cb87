// Maintenance leases: at most one maintenance job per table at a time, also
// across several processes sharing one catalog database (`floe serve
// --maintain` on several hosts). A lease is a row of Floe's own table
// floe_maintenance_leases beside the catalog's tables (other engines ignore
// it): taken with one conditional upsert that succeeds only if the row is
// absent, expired or already the holder's, so two contenders cannot both
// win; it expires on its own if the holder dies.
//
// Times are the callers' clocks in milliseconds: hosts sharing a catalog
// must agree to well within the lease's duration.
#pragma once

#include <cstdint>
#include <string>

#include "floe/catalog/sql_backend.h"
#include "floe/catalog/table_identifier.h"
#include "floe/result.h"

namespace floe::catalog {

class MaintenanceLeases {
 public:
  // Creates the table if missing. Thread-safe as the backend is.
  static Result<MaintenanceLeases> Open(SqlBackend* backend, std::string catalog_name);

  // True when `holder` holds the lease on `id` until now_ms + ttl_ms (taken,
  // renewed, or taken over from an expired holder); false when another
  // holder's lease is still valid.
  Result<bool> TryAcquire(const TableIdentifier& id, const std::string& holder, int64_t now_ms,
                          int64_t ttl_ms);
  // Gives the lease up if `holder` has it.
  Status Release(const TableIdentifier& id, const std::string& holder);

 private:
  MaintenanceLeases(SqlBackend* backend, std::string catalog_name)
      : backend_(backend), catalog_name_(std::move(catalog_name)) {}
  SqlBackend* backend_;
  std::string catalog_name_;
};

}  // namespace floe::catalog
