// How a Parquet file's columns become an Iceberg projection (spec §Column
// Projection, App. A): the file's schema tree with field ids, the plan that
// says where each projected field's values come from (a file column, a
// promotion, a constant, a default, nulls), and applying that plan to the
// batches parquet-cpp returns.
//
// Internal to data/: ParquetReader builds one FileProjection per file when it
// opens it and applies it to every batch. A FileProjection is immutable once
// built and safe to share across threads; its plans point into its own file
// tree and into the projection schema, which the caller keeps alive.
// Errors are values naming the file.
#pragma once

#include <arrow/type_fwd.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "floe/data/parquet_reader.h"
#include "floe/result.h"
#include "floe/spec/schema.h"

namespace parquet {
class SchemaDescriptor;
namespace arrow {
class SchemaManifest;
}  // namespace arrow
}  // namespace parquet

namespace floe::data::projection {

enum class NodeKind : uint8_t { kLeaf, kStruct, kList, kMap };

// One field of the file as parquet-cpp reads it, with its field id.
struct FileNode {
  NodeKind kind = NodeKind::kLeaf;
  std::optional<int32_t> id;
  std::shared_ptr<arrow::Field> field;  // the Arrow field parquet-cpp reads it as
  std::vector<FileNode> children;       // struct fields; list: element; map: key, value
  int column_index = -1;                // leaves
};

// For each projected field, where its values come from.
struct Plan {
  const spec::NestedField* field = nullptr;
  std::shared_ptr<arrow::DataType> type;  // the output Arrow type
  const FileNode* source = nullptr;       // nullptr: not in the file
  int position = -1;  // among the parent's children in parquet-cpp's output
  // When missing: a constant (or null) scalar, or a struct built from its
  // children's defaults (an initial-default of {}).
  std::shared_ptr<arrow::Scalar> fill;
  bool fill_struct = false;
  std::vector<Plan> children;
};

// A projected primitive column outside lists and maps: one whose footer
// statistics and bloom filter can answer for its field.
struct StatColumn {
  int32_t field_id;
  int column_index;
  const spec::Type* type;
};

struct FileProjection {
  // Moves keep the plans' pointers into file_fields valid; a copy would not.
  FileProjection() = default;
  FileProjection(FileProjection&&) = default;
  FileProjection& operator=(FileProjection&&) = default;
  FileProjection(const FileProjection&) = delete;
  FileProjection& operator=(const FileProjection&) = delete;

  std::vector<FileNode> file_fields;  // the file's top-level fields
  std::vector<Plan> plans;            // one per projected top-level field
  std::vector<int> leaves;            // the file columns to read: sorted, unique
  std::vector<StatColumn> stat_columns;
};

// Builds the file tree (field ids from the file, else from
// options.name_mapping; neither: Invalid) and plans `projection` on it.
// Invalid when a projected field's file type cannot be read as its type or a
// required field is missing with no default.
Result<FileProjection> PlanFileProjection(const parquet::arrow::SchemaManifest& manifest,
                                          const parquet::SchemaDescriptor& file_schema,
                                          const spec::Schema& projection,
                                          const ParquetReadOptions& options,
                                          const std::string& location);

// The column of `plan` for one batch: `src` is parquet-cpp's column at the
// plan's position (nullptr when the file lacks the field), `length` the rows.
Result<std::shared_ptr<arrow::ArrayData>> Project(const Plan& plan,
                                                  std::shared_ptr<arrow::ArrayData> src,
                                                  int64_t length);

}  // namespace floe::data::projection
