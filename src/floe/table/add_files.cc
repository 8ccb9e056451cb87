#include "floe/table/add_files.h"

#include <arrow/api.h>
#include <arrow/io/interfaces.h>

#include <filesystem>
#include <set>

#include "floe/data/arrow_schema.h"
#include "floe/data/column_metrics.h"
#include "floe/data/parquet_reader.h"
#include "floe/data/partition_key.h"
#include "floe/spec/name_mapping.h"
#include "floe/expr/ddl.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/transaction.h"

namespace floe::table {

using manifest::DataFile;

std::string AbsoluteLocation(const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  return "file://" + std::filesystem::absolute(location).lexically_normal().string();
}

namespace {

// Footer statistics of every row group, folded into the manifest metrics.
void AddMetrics(const data::ParquetReader& reader, const spec::Schema& schema, DataFile* f) {
  std::map<int32_t, int64_t> values, nulls;
  std::map<int32_t, spec::Literal> lower, upper;
  std::set<int32_t> no_nulls_known, no_bounds;
  for (int rg = 0; rg < reader.num_row_groups(); ++rg) {
    auto stats = reader.Stats(rg);
    if (!stats.ok()) return;
    for (const auto& [id, c] : stats->columns) {
      const spec::NestedField* field = schema.FindField(id);
      if (!field) continue;
      values[id] += c.value_count;
      if (c.null_count) {
        nulls[id] += *c.null_count;
      } else {
        no_nulls_known.insert(id);
      }
      if (c.lower.is_null() || c.upper.is_null()) {
        // All nulls (or no statistics) in this group: bounds stay valid only
        // if the group has no values at all.
        if (c.null_count.value_or(-1) != c.value_count) no_bounds.insert(id);
        continue;
      }
      auto lo = lower.find(id);
      if (lo == lower.end() || spec::CompareLiterals(c.lower, lo->second, *field->type) < 0) {
        lower[id] = c.lower;
      }
      auto hi = upper.find(id);
      if (hi == upper.end() || spec::CompareLiterals(c.upper, hi->second, *field->type) > 0) {
        upper[id] = c.upper;
      }
    }
  }
  f->value_counts.emplace();
  f->null_value_counts.emplace();
  f->lower_bounds.emplace();
  f->upper_bounds.emplace();
  for (const auto& [id, n] : values) {
    f->value_counts->emplace_back(id, n);
    if (!no_nulls_known.count(id)) f->null_value_counts->emplace_back(id, nulls[id]);
    if (no_bounds.count(id) || !lower.count(id)) continue;
    const spec::Type& type = *schema.FindField(id)->type;
    std::string lo = spec::SerializeSingleValue(lower[id], type);
    std::optional<std::string> hi = spec::SerializeSingleValue(upper[id], type);
    // Bounds are kept to 16 characters or bytes, as written files' are.
    if (type.id() == spec::TypeId::kString) {
      lo = data::TruncateLowerBoundString(lo, 16);
      hi = data::TruncateUpperBoundString(*hi, 16);
    } else if (type.id() == spec::TypeId::kBinary) {
      lo = data::TruncateLowerBoundBinary(lo, 16);
      hi = data::TruncateUpperBoundBinary(*hi, 16);
    }
    f->lower_bounds->emplace_back(id, lo);
    if (hi) f->upper_bounds->emplace_back(id, *hi);
  }
}

// Describes one existing file as a data file of `md`'s current schema and
// default spec.
Result<DataFile> Describe(const std::shared_ptr<io::FileIO>& io, const spec::TableMetadata& md,
                          const spec::NameMapping& mapping, const std::string& location) {
  const spec::Schema& schema = *md.CurrentSchema();
  const spec::PartitionSpec& spec = *md.DefaultSpec();
  data::ParquetReadOptions ro;
  ro.name_mapping = [&mapping](const std::vector<std::string>& path) { return mapping.Find(path); };
  auto reader = data::ParquetReader::Open(io, location, schema, ro);
  if (!reader.ok()) return reader.status().WithContext("cannot add " + location);
  DataFile f;
  f.file_path = location;
  f.record_count = (*reader)->num_rows();
  FLOE_ASSIGN_OR_RAISE(auto input, io->OpenInput(location));
  auto size = input->GetSize();
  if (!size.ok()) return Status::IOError("cannot size ", location, ": ", size.status().ToString());
  f.file_size_in_bytes = *size;
  f.spec_id = spec.spec_id();
  AddMetrics(**reader, schema, &f);
  if (!spec.IsUnpartitioned() && f.record_count > 0) {
    // The partition: computed from the rows, which must agree on it.
    std::set<int32_t> sources;
    for (const auto& pf : spec.fields()) sources.insert(pf.source_id);
    std::vector<spec::NestedField> fields;
    for (const spec::NestedField& c : schema.fields()) {
      if (sources.count(c.id)) fields.push_back(c);
    }
    FLOE_ASSIGN_OR_RAISE(auto table, data::ReadParquetTable(io, location, spec::Schema(0, fields), ro));
    auto batch = table->CombineChunksToBatch();
    if (!batch.ok()) return Status::Invalid("cannot read ", location, ": ", batch.status().ToString());
    FLOE_ASSIGN_OR_RAISE(auto grouped, data::GroupByPartition(spec, schema, **batch));
    if (grouped.groups.size() != 1) {
      return Status::Invalid("cannot add ", location, ": its rows fall in ", grouped.groups.size(),
                             " partitions of ", spec.ToString(&schema),
                             "; a file must hold one partition (append it instead, which "
                             "rewrites its rows)");
    }
    f.partition = grouped.groups[0].partition;
  } else {
    f.partition.assign(spec.fields().size(), spec::Literal());
  }
  return f;
}

class SetPropertyUpdate final : public PendingUpdate {
 public:
  SetPropertyUpdate(std::string key, std::string value)
      : key_(std::move(key)), value_(std::move(value)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt*) override {
    md->properties.emplace(key_, value_);  // keeps a mapping set meanwhile
    return Status::OK();
  }
  std::string Describe() const override { return "set " + key_; }

 private:
  std::string key_, value_;
};

}  // namespace

Result<WriteReport> AddFiles(Table& table, const std::vector<std::string>& locations) {
  if (locations.empty()) return Status::Invalid("no files to add");
  const spec::TableMetadata& md = table.metadata();
  std::string mapping_json = md.Property(std::string(spec::kNameMappingProperty), "");
  spec::NameMapping mapping;
  bool new_mapping = mapping_json.empty();
  if (new_mapping) {
    mapping = spec::NameMapping::FromSchema(*md.CurrentSchema());
    mapping_json = mapping.ToJson();
  } else {
    FLOE_ASSIGN_OR_RAISE(mapping, spec::NameMapping::FromJson(mapping_json));
  }
  // Refuse files the table already has (as add_files' check_duplicate_files).
  std::set<std::string> live;
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, {}));
  FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
  for (const auto& t : tasks) live.insert(t.file.file_path);

  WriteReport report;
  auto update = std::make_unique<SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetStartSnapshot(md.current_snapshot_id);
  std::set<std::string> seen;
  for (const std::string& given : locations) {
    std::string location = AbsoluteLocation(given);
    if (live.count(location) || !seen.insert(location).second) {
      return Status::AlreadyExists("file ", location, " is already in table ", table.name());
    }
    FLOE_ASSIGN_OR_RAISE(DataFile f, Describe(table.io(), md, mapping, location));
    report.rows_added += f.record_count;
    ++report.files_added;
    update->AddFile(std::move(f), /*owned=*/false);  // never delete the user's files
  }
  Transaction tx(&table);
  if (new_mapping) {
    tx.Add(std::make_unique<SetPropertyUpdate>(std::string(spec::kNameMappingProperty), mapping_json));
  }
  tx.Add(std::move(update));
  FLOE_ASSIGN_OR_RAISE(auto committed, tx.Commit());
  report.attempts = committed.attempts;
  report.snapshot_id = table.metadata().current_snapshot_id.value_or(0);
  return report;
}

Result<Table> ImportTable(std::shared_ptr<catalog::Catalog> catalog,
                          const catalog::TableIdentifier& id,
                          const std::vector<std::string>& locations,
                          const std::string& partition_by, int format_version) {
  if (locations.empty()) return Status::Invalid("no files to import");
  std::string first = AbsoluteLocation(locations[0]);
  FLOE_ASSIGN_OR_RAISE(auto arrow_schema, data::ReadParquetArrowSchema(catalog->io(), first));
  NewTableOptions o;
  o.format_version = format_version;
  bool has_ids = false;
  for (const auto& f : arrow_schema->fields()) has_ids |= data::FieldIdOf(*f).has_value();
  int32_t last = 0;
  if (has_ids) {
    FLOE_ASSIGN_OR_RAISE(o.schema, data::FromArrowSchema(*arrow_schema));
  } else {
    FLOE_ASSIGN_OR_RAISE(o.schema, data::FromArrowSchemaAssigningIds(*arrow_schema, &last));
  }
  FLOE_ASSIGN_OR_RAISE(o.spec, expr::ParsePartitionSpec(partition_by, o.schema));
  // The schema's ids are the files' ids (or the mapping's): keep them.
  o.keep_field_ids = true;
  FLOE_ASSIGN_OR_RAISE(Table table, CreateTable(catalog, id, std::move(o)));
  auto added = AddFiles(table, locations);
  if (!added.ok()) {
    (void)catalog->DropTable(id);  // the files are the user's: never purged
    return added.status();
  }
  return table;
}

}  // namespace floe::table
