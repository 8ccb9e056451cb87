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

#include <string_view>

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

}  // namespace floe::table
