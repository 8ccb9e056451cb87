// The short DDL grammars users type (table/ddl.h): --schema, --partition-by,
// --sort-by and `floe alter` changes. The input's first line is read as a
// schema; the rest as partitioning, a sort order and an alter change, over
// that schema when it parsed and over a fixed one otherwise.
// Properties: every text gives a value or an error; what parses prints
// (FormatSchema, FormatPartitionSpec, FormatSortOrder) to text that parses
// back to an equal value.
#include <string>
#include <string_view>

#include "floe/spec/schema.h"
#include "floe/table/ddl.h"
#include "fuzz_target.h"

namespace {

namespace spec = floe::spec;
namespace table = floe::table;

const spec::Schema& FixedSchema() {
  static const spec::Schema* schema = [] {
    auto s = table::ParseSchema(
        "id long not null, user_id string, ts timestamptz, event_date date, amount decimal(12,2), "
        "name string comment 'who', tags list<string>, "
        "payload struct<source: string, n: int not null>, `odd name` int, b binary, u uuid");
    if (!s.ok()) std::abort();
    return new spec::Schema(*s);
  }();
  return *schema;
}

}  // namespace

FLOE_FUZZ_TARGET(ddl) {
  const size_t nl = input.find('\n');
  const std::string_view first = input.substr(0, nl);
  const std::string_view rest = nl == std::string_view::npos ? first : input.substr(nl + 1);

  auto parsed_schema = table::ParseSchema(first);
  if (parsed_schema.ok()) {
    const std::string text = table::FormatSchema(*parsed_schema);
    auto again = table::ParseSchema(text);
    FLOE_FUZZ_CHECK(again.ok(), "printed schema does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *parsed_schema, "schema changed in a print/parse round trip: " + text);
  }
  const spec::Schema& schema = parsed_schema.ok() ? *parsed_schema : FixedSchema();

  auto pspec = table::ParsePartitionSpec(rest, schema);
  if (pspec.ok()) {
    const std::string text = table::FormatPartitionSpec(*pspec, schema);
    auto again = table::ParsePartitionSpec(text, schema);
    FLOE_FUZZ_CHECK(again.ok(), "printed partitioning does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *pspec, "partitioning changed in a print/parse round trip: " + text);
  }
  auto order = table::ParseSortOrder(rest, schema);
  if (order.ok()) {
    const std::string text = table::FormatSortOrder(*order, schema);
    auto again = table::ParseSortOrder(text, schema);
    FLOE_FUZZ_CHECK(again.ok(), "printed sort order does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *order, "sort order changed in a print/parse round trip: " + text);
  }
  auto change = table::ParseAlterChange(rest);
  if (change.ok()) {
    // The parts an alter change hands to the other grammars.
    using Kind = table::AlterChange::Kind;
    if (change->kind == Kind::kAddPartition) (void)table::ParsePartitionSpec(change->field, schema);
    if (change->kind == Kind::kReplacePartition) {
      (void)table::ParsePartitionSpec(change->replacement, schema);
    }
    if (change->kind == Kind::kWriteOrder && !change->field.empty()) {
      (void)table::ParseSortOrder(change->field, schema);
    }
  }
}
