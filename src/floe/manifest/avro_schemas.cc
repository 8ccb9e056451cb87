#include "floe/manifest/avro_schemas.h"

#include <nlohmann/json.hpp>

#include <set>

namespace floe::manifest {

using Json = nlohmann::ordered_json;
using spec::Type;
using spec::TypeId;

namespace {

Json Optional(Json type) { return Json::array({"null", std::move(type)}); }

Json Field(const char* name, Json type, int id, const char* doc = nullptr) {
  Json f;
  f["name"] = name;
  f["type"] = std::move(type);
  if (doc) f["doc"] = doc;
  f["field-id"] = id;
  return f;
}

Json OptionalField(const char* name, Json type, int id, const char* doc = nullptr) {
  Json f;
  f["name"] = name;
  f["type"] = Optional(std::move(type));
  if (doc) f["doc"] = doc;
  f["default"] = nullptr;
  f["field-id"] = id;
  return f;
}

// An Iceberg int->X map as Java writes it: an array of k<id>_v<id> records.
Json IntMap(int key_id, int value_id, const char* value_type) {
  Json rec;
  rec["type"] = "record";
  rec["name"] = "k" + std::to_string(key_id) + "_v" + std::to_string(value_id);
  rec["fields"] = Json::array({Field("key", "int", key_id), Field("value", value_type, value_id)});
  Json arr;
  arr["type"] = "array";
  arr["items"] = std::move(rec);
  arr["logicalType"] = "map";
  return arr;
}

Json IdArray(const char* item, int element_id) {
  Json arr;
  arr["type"] = "array";
  arr["items"] = item;
  arr["element-id"] = element_id;
  return arr;
}

// A named type is defined the first time and referenced by name after.
Json Named(std::set<std::string>* defined, const std::string& name, Json definition) {
  if (!defined->insert(name).second) return name;
  return definition;
}

Result<Json> AvroType(const Type& t, std::set<std::string>* defined) {
  switch (t.id()) {
    case TypeId::kBoolean: return Json("boolean");
    case TypeId::kInt: return Json("int");
    case TypeId::kLong: return Json("long");
    case TypeId::kFloat: return Json("float");
    case TypeId::kDouble: return Json("double");
    case TypeId::kString: return Json("string");
    case TypeId::kBinary: return Json("bytes");
    case TypeId::kDate: return Json{{"type", "int"}, {"logicalType", "date"}};
    case TypeId::kTime: return Json{{"type", "long"}, {"logicalType", "time-micros"}};
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Json{{"type", "long"},
                  {"logicalType", "timestamp-micros"},
                  {"adjust-to-utc", t.id() == TypeId::kTimestampTz}};
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
      return Json{{"type", "long"},
                  {"logicalType", "timestamp-nanos"},
                  {"adjust-to-utc", t.id() == TypeId::kTimestampTzNs}};
    case TypeId::kUuid:
      return Named(defined, "uuid_fixed",
                   Json{{"type", "fixed"}, {"name", "uuid_fixed"}, {"size", 16},
                        {"logicalType", "uuid"}});
    case TypeId::kFixed: {
      std::string name = "fixed_" + std::to_string(t.length());
      return Named(defined, name, Json{{"type", "fixed"}, {"name", name}, {"size", t.length()}});
    }
    case TypeId::kDecimal: {
      std::string name =
          "decimal_" + std::to_string(t.precision()) + "_" + std::to_string(t.scale());
      return Named(defined, name,
                   Json{{"type", "fixed"},
                        {"name", name},
                        {"size", spec::DecimalRequiredBytes(t.precision())},
                        {"logicalType", "decimal"},
                        {"precision", t.precision()},
                        {"scale", t.scale()}});
    }
    default:
      return Status::NotSupported("partition values of type ", t.ToString(),
                                  " cannot be written to a manifest");
  }
}

}  // namespace

std::string SanitizeAvroName(std::string_view name) {
  auto valid_char = [](unsigned c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
  };
  auto hex = [](unsigned v) {
    static const char kDigits[] = "0123456789ABCDEF";
    std::string out;
    do {
      out.insert(out.begin(), kDigits[v & 15]);
      v >>= 4;
    } while (v);
    return out;
  };
  std::string out;
  bool first = true;
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    // Decode one UTF-8 code point; a malformed sequence is taken byte by byte.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    uint32_t cp = c;
    if (len > 1 && len <= name.size() - i) {
      cp = c & (0x7Fu >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (name[i + k] & 0x3Fu);
    } else {
      len = 1;
    }
    if (cp < 0x80 && valid_char(cp, first)) {
      out.push_back(static_cast<char>(cp));
    } else if (first && cp >= '0' && cp <= '9') {
      out += "_";
      out.push_back(static_cast<char>(cp));
    } else if (cp >= 0x10000) {
      // Java sanitizes UTF-16 code units: one escape per surrogate.
      uint32_t v = cp - 0x10000;
      out += "_x" + hex(0xD800 + (v >> 10));
      out += "_x" + hex(0xDC00 + (v & 0x3FF));
    } else {
      out += "_x" + hex(cp);
    }
    first = false;
    i += len;
  }
  return out;
}

Result<std::string> ManifestEntrySchemaJson(int v, const Type& partition_type) {
  std::set<std::string> defined;
  Json partition_fields = Json::array();
  for (const spec::NestedField& f : partition_type.fields()) {
    Json pf;
    pf["name"] = SanitizeAvroName(f.name);
    auto type = AvroType(*f.type, &defined);
    if (!type.ok()) return type.status().WithContext("partition field '" + f.name + "'");
    // Every partition field is optional [Java].
    pf["type"] = Optional(*type);
    pf["default"] = nullptr;
    pf["field-id"] = f.id;
    partition_fields.push_back(std::move(pf));
  }
  Json partition{{"type", "record"}, {"name", "r102"}, {"fields", std::move(partition_fields)}};

  Json df = Json::array();
  if (v >= 2) {
    df.push_back(Field("content", "int", 134,
                       "Contents of the file: 0=data, 1=position deletes, 2=equality deletes"));
  }
  df.push_back(Field("file_path", "string", 100, "Location URI with FS scheme"));
  df.push_back(Field("file_format", "string", 101, "File format name: avro, orc, or parquet"));
  df.push_back(Field("partition", std::move(partition), 102,
                     "Partition data tuple, schema based on the partition spec"));
  df.push_back(Field("record_count", "long", 103, "Number of records in the file"));
  df.push_back(Field("file_size_in_bytes", "long", 104, "Total file size in bytes"));
  if (v == 1) df.push_back(Field("block_size_in_bytes", "long", 105, "Block size in bytes"));
  df.push_back(OptionalField("column_sizes", IntMap(117, 118, "long"), 108,
                             "Map of column id to total size on disk"));
  df.push_back(OptionalField("value_counts", IntMap(119, 120, "long"), 109,
                             "Map of column id to total count, including null and NaN"));
  df.push_back(OptionalField("null_value_counts", IntMap(121, 122, "long"), 110,
                             "Map of column id to null value count"));
  df.push_back(OptionalField("nan_value_counts", IntMap(138, 139, "long"), 137,
                             "Map of column id to number of NaN values in the column"));
  df.push_back(OptionalField("lower_bounds", IntMap(126, 127, "bytes"), 125,
                             "Map of column id to lower bound"));
  df.push_back(OptionalField("upper_bounds", IntMap(129, 130, "bytes"), 128,
                             "Map of column id to upper bound"));
  df.push_back(OptionalField("key_metadata", "bytes", 131, "Encryption key metadata blob"));
  df.push_back(OptionalField("split_offsets", IdArray("long", 133), 132, "Splittable offsets"));
  if (v >= 2) {
    df.push_back(OptionalField("equality_ids", IdArray("int", 136), 135,
                               "Equality comparison field IDs"));
  }
  df.push_back(OptionalField("sort_order_id", "int", 140, "Sort order ID"));
  if (v >= 3) {
    df.push_back(OptionalField("first_row_id", "long", 142,
                               "The first row ID assigned to the first row in the data file"));
  }
  if (v >= 2) {
    df.push_back(OptionalField(
        "referenced_data_file", "string", 143,
        "Fully qualified location (URI with FS scheme) of a data file that all deletes reference"));
  }
  if (v >= 3) {
    df.push_back(OptionalField("content_offset", "long", 144,
                               "The offset in the file where the content starts"));
    df.push_back(OptionalField("content_size_in_bytes", "long", 145,
                               "The length of referenced content stored in the file"));
  }

  Json fields = Json::array();
  fields.push_back(Field("status", "int", 0));
  if (v == 1) {
    fields.push_back(Field("snapshot_id", "long", 1));
  } else {
    fields.push_back(OptionalField("snapshot_id", "long", 1));
    fields.push_back(OptionalField("sequence_number", "long", 3));
    fields.push_back(OptionalField("file_sequence_number", "long", 4));
  }
  fields.push_back(
      Field("data_file", Json{{"type", "record"}, {"name", "r2"}, {"fields", std::move(df)}}, 2));
  Json root{{"type", "record"}, {"name", "manifest_entry"}, {"fields", std::move(fields)}};
  return root.dump();
}

std::string ManifestFileSchemaJson(int v) {
  Json summary_fields = Json::array();
  summary_fields.push_back(
      Field("contains_null", "boolean", 509, "True if any file has a null partition value"));
  summary_fields.push_back(
      OptionalField("contains_nan", "boolean", 518, "True if any file has a nan partition value"));
  summary_fields.push_back(
      OptionalField("lower_bound", "bytes", 510, "Partition lower bound for all files"));
  summary_fields.push_back(
      OptionalField("upper_bound", "bytes", 511, "Partition upper bound for all files"));
  Json partitions{{"type", "array"},
                  {"items", Json{{"type", "record"}, {"name", "r508"}, {"fields", summary_fields}}},
                  {"element-id", 508}};

  Json fields = Json::array();
  fields.push_back(Field("manifest_path", "string", 500, "Location URI with FS scheme"));
  fields.push_back(Field("manifest_length", "long", 501, "Total file size in bytes"));
  fields.push_back(Field("partition_spec_id", "int", 502, "Spec ID used to write"));
  if (v == 1) {
    fields.push_back(OptionalField("added_snapshot_id", "long", 503,
                                   "Snapshot ID that added the manifest"));
    fields.push_back(OptionalField("added_files_count", "int", 504, "Added entry count"));
    fields.push_back(OptionalField("existing_files_count", "int", 505, "Existing entry count"));
    fields.push_back(OptionalField("deleted_files_count", "int", 506, "Deleted entry count"));
    fields.push_back(OptionalField("partitions", partitions, 507, "Summary for each partition"));
    fields.push_back(OptionalField("added_rows_count", "long", 512, "Added rows count"));
    fields.push_back(OptionalField("existing_rows_count", "long", 513, "Existing rows count"));
    fields.push_back(OptionalField("deleted_rows_count", "long", 514, "Deleted rows count"));
    fields.push_back(OptionalField("key_metadata", "bytes", 519, "Encryption key metadata blob"));
  } else {
    fields.push_back(Field("content", "int", 517, "Contents of the manifest: 0=data, 1=deletes"));
    fields.push_back(
        Field("sequence_number", "long", 515, "Sequence number when the manifest was added"));
    fields.push_back(
        Field("min_sequence_number", "long", 516, "Lowest sequence number in the manifest"));
    fields.push_back(Field("added_snapshot_id", "long", 503, "Snapshot ID that added the manifest"));
    fields.push_back(Field("added_files_count", "int", 504, "Added entry count"));
    fields.push_back(Field("existing_files_count", "int", 505, "Existing entry count"));
    fields.push_back(Field("deleted_files_count", "int", 506, "Deleted entry count"));
    fields.push_back(Field("added_rows_count", "long", 512, "Added rows count"));
    fields.push_back(Field("existing_rows_count", "long", 513, "Existing rows count"));
    fields.push_back(Field("deleted_rows_count", "long", 514, "Deleted rows count"));
    fields.push_back(OptionalField("partitions", partitions, 507, "Summary for each partition"));
    fields.push_back(OptionalField("key_metadata", "bytes", 519, "Encryption key metadata blob"));
    if (v >= 3) {
      fields.push_back(OptionalField("first_row_id", "long", 520,
                                     "Starting row ID to assign to new rows in ADDED data files"));
    }
  }
  Json root{{"type", "record"}, {"name", "manifest_file"}, {"fields", std::move(fields)}};
  return root.dump();
}

}  // namespace floe::manifest
