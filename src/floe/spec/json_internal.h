// Internal helpers for reading and writing the model's JSON with nlohmann.
// Not part of the public API: nlohmann stays out of public headers.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"
#include "floe/spec/sort_order.h"
#include "floe/spec/type.h"

namespace floe::spec::json_internal {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Parses text into a Json value; errors name the byte offset.
Result<Json> Parse(std::string_view text);

// "schemas[0].fields[2]" style paths.
std::string Child(const std::string& path, std::string_view key);
std::string Index(const std::string& path, size_t i);

// Typed field access. `path` is the JSON path of `obj`. Required getters
// fail on a missing or mistyped field; optional ones return nullopt when the
// field is absent or null and fail only when it has the wrong type.
Status ExpectObject(const Json& obj, const std::string& path);
Result<const Json*> GetRequired(const Json& obj, std::string_view key, const std::string& path);
Result<int64_t> GetLong(const Json& obj, std::string_view key, const std::string& path);
Result<int32_t> GetInt(const Json& obj, std::string_view key, const std::string& path);
Result<bool> GetBool(const Json& obj, std::string_view key, const std::string& path);
Result<std::string> GetString(const Json& obj, std::string_view key, const std::string& path);
Result<std::optional<int64_t>> GetOptionalLong(const Json& obj, std::string_view key,
                                               const std::string& path);
Result<std::optional<int32_t>> GetOptionalInt(const Json& obj, std::string_view key,
                                              const std::string& path);
Result<std::optional<std::string>> GetOptionalString(const Json& obj, std::string_view key,
                                                     const std::string& path);
Result<int64_t> AsLong(const Json& v, const std::string& path);
// A string-to-string map; numbers and booleans are accepted and printed.
Result<std::map<std::string, std::string>> GetStringMap(const Json& obj, std::string_view key,
                                                        const std::string& path);
Result<std::vector<int32_t>> GetIntList(const Json& obj, std::string_view key,
                                        const std::string& path);

Result<TypePtr> TypeFromJson(const Json& j, const std::string& path);
Result<Schema> SchemaFromJsonValue(const Json& j, const std::string& path);
Result<PartitionSpec> PartitionSpecFromJsonValue(const Json& j, const std::string& path,
                                                 int32_t default_spec_id);
Result<SortOrder> SortOrderFromJsonValue(const Json& j, const std::string& path);

OrderedJson TypeToJsonValue(const Type& type);
OrderedJson SchemaToJsonValue(const Schema& schema);
OrderedJson PartitionFieldsToJsonValue(const PartitionSpec& spec);
OrderedJson PartitionSpecToJsonValue(const PartitionSpec& spec);
OrderedJson SortOrderToJsonValue(const SortOrder& order);

}  // namespace floe::spec::json_internal
