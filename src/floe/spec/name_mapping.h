// Name mapping (spec §Column Projection, App. C "Name Mapping
// Serialization"): how columns of data files written without field ids
// (imported Parquet) map to field ids. Stored as JSON in the table property
// schema.name-mapping.default:
//
//   [ {"field-id": 1, "names": ["id", "record_id"]},
//     {"field-id": 2, "names": ["data"], "fields": [ ... ]} ]
//
// Names are literal (a "." in a name is part of it); a list's element is
// named "element", a map's key and value "key" and "value".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::spec {

inline constexpr std::string_view kNameMappingProperty = "schema.name-mapping.default";

struct MappedField {
  std::optional<int32_t> field_id;
  std::vector<std::string> names;
  std::vector<MappedField> fields;
  bool operator==(const MappedField&) const = default;
};

class NameMapping {
 public:
  NameMapping() = default;
  explicit NameMapping(std::vector<MappedField> fields) : fields_(std::move(fields)) {}

  // Errors (Invalid) give the JSON path of the bad entry.
  static Result<NameMapping> FromJson(std::string_view json);
  // Every field of `schema` under its current name (as Java's MappingUtil).
  static NameMapping FromSchema(const Schema& schema);

  std::string ToJson() const;

  // The field id of a file column by its path of names from the top;
  // nullopt when unmapped.
  std::optional<int32_t> Find(const std::vector<std::string>& path) const;

  // The mapping after a schema change: each field of `schema` keeps the
  // names it had (so files written before a rename still map) and gains its
  // current name; new fields are added; fields no longer in the schema stay.
  NameMapping UpdatedFor(const Schema& schema) const;

  const std::vector<MappedField>& fields() const { return fields_; }
  bool operator==(const NameMapping&) const = default;

 private:
  std::vector<MappedField> fields_;
};

}  // namespace floe::spec
