// Name mappings (spec/name_mapping.h, spec App. C): JSON from the table
// property schema.name-mapping.default.
// Properties: any text gives a mapping or an error; ToJson/FromJson is a
// round trip; looking up any path never crashes and agrees before and after
// the round trip; UpdatedFor(schema) is idempotent and keeps every name the
// mapping had.
#include <string>
#include <vector>

#include "floe/spec/name_mapping.h"
#include "floe/spec/schema.h"
#include "fuzz_target.h"

namespace {

namespace spec = floe::spec;

const spec::Schema& FixedSchema() {
  using spec::Type;
  static const spec::Schema schema(
      0, {{1, "id", true, Type::Long()},
          {2, "data", false, Type::String()},
          {3, "location", false,
           Type::Struct({{4, "lat", false, Type::Double()}, {5, "long", false, Type::Double()}})},
          {6, "tags", false, Type::List({7, "element", false, Type::String()})},
          {8, "attrs", false,
           Type::Map({9, "key", true, Type::String()}, {10, "value", false, Type::Int()})}});
  return schema;
}

void CollectPaths(const std::vector<spec::MappedField>& fields, std::vector<std::string>& prefix,
                  std::vector<std::vector<std::string>>* out, int depth) {
  if (depth > 8 || out->size() > 256) return;
  for (const spec::MappedField& f : fields) {
    for (const std::string& n : f.names) {
      prefix.push_back(n);
      out->push_back(prefix);
      CollectPaths(f.fields, prefix, out, depth + 1);
      prefix.pop_back();
    }
  }
}

}  // namespace

FLOE_FUZZ_TARGET(name_mapping) {
  auto m = spec::NameMapping::FromJson(input);
  if (!m.ok()) return;
  const std::string json = m->ToJson();
  auto again = spec::NameMapping::FromJson(json);
  FLOE_FUZZ_CHECK(again.ok(), "written name mapping does not parse: " + again.status().ToString() +
                                  "\n" + json);
  FLOE_FUZZ_CHECK(*again == *m, "name mapping changed in a round trip: " + json);

  std::vector<std::vector<std::string>> paths;
  std::vector<std::string> prefix;
  CollectPaths(m->fields(), prefix, &paths, 0);
  paths.push_back({"id"});
  paths.push_back({"location", "lat"});
  paths.push_back({});
  for (const auto& p : paths) {
    FLOE_FUZZ_CHECK(m->Find(p) == again->Find(p), "a lookup changed in a round trip: " + json);
  }

  const spec::NameMapping updated = m->UpdatedFor(FixedSchema());
  FLOE_FUZZ_CHECK(updated.UpdatedFor(FixedSchema()) == updated,
                  "UpdatedFor is not idempotent on: " + json);
  for (const auto& p : paths) {
    // A path that mapped before still maps, unless the schema gave one of
    // its names to another field (the name then follows the schema).
    if (!m->Find(p)) continue;
    bool reassigned = false;
    std::string dotted;
    for (size_t i = 0; i < p.size() && !reassigned; ++i) {
      dotted += (i ? "." : "") + p[i];
      const spec::NestedField* f = FixedSchema().FindFieldByName(dotted);
      std::vector<std::string> prefix(p.begin(), p.begin() + static_cast<long>(i) + 1);
      reassigned = f && m->Find(prefix) != f->id;
    }
    if (!reassigned) {
      FLOE_FUZZ_CHECK(updated.Find(p).has_value(), "UpdatedFor lost a mapped name: " + json);
    }
  }
}
