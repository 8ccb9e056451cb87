#include "floe/maintenance/compaction.h"

#include <arrow/record_batch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "floe/maintenance/delete_scope.h"
#include "floe/expr/ddl.h"
#include "floe/table/snapshot_update.h"
#include "floe/table/table_writer.h"
#include "floe/table/transaction.h"
#include "floe/util/parallel.h"

namespace floe::maintenance {

int64_t TargetFileSize(const spec::TableMetadata& md) {
  return md.PropertyAsInt("write.target-file-size-bytes", 512LL << 20);
}

int64_t DefaultMinFileSize(int64_t target) {
  return static_cast<int64_t>(static_cast<double>(target) * 0.75);
}

namespace {

using manifest::DataFile;
using manifest::FileContent;
using manifest::FileFormat;
using table::DeleteFileEntry;
using table::DeleteIndex;
using table::FileScanTask;

struct Sizes {
  int64_t target = 0, min = 0, max = 0;
};

Result<Sizes> ResolveSizes(const spec::TableMetadata& md, const CompactionOptions& o) {
  Sizes s;
  s.target = o.target_file_size.value_or(TargetFileSize(md));
  if (s.target <= 0) return Status::Invalid("--target-file-size must be positive, not ", s.target);
  s.min = o.min_file_size.value_or(DefaultMinFileSize(s.target));
  s.max = o.max_file_size.value_or(static_cast<int64_t>(static_cast<double>(s.target) * 1.8));
  if (s.min < 0 || s.min > s.target) {
    return Status::Invalid("the minimum file size (", s.min, ") must be between 0 and the target (",
                           s.target, ")");
  }
  if (s.max < s.target) {
    return Status::Invalid("the maximum file size (", s.max, ") must not be below the target (",
                           s.target, ")");
  }
  if (o.min_input_files < 1) return Status::Invalid("--min-input-files must be at least 1");
  if (o.delete_file_threshold < 1) return Status::Invalid("--delete-file-threshold must be at least 1");
  if (!(o.delete_ratio > 0 && o.delete_ratio <= 1)) {
    return Status::Invalid("--delete-ratio must be in (0, 1], not ", o.delete_ratio);
  }
  if (o.partial_progress_max_commits < 1) {
    return Status::Invalid("partial progress needs at least one commit");
  }
  return s;
}

// Rows of the file its position deletes and DVs delete (at most).
int64_t PositionDeletes(const FileScanTask& t) {
  int64_t n = 0;
  for (const auto& d : t.deletes) {
    if (d->content == FileContent::kPositionDeletes) n += d->record_count;
  }
  return n;
}

bool TooManyDeletes(const FileScanTask& t, const CompactionOptions& o) {
  if (t.deletes.empty()) return false;
  if (static_cast<int64_t>(t.deletes.size()) >= o.delete_file_threshold) return true;
  return t.file.record_count > 0 &&
         static_cast<double>(PositionDeletes(t)) >=
             o.delete_ratio * static_cast<double>(t.file.record_count);
}

std::string PartitionPath(const spec::TableMetadata& md, const FileScanTask& t) {
  const spec::PartitionSpec* spec = md.SpecById(t.file.spec_id);
  if (!spec) return "";
  auto ptype = spec->PartitionType(*md.CurrentSchema(), /*lenient=*/true);
  return ptype.ok() ? spec->PartitionPath(t.file.partition, **ptype) : "";
}

struct Planned {
  CompactionPlan plan;
  std::vector<FileScanTask> live;     // every live data file
  std::vector<DeleteFileEntry> deletes;  // every live delete file
};

Result<Planned> PlanInternal(const table::Table& table, const CompactionOptions& o) {
  Planned out;
  const spec::TableMetadata& md = table.metadata();
  FLOE_ASSIGN_OR_RAISE(Sizes sizes, ResolveSizes(md, o));
  const spec::Snapshot* snapshot = md.CurrentSnapshot();
  if (!snapshot) return out;
  out.plan.start_snapshot = snapshot->snapshot_id;
  out.plan.start_sequence_number = snapshot->sequence_number;

  table::ScanOptions all;
  all.snapshot_id = snapshot->snapshot_id;
  all.manifest_cache = o.manifest_cache;
  FLOE_ASSIGN_OR_RAISE(auto full, table::TableScan::Make(table, all));
  FLOE_ASSIGN_OR_RAISE(out.live, full->PlanFiles());
  if (full->delete_index()) out.deletes = full->delete_index()->entries();
  out.plan.live_data_files = static_cast<int64_t>(out.live.size());
  out.plan.live_delete_files = static_cast<int64_t>(out.deletes.size());

  std::unordered_set<std::string> selected;
  if (!o.where.empty()) {
    table::ScanOptions filtered = all;
    filtered.filter = o.where;
    FLOE_ASSIGN_OR_RAISE(auto scan, table::TableScan::Make(table, filtered));
    FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
    for (const auto& t : tasks) selected.insert(t.file.file_path);
  }

  // Candidates by (spec, partition), in the order planning found them.
  std::map<std::string, std::vector<size_t>> by_partition;
  for (size_t i = 0; i < out.live.size(); ++i) {
    const FileScanTask& t = out.live[i];
    if (!o.where.empty() && !selected.count(t.file.file_path)) continue;
    const int64_t size = t.file.file_size_in_bytes;
    const bool candidate = o.rewrite_all || size < sizes.min || size > sizes.max ||
                           TooManyDeletes(t, o);
    if (candidate) {
      by_partition[DeleteIndex::PartitionKey(t.file.spec_id, t.file.partition)].push_back(i);
    }
  }
  for (auto& [key, indexes] : by_partition) {
    // Largest first into bins of at most max_group_bytes (one bin usually).
    std::sort(indexes.begin(), indexes.end(), [&](size_t a, size_t b) {
      return out.live[a].file.file_size_in_bytes > out.live[b].file.file_size_in_bytes;
    });
    std::vector<std::vector<size_t>> bins;
    std::vector<int64_t> bin_bytes;
    for (size_t i : indexes) {
      const int64_t size = out.live[i].file.file_size_in_bytes;
      size_t b = 0;
      while (b < bins.size() && bin_bytes[b] + size > o.max_group_bytes) ++b;
      if (b == bins.size()) {
        bins.emplace_back();
        bin_bytes.push_back(0);
      }
      bins[b].push_back(i);
      bin_bytes[b] += size;
    }
    for (const auto& bin : bins) {
      FileGroup g;
      std::set<std::string> deletes;
      bool deletes_over = false;
      for (size_t i : bin) {
        const FileScanTask& t = out.live[i];
        g.files.push_back(t);
        g.bytes += t.file.file_size_in_bytes;
        g.records += t.file.record_count;
        for (const auto& d : t.deletes) deletes.insert(d->file_path + "#" + std::to_string(d->content_offset.value_or(-1)));
        deletes_over |= TooManyDeletes(t, o);
      }
      g.spec_id = g.files.front().file.spec_id;
      g.partition = PartitionPath(md, g.files.front());
      g.delete_files = static_cast<int64_t>(deletes.size());
      const int64_t n = static_cast<int64_t>(g.files.size());
      if (o.rewrite_all) {
        g.reason = "all files";
      } else if (deletes_over) {
        g.reason = "deletes to apply";
      } else if (n > 1 && n >= o.min_input_files) {
        g.reason = "enough small files";
      } else if (n > 1 && g.bytes > sizes.target) {
        g.reason = "enough data for a target-size file";
      } else if (g.bytes > sizes.max) {
        g.reason = "file too large";
      } else {
        continue;  // not worth a rewrite (Java's filterFileGroups)
      }
      g.expected_outputs = std::max<int64_t>(
          1, static_cast<int64_t>(std::ceil(static_cast<double>(g.bytes) / sizes.target)));
      out.plan.groups.push_back(std::move(g));
    }
  }
  if (o.remove_dangling_deletes) {
    std::unordered_set<std::string> removed;
    for (const FileGroup& g : out.plan.groups) {
      for (const auto& t : g.files) removed.insert(t.file.file_path);
    }
    out.plan.dangling = DanglingDeletes(md, out.live, removed, out.deletes);
  }
  return out;
}

// The order the sort strategy writes in: --sort-by, else the table's.
Result<std::optional<spec::SortOrder>> SortOrderFor(const table::Table& table,
                                                   const CompactionOptions& o) {
  const spec::TableMetadata& md = table.metadata();
  std::optional<spec::SortOrder> order;
  if (o.strategy != CompactionStrategy::kSort) return order;
  if (!o.sort_by.empty()) {
    FLOE_ASSIGN_OR_RAISE(order, expr::ParseSortOrder(o.sort_by, *md.CurrentSchema()));
    return order;
  }
  const spec::SortOrder* table_order = md.SortOrderById(md.default_sort_order_id);
  if (!table_order || table_order->IsUnsorted()) {
    return Status::Invalid("the sort strategy needs --sort-by or a table write order "
                           "(floe alter ", table.name(), " \"write ordered by ...\")");
  }
  order = *table_order;
  return order;
}

// One rewritten group: its new files, or why it failed.
struct GroupResult {
  Status status;
  std::vector<DataFile> outputs;
  int64_t rows = 0;
};

GroupResult RewriteGroup(const table::Table& table, table::TableScan& scan,
                         std::shared_ptr<const spec::TableMetadata> write_md,
                         const std::optional<spec::SortOrder>& order, const FileGroup& group) {
  GroupResult r;
  auto writer = table::TableWriter::Make(write_md, table.io());
  if (!writer.ok()) {
    r.status = writer.status();
    return r;
  }
  if (order) (*writer)->SetSortOrder(*order);
  int64_t rows_read = 0;
  for (const FileScanTask& t : group.files) {
    r.status = scan.ReadLiveRows(t, scan.schema(), /*with_positions=*/false,
                                 [&](const std::shared_ptr<arrow::RecordBatch>& batch) {
                                   rows_read += batch->num_rows();
                                   return (*writer)->Write(*batch);
                                 });
    if (!r.status.ok()) {
      r.status = r.status.WithContext("rewriting " + t.file.file_path);
      (void)(*writer)->Abort();
      return r;
    }
  }
  auto files = (*writer)->Finish();
  if (!files.ok()) {
    r.status = files.status();
    return r;
  }
  r.outputs = std::move(*files);
  r.rows = (*writer)->rows_written();
  if (r.rows != rows_read) {
    // Never commit a rewrite that does not hold exactly the rows it read.
    for (const DataFile& f : r.outputs) (void)table.io()->Delete(f.file_path);
    r.outputs.clear();
    r.status = Status::Invalid("internal: a rewrite of partition '", group.partition, "' read ",
                               rows_read, " rows and wrote ", r.rows);
  }
  return r;
}

}  // namespace

Result<CompactionPlan> PlanCompaction(const table::Table& table, const CompactionOptions& o) {
  FLOE_ASSIGN_OR_RAISE(Planned p, PlanInternal(table, o));
  return std::move(p.plan);
}

Result<CompactionReport> Compact(table::Table& table, const CompactionOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  CompactionReport report;
  FLOE_ASSIGN_OR_RAISE(const std::optional<spec::SortOrder> order, SortOrderFor(table, o));
  FLOE_ASSIGN_OR_RAISE(Planned planned, PlanInternal(table, o));
  report.plan = planned.plan;
  const CompactionPlan& plan = report.plan;
  if (o.dry_run || (plan.groups.empty() && plan.dangling.empty())) {
    report.seconds = seconds();
    return report;
  }

  // What the writers see: the table's metadata with the target size. Held
  // here: partial-progress commits replace the table's own copy.
  const std::shared_ptr<const spec::TableMetadata> start_md = table.metadata_ptr();
  const spec::TableMetadata& md = *start_md;
  FLOE_ASSIGN_OR_RAISE(Sizes sizes, ResolveSizes(md, o));
  auto write_md = std::make_shared<spec::TableMetadata>(md);
  write_md->properties["write.target-file-size-bytes"] = std::to_string(sizes.target);
  table::ScanOptions so;
  so.snapshot_id = plan.start_snapshot;
  so.manifest_cache = o.manifest_cache;
  FLOE_ASSIGN_OR_RAISE(auto scan, table::TableScan::Make(table, so));
  FLOE_RETURN_NOT_OK(scan->PlanFiles().status());  // loads the delete index the reads use

  // Rewrites run on `threads` threads; commits happen on this one. Without
  // partial progress everything commits once at the end.
  const size_t n = plan.groups.size();
  const int threads = o.threads > 0 ? o.threads : util::CpuParallelism();
  const size_t per_commit =
      o.partial_progress
          ? std::max<size_t>(1, (n + static_cast<size_t>(o.partial_progress_max_commits) - 1) /
                                    static_cast<size_t>(o.partial_progress_max_commits))
          : std::max<size_t>(1, n);
  std::vector<GroupResult> results(n);
  std::unordered_set<std::string> committed_removed;  // data files gone in earlier commits
  std::unordered_set<std::string> deletes_gone;       // delete files removed so far
  std::mutex progress_mu;
  size_t done = 0;

  auto commit = [&](size_t first, size_t last) -> Status {
    auto update = std::make_unique<table::SnapshotUpdate>(table.io().get(), spec::kMainBranch);
    update->SetStartSnapshot(plan.start_snapshot);
    update->SetRewrite(md.format_version >= 2 ? std::optional<int64_t>(plan.start_sequence_number)
                                              : std::nullopt);
    std::unordered_set<std::string> removed = committed_removed;
    int groups = 0;
    int64_t files_in = 0, files_out = 0, bytes_in = 0, bytes_out = 0, rows = 0;
    for (size_t i = first; i < last; ++i) {
      if (!results[i].status.ok()) continue;
      ++groups;
      for (const FileScanTask& t : plan.groups[i].files) {
        update->RemoveFile(t.file);
        removed.insert(t.file.file_path);
        ++files_in;
        bytes_in += t.file.file_size_in_bytes;
      }
      for (const DataFile& f : results[i].outputs) {
        update->AddFile(f, /*owned=*/true);
        ++files_out;
        bytes_out += f.file_size_in_bytes;
      }
      rows += results[i].rows;
    }
    std::vector<DeleteFileEntry> dangling;
    if (o.remove_dangling_deletes) {
      dangling = DanglingDeletes(md, planned.live, removed, planned.deletes);
      for (const DeleteFileEntry& e : dangling) {
        const DataFile& f = *e.file;
        const std::string key = table::FileKey(f);
        if (deletes_gone.count(key)) continue;
        // A DV of a removed data file goes with it (SnapshotUpdate does that).
        if (f.file_format == FileFormat::kPuffin && f.referenced_data_file &&
            removed.count(*f.referenced_data_file)) {
          continue;
        }
        update->RemoveFile(f, e.data_sequence_number);
      }
    }
    if (groups == 0 && update->removed_count() == 0) return Status::OK();
    // The job's duration goes on its last commit only: a job that commits
    // in batches (partial progress) is one compaction to the histogram.
    if (last >= n) {
      update->SetSummaryProperty(kRewriteDurationProperty,
                                 std::to_string(static_cast<int64_t>(seconds() * 1000)));
    }
    update->SetSummaryProperty("floe.rewrite.groups", std::to_string(groups));
    table::SnapshotUpdate* raw = update.get();
    table::Transaction tx(&table);
    tx.Add(std::move(update));
    auto committed = tx.Commit();
    if (!committed.ok()) return committed.status();
    ++report.commits;
    report.snapshot_ids.push_back(raw->snapshot_id());
    report.groups_rewritten += groups;
    report.files_in += files_in;
    report.files_out += files_out;
    report.bytes_in += bytes_in;
    report.bytes_out += bytes_out;
    report.rows += rows;
    committed_removed = std::move(removed);
    for (const DeleteFileEntry& e : dangling) {
      if (deletes_gone.insert(table::FileKey(*e.file)).second) ++report.deletes_removed;
    }
    return Status::OK();
  };

  for (size_t first = 0; first < std::max<size_t>(n, 1); first += per_commit) {
    const size_t last = std::min(n, first + per_commit);
    (void)util::ParallelFor(last - first, threads, [&](size_t k) -> Status {
      const size_t i = first + k;
      results[i] = RewriteGroup(table, *scan, write_md, order, plan.groups[i]);
      std::lock_guard<std::mutex> lock(progress_mu);
      ++done;
      if (o.progress) {
        o.progress("group " + std::to_string(done) + "/" + std::to_string(n) + " (" +
                   (plan.groups[i].partition.empty() ? "unpartitioned" : plan.groups[i].partition) + ")");
      }
      return Status::OK();
    });
    for (size_t i = first; i < last; ++i) {
      if (results[i].status.ok()) continue;
      ++report.groups_failed;
      report.failures.push_back(
          results[i].status.WithContext("partition '" + plan.groups[i].partition + "'"));
    }
    if (!o.partial_progress && report.groups_failed > 0) {
      for (auto& r : results) {
        for (const DataFile& f : r.outputs) (void)table.io()->Delete(f.file_path);
      }
      Status first_failure;
      for (const auto& r : results) {
        if (!r.status.ok()) {
          first_failure = r.status;
          break;
        }
      }
      return first_failure.WithContext("compaction of " + table.name() +
                                       " (nothing was committed; --partial-progress commits the "
                                       "groups that succeed)");
    }
    Status st = commit(first, last);
    if (!st.ok()) {
      // The transaction deleted the groups' outputs (owned files).
      if (!o.partial_progress) return st.WithContext("compaction of " + table.name());
      for (size_t i = first; i < last; ++i) {
        if (results[i].status.ok()) ++report.groups_failed;
      }
      report.failures.push_back(st.WithContext("commit of groups " + std::to_string(first + 1) + "-" +
                                               std::to_string(last)));
    }
    if (n == 0) break;
  }
  report.seconds = seconds();
  if (o.partial_progress && report.commits == 0 && report.groups_failed > 0) {
    return report.failures.front().WithContext("compaction of " + table.name() +
                                               " committed nothing");
  }
  return report;
}

}  // namespace floe::maintenance
