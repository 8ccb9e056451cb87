// JSON forms of the table model (spec Appendix C), exact to the spec.
//
// Parsers are lenient as readers must be (unknown fields ignored, v1 forms
// accepted) and return Invalid with the JSON path of the bad field, e.g.
// "schemas[0].fields[2].type: unknown type 'varchar'". Callers add the file.
#pragma once

#include <string>
#include <string_view>

#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"
#include "floe/spec/sort_order.h"
#include "floe/spec/table_metadata.h"

namespace floe::spec {

Result<Schema> SchemaFromJson(std::string_view json);
std::string SchemaToJson(const Schema& schema);

// Accepts the spec object {"spec-id":..,"fields":[..]} or, as in manifest
// metadata and v1 tables, the bare fields array (then `spec_id` is used and
// missing field ids become 1000 + position).
Result<PartitionSpec> PartitionSpecFromJson(std::string_view json, int32_t spec_id = 0);
std::string PartitionSpecToJson(const PartitionSpec& spec);
// The bare fields array, as manifests store it under "partition-spec".
std::string PartitionFieldsToJson(const PartitionSpec& spec);

Result<SortOrder> SortOrderFromJson(std::string_view json);
std::string SortOrderToJson(const SortOrder& order);

// Parses and validates table metadata (TableMetadata::Validate).
Result<TableMetadata> TableMetadataFromJson(std::string_view json);
// Writes the fields the metadata's format version requires, exactly as the
// spec names them (v1 also carries `schema` and `partition-spec`; v2+ does
// not; v3 writes next-row-id and a null current-snapshot-id when empty).
std::string TableMetadataToJson(const TableMetadata& metadata, bool pretty = false);

}  // namespace floe::spec
