// Alter: applies `floe alter` changes (expr/ddl.h's AlterChange) to a table as
// one commit: consecutive schema changes become one SchemaUpdate, partition
// changes one PartitionSpecUpdate, a write order a SortOrderUpdate, applied
// in the order given (so "drop partition field x" can precede "drop column
// x"). Nothing is rewritten; the table is unchanged if any change is refused.
#pragma once

#include <vector>

#include "floe/expr/ddl.h"
#include "floe/table/table.h"

namespace floe::table {

// The new schema id, spec id and sort order id are in the table's metadata
// afterwards.
Status Alter(Table& table, const std::vector<expr::AlterChange>& changes);

}  // namespace floe::table
