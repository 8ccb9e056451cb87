// Reading the files users append: Parquet, CSV and NDJSON (by extension:
// .parquet; .csv; .json, .ndjson, .jsonl). Text formats are parsed with the
// table's column types as hints, so dates, timestamps, decimals and uuids
// written as text arrive typed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "floe/spec/schema.h"
#include "floe/table/operations.h"

namespace floe::cli {

// Called after each batch with the rows read so far and the file index.
using InputProgress = std::function<void(int64_t rows, size_t file)>;

// A BatchSource over every file in order. Errors name the file.
Result<table::BatchSource> OpenInputs(const std::vector<std::string>& paths,
                                      const spec::Schema& table_schema, InputProgress progress);

}  // namespace floe::cli
