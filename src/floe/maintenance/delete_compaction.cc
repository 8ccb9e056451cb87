#include "floe/maintenance/delete_compaction.h"

#include <arrow/api.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "floe/data/arrow_schema.h"
#include "floe/data/delete_filter.h"
#include "floe/data/delete_writer.h"
#include "floe/maintenance/delete_scope.h"
#include "floe/table/metadata_columns.h"
#include "floe/table/scan.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"
#include "floe/table/transaction.h"
#include "floe/util/parallel.h"
#include "floe/util/random_ids.h"

namespace floe::maintenance {

namespace {

using manifest::DataFile;
using manifest::FileContent;
using manifest::FileFormat;
using table::DeleteFileEntry;
using table::FileScanTask;

bool IsDv(const DataFile& f) {
  return f.content == FileContent::kPositionDeletes && f.file_format == FileFormat::kPuffin;
}

// The positions of `task`'s file that its equality deletes delete: the
// file is read without any delete applied, with the key columns and _pos.
Result<std::vector<int64_t>> EqualityPositions(table::TableScan& scan, data::DeleteLoader& loader,
                                               const spec::TableMetadata& md,
                                               const FileScanTask& task,
                                               const std::vector<std::shared_ptr<const DataFile>>& eq) {
  std::vector<std::shared_ptr<const data::EqualityDeleteSet>> sets;
  std::set<int32_t> ids;
  for (const auto& e : eq) {
    FLOE_ASSIGN_OR_RAISE(auto set, loader.Equality(*e));
    for (int32_t id : set->field_ids) ids.insert(id);
    sets.push_back(std::move(set));
  }
  std::vector<spec::NestedField> fields;
  for (int32_t id : ids) {
    const spec::NestedField* f = md.CurrentSchema()->FindField(id);
    if (!f) {
      return Status::NotSupported("equality delete column ", id,
                                  " is no longer in the table's schema; leave its deletes as they are");
    }
    spec::NestedField copy = *f;
    copy.required = false;
    fields.push_back(std::move(copy));
  }
  const spec::Schema read_schema(md.current_schema_id, fields);
  FileScanTask bare = task;
  bare.deletes.clear();
  std::vector<int64_t> out;
  FLOE_RETURN_NOT_OK(scan.ReadLiveRows(
      bare, read_schema, /*with_positions=*/true,
      [&](const std::shared_ptr<arrow::RecordBatch>& batch) -> Status {
        const auto& pos = static_cast<const arrow::Int64Array&>(*batch->column(batch->num_columns() - 1));
        for (const auto& set : sets) {
          std::vector<int> columns;
          for (int32_t id : set->field_ids) {
            for (int c = 0; c < batch->num_columns(); ++c) {
              if (data::FieldIdOf(*batch->schema()->field(c)) == id) columns.push_back(c);
            }
          }
          FLOE_ASSIGN_OR_RAISE(data::EncodedKeys keys, data::EncodeKeys(*batch, columns));
          for (size_t i = 0; i < keys.size(); ++i) {
            if (set->keys.find(keys[i]) != set->keys.end()) out.push_back(pos.Value(static_cast<int64_t>(i)));
          }
        }
        return Status::OK();
      }));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// One partition's work: its data files and what their deletes become.
struct PartitionWork {
  std::vector<size_t> tasks;  // indexes into the plan
  bool convert = false;       // some file has equality deletes to convert
  bool merge = false;         // position files to merge (v2) or to turn into DVs (v3)
  std::vector<DeleteFileEntry> replaced;  // old position files and DVs
  int64_t sequence_number = 0;            // of the new deletes: the highest replaced
};

}  // namespace

Result<DeleteCompactionReport> CompactDeletes(table::Table& table,
                                              const DeleteCompactionOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  DeleteCompactionReport report;
  const std::shared_ptr<const spec::TableMetadata> md_ptr = table.metadata_ptr();
  const spec::TableMetadata& md = *md_ptr;
  const spec::Snapshot* snapshot = md.CurrentSnapshot();
  if (!snapshot || md.format_version < 2) return report;
  const bool v3 = md.format_version >= 3;
  const int threads = o.threads > 0 ? o.threads : util::DefaultParallelism();

  table::ScanOptions so;
  so.snapshot_id = snapshot->snapshot_id;
  so.manifest_cache = o.manifest_cache;
  FLOE_ASSIGN_OR_RAISE(auto scan, table::TableScan::Make(table, so));
  FLOE_ASSIGN_OR_RAISE(std::vector<FileScanTask> tasks, scan->PlanFiles());
  std::vector<DeleteFileEntry> deletes;
  if (scan->delete_index()) deletes = scan->delete_index()->entries();
  std::unordered_map<std::string, int64_t> seq_of;  // by FileKey
  for (const DeleteFileEntry& e : deletes) seq_of[table::FileKey(*e.file)] = e.data_sequence_number;

  // Partitions to work on.
  std::map<std::string, PartitionWork> work;
  std::unordered_map<std::string, std::vector<size_t>> eq_scope;  // eq delete key -> tasks
  for (size_t i = 0; i < tasks.size(); ++i) {
    const FileScanTask& t = tasks[i];
    const std::string key = table::DeleteIndex::PartitionKey(t.file.spec_id, t.file.partition);
    PartitionWork& w = work[key];
    w.tasks.push_back(i);
    for (const auto& d : t.deletes) {
      if (d->content == FileContent::kEqualityDeletes) {
        if (o.convert_equality) {
          w.convert = true;
          eq_scope[table::FileKey(*d)].push_back(i);
        }
      }
    }
  }
  for (auto& [key, w] : work) {
    std::set<std::string> seen;
    int64_t position_files = 0;
    for (size_t i : w.tasks) {
      for (const auto& d : tasks[i].deletes) {
        if (d->content != FileContent::kPositionDeletes) continue;
        if (!seen.insert(table::FileKey(*d)).second) continue;
        w.replaced.push_back({d, seq_of[table::FileKey(*d)]});
        position_files += IsDv(*d) ? 0 : 1;
      }
    }
    w.merge = o.merge_position && (v3 ? position_files > 0 : position_files > 1);
    if (!w.convert && !w.merge) w.replaced.clear();
  }

  // Equality delete files to remove: every file of their scope converted.
  std::vector<DeleteFileEntry> converted;
  for (const DeleteFileEntry& e : deletes) {
    if (e.file->content == FileContent::kEqualityDeletes && o.convert_equality) {
      converted.push_back(e);
    }
  }
  std::vector<DeleteFileEntry> dangling;
  if (o.remove_dangling) dangling = DanglingDeletes(md, tasks, {}, deletes);

  if (o.dry_run) {
    for (const auto& [key, w] : work) {
      if (!w.convert && !w.merge) continue;
      const FileScanTask& first = tasks[w.tasks.front()];
      report.plan.push_back("partition '" + table::PartitionFolder(md, first.file) + "': " +
                            std::to_string(w.tasks.size()) + " data files, " +
                            std::to_string(w.replaced.size()) + " position delete files or DVs" +
                            (w.convert ? ", equality deletes to convert" : ""));
    }
    for (const auto& e : converted) report.plan.push_back("convert and remove equality delete file " + e.file->file_path);
    for (const auto& e : dangling) report.plan.push_back("remove dangling delete file " + e.file->file_path);
    report.equality_files_converted = static_cast<int64_t>(converted.size());
    report.dangling_removed = static_cast<int64_t>(dangling.size());
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  // Positions per data file: its position deletes and DVs (when replaced)
  // and what its equality deletes match.
  data::DeleteLoader loader(table.io(), [&md](int32_t id) -> std::optional<spec::NestedField> {
    for (auto it = md.schemas.rbegin(); it != md.schemas.rend(); ++it) {
      if (const spec::NestedField* f = it->FindField(id)) return *f;
    }
    return std::nullopt;
  });
  std::vector<size_t> todo;
  for (const auto& [key, w] : work) {
    if (w.convert || w.merge) todo.insert(todo.end(), w.tasks.begin(), w.tasks.end());
  }
  std::vector<std::vector<int64_t>> positions(tasks.size());
  std::vector<int64_t> seqs(tasks.size(), 0);
  std::mutex mu;
  size_t done = 0;
  FLOE_RETURN_NOT_OK(util::ParallelFor(todo.size(), threads, [&](size_t k) -> Status {
    const size_t i = todo[k];
    const FileScanTask& t = tasks[i];
    std::vector<std::shared_ptr<const DataFile>> eq;
    std::vector<int64_t> all;
    int64_t seq = 0;
    for (const auto& d : t.deletes) {
      if (d->content == FileContent::kEqualityDeletes) {
        if (o.convert_equality) eq.push_back(d);
      } else {
        FLOE_ASSIGN_OR_RAISE(auto list, loader.Positions(*d, t.file.file_path));
        all.insert(all.end(), list->begin(), list->end());
      }
      seq = std::max(seq, seq_of[table::FileKey(*d)]);
    }
    if (!eq.empty()) {
      FLOE_ASSIGN_OR_RAISE(auto matched, EqualityPositions(*scan, loader, md, t, eq));
      all.insert(all.end(), matched.begin(), matched.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    std::lock_guard<std::mutex> lock(mu);
    positions[i] = std::move(all);
    seqs[i] = seq;
    ++report.data_files_read;
    if (o.progress) o.progress("data file " + std::to_string(++done) + "/" + std::to_string(todo.size()));
    return Status::OK();
  }));

  // New delete files, then one commit.
  auto update = std::make_unique<table::SnapshotUpdate>(table.io().get(), spec::kMainBranch);
  update->SetStartSnapshot(snapshot->snapshot_id);
  update->SetRewrite(std::nullopt);
  std::vector<std::string> written;
  auto cleanup = [&] {
    for (const auto& f : written) (void)table.io()->Delete(f);
  };
  const std::string write_id = util::RandomUuid();
  std::vector<data::FilePositions> dvs;
  std::vector<const FileScanTask*> dv_tasks;
  std::vector<int64_t> dv_seqs;
  int n = 0;
  std::unordered_set<std::string> removed_keys;
  for (auto& [key, w] : work) {
    if (!w.convert && !w.merge) continue;
    int64_t partition_seq = 0;
    std::vector<data::FilePositions> files;
    for (size_t i : w.tasks) {
      partition_seq = std::max(partition_seq, seqs[i]);
      if (positions[i].empty()) continue;
      report.positions_written += static_cast<int64_t>(positions[i].size());
      update->AddReferencedDataFile(tasks[i].file.file_path);
      if (v3) {
        dvs.push_back({tasks[i].file.file_path, positions[i]});
        dv_tasks.push_back(&tasks[i]);
        dv_seqs.push_back(seqs[i]);
      } else {
        files.push_back({tasks[i].file.file_path, positions[i]});
      }
    }
    if (!v3 && !files.empty()) {
      const DataFile& first = tasks[w.tasks.front()].file;
      const std::string location = io::JoinLocation(
          table::PartitionFolder(md, first), write_id + "-" + std::to_string(n++) + "-deletes.parquet");
      auto del = data::WritePositionDeleteFile(table.io(), location, md.properties, std::move(files));
      if (!del.ok()) {
        cleanup();
        return del.status();
      }
      written.push_back(location);
      del->partition = first.partition;
      del->spec_id = first.spec_id;
      update->AddFile(*del, /*owned=*/true, partition_seq);
      ++report.position_files_written;
    }
    for (const DeleteFileEntry& e : w.replaced) {
      if (removed_keys.insert(table::FileKey(*e.file)).second) {
        update->RemoveFile(*e.file, e.data_sequence_number);
        ++report.position_files_replaced;
      }
    }
  }
  if (!dvs.empty()) {
    const std::string location = io::JoinLocation(table::DataFolder(md), write_id + "-deletes.puffin");
    auto files = data::WriteDeletionVectors(table.io(), location, dvs, std::string("floe ") + FLOE_VERSION);
    if (!files.ok()) {
      cleanup();
      return files.status();
    }
    written.push_back(location);
    for (size_t i = 0; i < files->size(); ++i) {
      DataFile& f = (*files)[i];
      f.partition = dv_tasks[i]->file.partition;
      f.spec_id = dv_tasks[i]->file.spec_id;
      update->AddFile(f, /*owned=*/i == 0, dv_seqs[i]);
      ++report.position_files_written;
    }
  }
  for (const DeleteFileEntry& e : converted) {
    if (removed_keys.insert(table::FileKey(*e.file)).second) {
      update->RemoveFile(*e.file, e.data_sequence_number);
      ++report.equality_files_converted;
    }
  }
  for (const DeleteFileEntry& e : dangling) {
    if (removed_keys.insert(table::FileKey(*e.file)).second) {
      update->RemoveFile(*e.file, e.data_sequence_number);
      ++report.dangling_removed;
    }
  }
  if (removed_keys.empty() && report.position_files_written == 0) {
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }
  table::SnapshotUpdate* raw = update.get();
  table::Transaction tx(&table);
  tx.Add(std::move(update));
  auto committed = tx.Commit();
  if (!committed.ok()) return committed.status().WithContext("delete compaction of " + table.name());
  report.committed = true;
  report.snapshot_id = raw->snapshot_id();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace floe::maintenance
