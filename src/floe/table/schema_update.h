// SchemaUpdate: schema evolution without rewriting data (spec §Schema
// Evolution). Columns are added, dropped, renamed, retyped (allowed
// promotions only), made optional, moved within their struct, and the
// identifier fields set. Each commit adds a new schema (or returns to an
// identical earlier one) with the old ones kept for time travel; new field
// ids come after last-column-id and are never reused.
//
// Changes name columns, so they are re-resolved against the newest schema at
// each commit attempt: a change another writer made meanwhile is built on,
// and a change it made invalid (the column is gone, the name is taken) is
// refused with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "floe/table/pending_update.h"

namespace floe::table {

struct ColumnPosition {
  enum class Kind { kLast, kFirst, kAfter, kBefore };
  Kind kind = Kind::kLast;
  std::string column;  // kAfter / kBefore: a sibling's name (its last name part)

  static ColumnPosition First() { return {Kind::kFirst, ""}; }
  static ColumnPosition After(std::string c) { return {Kind::kAfter, std::move(c)}; }
  static ColumnPosition Before(std::string c) { return {Kind::kBefore, std::move(c)}; }
};

class SchemaUpdate final : public PendingUpdate {
 public:
  // Adds `name` ("payload.source" adds `source` to struct `payload`) of
  // `type`; nested ids in `type` are reassigned. A required column needs a
  // default; defaults (App. D literal text) need format version 3 and set
  // both initial-default and write-default.
  SchemaUpdate& AddColumn(std::string name, spec::TypePtr type, bool required = false,
                          std::optional<std::string> doc = std::nullopt,
                          ColumnPosition position = {},
                          std::optional<std::string> default_value = std::nullopt);
  // Refused for identifier fields and for the sources of the current
  // partition spec or sort order.
  SchemaUpdate& DropColumn(std::string name);
  SchemaUpdate& RenameColumn(std::string name, std::string new_name);
  // Promotions only: int->long, float->double, decimal(P,S)->decimal(P',S)
  // with P' >= P; in v3 date->timestamp/timestamp_ns and unknown->anything.
  SchemaUpdate& UpdateColumnType(std::string name, spec::TypePtr type);
  SchemaUpdate& MakeOptional(std::string name);
  // Refused unless the column is required already: existing rows may hold
  // nulls (Iceberg cannot check that without reading every file).
  SchemaUpdate& MakeRequired(std::string name);
  SchemaUpdate& SetDoc(std::string name, std::string doc);
  SchemaUpdate& MoveColumn(std::string name, ColumnPosition position);
  SchemaUpdate& SetIdentifierFields(std::vector<std::string> names);

  Status Apply(spec::TableMetadata* md, CommitAttempt* attempt) override;
  std::string Describe() const override;

  // The schema the changes make from `md`'s current one (the new schema id
  // and last-column-id included), without committing.
  Result<spec::Schema> Preview(const spec::TableMetadata& md, int32_t* last_column_id) const;

  struct Change {
    enum class Kind { kAdd, kDrop, kRename, kType, kOptional, kRequired, kDoc, kMove, kIdentifier };
    Kind kind;
    std::string name;
    std::string new_name;  // rename
    spec::TypePtr type;    // add, type
    bool required = false;
    std::optional<std::string> doc;
    ColumnPosition position;
    std::optional<std::string> default_value;
    std::vector<std::string> names;  // identifier fields
  };

 private:
  SchemaUpdate& Push(Change c) {
    changes_.push_back(std::move(c));
    return *this;
  }
  std::vector<Change> changes_;
};

// Whether a column of type `from` may become `to` (spec §Schema Evolution).
bool IsAllowedPromotion(const spec::Type& from, const spec::Type& to, int format_version);

}  // namespace floe::table
