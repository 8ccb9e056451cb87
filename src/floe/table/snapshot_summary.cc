#include "floe/table/snapshot_summary.h"

#include "floe/util/strings.h"

namespace floe::table {

using manifest::FileContent;
using manifest::FileFormat;

void SummaryBuilder::AddedFile(const manifest::DataFile& f, const std::string& partition_key) {
  partitions_.insert(partition_key);
  added_size_ += f.file_size_in_bytes;
  switch (f.content) {
    case FileContent::kData:
      ++added_data_files_;
      added_records_ += f.record_count;
      break;
    case FileContent::kPositionDeletes:
      ++added_delete_files_;
      if (f.file_format == FileFormat::kPuffin) {
        ++added_dvs_;
      } else {
        ++added_pos_delete_files_;
      }
      added_pos_deletes_ += f.record_count;
      break;
    case FileContent::kEqualityDeletes:
      ++added_delete_files_;
      ++added_eq_delete_files_;
      added_eq_deletes_ += f.record_count;
      break;
  }
}

void SummaryBuilder::RemovedFile(const manifest::DataFile& f, const std::string& partition_key) {
  partitions_.insert(partition_key);
  removed_size_ += f.file_size_in_bytes;
  switch (f.content) {
    case FileContent::kData:
      ++deleted_data_files_;
      deleted_records_ += f.record_count;
      break;
    case FileContent::kPositionDeletes:
      ++removed_delete_files_;
      if (f.file_format == FileFormat::kPuffin) {
        ++removed_dvs_;
      } else {
        ++removed_pos_delete_files_;
      }
      removed_pos_deletes_ += f.record_count;
      break;
    case FileContent::kEqualityDeletes:
      ++removed_delete_files_;
      ++removed_eq_delete_files_;
      removed_eq_deletes_ += f.record_count;
      break;
  }
}

void SummaryBuilder::Set(const std::string& key, const std::string& value) {
  extra_.emplace_back(key, value);
}

std::vector<std::pair<std::string, std::string>> SummaryBuilder::Build(
    const spec::Snapshot* parent) const {
  std::vector<std::pair<std::string, std::string>> out;
  auto put = [&](const char* key, int64_t v) {
    if (v != 0) out.emplace_back(key, std::to_string(v));
  };
  put("added-data-files", added_data_files_);
  put("deleted-data-files", deleted_data_files_);
  put("added-delete-files", added_delete_files_);
  put("added-equality-delete-files", added_eq_delete_files_);
  put("removed-equality-delete-files", removed_eq_delete_files_);
  put("added-position-delete-files", added_pos_delete_files_);
  put("removed-position-delete-files", removed_pos_delete_files_);
  put("added-dvs", added_dvs_);
  put("removed-dvs", removed_dvs_);
  put("removed-delete-files", removed_delete_files_);
  put("added-records", added_records_);
  put("deleted-records", deleted_records_);
  put("added-files-size", added_size_);
  put("removed-files-size", removed_size_);
  put("added-position-deletes", added_pos_deletes_);
  put("removed-position-deletes", removed_pos_deletes_);
  put("added-equality-deletes", added_eq_deletes_);
  put("removed-equality-deletes", removed_eq_deletes_);
  out.emplace_back("changed-partition-count", std::to_string(partitions_.size()));
  // Totals: the parent's plus this commit's changes. Java drops a total
  // whose parent value is missing; Floe writes all six always, so a parent
  // written by Floe always has them.
  auto total = [&](const char* key, int64_t delta) {
    int64_t base = 0;
    if (parent) {
      auto v = parent->SummaryValue(key);
      if (v) {
        base = util::ParseInt64(*v).value_or(0);
      } else if (!parent->summary.empty()) {
        return;  // unknown base: omit the total rather than write a wrong one
      }
    }
    out.emplace_back(key, std::to_string(base + delta));
  };
  total("total-records", added_records_ - deleted_records_);
  total("total-files-size", added_size_ - removed_size_);
  total("total-data-files", added_data_files_ - deleted_data_files_);
  total("total-delete-files", added_delete_files_ - removed_delete_files_);
  total("total-position-deletes", added_pos_deletes_ - removed_pos_deletes_);
  total("total-equality-deletes", added_eq_deletes_ - removed_eq_deletes_);
  for (const auto& kv : extra_) out.push_back(kv);
  return out;
}

SummaryTotals ReadSummaryTotals(const spec::Snapshot& snapshot) {
  auto read = [&](const char* key) -> std::optional<int64_t> {
    auto v = snapshot.SummaryValue(key);
    if (!v) return std::nullopt;
    return util::ParseInt64(*v);
  };
  SummaryTotals t;
  t.records = read("total-records");
  t.files_size = read("total-files-size");
  t.data_files = read("total-data-files");
  t.delete_files = read("total-delete-files");
  t.position_deletes = read("total-position-deletes");
  t.equality_deletes = read("total-equality-deletes");
  return t;
}

}  // namespace floe::table
