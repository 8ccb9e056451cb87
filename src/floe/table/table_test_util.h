// Shared by the table-layer tests: a fixture with a real SQLite catalog and a
// warehouse in a temporary folder, Arrow batches of a small "events" table,
// exact row comparison, and listings of a table's files (to prove that a
// failed operation left nothing behind).
#pragma once

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "floe/catalog/metadata_files.h"
#include "floe/catalog/sql_table_catalog.h"
#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/expr/ddl.h"
#include "floe/table/operations.h"
#include "floe/table/scan.h"
#include "support/status_assertions.h"
#include "support/test_util.h"


namespace floe::table::testing {

// The events schema every test table uses (field ids 1..5).
inline constexpr const char* kEventsSchema =
    "id long not null, category string, ts timestamp, d date, amount double";

// Deterministic column values of the row with id `id`.
inline std::optional<std::string> CategoryOf(int64_t id) {
  if (id % 7 == 3) return std::nullopt;
  static const char* kCats[] = {"a", "b", "c"};
  return std::string(kCats[((id % 3) + 3) % 3]);
}
inline int64_t TsOf(int64_t id) {
  return 1717200000000000LL + id * 3600LL * 1000000LL;  // 2024-06-01T00:00 + id hours
}

// The events rows with the given ids (arrow types of the table schema:
// int64 not null, utf8, timestamp[us], date32, float64).
inline std::shared_ptr<arrow::RecordBatch> EventsBatch(const std::vector<int64_t>& ids) {
  arrow::Int64Builder id_b;
  arrow::StringBuilder cat_b;
  arrow::TimestampBuilder ts_b(arrow::timestamp(arrow::TimeUnit::MICRO),
                               arrow::default_memory_pool());
  arrow::Date32Builder d_b;
  arrow::DoubleBuilder amount_b;
  for (int64_t id : ids) {
    (void)id_b.Append(id);
    auto cat = CategoryOf(id);
    (void)(cat ? cat_b.Append(*cat) : cat_b.AppendNull());
    int64_t ts = TsOf(id);
    (void)ts_b.Append(ts);
    (void)d_b.Append(static_cast<int32_t>(ts / 86400000000LL));
    (void)(id % 5 == 0 ? amount_b.AppendNull() : amount_b.Append(static_cast<double>(id) * 0.5));
  }
  auto schema = arrow::schema({arrow::field("id", arrow::int64(), false),
                               arrow::field("category", arrow::utf8()),
                               arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO)),
                               arrow::field("d", arrow::date32()),
                               arrow::field("amount", arrow::float64())});
  std::vector<std::shared_ptr<arrow::Array>> cols(5);
  (void)id_b.Finish(&cols[0]);
  (void)cat_b.Finish(&cols[1]);
  (void)ts_b.Finish(&cols[2]);
  (void)d_b.Finish(&cols[3]);
  (void)amount_b.Finish(&cols[4]);
  return arrow::RecordBatch::Make(schema, static_cast<int64_t>(ids.size()), cols);
}

inline std::vector<int64_t> Range(int64_t first, int64_t count) {
  std::vector<int64_t> out;
  for (int64_t i = 0; i < count; ++i) out.push_back(first + i);
  return out;
}

inline std::shared_ptr<arrow::RecordBatch> EventsRange(int64_t first, int64_t count) {
  return EventsBatch(Range(first, count));
}

// A BatchSource over `batches` (shared, so the source may be copied).
inline BatchSource SourceOf(std::vector<std::shared_ptr<arrow::RecordBatch>> batches) {
  auto state = std::make_shared<std::pair<std::vector<std::shared_ptr<arrow::RecordBatch>>, size_t>>(
      std::move(batches), 0);
  return [state]() -> Result<std::shared_ptr<arrow::RecordBatch>> {
    if (state->second >= state->first.size()) return std::shared_ptr<arrow::RecordBatch>();
    return state->first[state->second++];
  };
}

// One row as text: "v1|v2|..." with "null" for nulls (values rendered by
// Arrow, so both sides of a comparison must use the same Arrow types).
inline std::string RowText(const std::vector<std::shared_ptr<arrow::Array>>& columns, int64_t row) {
  std::string out;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c) out += "|";
    auto scalar = columns[c]->GetScalar(row);
    out += scalar.ok() ? (*scalar)->ToString() : "<error>";
  }
  return out;
}

// Rows keyed by the first column (the id), which must be int64 and unique.
using RowMap = std::map<int64_t, std::string>;

inline void AddRows(const arrow::RecordBatch& batch, RowMap* out) {
  const auto& ids = static_cast<const arrow::Int64Array&>(*batch.column(0));
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    bool fresh = out->emplace(ids.Value(r), RowText(batch.columns(), r)).second;
    EXPECT_TRUE(fresh) << "duplicate id " << ids.Value(r);
  }
}

inline RowMap RowsOf(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  RowMap out;
  for (const auto& b : batches) AddRows(*b, &out);
  return out;
}

inline RowMap RowsOf(const arrow::Table& table) {
  RowMap out;
  arrow::TableBatchReader reader(table);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (reader.ReadNext(&batch).ok() && batch) AddRows(*batch, &out);
  return out;
}

// Every row a scan returns (all columns), keyed by id.
inline Result<RowMap> ScanRows(const Table& table, ScanOptions options = {}) {
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, std::move(options)));
  FLOE_ASSIGN_OR_RAISE(auto result, scan->ToTable());
  return RowsOf(*result);
}

inline Result<int64_t> CountRows(const Table& table, ScanOptions options = {}) {
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, std::move(options)));
  return scan->Count();
}

// Every file under `location` (recursively), as the FileIO names them.
inline std::set<std::string> ListFiles(io::FileIO& io, const std::string& location) {
  std::set<std::string> out;
  auto listed = io.List(location);
  EXPECT_TRUE(listed.ok()) << listed.status().ToString();
  if (!listed.ok()) return out;
  for (const auto& f : *listed) out.insert(f.location);
  return out;
}

inline Result<manifest::ManifestList> ReadList(io::FileIO& io, const spec::Snapshot& s) {
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io.ReadFile(s.manifest_list));
  return manifest::ReadManifestList(s.manifest_list, bytes);
}

inline Result<manifest::Manifest> ReadManifestOf(io::FileIO& io, const spec::TableMetadata& md,
                                                 const manifest::ManifestFile& mf) {
  FLOE_ASSIGN_OR_RAISE(std::string bytes, io.ReadFile(mf.manifest_path));
  return manifest::ReadManifest(mf.manifest_path, bytes,
                                {md.SpecById(mf.partition_spec_id), md.CurrentSchema(), &mf});
}

// Every file the table's metadata reaches: the current metadata file and
// those in its metadata log, every snapshot's manifest list, their
// manifests, and every data file any manifest lists (live or deleted).
inline Result<std::set<std::string>> ReachableFiles(io::FileIO& io, const catalog::LoadedTable& t) {
  std::set<std::string> out{t.metadata_location};
  const spec::TableMetadata& md = *t.metadata;
  for (const auto& e : md.metadata_log) out.insert(e.metadata_file);
  for (const spec::Snapshot& s : md.snapshots) {
    out.insert(s.manifest_list);
    FLOE_ASSIGN_OR_RAISE(auto list, ReadList(io, s));
    for (const auto& mf : list.manifests) {
      if (!out.insert(mf.manifest_path).second) continue;
      FLOE_ASSIGN_OR_RAISE(auto m, ReadManifestOf(io, md, mf));
      for (const auto& e : m.entries) out.insert(e.data_file.file_path);
    }
  }
  return out;
}

// Live data files of the current snapshot (from planning, no filter).
inline Result<std::vector<manifest::DataFile>> LiveFiles(const Table& table, ScanOptions o = {}) {
  FLOE_ASSIGN_OR_RAISE(auto scan, TableScan::Make(table, std::move(o)));
  FLOE_ASSIGN_OR_RAISE(auto tasks, scan->PlanFiles());
  std::vector<manifest::DataFile> out;
  for (auto& t : tasks) out.push_back(t.file);
  return out;
}

inline int64_t SummaryInt(const spec::Snapshot& s, const char* key) {
  auto v = s.SummaryValue(key);
  EXPECT_TRUE(v.has_value()) << "snapshot " << s.snapshot_id << " has no summary " << key;
  return v ? std::stoll(*v) : -1;
}

// A fixture with an SQLite catalog in a fresh temporary folder and a
// namespace "db".
class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uri_ = "sqlite:///" + temp_.Join("catalog.db");
    warehouse_ = temp_.Join("warehouse");
    auto cat = OpenCatalog();
    ASSERT_TRUE(cat.ok()) << cat.status().ToString();
    catalog_ = *cat;
    FLOE_ASSERT_OK(catalog_->CreateNamespace({"db"}, {}));
  }

  // Another catalog object on the same database, optionally with its own FileIO.
  Result<std::shared_ptr<catalog::Catalog>> OpenCatalog(std::shared_ptr<io::FileIO> io = nullptr) {
    catalog::SqlCatalogConfig config;
    config.uri = uri_;
    config.warehouse = warehouse_;
    config.io = std::move(io);
    return catalog::OpenSqlTableCatalog(config);
  }

  static catalog::TableIdentifier Id(const std::string& name) {
    return catalog::TableIdentifier{{"db"}, name};
  }

  Result<Table> Create(const std::string& name, const std::string& partition_by = "",
                       int format_version = 2,
                       std::map<std::string, std::string> properties = {},
                       const std::string& schema = kEventsSchema) {
    NewTableOptions o;
    o.format_version = format_version;
    FLOE_ASSIGN_OR_RAISE(o.schema, expr::ParseSchema(schema));
    FLOE_ASSIGN_OR_RAISE(o.spec, expr::ParsePartitionSpec(partition_by, o.schema));
    o.properties = std::move(properties);
    return CreateTable(catalog_, Id(name), std::move(o));
  }

  // The table as the catalog has it now, through `cat` (default: the plain one).
  Result<Table> Load(const std::string& name, std::shared_ptr<catalog::Catalog> cat = nullptr) {
    if (!cat) cat = catalog_;
    FLOE_ASSIGN_OR_RAISE(auto loaded, cat->LoadTable(Id(name)));
    return Table(cat, std::move(loaded));
  }

  Result<WriteReport> AppendIds(Table& t, int64_t first, int64_t count) {
    return Append(t, SourceOf({EventsRange(first, count)}));
  }

  // Files under the table's location.
  std::set<std::string> TableFiles(const Table& t) {
    return ListFiles(*io::MakeLocalFileIO(), t.metadata().location);
  }

  ::floe::testing::TempDir temp_;
  std::string uri_;
  std::string warehouse_;
  std::shared_ptr<catalog::Catalog> catalog_;
};

}  // namespace floe::table::testing
