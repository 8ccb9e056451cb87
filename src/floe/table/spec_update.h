// Partition evolution and sort-order changes (spec §Partition Evolution,
// §Sorting). Neither rewrites data: files keep the spec they were written
// with (planning evaluates each manifest with its own spec), and the new
// default spec / sort order applies to data written from then on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "floe/expr/ddl.h"
#include "floe/table/pending_update.h"

namespace floe::table {

// Adds, removes and replaces fields of the default partition spec. Fields
// are terms as `floe create --partition-by` reads them (expr::PartitionTerm:
// day(created_at), bucket(16, user_id) as user_bucket), bound to the schema
// when the update applies; a field to remove is a term, or a bare name that
// is matched against partition field names first.
//
// New fields get ids after last-partition-id, or (v2+) the id of an
// equivalent field of an earlier spec (same source, transform and name), as
// Java does; ids are never given to a different field. In v1, removed fields
// stay as `void` transforms (v1 cannot drop or reorder fields), renamed to
// NAME_<field id> so the name can be used again. The new spec
// gets the next spec id, or the id of an earlier spec with the same fields.
class PartitionSpecUpdate final : public PendingUpdate {
 public:
  PartitionSpecUpdate& AddField(expr::PartitionTerm term);
  PartitionSpecUpdate& RemoveField(expr::PartitionTerm name_or_term);
  PartitionSpecUpdate& ReplaceField(expr::PartitionTerm name_or_term, expr::PartitionTerm term);

  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override;

 private:
  struct Change {
    std::optional<expr::PartitionTerm> remove;
    std::optional<expr::PartitionTerm> add;
  };
  std::vector<Change> changes_;
};

// Makes `terms` (created_at desc nulls last, bucket(16, id); none: unsorted)
// the default write order: a new sort order id, or an identical earlier one.
class SortOrderUpdate final : public PendingUpdate {
 public:
  explicit SortOrderUpdate(std::vector<expr::SortTerm> terms) : terms_(std::move(terms)) {}
  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override { return "set write order"; }

 private:
  std::vector<expr::SortTerm> terms_;
};

}  // namespace floe::table
