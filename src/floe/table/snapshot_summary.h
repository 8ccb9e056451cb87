// Snapshot summaries (spec Appendix F, "Optional Snapshot Summary Fields"):
// what a commit added and removed, and the table totals after it. Totals
// are the parent's totals plus the changes, as Java computes them; a total
// the parent lacks is recomputed only when the caller supplies it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "floe/manifest/data_file.h"
#include "floe/spec/snapshot.h"

namespace floe::table {

// Floe's own summary key: the commit retries a snapshot needed (absent when
// it committed at the first attempt).
inline constexpr const char* kCommitRetriesProperty = "floe.commit.retries";

class SummaryBuilder {
 public:
  // `partition_key` identifies the file's partition (spec id + path), for
  // changed-partition-count.
  void AddedFile(const manifest::DataFile& file, const std::string& partition_key);
  void RemovedFile(const manifest::DataFile& file, const std::string& partition_key);
  void Set(const std::string& key, const std::string& value);

  // The summary of a snapshot whose parent is `parent` (nullptr for the
  // first snapshot of a branch: totals start at 0).
  std::vector<std::pair<std::string, std::string>> Build(const spec::Snapshot* parent) const;

  int64_t added_records() const { return added_records_; }
  int64_t deleted_records() const { return deleted_records_; }

 private:
  int64_t added_data_files_ = 0, deleted_data_files_ = 0;
  int64_t added_delete_files_ = 0, removed_delete_files_ = 0;
  int64_t added_eq_delete_files_ = 0, removed_eq_delete_files_ = 0;
  int64_t added_pos_delete_files_ = 0, removed_pos_delete_files_ = 0;
  int64_t added_dvs_ = 0, removed_dvs_ = 0;
  int64_t added_records_ = 0, deleted_records_ = 0;
  int64_t added_size_ = 0, removed_size_ = 0;
  int64_t added_pos_deletes_ = 0, removed_pos_deletes_ = 0;
  int64_t added_eq_deletes_ = 0, removed_eq_deletes_ = 0;
  std::set<std::string> partitions_;
  std::vector<std::pair<std::string, std::string>> extra_;
};

// The table totals a snapshot's summary carries; a total its writer left
// out (or wrote unreadably) is empty.
struct SummaryTotals {
  std::optional<int64_t> records;           // total-records
  std::optional<int64_t> files_size;        // total-files-size
  std::optional<int64_t> data_files;        // total-data-files
  std::optional<int64_t> delete_files;      // total-delete-files
  std::optional<int64_t> position_deletes;  // total-position-deletes
  std::optional<int64_t> equality_deletes;  // total-equality-deletes
};
SummaryTotals ReadSummaryTotals(const spec::Snapshot& snapshot);

}  // namespace floe::table
