#include "floe/table/metadata_tables.h"

#include <arrow/api.h>

#include <map>
#include <set>
#include <variant>

#include "floe/manifest/manifest_list.h"
#include "floe/table/reachable_files.h"
#include "floe/util/parallel.h"
#include "floe/util/strings.h"

namespace floe::table {

namespace {

using manifest::DataFile;
using manifest::EntryStatus;
using manifest::FileContent;
using manifest::ManifestEntry;
using manifest::ManifestFile;

// Rows of int64 and string columns (nulls allowed), built into a table.
class TableBuilder {
 public:
  using Value = std::variant<std::monostate, int64_t, std::string>;
  enum class Kind { kInt, kString };

  void Column(std::string name, Kind kind) { columns_.push_back({std::move(name), kind}); }
  void Row(std::vector<Value> values) { rows_.push_back(std::move(values)); }

  Result<std::shared_ptr<arrow::Table>> Finish() const {
    arrow::FieldVector fields;
    arrow::ArrayVector arrays;
    for (size_t c = 0; c < columns_.size(); ++c) {
      std::shared_ptr<arrow::Array> array;
      arrow::Status st;
      if (columns_[c].second == Kind::kInt) {
        arrow::Int64Builder b;
        for (const auto& row : rows_) {
          st &= std::holds_alternative<int64_t>(row[c]) ? b.Append(std::get<int64_t>(row[c])) : b.AppendNull();
        }
        st &= b.Finish(&array);
        fields.push_back(arrow::field(columns_[c].first, arrow::int64()));
      } else {
        arrow::StringBuilder b;
        for (const auto& row : rows_) {
          st &= std::holds_alternative<std::string>(row[c]) ? b.Append(std::get<std::string>(row[c]))
                                                            : b.AppendNull();
        }
        st &= b.Finish(&array);
        fields.push_back(arrow::field(columns_[c].first, arrow::utf8()));
      }
      if (!st.ok()) return Status::IOError("building a metadata table: ", st.message());
      arrays.push_back(std::move(array));
    }
    return arrow::Table::Make(arrow::schema(fields), arrays, static_cast<int64_t>(rows_.size()));
  }

 private:
  std::vector<std::pair<std::string, Kind>> columns_;
  std::vector<std::vector<Value>> rows_;
};

using K = TableBuilder::Kind;
using V = TableBuilder::Value;

V Opt(const std::optional<int64_t>& v) { return v ? V(*v) : V(); }
V Opt(const std::optional<int32_t>& v) { return v ? V(static_cast<int64_t>(*v)) : V(); }
V Opt(const std::optional<std::string>& v) { return v ? V(*v) : V(); }

std::string PartitionText(const spec::TableMetadata& md, int32_t spec_id,
                          const std::vector<spec::Literal>& partition) {
  const spec::PartitionSpec* spec = md.SpecById(spec_id);
  if (!spec) return "";
  auto ptype = spec->PartitionType(*md.CurrentSchema(), /*lenient=*/true);
  return ptype.ok() ? spec->PartitionPath(partition, **ptype) : "";
}

std::string IdsText(const std::optional<std::vector<int32_t>>& ids) {
  if (!ids) return "";
  std::string out;
  for (int32_t id : *ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

const char* ContentName(manifest::ManifestContent c) {
  return c == manifest::ManifestContent::kData ? "data" : "deletes";
}

void FileColumns(TableBuilder& b) {
  b.Column("content", K::kString);
  b.Column("file_path", K::kString);
  b.Column("file_format", K::kString);
  b.Column("spec_id", K::kInt);
  b.Column("partition", K::kString);
  b.Column("record_count", K::kInt);
  b.Column("file_size_in_bytes", K::kInt);
  b.Column("sequence_number", K::kInt);
  b.Column("equality_ids", K::kString);
  b.Column("referenced_data_file", K::kString);
  b.Column("content_offset", K::kInt);
  b.Column("content_size_in_bytes", K::kInt);
  b.Column("sort_order_id", K::kInt);
}

void FileRow(TableBuilder& b, const spec::TableMetadata& md, const ManifestEntry& e) {
  const DataFile& f = e.data_file;
  b.Row({std::string(manifest::FileContentName(f.content)), f.file_path,
         std::string(manifest::FileFormatName(f.file_format)), static_cast<int64_t>(f.spec_id),
         PartitionText(md, f.spec_id, f.partition), f.record_count, f.file_size_in_bytes,
         Opt(e.sequence_number), IdsText(f.equality_ids), Opt(f.referenced_data_file),
         Opt(f.content_offset), Opt(f.content_size_in_bytes), Opt(f.sort_order_id)});
}

Result<const spec::Snapshot*> SnapshotOf(const spec::TableMetadata& md, std::optional<int64_t> id) {
  if (!id) return md.CurrentSnapshot();
  const spec::Snapshot* s = md.SnapshotById(*id);
  if (!s) return Status::NotFound("snapshot ", *id, " does not exist");
  return s;
}

}  // namespace

const std::vector<std::string>& MetadataTableNames() {
  static const std::vector<std::string> kNames = {
      "manifests", "entries", "files", "data-files", "delete-files",
      "partitions", "refs", "all-files", "all-manifests"};
  return kNames;
}

Result<std::shared_ptr<arrow::Table>> ReadMetadataTable(const Table& table, const std::string& name,
                                                        std::optional<int64_t> snapshot_id,
                                                        int threads) {
  const spec::TableMetadata& md = table.metadata();
  io::FileIO& io = *table.io();
  if (threads <= 0) threads = util::DefaultParallelism();
  TableBuilder b;

  if (name == "refs") {
    b.Column("name", K::kString);
    b.Column("type", K::kString);
    b.Column("snapshot_id", K::kInt);
    b.Column("max_reference_age_in_ms", K::kInt);
    b.Column("min_snapshots_to_keep", K::kInt);
    b.Column("max_snapshot_age_in_ms", K::kInt);
    for (const auto& [ref_name, ref] : md.refs) {
      b.Row({ref_name, std::string(ref.type == spec::RefType::kBranch ? "BRANCH" : "TAG"), ref.snapshot_id,
             Opt(ref.max_ref_age_ms), Opt(ref.min_snapshots_to_keep), Opt(ref.max_snapshot_age_ms)});
    }
    return b.Finish();
  }

  const bool all = name == "all-files" || name == "all-manifests";
  std::vector<const spec::Snapshot*> snapshots;
  if (all) {
    for (const spec::Snapshot& s : md.snapshots) snapshots.push_back(&s);
  } else {
    FLOE_ASSIGN_OR_RAISE(const spec::Snapshot* s, SnapshotOf(md, snapshot_id));
    if (s) snapshots.push_back(s);
  }
  const bool known = std::find(MetadataTableNames().begin(), MetadataTableNames().end(), name) !=
                     MetadataTableNames().end();
  if (!known) {
    return Status::NotFound("no metadata table '", name, "'; choose one of ",
                            util::Join(MetadataTableNames(), ", "));
  }
  FLOE_ASSIGN_OR_RAISE(ManifestSet set, CollectManifests(md, io, snapshots, threads));

  if (name == "manifests" || name == "all-manifests") {
    b.Column("content", K::kString);
    b.Column("path", K::kString);
    b.Column("length", K::kInt);
    b.Column("partition_spec_id", K::kInt);
    b.Column("added_snapshot_id", K::kInt);
    b.Column("sequence_number", K::kInt);
    b.Column("min_sequence_number", K::kInt);
    b.Column("added_files_count", K::kInt);
    b.Column("existing_files_count", K::kInt);
    b.Column("deleted_files_count", K::kInt);
    b.Column("added_rows_count", K::kInt);
    b.Column("existing_rows_count", K::kInt);
    b.Column("deleted_rows_count", K::kInt);
    for (const ManifestFile& mf : set.manifests) {
      b.Row({std::string(ContentName(mf.content)), mf.manifest_path, mf.manifest_length,
             static_cast<int64_t>(mf.partition_spec_id), Opt(mf.added_snapshot_id), mf.sequence_number,
             mf.min_sequence_number, Opt(mf.added_files_count), Opt(mf.existing_files_count),
             Opt(mf.deleted_files_count), Opt(mf.added_rows_count), Opt(mf.existing_rows_count),
             Opt(mf.deleted_rows_count)});
    }
    return b.Finish();
  }

  if (name == "entries") {
    b.Column("status", K::kString);
    b.Column("snapshot_id", K::kInt);
    b.Column("file_sequence_number", K::kInt);
    FileColumns(b);
    FLOE_RETURN_NOT_OK(ForEachEntry(md, io, set.manifests, threads,
                                    [&](const ManifestFile&, const ManifestEntry& e) {
                                      const DataFile& f = e.data_file;
                                      b.Row({std::string(manifest::EntryStatusName(e.status)),
                                             Opt(e.snapshot_id), Opt(e.file_sequence_number),
                                             std::string(manifest::FileContentName(f.content)),
                                             f.file_path, std::string(manifest::FileFormatName(f.file_format)),
                                             static_cast<int64_t>(f.spec_id),
                                             PartitionText(md, f.spec_id, f.partition),
                                             f.record_count, f.file_size_in_bytes,
                                             Opt(e.sequence_number), IdsText(f.equality_ids),
                                             Opt(f.referenced_data_file), Opt(f.content_offset),
                                             Opt(f.content_size_in_bytes), Opt(f.sort_order_id)});
                                      return Status::OK();
                                    }));
    return b.Finish();
  }

  if (name == "partitions") {
    struct Totals {
      int32_t spec_id = 0;
      int64_t records = 0, files = 0, bytes = 0, pos_records = 0, pos_files = 0, eq_records = 0,
              eq_files = 0;
      std::optional<int64_t> last_snapshot, last_sequence;
    };
    std::map<std::string, Totals> by;
    FLOE_RETURN_NOT_OK(ForEachEntry(md, io, set.manifests, threads,
                                    [&](const ManifestFile&, const ManifestEntry& e) {
                                      if (e.status == EntryStatus::kDeleted) return Status::OK();
                                      const DataFile& f = e.data_file;
                                      Totals& t = by[PartitionText(md, f.spec_id, f.partition) + "\x1f" +
                                                     std::to_string(f.spec_id)];
                                      t.spec_id = f.spec_id;
                                      if (f.content == FileContent::kData) {
                                        t.records += f.record_count;
                                        ++t.files;
                                        t.bytes += f.file_size_in_bytes;
                                      } else if (f.content == FileContent::kPositionDeletes) {
                                        t.pos_records += f.record_count;
                                        ++t.pos_files;
                                      } else {
                                        t.eq_records += f.record_count;
                                        ++t.eq_files;
                                      }
                                      if (e.sequence_number && (!t.last_sequence || *e.sequence_number > *t.last_sequence)) {
                                        t.last_sequence = e.sequence_number;
                                        t.last_snapshot = e.snapshot_id;
                                      }
                                      return Status::OK();
                                    }));
    b.Column("partition", K::kString);
    b.Column("spec_id", K::kInt);
    b.Column("record_count", K::kInt);
    b.Column("file_count", K::kInt);
    b.Column("total_data_file_size_in_bytes", K::kInt);
    b.Column("position_delete_record_count", K::kInt);
    b.Column("position_delete_file_count", K::kInt);
    b.Column("equality_delete_record_count", K::kInt);
    b.Column("equality_delete_file_count", K::kInt);
    b.Column("last_updated_snapshot_id", K::kInt);
    for (const auto& [key, t] : by) {
      b.Row({key.substr(0, key.find('\x1f')), static_cast<int64_t>(t.spec_id), t.records, t.files,
             t.bytes, t.pos_records, t.pos_files, t.eq_records, t.eq_files, Opt(t.last_snapshot)});
    }
    return b.Finish();
  }

  // files, data-files, delete-files, all-files: live entries.
  FileColumns(b);
  std::set<std::string> seen;  // all-files: each file once
  FLOE_RETURN_NOT_OK(ForEachEntry(md, io, set.manifests, threads,
                                  [&](const ManifestFile&, const ManifestEntry& e) {
                                    if (e.status == EntryStatus::kDeleted) return Status::OK();
                                    const bool data = e.data_file.content == FileContent::kData;
                                    if ((name == "data-files" && !data) || (name == "delete-files" && data)) {
                                      return Status::OK();
                                    }
                                    if (all && !seen.insert(e.data_file.file_path + "#" +
                                                            std::to_string(e.data_file.content_offset.value_or(-1)))
                                                    .second) {
                                      return Status::OK();
                                    }
                                    FileRow(b, md, e);
                                    return Status::OK();
                                  }));
  return b.Finish();
}

Result<std::shared_ptr<arrow::Table>> PlannedFiles(const Table& table, const ScanOptions& options) {
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, options));
  FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
  const spec::TableMetadata& md = table.metadata();
  TableBuilder b;
  FileColumns(b);
  std::set<const DataFile*> deletes;
  for (const FileScanTask& task : tasks) {
    ManifestEntry e;
    e.data_file = task.file;
    e.sequence_number = task.data_sequence_number;
    FileRow(b, md, e);
    for (const auto& d : task.deletes) deletes.insert(d.get());
  }
  if (scan->delete_index()) {
    for (const DeleteFileEntry& d : scan->delete_index()->entries()) {
      if (!deletes.count(d.file.get())) continue;
      ManifestEntry e;
      e.data_file = *d.file;
      e.sequence_number = d.data_sequence_number;
      FileRow(b, md, e);
    }
  }
  return b.Finish();
}

}  // namespace floe::table
