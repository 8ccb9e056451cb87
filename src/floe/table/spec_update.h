// Partition evolution and sort-order changes (spec §Partition Evolution,
// §Sorting). Neither rewrites data: files keep the spec they were written
// with (planning evaluates each manifest with its own spec), and the new
// default spec / sort order applies to data written from then on.
#pragma once

#include <string>
#include <vector>

#include "floe/table/pending_update.h"

namespace floe::table {

// Adds, removes and replaces fields of the default partition spec. Fields
// are written as in `floe create --partition-by` ("day(created_at)",
// "bucket(16, user_id) as user_bucket"); a field to remove is named by its
// partition name or by the same text.
//
// New fields get ids after last-partition-id, or (v2+) the id of an
// equivalent field of an earlier spec (same source, transform and name), as
// Java does; ids are never given to a different field. In v1, removed fields
// stay as `void` transforms (v1 cannot drop or reorder fields), renamed to
// NAME_<field id> so the name can be used again. The new spec
// gets the next spec id, or the id of an earlier spec with the same fields.
class PartitionSpecUpdate final : public PendingUpdate {
 public:
  PartitionSpecUpdate& AddField(std::string text);
  PartitionSpecUpdate& RemoveField(std::string name_or_text);
  PartitionSpecUpdate& ReplaceField(std::string name_or_text, std::string text);

  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override;

 private:
  struct Change {
    std::string remove;  // empty: none
    std::string add;     // empty: none
  };
  std::vector<Change> changes_;
};

// Makes `text` ("created_at desc nulls last, bucket(16, id)"; empty: unsorted)
// the default write order: a new sort order id, or an identical earlier one.
class SortOrderUpdate final : public PendingUpdate {
 public:
  explicit SortOrderUpdate(std::string text) : text_(std::move(text)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override { return "set write order"; }

 private:
  std::string text_;
};

}  // namespace floe::table
