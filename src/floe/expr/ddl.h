// The short schema, partitioning, ordering and alter texts users type, on
// the filter language's tokenizer (lexer.h), so names and literals are
// spelled alike everywhere:
//
//   schema:       event_id string not null, created_at timestamptz,
//                 amount decimal(12,2), tags list<string>,
//                 attrs map<string, long>, payload struct<source: string, n: int not null>
//                 (a field may end with: comment 'text')
//   partitioning: event_date, day(created_at), bucket(16, user_id),
//                 truncate(4, name), year(ts) / month / hour, void(x),
//                 also bucket[16](user_id); each may end with: as NAME
//   sort order:   created_at desc nulls last, bucket(16, id), name asc
//
// Names may be quoted with "double quotes" or `backticks`. Errors quote the
// text and the position, and say what was expected.
//
// Partition fields and sort fields parse to unbound terms (they name their
// columns) and are bound to a schema separately, so a change can name a
// column another change of the same commit adds. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"
#include "floe/spec/sort_order.h"

namespace floe::expr {

// Field ids are assigned in Java's fresh-id order for new tables (top-level
// 1..n, then nested fields level by level).
Result<spec::Schema> ParseSchema(std::string_view text);

// One partition field as written: `day(created_at) as d`, `user_id`.
struct PartitionTerm {
  spec::Transform transform = spec::Transform::Identity();
  std::string column;               // dotted for a nested column
  std::optional<std::string> name;  // `as NAME`; else Java's default name
  bool operator==(const PartitionTerm&) const = default;
};

// One sort field as written: `bucket(16, id) desc nulls last`.
struct SortTerm {
  spec::Transform transform = spec::Transform::Identity();
  std::string column;
  spec::SortDirection direction = spec::SortDirection::kAsc;
  spec::NullOrder null_order = spec::NullOrder::kNullsFirst;  // Java's default for asc
  bool operator==(const SortTerm&) const = default;
};

Result<std::vector<PartitionTerm>> ParsePartitionTerms(std::string_view text);
Result<std::vector<SortTerm>> ParseSortTerms(std::string_view text);

// A term bound to `schema`: its column found by name (exact, else ignoring
// case), named by Java's defaults unless `as NAME` was given. Invalid when
// the column does not exist; the transform's fit to the column's type is
// checked by PartitionSpec::Validate.
Result<spec::PartitionField> BindPartitionTerm(const PartitionTerm& term,
                                               const spec::Schema& schema, int32_t field_id);
Result<spec::SortField> BindSortTerm(const SortTerm& term, const spec::Schema& schema);

// Parse and bind: field ids from 1000 (`first_field_id`), spec id `spec_id`.
Result<spec::PartitionSpec> ParsePartitionSpec(std::string_view text, const spec::Schema& schema,
                                               int32_t spec_id = 0,
                                               int32_t first_field_id = spec::kFirstPartitionFieldId);
// Order id `order_id` (1 for a table's first sorted order); empty text: unsorted.
Result<spec::SortOrder> ParseSortOrder(std::string_view text, const spec::Schema& schema,
                                       int32_t order_id = 1);
Result<spec::SortOrder> BindSortOrder(const std::vector<SortTerm>& terms,
                                      const spec::Schema& schema, int32_t order_id = 1);

// The inverses: texts the parsers above turn back into an equal schema (ids
// are Java's fresh-id order, so a schema from ParseSchema round-trips
// exactly), spec, order or term. Names that are not plain words are quoted.
std::string FormatSchema(const spec::Schema& schema);
std::string FormatPartitionSpec(const spec::PartitionSpec& spec, const spec::Schema& schema);
std::string FormatSortOrder(const spec::SortOrder& order, const spec::Schema& schema);
std::string FormatPartitionTerm(const PartitionTerm& term);
std::string FormatSortTerms(const std::vector<SortTerm>& terms);

// One change of `floe alter NS.T CHANGE...`:
//
//   add column NAME TYPE [not null] [comment 'doc'] [first | after COL | before COL]
//              [default LITERAL]            (NAME may be nested: payload.source)
//   drop column NAME
//   rename column NAME to NEW
//   alter column NAME type TYPE | drop not null | set not null | comment 'doc'
//   move column NAME first | after COL | before COL
//   set identifier fields COL[, COL...] | drop identifier fields
//   add partition field FIELD              (FIELD as in --partition-by: day(ts) [as NAME])
//   drop partition field NAME | FIELD
//   replace partition field NAME | FIELD with FIELD
//   write ordered by ORDER | write unordered   (ORDER as in --sort-by)
//
// Keywords are case-insensitive. Columns are checked when applied, not here.
struct AlterChange {
  enum class Kind {
    kAddColumn, kDropColumn, kRenameColumn, kColumnType, kDropNotNull, kSetNotNull,
    kColumnDoc, kMoveColumn, kSetIdentifiers, kAddPartition, kDropPartition,
    kReplacePartition, kWriteOrder,
  };
  enum class Position { kLast, kFirst, kAfter, kBefore };
  Kind kind = Kind::kAddColumn;
  std::string column;
  std::string new_name;
  spec::TypePtr type;
  bool required = false;
  std::optional<std::string> doc;
  Position position = Position::kLast;
  std::string position_column;
  std::optional<std::string> default_value;  // literal text, quotes removed
  std::vector<std::string> names;            // identifier fields
  // Partition changes: the field to add, or the one to drop or replace (a
  // bare name is also matched against partition field names), and its
  // replacement.
  PartitionTerm partition;
  PartitionTerm replacement;
  std::vector<SortTerm> order;  // write ordered by (empty: unordered)
};
Result<AlterChange> ParseAlterChange(std::string_view text);

}  // namespace floe::expr
