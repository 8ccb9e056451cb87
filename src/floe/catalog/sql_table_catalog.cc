#include "floe/catalog/sql_table_catalog.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <set>

#include "floe/catalog/maintenance_leases.h"
#include "floe/catalog/metadata_files.h"
#include "floe/util/random_ids.h"

namespace floe::catalog {

namespace {

class SqlTableCatalog final : public Catalog {
 public:
  SqlTableCatalog(std::unique_ptr<SqlCatalog> sql, std::string warehouse,
                  std::shared_ptr<io::FileIO> io)
      : sql_(std::move(sql)), warehouse_(std::move(warehouse)), io_(std::move(io)) {}

  const std::string& name() const override { return sql_->name(); }
  std::shared_ptr<io::FileIO> io() const override { return io_; }

  Status CreateNamespace(const Namespace& ns, const Properties& properties) override {
    return sql_->CreateNamespace(ns, properties);
  }
  Result<bool> NamespaceExists(const Namespace& ns) override { return sql_->NamespaceExists(ns); }
  Result<std::vector<Namespace>> ListNamespaces(const std::optional<Namespace>& parent) override {
    return sql_->ListNamespaces(parent.value_or(Namespace{}));
  }
  Result<Properties> LoadNamespaceProperties(const Namespace& ns) override {
    return sql_->LoadNamespaceProperties(ns);
  }
  Status DropNamespace(const Namespace& ns) override { return sql_->DropNamespace(ns); }

  Result<std::vector<TableIdentifier>> ListTables(const Namespace& ns) override {
    FLOE_ASSIGN_OR_RAISE(auto names, sql_->ListTables(ns));
    std::vector<TableIdentifier> out;
    for (auto& n : names) out.push_back(TableIdentifier{ns, std::move(n)});
    return out;
  }

  Result<std::vector<std::pair<TableIdentifier, std::string>>> ListTableLocations(
      const Namespace& ns) override {
    FLOE_ASSIGN_OR_RAISE(auto rows, sql_->ListTableLocations(ns));
    std::vector<std::pair<TableIdentifier, std::string>> out;
    for (auto& [name, location] : rows) out.emplace_back(TableIdentifier{ns, name}, location);
    return out;
  }

  Result<bool> TryAcquireLease(const TableIdentifier& id, const std::string& holder,
                               int64_t ttl_ms) override {
    FLOE_ASSIGN_OR_RAISE(MaintenanceLeases * leases, Leases());
    return leases->TryAcquire(id, holder, util::NowMillis(), ttl_ms);
  }

  Status ReleaseLease(const TableIdentifier& id, const std::string& holder) override {
    FLOE_ASSIGN_OR_RAISE(MaintenanceLeases * leases, Leases());
    return leases->Release(id, holder);
  }

  Result<LoadedTable> LoadTable(const TableIdentifier& id) override {
    FLOE_ASSIGN_OR_RAISE(TableEntry entry, sql_->LoadTable(id.ns, id.name));
    auto md = ReadMetadataFile(*io_, entry.metadata_location);
    if (!md.ok()) return md.status().WithContext("table " + id.ToString());
    return LoadedTable{id, entry.metadata_location, *md};
  }

  Result<std::string> DefaultTableLocation(const TableIdentifier& id) override {
    // A namespace `location` property wins, as in Java and PyIceberg.
    auto props = sql_->LoadNamespaceProperties(id.ns);
    if (props.ok()) {
      auto it = props->find("location");
      if (it != props->end() && !it->second.empty()) {
        return io::JoinLocation(NormalizeWarehouse(it->second), id.name);
      }
    }
    std::string location = warehouse_;
    for (const std::string& level : id.ns) location = io::JoinLocation(location, level);
    return io::JoinLocation(location, id.name);
  }

  Result<LoadedTable> CreateTable(const TableIdentifier& id,
                                  const spec::TableMetadata& metadata) override {
    FLOE_ASSIGN_OR_RAISE(bool exists, sql_->TableExists(id.ns, id.name));
    if (exists) {
      return Status::AlreadyExists("table ", id.ToString(), " already exists in catalog '",
                                   name(), "'");
    }
    std::string location = NewMetadataLocation(metadata, 0);
    FLOE_RETURN_NOT_OK(WriteMetadataFile(*io_, location, metadata));
    Status st = sql_->CreateTable(id.ns, id.name, location);
    if (!st.ok()) {
      // An unknown outcome keeps the file: the row may exist.
      if (!st.IsCommitStateUnknown()) (void)io_->Delete(location);
      return st;
    }
    return LoadedTable{id, location, std::make_shared<const spec::TableMetadata>(metadata)};
  }

  Result<LoadedTable> CommitTable(const LoadedTable& base,
                                  const spec::TableMetadata& updated) override {
    int64_t version = MetadataVersion(base.metadata_location);
    if (version < 0) version = static_cast<int64_t>(updated.metadata_log.size());
    std::string location = NewMetadataLocation(updated, version + 1);
    FLOE_RETURN_NOT_OK(WriteMetadataFile(*io_, location, updated));
    Status st = sql_->CommitTable(base.id.ns, base.id.name, base.metadata_location, location);
    if (!st.ok()) {
      // An unknown outcome keeps the file: the swap may have happened.
      if (!st.IsCommitStateUnknown()) (void)io_->Delete(location);
      return st.WithContext("table " + base.id.ToString());
    }
    auto committed = std::make_shared<const spec::TableMetadata>(updated);
    DeleteOldMetadata(*base.metadata, *committed);
    return LoadedTable{base.id, location, committed};
  }

  Status RenameTable(const TableIdentifier& from, const TableIdentifier& to) override {
    return sql_->RenameTable(from.ns, from.name, to.ns, to.name);
  }

  Result<LoadedTable> DropTable(const TableIdentifier& id) override {
    LoadedTable dropped{id, "", nullptr};
    auto loaded = LoadTable(id);
    if (loaded.ok()) dropped = std::move(*loaded);
    FLOE_ASSIGN_OR_RAISE(TableEntry entry, sql_->DropTable(id.ns, id.name));
    dropped.metadata_location = entry.metadata_location;
    return dropped;
  }

  Result<LoadedTable> RegisterTable(const TableIdentifier& id,
                                    const std::string& metadata_location) override {
    auto md = ReadMetadataFile(*io_, metadata_location);
    if (!md.ok()) return md.status().WithContext("cannot register " + id.ToString());
    FLOE_RETURN_NOT_OK(sql_->RegisterTable(id.ns, id.name, metadata_location));
    return LoadedTable{id, metadata_location, *md};
  }

 private:
  Result<MaintenanceLeases*> Leases() {
    std::lock_guard<std::mutex> lock(leases_mu_);
    if (!leases_) {
      FLOE_ASSIGN_OR_RAISE(MaintenanceLeases l, MaintenanceLeases::Open(&sql_->backend(), sql_->name()));
      leases_.emplace(std::move(l));
    }
    return &*leases_;
  }

  // write.metadata.delete-after-commit.enabled: delete metadata files that
  // fell out of the metadata log with this commit (Java's behaviour).
  void DeleteOldMetadata(const spec::TableMetadata& base, const spec::TableMetadata& updated) {
    if (updated.Property("write.metadata.delete-after-commit.enabled", "false") != "true") return;
    std::set<std::string> kept;
    for (const auto& e : updated.metadata_log) kept.insert(e.metadata_file);
    for (const auto& e : base.metadata_log) {
      if (!kept.count(e.metadata_file)) (void)io_->Delete(e.metadata_file);
    }
  }

  std::unique_ptr<SqlCatalog> sql_;
  std::mutex leases_mu_;
  std::optional<MaintenanceLeases> leases_;
  std::string warehouse_;
  std::shared_ptr<io::FileIO> io_;
};

}  // namespace

std::string NormalizeWarehouse(const std::string& warehouse) {
  std::string w = warehouse;
  if (!io::IsRemote(w)) {
    std::error_code ec;
    auto abs = std::filesystem::weakly_canonical(std::filesystem::absolute(io::LocalPath(w)), ec);
    w = "file://" + (ec ? std::filesystem::absolute(io::LocalPath(w)).string() : abs.string());
  }
  while (w.size() > 1 && w.back() == '/' && w.find("://") + 3 != w.size()) w.pop_back();
  return w;
}

Result<std::shared_ptr<Catalog>> OpenSqlTableCatalog(SqlCatalogConfig config) {
  if (config.warehouse.empty()) {
    return Status::Invalid("a warehouse is required (--warehouse or FLOE_WAREHOUSE)");
  }
  FLOE_ASSIGN_OR_RAISE(auto sql, SqlCatalog::Open(config.uri, config.name));
  auto io = config.io ? config.io : io::MakeLocalFileIO();
  return std::shared_ptr<Catalog>(std::make_shared<SqlTableCatalog>(
      std::move(sql), NormalizeWarehouse(config.warehouse), std::move(io)));
}

}  // namespace floe::catalog
