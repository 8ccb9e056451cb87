// Table metadata JSON (spec App. C): any input gives a value or an error.
// Properties: parse(write(parse(x))) == parse(x) in every format version,
// and the writer's output is a fixed point (write(parse(write(m))) ==
// write(m)); the same for schemas, partition specs and sort orders found in
// the input.
#include "floe/spec/json.h"
#include "floe/spec/json_internal.h"
#include "fuzz_target.h"

namespace {

using floe::spec::json_internal::Json;

// Runs one JSON model's round trip: `from` parses a JSON value, `to` writes it.
template <typename From, typename To>
void RoundTrip(const Json& j, const char* what, From from, To to) {
  auto first = from(j);
  if (!first.ok()) return;
  std::string text = to(*first);
  auto parsed = floe::spec::json_internal::Parse(text);
  FLOE_FUZZ_CHECK(parsed.ok(), std::string(what) + " written as invalid JSON: " + text);
  auto second = from(*parsed);
  FLOE_FUZZ_CHECK(second.ok(), std::string(what) + " does not parse back: " +
                                   second.status().ToString() + "\n" + text);
  FLOE_FUZZ_CHECK(*second == *first, std::string(what) + " changed in a round trip: " + text);
  FLOE_FUZZ_CHECK(to(*second) == text, std::string(what) + " written differently the second time");
}

}  // namespace

FLOE_FUZZ_TARGET(metadata_json) {
  namespace spec = floe::spec;
  namespace ji = floe::spec::json_internal;
  auto md = spec::TableMetadataFromJson(input);
  if (md.ok()) {
    const std::string text = spec::TableMetadataToJson(*md);
    auto again = spec::TableMetadataFromJson(text);
    FLOE_FUZZ_CHECK(again.ok(), "written metadata does not parse back: " +
                                    again.status().ToString() + "\n" + text);
    FLOE_FUZZ_CHECK(*again == *md, "metadata changed in a round trip: " + text);
    FLOE_FUZZ_CHECK(spec::TableMetadataToJson(*again) == text,
                    "metadata written differently the second time: " + text);
  }
  auto j = ji::Parse(input);
  if (!j.ok()) return;
  // The same text read as each smaller model, and each element of the lists
  // a metadata file holds (so metadata seeds exercise them too).
  auto schema = [](const Json& v) { return ji::SchemaFromJsonValue(v, ""); };
  auto schema_out = [](const spec::Schema& s) { return spec::SchemaToJson(s); };
  auto pspec = [](const Json& v) { return ji::PartitionSpecFromJsonValue(v, "", 0); };
  auto pspec_out = [](const spec::PartitionSpec& s) { return spec::PartitionSpecToJson(s); };
  auto order = [](const Json& v) { return ji::SortOrderFromJsonValue(v, ""); };
  auto order_out = [](const spec::SortOrder& o) { return spec::SortOrderToJson(o); };
  RoundTrip(*j, "schema", schema, schema_out);
  RoundTrip(*j, "partition spec", pspec, pspec_out);
  RoundTrip(*j, "sort order", order, order_out);
  if (!j->is_object()) return;
  auto each = [&](const char* key, auto from, auto to) {
    auto it = j->find(key);
    if (it == j->end() || !it->is_array()) return;
    for (const Json& e : *it) RoundTrip(e, key, from, to);
  };
  each("schemas", schema, schema_out);
  each("partition-specs", pspec, pspec_out);
  each("sort-orders", order, order_out);
}
