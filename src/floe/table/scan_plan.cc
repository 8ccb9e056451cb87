// TableScan's planning (scan.h): the manifest list, manifests judged by
// their partition summaries, entries by partition values and column
// bounds, delete manifests into the delete index — streamed to a sink in
// manifest order — and the report's text. Reading the planned files is in
// scan.cc.
#include <fmt/format.h>

#include <array>
#include <map>

#include "floe/expr/evaluators.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/table/manifest_cache.h"
#include "floe/table/scan.h"
#include "floe/util/parallel.h"

namespace floe::table {

using manifest::EntryStatus;
using manifest::ManifestContent;
using spec::NestedField;
using spec::Schema;

namespace {

std::string PartitionPathOf(const spec::PartitionSpec& spec, const spec::Schema& schema,
                            const manifest::DataFile& f) {
  auto ptype = spec.PartitionType(schema, /*lenient=*/true);
  if (!ptype.ok() || f.partition.size() != spec.fields().size()) return "";
  return spec.PartitionPath(f.partition, **ptype);
}

// A decoded manifest: read for this scan alone (its files may be moved out)
// or shared with a ManifestCache (its files are copied).
struct LoadedManifest {
  std::shared_ptr<const manifest::Manifest> shared;
  std::shared_ptr<manifest::Manifest> owned;
  const std::vector<manifest::ManifestEntry>& entries() const {
    return owned ? owned->entries : shared->entries;
  }
  manifest::DataFile TakeFile(size_t k) {
    return owned ? std::move(owned->entries[k].data_file) : shared->entries[k].data_file;
  }
};

Result<LoadedManifest> LoadManifest(io::FileIO& io, ManifestCache* cache,
                                    const manifest::ManifestFile& mf,
                                    const spec::PartitionSpec* spec, const Schema& schema) {
  const manifest::ManifestReadOptions options{spec, &schema, &mf};
  LoadedManifest out;
  if (cache != nullptr) {
    FLOE_ASSIGN_OR_RAISE(out.shared, cache->Get(io, mf, options));
    return out;
  }
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io.ReadFile(mf.manifest_path));
  FLOE_ASSIGN_OR_RAISE(auto m, manifest::ReadManifest(mf.manifest_path, bytes, options));
  out.owned = std::make_shared<manifest::Manifest>(std::move(m));
  return out;
}

}  // namespace

Result<std::vector<FileScanTask>> TableScan::PlanFiles() {
  if (tasks_) return *tasks_;
  std::vector<FileScanTask> tasks;
  FLOE_RETURN_NOT_OK(Plan([&](FileScanTask t) {
    tasks.push_back(std::move(t));
    return Status::OK();
  }));
  tasks_ = std::move(tasks);
  return *tasks_;
}

Status TableScan::PlanEach(const TaskSink& sink) {
  if (tasks_) {
    for (const FileScanTask& t : *tasks_) FLOE_RETURN_NOT_OK(sink(t));
    return Status::OK();
  }
  return Plan(sink);
}

Status TableScan::Plan(const TaskSink& sink) {
  // A second plan (PlanEach twice) counts afresh.
  report_.manifests_total = report_.manifests_skipped = report_.delete_manifests = 0;
  report_.files_total = report_.files_skipped_partition = report_.files_skipped_metrics = 0;
  report_.files_selected = report_.files_with_deletes = 0;
  report_.manifests.clear();
  report_.files.clear();
  if (!snapshot_) return Status::OK();
  if (snapshot_->manifest_list.empty()) {
    return Status::NotSupported("snapshot ", snapshot_->snapshot_id,
                                " lists its manifests inline (an early v1 format) and cannot "
                                "be read by Floe");
  }
  FLOE_ASSIGN_OR_RAISE(std::string list_bytes, io_->ReadFile(snapshot_->manifest_list));
  FLOE_ASSIGN_OR_RAISE(auto list, manifest::ReadManifestList(snapshot_->manifest_list, list_bytes));

  // Per spec evaluators: each manifest is judged by its own spec (§Scan Planning).
  struct SpecEval {
    std::optional<expr::ManifestEvaluator> manifest;
    std::optional<expr::PartitionEvaluator> partition;
    std::optional<expr::ResidualEvaluator> residual;
  };
  std::map<int32_t, SpecEval> evals;
  for (const auto& mf : list.manifests) {
    if (evals.count(mf.partition_spec_id)) continue;
    const spec::PartitionSpec* spec = md_->SpecById(mf.partition_spec_id);
    if (!spec) {
      return Status::Invalid("manifest ", mf.manifest_path, " uses partition spec ",
                             mf.partition_spec_id, ", which table ", table_name_, " does not have");
    }
    SpecEval e;
    FLOE_ASSIGN_OR_RAISE(auto me, expr::ManifestEvaluator::ForRowFilter(filter_, *spec, schema_));
    FLOE_ASSIGN_OR_RAISE(auto pe, expr::PartitionEvaluator::ForRowFilter(filter_, *spec, schema_));
    FLOE_ASSIGN_OR_RAISE(auto re, expr::ResidualEvaluator::Make(filter_, *spec, schema_));
    e.manifest.emplace(std::move(me));
    e.partition.emplace(std::move(pe));
    e.residual.emplace(std::move(re));
    evals.emplace(mf.partition_spec_id, std::move(e));
  }
  expr::InclusiveMetricsEvaluator metrics(filter_);

  std::vector<const manifest::ManifestFile*> to_read;
  std::vector<const manifest::ManifestFile*> delete_manifests;
  for (const auto& mf : list.manifests) {
    ++report_.manifests_total;
    ScanReport::ManifestLine line{mf.manifest_path, mf.partition_spec_id, false, ""};
    if (mf.content == ManifestContent::kDeletes) {
      ++report_.delete_manifests;
      if (mf.HasLiveFiles()) delete_manifests.push_back(&mf);
      line.reason = "delete manifest";
      report_.manifests.push_back(std::move(line));
      continue;
    }
    if (!mf.HasLiveFiles()) {
      line.skipped = true;
      line.reason = "no live files";
    } else {
      FLOE_ASSIGN_OR_RAISE(bool may, evals.at(mf.partition_spec_id).manifest->Evaluate(mf));
      if (!may) {
        line.skipped = true;
        line.reason = "partition summaries exclude the filter";
      }
    }
    if (line.skipped) {
      ++report_.manifests_skipped;
    } else {
      to_read.push_back(&mf);
    }
    report_.manifests.push_back(std::move(line));
  }

  const int threads = options_.threads > 0 ? options_.threads : util::DefaultParallelism();

  // Manifests are decoded in parallel a window at a time and their tasks
  // handed to `sink` in manifest order, so memory holds one window of
  // decoded manifests plus whatever the sink keeps, never the whole table.
  // The delete manifests are decoded in the same parallel pass as the first
  // window; the delete index they make is then asked for each window's
  // tasks once the window is decoded.
  const size_t window = std::max<size_t>(16, static_cast<size_t>(threads) * 4);
  std::vector<std::vector<DeleteFileEntry>> found(delete_manifests.size());
  bool indexed = false;
  for (size_t first = 0; !indexed || first < to_read.size(); first += window) {
    const size_t n = first < to_read.size() ? std::min(window, to_read.size() - first) : 0;
    const size_t deletes = indexed ? 0 : delete_manifests.size();
    std::vector<std::vector<FileScanTask>> per_manifest(n);
    std::vector<std::vector<ScanReport::FileLine>> lines(n);
    std::vector<std::array<int64_t, 3>> counts(n, {0, 0, 0});
    FLOE_RETURN_NOT_OK(util::ParallelFor(deletes + n, threads, [&](size_t j) -> Status {
      if (j < deletes) return DecodeDeleteManifest(*delete_manifests[j], &found[j]);
      const size_t i = j - deletes;
      const manifest::ManifestFile& mf = *to_read[first + i];
      const spec::PartitionSpec* spec = md_->SpecById(mf.partition_spec_id);
      FLOE_ASSIGN_OR_RAISE(LoadedManifest m,
                           LoadManifest(*io_, options_.manifest_cache.get(), mf, spec, schema_));
      const SpecEval& ev = evals.at(mf.partition_spec_id);
      const std::vector<manifest::ManifestEntry>& entries = m.entries();
      for (size_t k = 0; k < entries.size(); ++k) {
        const manifest::ManifestEntry& e = entries[k];
        if (e.status == EntryStatus::kDeleted) continue;
        const char* decision = "read";
        if (options_.report_files) {
          lines[i].push_back({e.data_file.file_path, PartitionPathOf(*spec, schema_, e.data_file),
                              e.data_file.record_count, ""});
        }
        if (!ev.partition->Evaluate(e.data_file.partition)) {
          decision = "skipped: partition";
          ++counts[i][0];
        } else {
          FLOE_ASSIGN_OR_RAISE(bool may, metrics.Evaluate(e.data_file));
          if (!may) {
            decision = "skipped: metrics";
            ++counts[i][1];
          } else {
            ++counts[i][2];
            expr::BoundExprPtr residual = ev.residual->ResidualFor(e.data_file.partition);
            FileScanTask task{m.TakeFile(k), spec, residual, e.sequence_number.value_or(0), {}};
            task.file.spec_id = mf.partition_spec_id;
            per_manifest[i].push_back(std::move(task));
          }
        }
        if (options_.report_files) lines[i].back().decision = decision;
      }
      return Status::OK();
    }));
    if (!indexed) {
      FLOE_RETURN_NOT_OK(BuildDeleteIndex(std::move(found)));
      indexed = true;
    }
    if (!delete_index_->empty()) {
      FLOE_RETURN_NOT_OK(util::ParallelFor(n, threads, [&](size_t i) -> Status {
        for (FileScanTask& t : per_manifest[i]) {
          t.deletes = delete_index_->ForDataFile(t.file, t.data_sequence_number);
        }
        return Status::OK();
      }));
    }
    for (size_t i = 0; i < n; ++i) {
      report_.files_skipped_partition += counts[i][0];
      report_.files_skipped_metrics += counts[i][1];
      report_.files_selected += counts[i][2];
      report_.files_total += counts[i][0] + counts[i][1] + counts[i][2];
      for (auto& l : lines[i]) report_.files.push_back(std::move(l));
      for (auto& t : per_manifest[i]) {
        report_.files_with_deletes += t.deletes.empty() ? 0 : 1;
        FLOE_RETURN_NOT_OK(sink(std::move(t)));
      }
    }
  }
  return Status::OK();
}

Status TableScan::DecodeDeleteManifest(const manifest::ManifestFile& mf,
                                       std::vector<DeleteFileEntry>* out) {
  const spec::PartitionSpec* spec = md_->SpecById(mf.partition_spec_id);
  if (!spec) {
    return Status::Invalid("delete manifest ", mf.manifest_path, " uses partition spec ",
                           mf.partition_spec_id, ", which table ", table_name_, " does not have");
  }
  FLOE_ASSIGN_OR_RAISE(LoadedManifest m,
                       LoadManifest(*io_, options_.manifest_cache.get(), mf, spec, schema_));
  const std::vector<manifest::ManifestEntry>& entries = m.entries();
  for (size_t k = 0; k < entries.size(); ++k) {
    if (entries[k].status == EntryStatus::kDeleted) continue;
    manifest::DataFile f = m.TakeFile(k);
    f.spec_id = mf.partition_spec_id;
    out->push_back(DeleteFileEntry{std::make_shared<const manifest::DataFile>(std::move(f)),
                                   entries[k].sequence_number.value_or(0)});
  }
  return Status::OK();
}

Status TableScan::BuildDeleteIndex(std::vector<std::vector<DeleteFileEntry>> found) {
  std::vector<DeleteFileEntry> all;
  for (auto& f : found) {
    for (auto& e : f) all.push_back(std::move(e));
  }
  report_.delete_files = static_cast<int64_t>(all.size());
  auto index = DeleteIndex::Make(*md_, std::move(all), io_);
  if (!index.ok()) return index.status().WithContext("table " + table_name_);
  delete_index_ = std::make_shared<DeleteIndex>(std::move(*index));
  // Equality delete columns are looked up in every schema: a column dropped
  // since the delete was written still decides which rows it deletes.
  std::shared_ptr<const spec::TableMetadata> md = md_;
  const spec::Schema read_schema = schema_;
  field_resolver_ = [md, read_schema](int32_t id) -> std::optional<NestedField> {
    if (const NestedField* f = read_schema.FindField(id)) return *f;
    for (auto it = md->schemas.rbegin(); it != md->schemas.rend(); ++it) {
      if (const NestedField* f = it->FindField(id)) return *f;
    }
    return std::nullopt;
  };
  delete_loader_ = std::make_shared<data::DeleteLoader>(io_, field_resolver_);
  return Status::OK();
}

std::string ScanReport::ToText(bool analyzed, bool details) const {
  std::string out;
  out += fmt::format("snapshot {}  schema {}\n",
                     snapshot_id ? std::to_string(*snapshot_id) : "none (empty table)", schema_id);
  out += fmt::format("filter   {}\n", filter);
  out += fmt::format("manifests  {} total, {} skipped, {} read, {} delete manifests\n",
                     manifests_total, manifests_skipped,
                     manifests_total - manifests_skipped - delete_manifests, delete_manifests);
  out += fmt::format(
      "files      {} considered, {} skipped by partition, {} skipped by metrics, {} read\n",
      files_total, files_skipped_partition, files_skipped_metrics, files_selected);
  if (analyzed) {
    out += fmt::format("row groups {} read, {} skipped by statistics, {} skipped by bloom filter\n",
                       row_groups_read, row_groups_skipped, row_groups_skipped_bloom);
    out += fmt::format("deletes    {} delete files, applying to {} of the files read, {} rows deleted\n",
                       delete_files, files_with_deletes, rows_deleted);
    out += fmt::format("rows       {} read, {} returned, {} bytes read\n", rows_read, rows_returned,
                       bytes_read);
  } else {
    out += fmt::format("deletes    {} delete files, applying to {} of the files to read\n",
                       delete_files, files_with_deletes);
  }
  if (details) {
    for (const auto& m : manifests) {
      out += fmt::format("  manifest {} (spec {}): {}\n", m.path, m.spec_id,
                         m.skipped ? "skipped, " + m.reason : (m.reason.empty() ? "read" : m.reason));
    }
    for (const auto& f : files) {
      out += fmt::format("  file {} [{}] {} rows: {}\n", f.path, f.partition, f.records, f.decision);
    }
  }
  return out;
}

}  // namespace floe::table
