// Test-only helpers for the Parquet writer, reader and conform tests.
#pragma once

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/arrow_schema.h"
#include "floe/data/parquet_writer.h"
#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "support/test_util.h"

namespace floe::data::testing {

inline std::shared_ptr<arrow::Array> Json(const std::shared_ptr<arrow::DataType>& type,
                                          const std::string& json) {
  auto r = arrow::json::ArrayFromJSONString(type, json);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " for " << json;
  return r.ok() ? *r : nullptr;
}

// A batch of `schema` from one JSON array per column.
inline std::shared_ptr<arrow::RecordBatch> Batch(const spec::Schema& schema,
                                                 const std::vector<std::string>& columns) {
  auto arrow_schema = ToArrowSchema(schema);
  EXPECT_TRUE(arrow_schema.ok()) << arrow_schema.status().ToString();
  std::vector<std::shared_ptr<arrow::Array>> arrays;
  for (size_t i = 0; i < columns.size(); ++i) {
    arrays.push_back(Json((*arrow_schema)->field(static_cast<int>(i))->type(), columns[i]));
  }
  const int64_t rows = arrays.empty() ? 0 : arrays[0]->length();
  return arrow::RecordBatch::Make(*arrow_schema, rows, arrays);
}

// Writes `batches` with `properties` into `dir` (files f0.parquet, f1.parquet, ...).
inline std::vector<manifest::DataFile> WriteFiles(
    const spec::Schema& schema, const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
    const floe::testing::TempDir& dir, std::map<std::string, std::string> properties = {},
    ParquetWriterOptions options = {}) {
  auto counter = std::make_shared<int>(0);
  std::string folder = dir.path().string();
  auto writer = ParquetWriter::Make(
      schema, properties, io::MakeLocalFileIO(),
      [counter, folder]() -> Result<std::string> {
        return folder + "/f" + std::to_string((*counter)++) + ".parquet";
      },
      std::move(options));
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return {};
  for (const auto& b : batches) {
    Status st = (*writer)->Write(*b);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  auto files = (*writer)->Finish();
  EXPECT_TRUE(files.ok()) << files.status().ToString();
  return files.ok() ? *files : std::vector<manifest::DataFile>{};
}

// Values without type prefixes: "[1, null]", "{a:1, b:x}", "[{key:k, value:1}]".
inline std::string Show(const arrow::Scalar& s) {
  if (!s.is_valid) return "null";
  switch (s.type->id()) {
    case arrow::Type::STRUCT: {
      const auto& st = static_cast<const arrow::StructScalar&>(s);
      std::string out = "{";
      for (size_t i = 0; i < st.value.size(); ++i) {
        out += (i ? ", " : "") + s.type->field(static_cast<int>(i))->name() + ":" +
               Show(*st.value[i]);
      }
      return out + "}";
    }
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::MAP: {
      const auto& values = *static_cast<const arrow::BaseListScalar&>(s).value;
      std::string out = "[";
      for (int64_t i = 0; i < values.length(); ++i) {
        out += (i ? ", " : "") + Show(**values.GetScalar(i));
      }
      return out + "]";
    }
    case arrow::Type::EXTENSION:
      return Show(*static_cast<const arrow::ExtensionScalar&>(s).value);
    default:
      return s.ToString();
  }
}

inline std::string Show(const arrow::Array& a) {
  std::string out = "[";
  for (int64_t i = 0; i < a.length(); ++i) out += (i ? ", " : "") + Show(**a.GetScalar(i));
  return out + "]";
}

template <typename V>
std::optional<V> Lookup(const std::optional<std::vector<std::pair<int32_t, V>>>& map,
                        int32_t id) {
  if (!map) return std::nullopt;
  for (const auto& [k, v] : *map) {
    if (k == id) return v;
  }
  return std::nullopt;
}

}  // namespace floe::data::testing
