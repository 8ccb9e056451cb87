// floe_write_fixtures OUT_DIR: writes small but complete Iceberg tables with
// Floe's own writers, one per format version (table_v1, table_v2, table_v3):
// Parquet data files (zstd, field ids), manifests in every Avro codec,
// manifest lists, metadata JSON files and version-hint.text, plus
// expected.json describing what was written. tests/interop checks that
// fastavro, pyarrow and PyIceberg read all of it with equal content.
#include <arrow/api.h>
#include <arrow/extension/uuid.h>
#include <arrow/io/file.h>
#include <arrow/json/from_string.h>
#include <parquet/arrow/writer.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "floe/data/arrow_schema.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_writer.h"
#include "floe/spec/json.h"
#include "floe/spec/transform.h"

namespace fs = std::filesystem;
using floe::Result;
using floe::Status;
using floe::spec::Literal;
using floe::spec::NestedField;
using floe::spec::Type;
namespace manifest = floe::manifest;
namespace avro = floe::avro;
namespace spec = floe::spec;

namespace {

// One row: the values Floe needs for partitioning and metrics, and the JSON
// form of every column for Arrow.
struct Row {
  int64_t id;
  std::optional<std::string> name;
  std::optional<int64_t> ts;  // µs, timestamptz
  std::vector<std::string> json;  // one JSON value per schema column
};

spec::Schema MakeSchema(int v) {
  std::vector<NestedField> f = {
      {1, "id", true, Type::Long(), "row id"},
      {2, "name", false, Type::String()},
      {3, "ts", false, Type::TimestampTz()},
      {4, "d", false, Type::Date()},
      {5, "amount", false, Type::Decimal(12, 2)},
      {6, "price", false, Type::Double()},
      {7, "flag", false, Type::Boolean()},
      {8, "u", false, Type::Uuid()},
      {9, "fx", false, Type::Fixed(4)},
      {10, "bin", false, Type::Binary()},
      {11, "t", false, Type::Time()},
      {12, "tags", false, Type::List(NestedField{16, "element", false, Type::String()})},
      {13, "attrs", false,
       Type::Map(NestedField{17, "key", true, Type::String()},
                 NestedField{18, "value", false, Type::Int()})},
      {14, "payload", false, Type::Struct({NestedField{19, "source", false, Type::String()}})},
      {15, "ts_local", false, Type::Timestamp()},
  };
  if (v >= 3) f.push_back({20, "ts_ns", false, Type::TimestampNs()});
  return spec::Schema(0, std::move(f), {1});
}

spec::PartitionSpec MakeSpec() {
  return spec::PartitionSpec(
      0, {spec::PartitionField{3, {}, 1000, "ts_day", spec::Transform::Day()},
          spec::PartitionField{1, {}, 1001, "id_bucket", spec::Transform::Bucket(4)},
          spec::PartitionField{2, {}, 1002, "name_trunc", spec::Transform::Truncate(3)}});
}

std::vector<Row> MakeRows(int v) {
  const int64_t day = 86400LL * 1000000;
  const int64_t base = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
  std::vector<Row> rows;
  const char* names[] = {"alpha", "beta", "caf\\u00e9 \\ud83d\\ude00", "delta", "alphabet", "", "gamma", "beta"};
  for (int i = 0; i < 8; ++i) {
    Row r;
    r.id = i * 7 - 10;
    if (i != 5) r.name = names[i];
    if (i != 6) r.ts = base + (i % 3) * day + i * 3600LL * 1000000 - (i == 7 ? 2 * day + 1 : 0);
    auto q = [](const std::string& s) { return "\"" + s + "\""; };
    r.json = {
        std::to_string(r.id),
        r.name ? q(*r.name) : "null",
        r.ts ? std::to_string(*r.ts) : "null",
        i == 3 ? "null" : std::to_string(19723 + i),
        i == 4 ? "null" : q(std::to_string(i * 1234 - 2000) + "." + std::to_string(10 + i)),
        i == 2 ? "null" : std::to_string(i * 0.5 - 1.25),
        i % 2 ? "true" : "false",
        q("uuid-row-" + std::to_string(i) + "-xxxxx"),  // 16 ASCII bytes
        q("fx" + std::to_string(i) + "!"),
        q("bin" + std::to_string(i)),
        std::to_string(i * 3600LL * 1000000 + 123456),
        i == 1 ? "null" : "[\"a" + std::to_string(i) + "\", \"b\"]",
        i == 0 ? "null" : "[[\"k" + std::to_string(i) + "\", " + std::to_string(i) + "]]",
        i == 7 ? "null" : "{\"source\": \"web" + std::to_string(i) + "\"}",
        std::to_string(base + i * 60LL * 1000000),
    };
    if (v >= 3) r.json.push_back(std::to_string((base + i) * 1000 + 7));
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<std::shared_ptr<arrow::Table>> BuildTable(const std::shared_ptr<arrow::Schema>& schema,
                                                 const std::vector<const Row*>& rows) {
  std::vector<std::shared_ptr<arrow::Array>> cols;
  for (int c = 0; c < schema->num_fields(); ++c) {
    std::string json = "[";
    for (size_t i = 0; i < rows.size(); ++i) json += (i ? ", " : "") + rows[i]->json[c];
    json += "]";
    auto type = schema->field(c)->type();
    bool ext = type->id() == arrow::Type::EXTENSION;
    auto storage = ext ? static_cast<const arrow::ExtensionType&>(*type).storage_type() : type;
    auto arr = arrow::json::ArrayFromJSONString(storage, json);
    if (!arr.ok()) return Status::Invalid("column ", schema->field(c)->name(), ": ", arr.status().ToString());
    cols.push_back(ext ? arrow::ExtensionType::WrapArray(type, *arr) : *arr);
  }
  return arrow::Table::Make(schema, cols);
}

Status WriteParquet(const std::string& path, const arrow::Table& table) {
  auto out = arrow::io::FileOutputStream::Open(path);
  if (!out.ok()) return Status::IOError(path, ": ", out.status().ToString());
  auto props = parquet::WriterProperties::Builder()
                   .compression(parquet::Compression::ZSTD)
                   ->enable_store_decimal_as_integer()
                   ->version(parquet::ParquetVersion::PARQUET_2_6)
                   ->build();
  auto st = parquet::arrow::WriteTable(table, arrow::default_memory_pool(), *out, 1 << 20, props);
  if (!st.ok()) return Status::IOError(path, ": ", st.ToString());
  st = (*out)->Close();
  if (!st.ok()) return Status::IOError(path, ": ", st.ToString());
  return Status::OK();
}

Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return Status::IOError(path, ": write failed");
  return Status::OK();
}

// Metrics for the columns id, name, ts (exact bounds, counts for all).
void AddMetrics(const spec::Schema& schema, const std::vector<const Row*>& rows,
                manifest::DataFile* f) {
  std::vector<std::pair<int32_t, int64_t>> values, nulls;
  for (const NestedField& field : schema.fields()) {
    if (!field.type->is_primitive()) continue;
    values.emplace_back(field.id, static_cast<int64_t>(rows.size()));
  }
  int64_t name_nulls = 0, ts_nulls = 0;
  std::optional<int64_t> id_lo, id_hi, ts_lo, ts_hi;
  std::optional<std::string> name_lo, name_hi;
  for (const Row* r : rows) {
    id_lo = std::min(id_lo.value_or(r->id), r->id);
    id_hi = std::max(id_hi.value_or(r->id), r->id);
    if (r->ts) {
      ts_lo = std::min(ts_lo.value_or(*r->ts), *r->ts);
      ts_hi = std::max(ts_hi.value_or(*r->ts), *r->ts);
    } else {
      ++ts_nulls;
    }
    if (!r->name) {
      ++name_nulls;
    } else if (r->name->find('\\') == std::string::npos) {  // ASCII names only: exact bounds
      name_lo = std::min(name_lo.value_or(*r->name), *r->name);
      name_hi = std::max(name_hi.value_or(*r->name), *r->name);
    }
  }
  nulls = {{1, 0}, {2, name_nulls}, {3, ts_nulls}};
  f->value_counts = values;
  f->null_value_counts = nulls;
  std::vector<std::pair<int32_t, std::string>> lo, hi;
  lo.emplace_back(1, spec::SerializeSingleValue(Literal::Long(*id_lo), *Type::Long()));
  hi.emplace_back(1, spec::SerializeSingleValue(Literal::Long(*id_hi), *Type::Long()));
  if (ts_lo) {
    lo.emplace_back(3, spec::SerializeSingleValue(Literal::Long(*ts_lo), *Type::TimestampTz()));
    hi.emplace_back(3, spec::SerializeSingleValue(Literal::Long(*ts_hi), *Type::TimestampTz()));
  }
  f->lower_bounds = lo;
  f->upper_bounds = hi;
  // Non-ASCII names are left without bounds: a file with one has no name bounds.
  bool all_ascii = true;
  for (const Row* r : rows) all_ascii &= !r->name || r->name->find('\\') == std::string::npos;
  if (all_ascii && name_lo) {
    f->lower_bounds->emplace_back(2, *name_lo);
    f->upper_bounds->emplace_back(2, *name_hi);
  }
}

Result<nlohmann::json> WriteTable(const fs::path& dir, int v) {
  fs::create_directories(dir / "data");
  fs::create_directories(dir / "metadata");
  const std::string location = "file://" + fs::absolute(dir).string();
  spec::Schema schema = MakeSchema(v);
  spec::PartitionSpec pspec = MakeSpec();
  FLOE_ASSIGN_OR_RAISE(auto arrow_schema, floe::data::ToArrowSchema(schema));
  FLOE_ASSIGN_OR_RAISE(auto ptype, pspec.PartitionType(schema));
  std::vector<Row> rows = MakeRows(v);

  // Group rows by partition tuple (scalar transforms, row by row).
  std::map<std::string, std::pair<std::vector<Literal>, std::vector<const Row*>>> groups;
  for (const Row& r : rows) {
    std::vector<Literal> tuple;
    tuple.push_back(*pspec.fields()[0].transform.Apply(r.ts ? Literal::Long(*r.ts) : Literal(),
                                                        *Type::TimestampTz()));
    tuple.push_back(*pspec.fields()[1].transform.Apply(Literal::Long(r.id), *Type::Long()));
    // Names with JSON escapes hold their decoded UTF-8 for partitioning.
    std::optional<std::string> name = r.name;
    if (name) name = nlohmann::json::parse("\"" + *name + "\"").get<std::string>();
    tuple.push_back(*pspec.fields()[2].transform.Apply(name ? Literal::String(*name) : Literal(),
                                                        *Type::String()));
    std::string path = pspec.PartitionPath(tuple, *ptype);
    groups[path].first = tuple;
    groups[path].second.push_back(&r);
  }

  // Data files: one per partition.
  std::vector<manifest::DataFile> files;
  int n = 0;
  for (auto& [path, group] : groups) {
    fs::create_directories(dir / "data" / path);
    std::string rel = "data/" + path + "/part-" + std::to_string(n++) + ".parquet";
    FLOE_ASSIGN_OR_RAISE(auto table, BuildTable(arrow_schema, group.second));
    FLOE_RETURN_NOT_OK(WriteParquet((dir / rel).string(), *table));
    manifest::DataFile f;
    f.file_path = location + "/" + rel;
    f.partition = group.first;
    f.record_count = static_cast<int64_t>(group.second.size());
    f.file_size_in_bytes = static_cast<int64_t>(fs::file_size(dir / rel));
    AddMetrics(schema, group.second, &f);
    files.push_back(std::move(f));
  }

  // Two snapshots: the first adds half the files in two manifests (null,
  // deflate), the second the rest (snappy, zstandard) and keeps the first's.
  const avro::Codec codecs[] = {avro::Codec::kNull, avro::Codec::kDeflate, avro::Codec::kSnappy,
                                avro::Codec::kZstandard};
  spec::TableMetadata md;
  md.format_version = v;
  md.table_uuid = "6a3c8a0e-1f6b-4bc4-9d6f-0f8a1f0e7a0" + std::to_string(v);
  md.location = location;
  md.last_column_id = schema.HighestFieldId();
  md.schemas = {schema};
  md.partition_specs = {pspec};
  md.last_partition_id = pspec.LastAssignedFieldId();
  md.sort_orders = {spec::SortOrder::Unsorted()};
  md.properties = {{"write.parquet.compression-codec", "zstd"}, {"floe.fixture", "true"}};
  if (v >= 3) md.next_row_id = 0;
  std::vector<manifest::ManifestFile> manifests;
  nlohmann::json snapshots = nlohmann::json::array();
  const int64_t snapshot_ids[] = {1000 + v, 2000 + v};
  int64_t t0 = 1735689600000;  // 2025-01-01
  size_t half = files.size() / 2;
  for (int s = 0; s < 2; ++s) {
    int64_t sid = snapshot_ids[s];
    int64_t seq = v >= 2 ? s + 1 : 0;
    std::vector<manifest::DataFile> mine(files.begin() + (s ? half : 0),
                                         s ? files.end() : files.begin() + half);
    for (int m = 0; m < 2; ++m) {
      manifest::ManifestWriteOptions o;
      o.format_version = v;
      o.spec = pspec;
      o.schema = schema;
      o.snapshot_id = sid;
      o.codec = codecs[s * 2 + m];
      FLOE_ASSIGN_OR_RAISE(auto w, manifest::ManifestWriter::Make(o));
      for (size_t i = m; i < mine.size(); i += 2) {
        manifest::ManifestEntry e;
        e.status = manifest::EntryStatus::kAdded;
        e.data_file = mine[i];
        FLOE_RETURN_NOT_OK(w.Add(e));
      }
      std::string name = "snap" + std::to_string(s) + "-m" + std::to_string(m) + "-" +
                         std::string(avro::CodecName(o.codec)) + ".avro";
      FLOE_ASSIGN_OR_RAISE(auto done, w.Finish(location + "/metadata/" + name));
      FLOE_RETURN_NOT_OK(WriteFile((dir / "metadata" / name).string(), done.bytes));
      manifests.push_back(done.manifest_file);
    }
    manifest::ManifestListWriteOptions lo;
    lo.format_version = v;
    lo.snapshot_id = sid;
    if (s) lo.parent_snapshot_id = snapshot_ids[0];
    lo.sequence_number = seq;
    lo.first_row_id = md.next_row_id;
    lo.codec = s ? avro::Codec::kZstandard : avro::Codec::kSnappy;
    FLOE_ASSIGN_OR_RAISE(auto list, manifest::WriteManifestList(manifests, lo));
    manifests = list.manifests;  // sequence numbers and row ids are now assigned
    std::string list_name = "snap-" + std::to_string(sid) + "-1-fixture.avro";
    FLOE_RETURN_NOT_OK(WriteFile((dir / "metadata" / list_name).string(), list.bytes));

    spec::Snapshot snap;
    snap.snapshot_id = sid;
    if (s) snap.parent_snapshot_id = snapshot_ids[0];
    snap.sequence_number = seq;
    snap.timestamp_ms = t0 + s * 1000;
    snap.manifest_list = location + "/metadata/" + list_name;
    snap.operation = "append";
    int64_t added = 0, total = 0;
    for (const auto& f : mine) added += f.record_count;
    for (size_t i = 0; i < (s ? files.size() : half); ++i) total += files[i].record_count;
    snap.summary = {{"added-data-files", std::to_string(mine.size())},
                    {"added-records", std::to_string(added)},
                    {"total-records", std::to_string(total)}};
    snap.schema_id = 0;
    if (v >= 3) {
      snap.first_row_id = md.next_row_id;
      snap.added_rows = list.assigned_rows;
      *md.next_row_id += list.assigned_rows;
    }
    md.snapshots.push_back(snap);
    md.current_snapshot_id = sid;
    md.refs[spec::kMainBranch] = spec::SnapshotRef{sid, spec::RefType::kBranch};
    md.snapshot_log.push_back({snap.timestamp_ms, sid});
    md.last_sequence_number = seq;
    md.last_updated_ms = snap.timestamp_ms;
    std::string meta_name = "v" + std::to_string(s + 1) + ".metadata.json";
    FLOE_RETURN_NOT_OK(WriteFile((dir / "metadata" / meta_name).string(),
                                 spec::TableMetadataToJson(md, true)));
    md.metadata_log.push_back({md.last_updated_ms, location + "/metadata/" + meta_name});
    snapshots.push_back({{"snapshot_id", sid}, {"rows", total}});
  }
  FLOE_RETURN_NOT_OK(WriteFile((dir / "metadata" / "version-hint.text").string(), "2"));

  nlohmann::json expected;
  expected["format_version"] = v;
  expected["metadata"] = (dir / "metadata" / "v2.metadata.json").string();
  expected["snapshots"] = snapshots;
  nlohmann::json jrows = nlohmann::json::array();
  for (const Row& r : rows) {
    nlohmann::json jr;
    for (int c = 0; c < arrow_schema->num_fields(); ++c) {
      jr[arrow_schema->field(c)->name()] = nlohmann::json::parse(r.json[c]);
    }
    jrows.push_back(std::move(jr));
  }
  expected["rows"] = std::move(jrows);
  return expected;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: floe_write_fixtures OUT_DIR\n";
    return 2;
  }
  fs::path out = argv[1];
  for (int v = 1; v <= 3; ++v) {
    fs::path dir = out / ("table_v" + std::to_string(v));
    auto expected = WriteTable(dir, v);
    if (!expected.ok()) {
      std::cerr << "floe_write_fixtures: v" << v << ": " << expected.status().ToString() << "\n";
      return 1;
    }
    std::ofstream(dir / "expected.json") << expected->dump(2) << "\n";
  }
  return 0;
}
