// The short DDL grammars users type (expr/ddl.h): --schema, --partition-by,
// --sort-by and `floe alter` changes. The input's first line is read as a
// schema; the rest as partitioning, a sort order and an alter change, over
// that schema when it parsed and over a fixed one otherwise.
// Properties: every text gives a value or an error; what parses prints
// (FormatSchema, FormatPartitionSpec, FormatSortOrder) to text that parses
// back to an equal value.
#include <string>
#include <string_view>

#include "floe/spec/schema.h"
#include "floe/expr/ddl.h"
#include "fuzz_target.h"

namespace {

namespace spec = floe::spec;
namespace expr = floe::expr;

const spec::Schema& FixedSchema() {
  static const spec::Schema* schema = [] {
    auto s = expr::ParseSchema(
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

  auto parsed_schema = expr::ParseSchema(first);
  if (parsed_schema.ok()) {
    const std::string text = expr::FormatSchema(*parsed_schema);
    auto again = expr::ParseSchema(text);
    FLOE_FUZZ_CHECK(again.ok(), "printed schema does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *parsed_schema, "schema changed in a print/parse round trip: " + text);
  }
  const spec::Schema& schema = parsed_schema.ok() ? *parsed_schema : FixedSchema();

  auto pspec = expr::ParsePartitionSpec(rest, schema);
  if (pspec.ok()) {
    const std::string text = expr::FormatPartitionSpec(*pspec, schema);
    auto again = expr::ParsePartitionSpec(text, schema);
    FLOE_FUZZ_CHECK(again.ok(), "printed partitioning does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *pspec, "partitioning changed in a print/parse round trip: " + text);
  }
  auto order = expr::ParseSortOrder(rest, schema);
  if (order.ok()) {
    const std::string text = expr::FormatSortOrder(*order, schema);
    auto again = expr::ParseSortOrder(text, schema);
    FLOE_FUZZ_CHECK(again.ok(), "printed sort order does not parse: " + text + ": " +
                                    again.status().ToString());
    FLOE_FUZZ_CHECK(*again == *order, "sort order changed in a print/parse round trip: " + text);
  }
  auto change = expr::ParseAlterChange(rest);
  if (change.ok()) {
    // The terms an alter change carries bind or fail cleanly, and print to
    // text that parses back to the same terms.
    using Kind = expr::AlterChange::Kind;
    for (const expr::PartitionTerm* term : {&change->partition, &change->replacement}) {
      if (change->kind != Kind::kAddPartition && change->kind != Kind::kReplacePartition &&
          change->kind != Kind::kDropPartition) {
        break;
      }
      if (term->column.empty()) continue;
      (void)expr::BindPartitionTerm(*term, schema, 1000);
      const std::string text = expr::FormatPartitionTerm(*term);
      auto again = expr::ParsePartitionTerms(text);
      FLOE_FUZZ_CHECK(again.ok() && again->size() == 1 && (*again)[0] == *term,
                      "partition term changed in a print/parse round trip: " + text);
    }
    if (change->kind == Kind::kWriteOrder) {
      (void)expr::BindSortOrder(change->order, schema);
      const std::string text = expr::FormatSortTerms(change->order);
      auto again = expr::ParseSortTerms(text);
      FLOE_FUZZ_CHECK(again.ok() && *again == change->order,
                      "sort terms changed in a print/parse round trip: " + text);
    }
  }
}
