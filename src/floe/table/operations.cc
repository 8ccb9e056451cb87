#include "floe/table/operations.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>

#include <map>

#include "floe/data/parquet_reader.h"
#include "floe/io/file_io.h"
#include "floe/expr/arrow_eval.h"
#include "floe/expr/evaluators.h"
#include "floe/expr/projection.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"

namespace floe::table {

Result<Table> CreateTable(std::shared_ptr<catalog::Catalog> catalog,
                          const catalog::TableIdentifier& id, NewTableOptions options) {
  FLOE_ASSIGN_OR_RAISE(bool ns_exists, catalog->NamespaceExists(id.ns));
  if (!ns_exists) {
    return Status::NotFound("namespace '", catalog::NamespaceToString(id.ns),
                            "' does not exist in catalog '", catalog->name(),
                            "'; create it with: floe namespace create ",
                            catalog::NamespaceToString(id.ns));
  }
  if (options.location.empty()) {
    FLOE_ASSIGN_OR_RAISE(options.location, catalog->DefaultTableLocation(id));
  }
  FLOE_ASSIGN_OR_RAISE(spec::TableMetadata md, NewTableMetadata(options));
  FLOE_ASSIGN_OR_RAISE(catalog::LoadedTable loaded, catalog->CreateTable(id, md));
  return Table(std::move(catalog), std::move(loaded));
}

Result<WriteReport> Append(Table& table, const BatchSource& source) {
  WriteReport report;
  FLOE_ASSIGN_OR_RAISE(auto files, WriteAll(table.metadata_ptr(), table.io(), source, {},
                                            &report.rows_added));
  report.files_added = static_cast<int64_t>(files.size());
  if (files.empty()) {
    report.changed = false;
    return report;
  }
  auto update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetStartSnapshot(table.metadata().current_snapshot_id);
  for (auto& f : files) update->AddFile(std::move(f));
  Transaction tx(&table);
  tx.Add(std::move(update));
  FLOE_ASSIGN_OR_RAISE(auto committed, tx.Commit());
  report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
  report.attempts = committed.attempts;
  return report;
}

namespace {

class RefUpdate final : public PendingUpdate {
 public:
  RefUpdate(std::string name, std::optional<spec::SnapshotRef> ref, std::optional<spec::RefType> drop_type)
      : name_(std::move(name)), ref_(std::move(ref)), drop_type_(drop_type) {}

  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    if (ref_) {
      if (md->refs.count(name_)) {
        return Status::AlreadyExists("a branch or tag named '", name_, "' already exists");
      }
      return SetRef(md, name_, *ref_);
    }
    auto it = md->refs.find(name_);
    if (it != md->refs.end() && drop_type_ && it->second.type != *drop_type_) {
      return Status::Invalid("'", name_, "' is a ",
                             it->second.type == spec::RefType::kBranch ? "branch" : "tag",
                             ", not a ", *drop_type_ == spec::RefType::kBranch ? "branch" : "tag");
    }
    return RemoveRef(md, name_);
  }
  std::string Describe() const override {
    return std::string(ref_ ? "create " : "drop ") + "ref '" + name_ + "'";
  }

 private:
  std::string name_;
  std::optional<spec::SnapshotRef> ref_;
  std::optional<spec::RefType> drop_type_;
};

class PropertiesUpdate final : public PendingUpdate {
 public:
  PropertiesUpdate(std::map<std::string, std::string> set, std::vector<std::string> remove)
      : set_(std::move(set)), remove_(std::move(remove)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    for (const auto& [k, v] : set_) {
      if (IsReservedProperty(k)) return Status::Invalid("property '", k, "' is reserved");
      md->properties[k] = v;
    }
    for (const auto& k : remove_) md->properties.erase(k);
    return Status::OK();
  }
  std::string Describe() const override { return "update properties"; }

 private:
  std::map<std::string, std::string> set_;
  std::vector<std::string> remove_;
};

}  // namespace

Status CreateRef(Table& table, const std::string& name, spec::RefType type,
                 std::optional<int64_t> snapshot_id) {
  if (!snapshot_id) snapshot_id = table.metadata().current_snapshot_id;
  if (!snapshot_id) {
    return Status::Invalid("table ", table.name(), " has no snapshot yet; append data first");
  }
  spec::SnapshotRef ref{*snapshot_id, type};
  Transaction tx(&table);
  tx.Add(std::make_unique<RefUpdate>(name, ref, std::nullopt));
  return tx.Commit().status();
}

Status DropRef(Table& table, const std::string& name, std::optional<spec::RefType> type) {
  Transaction tx(&table);
  tx.Add(std::make_unique<RefUpdate>(name, std::nullopt, type));
  return tx.Commit().status();
}

Status UpdateProperties(Table& table, const std::map<std::string, std::string>& set,
                        const std::vector<std::string>& remove) {
  Transaction tx(&table);
  tx.Add(std::make_unique<PropertiesUpdate>(set, remove));
  return tx.Commit().status();
}

}  // namespace floe::table
