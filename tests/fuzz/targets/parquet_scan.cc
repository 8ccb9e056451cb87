// Parquet data and delete files through the read path a scan takes for one
// file: ParquetReader (projection by field id, row-group skipping, batch
// positions), DeleteLoader and DeleteFilter (position delete files,
// deletion vectors, equality deletes). Arrow's own fuzzing covers Parquet
// decoding; this covers what Floe does with the result.
//
// The first byte picks the mode:
//   even: a recipe. The input describes a data file (ids, a nullable int key
//         and a nullable string, row group size, batch size), deleted
//         positions (some past the end, duplicated, for other files too)
//         written as a Parquet position delete file and/or a deletion
//         vector, and equality delete keys (null equals null). Properties:
//         the rows read are exactly the model's survivors; applying every
//         delete file twice equals applying it once; position counts from
//         metadata (DeletedPositionsBelow) equal the model's.
//   odd:  the rest is a Parquet file of any origin, read as a data file
//         (with a name mapping fallback), as a position delete file and as
//         an equality delete file: values or errors, never a crash.
#include <arrow/api.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "floe/data/arrow_schema.h"
#include "floe/data/delete_filter.h"
#include "floe/data/delete_writer.h"
#include "floe/data/parquet_reader.h"
#include "floe/data/parquet_writer.h"
#include "floe/io/memory_file_io.h"
#include "floe/spec/schema.h"
#include "fuzz_target.h"

namespace {

namespace data = floe::data;
namespace spec = floe::spec;
namespace manifest = floe::manifest;
using spec::Type;

constexpr const char* kDataPath = "mem://t/data/00000-data.parquet";

struct Reader {
  std::string_view in;
  uint8_t Byte() {
    if (in.empty()) return 0;
    const auto b = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    return b;
  }
  uint32_t U16() { return Byte() | (uint32_t{Byte()} << 8); }
};

const spec::Schema& TableSchema() {
  static const spec::Schema schema(
      0, {{1, "id", true, Type::Long()}, {2, "k", false, Type::Int()}, {3, "s", false, Type::String()}});
  return schema;
}

std::optional<spec::NestedField> Resolve(int32_t id) {
  const spec::NestedField* f = TableSchema().FindField(id);
  if (!f) return std::nullopt;
  return *f;
}

struct Row {
  int64_t id;
  std::optional<int32_t> k;
  std::optional<std::string> s;
};

floe::Result<std::shared_ptr<arrow::RecordBatch>> RowsToBatch(const spec::Schema& schema,
                                                               const std::vector<Row>& rows,
                                                               bool with_id) {
  arrow::Int64Builder ids;
  arrow::Int32Builder ks;
  arrow::StringBuilder ss;
  for (const Row& r : rows) {
    (void)ids.Append(r.id);
    (void)(r.k ? ks.Append(*r.k) : ks.AppendNull());
    (void)(r.s ? ss.Append(*r.s) : ss.AppendNull());
  }
  std::shared_ptr<arrow::Array> a, b, c;
  if (!ids.Finish(&a).ok() || !ks.Finish(&b).ok() || !ss.Finish(&c).ok()) {
    return floe::Status::Invalid("cannot build rows");
  }
  FLOE_ASSIGN_OR_RAISE(auto arrow_schema, data::ToArrowSchema(schema));
  std::vector<std::shared_ptr<arrow::Array>> columns;
  if (with_id) columns.push_back(a);
  columns.push_back(b);
  columns.push_back(c);
  return arrow::RecordBatch::Make(arrow_schema, static_cast<int64_t>(rows.size()), columns);
}

floe::Result<manifest::DataFile> WriteRows(const std::shared_ptr<floe::io::FileIO>& io,
                                           const std::string& location, const spec::Schema& schema,
                                           const std::map<std::string, std::string>& props,
                                           const arrow::RecordBatch& batch) {
  FLOE_ASSIGN_OR_RAISE(auto writer,
                       data::ParquetWriter::Make(schema, props, io,
                                                 [location]() -> floe::Result<std::string> {
                                                   return location;
                                                 }));
  FLOE_RETURN_NOT_OK(writer->Write(batch));
  FLOE_ASSIGN_OR_RAISE(auto files, writer->Finish());
  if (files.size() != 1) return floe::Status::Invalid("expected one file");
  return files[0];
}

// Reads the data file with `deletes` applied; returns the surviving ids.
floe::Result<std::vector<int64_t>> ReadSurvivors(
    const std::shared_ptr<floe::io::FileIO>& io, const manifest::DataFile& data_file,
    const std::vector<std::shared_ptr<const manifest::DataFile>>& deletes, int64_t batch_size,
    const std::set<int>& skipped_row_groups, std::vector<int64_t>* read_positions) {
  data::DeleteLoader loader(io, &Resolve);
  FLOE_ASSIGN_OR_RAISE(auto filter, data::DeleteFilter::Make(&loader, kDataPath, deletes));
  data::ParquetReadOptions options;
  options.batch_size = batch_size;
  options.file_size = data_file.file_size_in_bytes;
  options.row_group_filter = [&](const data::RowGroupStats& s) {
    return !skipped_row_groups.count(s.index);
  };
  FLOE_ASSIGN_OR_RAISE(auto reader,
                       data::ParquetReader::Open(io, kDataPath, TableSchema(), options));
  FLOE_ASSIGN_OR_RAISE(auto it, reader->Read());
  std::vector<int64_t> out;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    for (const data::RowRange& r : it->positions()) {
      for (int64_t p = r.start; p < r.start + r.count; ++p) read_positions->push_back(p);
    }
    int64_t deleted = 0;
    FLOE_ASSIGN_OR_RAISE(auto mask, filter.KeepMask(*batch, it->positions(), &deleted));
    FLOE_ASSIGN_OR_RAISE(auto kept, data::FilterByMask(batch, mask));
    const auto& ids = static_cast<const arrow::Int64Array&>(*kept->column(0));
    for (int64_t i = 0; i < ids.length(); ++i) out.push_back(ids.Value(i));
    if (batch->num_rows() - kept->num_rows() != deleted) {
      return floe::Status::Invalid("KeepMask counted ", deleted, " deleted rows, the mask drops ",
                                   batch->num_rows() - kept->num_rows());
    }
  }
  return out;
}

void RecipeMode(Reader& r) {
  auto io = floe::io::MakeMemoryFileIO();
  const int n = 1 + r.Byte() % 200;
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    const uint8_t b = r.Byte();
    Row row{i, std::nullopt, std::nullopt};
    if (b % 9 != 0) row.k = b % 13;
    if (b % 7 != 0) row.s = std::string(1 + b % 3, static_cast<char>('a' + b % 5));
    rows.push_back(std::move(row));
  }
  std::map<std::string, std::string> props = {
      {"write.parquet.row-group-size-bytes", std::to_string(64 + r.U16() % 2048)},
      {"write.parquet.page-size-bytes", "64"},
      {"write.parquet.compression-codec", (r.Byte() & 1) ? "zstd" : "uncompressed"}};
  const int64_t batch_size = 1 + r.Byte() % 70;

  auto batch = RowsToBatch(TableSchema(), rows, true);
  FLOE_FUZZ_CHECK(batch.ok(), "cannot build the data batch");
  auto data_file = WriteRows(io, kDataPath, TableSchema(), props, **batch);
  FLOE_FUZZ_CHECK(data_file.ok(), "cannot write the data file: " + data_file.status().ToString());

  // Deleted positions: some past the end, some repeated, split between a
  // position delete file and a deletion vector; other files' positions too.
  std::set<int64_t> in_file, in_dv, for_other;
  const int m = r.Byte() % 40;
  const uint8_t where = r.Byte();
  for (int i = 0; i < m; ++i) {
    const int64_t p = r.U16() % static_cast<uint32_t>(n + 8);
    const uint8_t w = r.Byte() % 4;
    if (w == 0 || ((where & 1) && w == 1)) in_file.insert(p);
    if (w == 1 || (where & 2)) in_dv.insert(p);
    if (w == 3) for_other.insert(p);
  }
  std::vector<std::shared_ptr<const manifest::DataFile>> deletes;
  if (!in_file.empty() || !for_other.empty()) {
    std::vector<data::FilePositions> files;
    if (!in_file.empty()) files.push_back({kDataPath, {in_file.begin(), in_file.end()}});
    if (!for_other.empty()) {
      files.push_back({"mem://t/data/other.parquet", {for_other.begin(), for_other.end()}});
    }
    auto del = data::WritePositionDeleteFile(io, "mem://t/data/pos-deletes.parquet", props, files);
    FLOE_FUZZ_CHECK(del.ok(), "cannot write position deletes: " + del.status().ToString());
    deletes.push_back(std::make_shared<manifest::DataFile>(*del));
  }
  if (!in_dv.empty()) {
    auto dvs = data::WriteDeletionVectors(io, "mem://t/data/dv.puffin",
                                          {{kDataPath, {in_dv.begin(), in_dv.end()}}}, "fuzz");
    FLOE_FUZZ_CHECK(dvs.ok() && dvs->size() == 1, "cannot write a deletion vector");
    deletes.push_back(std::make_shared<manifest::DataFile>((*dvs)[0]));
  }
  // Equality deletes on k, or on (k, s).
  const uint8_t eq = r.Byte();
  const bool two_columns = eq & 1;
  std::vector<Row> eq_rows;
  for (int i = 0; i < eq % 6; ++i) {
    const uint8_t b = r.Byte();
    Row row{0, std::nullopt, std::nullopt};
    if (b % 5 != 0) row.k = b % 13;
    if (two_columns && b % 3 != 0) row.s = std::string(1 + b % 3, static_cast<char>('a' + (b >> 3) % 5));
    eq_rows.push_back(std::move(row));
  }
  if (!eq_rows.empty()) {
    std::vector<spec::NestedField> fields = {*TableSchema().FindField(2)};
    if (two_columns) fields.push_back(*TableSchema().FindField(3));
    spec::Schema eq_schema(0, fields);
    auto eq_batch = RowsToBatch(TableSchema(), eq_rows, true);
    FLOE_FUZZ_CHECK(eq_batch.ok(), "cannot build equality delete rows");
    std::shared_ptr<arrow::RecordBatch> cols = (*eq_batch)->RemoveColumn(0).ValueOrDie();
    if (!two_columns) cols = cols->RemoveColumn(1).ValueOrDie();
    auto eq_file = WriteRows(io, "mem://t/data/eq-deletes.parquet", eq_schema, props, *cols);
    FLOE_FUZZ_CHECK(eq_file.ok(), "cannot write equality deletes: " + eq_file.status().ToString());
    manifest::DataFile d = *eq_file;
    d.content = manifest::FileContent::kEqualityDeletes;
    d.equality_ids = two_columns ? std::vector<int32_t>{2, 3} : std::vector<int32_t>{2};
    deletes.push_back(std::make_shared<manifest::DataFile>(d));
  }

  // Row groups to skip, chosen by the input.
  std::set<int> skipped;
  const uint8_t skip_bits = r.Byte();
  for (int g = 0; g < 8; ++g) {
    if (skip_bits & (1 << g)) skipped.insert(g);
  }

  std::vector<int64_t> positions;
  auto survivors = ReadSurvivors(io, *data_file, deletes, batch_size, skipped, &positions);
  FLOE_FUZZ_CHECK(survivors.ok(), "reading with deletes failed: " + survivors.status().ToString());

  // The model: positions read (the row groups not skipped) minus deletes.
  std::set<int64_t> deleted(in_file.begin(), in_file.end());
  deleted.insert(in_dv.begin(), in_dv.end());
  auto eq_deleted = [&](const Row& row) {
    for (const Row& e : eq_rows) {
      if (e.k == row.k && (!two_columns || e.s == row.s)) return true;
    }
    return false;
  };
  std::vector<int64_t> expected;
  for (size_t i = 0; i < positions.size(); ++i) {
    const int64_t p = positions[i];
    FLOE_FUZZ_CHECK(p >= 0 && p < n && (i == 0 || p > positions[i - 1]),
                    "batch positions are out of range or out of order");
    if (!deleted.count(p) && !eq_deleted(rows[static_cast<size_t>(p)])) expected.push_back(p);
  }
  FLOE_FUZZ_CHECK(*survivors == expected, "rows read with deletes differ from the model: " +
                                              std::to_string(survivors->size()) + " read, " +
                                              std::to_string(expected.size()) + " expected");
  if (skipped.empty()) {
    FLOE_FUZZ_CHECK(static_cast<int64_t>(positions.size()) == n,
                    "without skipping, not every position was read");
  }

  // Applying every delete file twice equals applying it once.
  std::vector<std::shared_ptr<const manifest::DataFile>> twice = deletes;
  twice.insert(twice.end(), deletes.begin(), deletes.end());
  std::vector<int64_t> positions_again;
  auto again = ReadSurvivors(io, *data_file, twice, batch_size, skipped, &positions_again);
  FLOE_FUZZ_CHECK(again.ok() && *again == *survivors, "deletes applied twice differ from once");

  // Counts from metadata alone.
  floe::data::DeleteLoader loader(io, &Resolve);
  auto filter = data::DeleteFilter::Make(&loader, kDataPath, deletes);
  FLOE_FUZZ_CHECK(filter.ok(), "cannot build the delete filter");
  int64_t below = 0;
  for (int64_t p : deleted) below += p < n ? 1 : 0;
  FLOE_FUZZ_CHECK(filter->DeletedPositionsBelow(n) == below,
                  "DeletedPositionsBelow disagrees with the model");
}

void RawMode(std::string_view bytes) {
  auto io = floe::io::MakeMemoryFileIO();
  const std::string path = "mem://raw/file.parquet";
  if (!io->WriteNewFile(path, bytes).ok()) return;
  data::ParquetReadOptions options;
  options.batch_size = 1024;
  options.name_mapping = [](const std::vector<std::string>& p) -> std::optional<int32_t> {
    if (p.size() != 1) return std::nullopt;
    if (p[0] == "id") return 1;
    if (p[0] == "k") return 2;
    if (p[0] == "s" || p[0] == "data") return 3;
    return std::nullopt;
  };
  auto reader = data::ParquetReader::Open(io, path, TableSchema(), options);
  if (reader.ok()) {
    for (int g = 0; g < (*reader)->num_row_groups(); ++g) (void)(*reader)->Stats(g);
    auto it = (*reader)->Read();
    int64_t rows = 0;
    while (it.ok() && rows < (1 << 20)) {
      auto batch = (*it)->Next();
      if (!batch.ok() || !*batch) break;
      rows += (*batch)->num_rows();
      FLOE_FUZZ_CHECK((*batch)->schema()->Equals(*(*reader)->schema()),
                      "a batch does not have the projection's schema");
    }
  }
  manifest::DataFile del;
  del.file_path = path;
  del.file_size_in_bytes = static_cast<int64_t>(bytes.size());
  del.content = manifest::FileContent::kPositionDeletes;
  data::DeleteLoader loader(io, &Resolve);
  (void)loader.Positions(del, kDataPath);
  del.content = manifest::FileContent::kEqualityDeletes;
  del.equality_ids = std::vector<int32_t>{2, 3};
  (void)loader.Equality(del);
}

}  // namespace

FLOE_FUZZ_TARGET(parquet_scan) {
  if (input.empty()) return;
  if (input[0] & 1) {
    RawMode(input.substr(1));
    return;
  }
  Reader r{input.substr(1)};
  RecipeMode(r);
}
