// Parsers for the short schema, partitioning and ordering texts users type:
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
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"
#include "floe/spec/sort_order.h"

namespace floe::table {

// Field ids are assigned in Java's order for new tables (top-level 1..n,
// then nested fields level by level).
Result<spec::Schema> ParseSchema(std::string_view text);

// Partition fields named by Java's defaults unless `as NAME` is given;
// field ids from 1000 (`first_field_id`), spec id `spec_id`.
Result<spec::PartitionSpec> ParsePartitionSpec(std::string_view text, const spec::Schema& schema,
                                               int32_t spec_id = 0,
                                               int32_t first_field_id = spec::kFirstPartitionFieldId);

// Order id `order_id` (1 for a table's first sorted order).
Result<spec::SortOrder> ParseSortOrder(std::string_view text, const spec::Schema& schema,
                                       int32_t order_id = 1);

// The inverses: texts the parsers above turn back into an equal schema (ids
// are Java's fresh-id order, so a schema from ParseSchema round-trips
// exactly), spec or order. Names that are not plain words are quoted.
std::string FormatSchema(const spec::Schema& schema);
std::string FormatPartitionSpec(const spec::PartitionSpec& spec, const spec::Schema& schema);
std::string FormatSortOrder(const spec::SortOrder& order, const spec::Schema& schema);

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
  std::string field;                         // partition field / order text
  std::string replacement;                   // replace partition field ... with
};
Result<AlterChange> ParseAlterChange(std::string_view text);

}  // namespace floe::table
