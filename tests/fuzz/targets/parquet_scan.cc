// Parquet data and delete files through what a scan does with them:
// ParquetReader (projection by field id, name mapping, statistics, batch
// positions), DeleteLoader (position delete files, deletion vectors,
// equality delete files) and DeleteFilter (keep-masks per batch). Arrow's
// own fuzzing covers Parquet decoding; this covers what Floe does with the
// result.
//
// The first byte picks the mode:
//   0, 1: deletes. The input describes the rows of a data file as the reader
//         hands them over (batches of any size, positions with the gaps that
//         skipped row groups leave), deleted positions (some past the end,
//         repeated, some for other files) written as a Parquet position
//         delete file and/or a deletion vector, and equality delete keys on
//         one or two columns (null equals null) written as a Parquet
//         equality delete file. Properties: the rows kept are exactly the
//         model's; every delete file listed twice keeps the same rows;
//         DeletedPositionsBelow equals the model's count.
//   2:    the rest is a Parquet file of any origin read as a data file
//         (projected by field id, with a name mapping fallback): every batch
//         has the projection's schema, positions ascend within the file.
//   3:    the rest is a Parquet file read as a position delete file, then as
//         an equality delete file: positions or an error, never a crash.
// Each run writes at most one small Parquet file: a slow target finds
// nothing.
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

// Rows as a batch of `schema`'s columns (a subset of id, k, s in that order).
floe::Result<std::shared_ptr<arrow::RecordBatch>> RowsToBatch(const spec::Schema& schema,
                                                               const std::vector<Row>& rows) {
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
  // Arrow schemas are cached by the field ids they hold (1, 2, 3 in order).
  static std::map<std::vector<int32_t>, std::shared_ptr<arrow::Schema>> cache;
  std::vector<int32_t> ids_of;
  for (const spec::NestedField& f : schema.fields()) ids_of.push_back(f.id);
  std::shared_ptr<arrow::Schema>& arrow_schema = cache[ids_of];
  if (!arrow_schema) {
    FLOE_ASSIGN_OR_RAISE(arrow_schema, data::ToArrowSchema(schema));
  }
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (const spec::NestedField& f : schema.fields()) columns.push_back(f.id == 1 ? a : f.id == 2 ? b : c);
  return arrow::RecordBatch::Make(arrow_schema, static_cast<int64_t>(rows.size()), columns);
}

void DeletesMode(Reader& r) {
  auto io = floe::io::MakeMemoryFileIO();
  const int n = 1 + r.Byte() % 128;
  std::vector<Row> rows;
  for (int i = 0; i < n; ++i) {
    const uint8_t b = r.Byte();
    Row row{i, std::nullopt, std::nullopt};
    if (b % 9 != 0) row.k = b % 13;
    if (b % 7 != 0) row.s = std::string(1 + b % 3, static_cast<char>('a' + b % 5));
    rows.push_back(std::move(row));
  }
  // Delete files of many tiny row groups and pages now and then (reading
  // across them is what they test; every page costs).
  const uint32_t sizes = r.U16();
  const bool tiny = (sizes & 3) == 0;
  const std::map<std::string, std::string> props = {
      {"write.parquet.row-group-size-bytes", tiny ? std::to_string(64 + (sizes >> 2) % 2048) : "134217728"},
      {"write.parquet.page-size-bytes", tiny ? "64" : "1048576"},
      // zstd now and then: its contexts cost more than the rest of a run.
      {"write.parquet.compression-codec", (r.Byte() & 15) == 0 ? "zstd" : "uncompressed"}};

  // What the reader hands over: row groups of `group` rows, some skipped by
  // statistics, cut into batches of `batch_size` rows that may span groups.
  const int group = 1 + r.Byte() % 64;
  const uint8_t skip_bits = r.Byte();
  const int batch_size = 1 + r.Byte() % 70;
  std::vector<int64_t> positions;
  for (int p = 0; p < n; ++p) {
    if (!(skip_bits & (1 << ((p / group) % 8)))) positions.push_back(p);
  }

  // Deleted positions for a position delete file and/or a deletion vector.
  std::set<int64_t> in_file, in_dv, for_other;
  const int m = r.Byte() % 40;
  for (int i = 0; i < m; ++i) {
    const int64_t p = r.U16() % static_cast<uint32_t>(n + 8);
    switch (r.Byte() % 4) {
      case 0: in_file.insert(p); break;
      case 1: in_dv.insert(p); break;
      case 2: in_file.insert(p); in_dv.insert(p); break;
      default: for_other.insert(p);
    }
  }
  // Which delete files this run writes: a Parquet file costs more than the
  // rest of a run, so a run writes at most one, a position delete file or an
  // equality delete file, each in a quarter of the runs.
  const uint8_t kinds = r.Byte();
  if ((kinds & 3) != 0) {
    in_file.clear();
    for_other.clear();
  }
  if (!(kinds & 16)) in_dv.clear();
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
  const bool two_columns = kinds & 32;
  std::vector<Row> eq_rows;
  for (int i = 0; (kinds & 3) == 1 && i < 1 + (kinds >> 6); ++i) {
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
    auto eq_batch = RowsToBatch(eq_schema, eq_rows);
    FLOE_FUZZ_CHECK(eq_batch.ok(), "cannot build equality delete rows");
    const std::string location = "mem://t/data/eq-deletes.parquet";
    auto writer = data::ParquetWriter::Make(
        eq_schema, props, io, [location]() -> floe::Result<std::string> { return location; });
    FLOE_FUZZ_CHECK(writer.ok(), "cannot make a writer: " + writer.status().ToString());
    FLOE_FUZZ_CHECK((*writer)->Write(**eq_batch).ok(), "cannot write equality deletes");
    auto files = (*writer)->Finish();
    FLOE_FUZZ_CHECK(files.ok() && files->size() == 1, "cannot finish equality deletes");
    manifest::DataFile d = (*files)[0];
    d.content = manifest::FileContent::kEqualityDeletes;
    d.equality_ids = two_columns ? std::vector<int32_t>{2, 3} : std::vector<int32_t>{2};
    deletes.push_back(std::make_shared<manifest::DataFile>(d));
  }

  // One loader, as a scan shares one across files; the second filter lists
  // every delete file twice.
  data::DeleteLoader loader(io, &Resolve);
  auto once = data::DeleteFilter::Make(&loader, kDataPath, deletes);
  FLOE_FUZZ_CHECK(once.ok(), "cannot build the delete filter: " + once.status().ToString());
  std::vector<std::shared_ptr<const manifest::DataFile>> listed_twice = deletes;
  listed_twice.insert(listed_twice.end(), deletes.begin(), deletes.end());
  auto twice = data::DeleteFilter::Make(&loader, kDataPath, listed_twice);
  FLOE_FUZZ_CHECK(twice.ok(), "cannot build the doubled delete filter");

  // The rows the reader hands over, built once and sliced into batches.
  std::vector<Row> selected;
  for (int64_t p : positions) selected.push_back(rows[static_cast<size_t>(p)]);
  auto all = RowsToBatch(TableSchema(), selected);
  FLOE_FUZZ_CHECK(all.ok(), "cannot build the rows");
  std::vector<int64_t> kept_once, kept_twice;
  for (size_t begin = 0; begin < positions.size(); begin += static_cast<size_t>(batch_size)) {
    const size_t end = std::min(positions.size(), begin + static_cast<size_t>(batch_size));
    std::vector<data::RowRange> ranges;
    for (size_t i = begin; i < end; ++i) {
      if (!ranges.empty() && ranges.back().start + ranges.back().count == positions[i]) {
        ++ranges.back().count;
      } else {
        ranges.push_back({positions[i], 1});
      }
    }
    auto batch = (*all)->Slice(static_cast<int64_t>(begin), static_cast<int64_t>(end - begin));
    for (const auto& [filter, kept] : {std::pair{&*once, &kept_once}, std::pair{&*twice, &kept_twice}}) {
      int64_t deleted = 0;
      auto mask = filter->KeepMask(*batch, ranges, &deleted);
      FLOE_FUZZ_CHECK(mask.ok(), "KeepMask failed: " + mask.status().ToString());
      FLOE_FUZZ_CHECK((*mask)->length() == batch->num_rows() && (*mask)->null_count() == 0,
                      "a keep-mask of the wrong length or with nulls");
      int64_t dropped = 0;
      for (int64_t i = 0; i < (*mask)->length(); ++i) {
        if ((*mask)->Value(i)) {
          kept->push_back(selected[begin + static_cast<size_t>(i)].id);
        } else {
          ++dropped;
        }
      }
      FLOE_FUZZ_CHECK(dropped == deleted, "KeepMask counted " + std::to_string(deleted) +
                                              " deleted rows, the mask drops " +
                                              std::to_string(dropped));
    }
  }

  // The model.
  std::set<int64_t> deleted(in_file.begin(), in_file.end());
  deleted.insert(in_dv.begin(), in_dv.end());
  std::vector<int64_t> expected;
  for (int64_t p : positions) {
    const Row& row = rows[static_cast<size_t>(p)];
    bool eq = false;
    for (const Row& e : eq_rows) eq |= e.k == row.k && (!two_columns || e.s == row.s);
    if (!deleted.count(p) && !eq) expected.push_back(p);
  }
  FLOE_FUZZ_CHECK(kept_once == expected, "rows kept differ from the model: " +
                                             std::to_string(kept_once.size()) + " kept, " +
                                             std::to_string(expected.size()) + " expected");
  FLOE_FUZZ_CHECK(kept_twice == kept_once, "deletes listed twice keep other rows than once");
  int64_t below = 0;
  for (int64_t p : deleted) below += p < n ? 1 : 0;
  FLOE_FUZZ_CHECK(once->DeletedPositionsBelow(n) == below,
                  "DeletedPositionsBelow disagrees with the model");
}

void ReadDataMode(std::string_view bytes) {
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
  if (!reader.ok()) return;
  for (int g = 0; g < (*reader)->num_row_groups(); ++g) (void)(*reader)->Stats(g);
  auto it = (*reader)->Read();
  if (!it.ok()) return;
  int64_t rows = 0, last = -1;
  while (rows < (1 << 20)) {
    auto batch = (*it)->Next();
    if (!batch.ok() || !*batch) break;
    rows += (*batch)->num_rows();
    FLOE_FUZZ_CHECK((*batch)->schema()->Equals(*(*reader)->schema()),
                    "a batch does not have the projection's schema");
    int64_t counted = 0;
    for (const data::RowRange& r : (*it)->positions()) {
      FLOE_FUZZ_CHECK(r.start > last && r.count > 0, "batch positions do not ascend");
      last = r.start + r.count - 1;
      counted += r.count;
    }
    FLOE_FUZZ_CHECK(counted == (*batch)->num_rows(), "positions do not cover the batch");
  }
}

void ReadDeletesMode(std::string_view bytes) {
  auto io = floe::io::MakeMemoryFileIO();
  const std::string path = "mem://raw/deletes.parquet";
  if (!io->WriteNewFile(path, bytes).ok()) return;
  manifest::DataFile del;
  del.file_path = path;
  del.file_size_in_bytes = static_cast<int64_t>(bytes.size());
  del.content = manifest::FileContent::kPositionDeletes;
  data::DeleteLoader loader(io, &Resolve);
  auto positions = loader.Positions(del, kDataPath);
  if (positions.ok()) {
    const data::PositionList& list = **positions;
    for (size_t i = 1; i < list.size(); ++i) {
      FLOE_FUZZ_CHECK(list[i - 1] < list[i], "loaded positions are not sorted and distinct");
    }
  }
  del.content = manifest::FileContent::kEqualityDeletes;
  del.equality_ids = std::vector<int32_t>{2, 3};
  (void)loader.Equality(del);
}

}  // namespace

FLOE_FUZZ_TARGET(parquet_scan) {
  if (input.empty()) return;
  switch (static_cast<uint8_t>(input[0]) % 4) {
    case 2:
      ReadDataMode(input.substr(1));
      return;
    case 3:
      ReadDeletesMode(input.substr(1));
      return;
    default: {
      Reader r{input.substr(1)};
      DeletesMode(r);
    }
  }
}
