// Row-level deletes applied to the rows of one data file (spec §Row-level
// Deletes): position delete files, deletion vectors and equality delete
// files are loaded once (DeleteLoader caches them across data files and
// threads) and combined into a DeleteFilter, which turns each batch into a
// keep-mask: positions by a merge against sorted deleted positions,
// equality deletes by probing a hash set of encoded key tuples. Which
// delete files apply to a data file is table/delete_index.h's business.
#pragma once

#include <arrow/type_fwd.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "floe/data/parquet_reader.h"
#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "floe/spec/schema.h"

namespace floe::data {

// Reserved field ids of position delete files (spec §Reserved Field IDs).
inline constexpr int32_t kDeleteFilePathId = 2147483546;
inline constexpr int32_t kDeletePosId = 2147483545;

// The schema of a position delete file: file_path, pos (both required).
const spec::Schema& PositionDeleteSchema();

// Deleted positions of one data file: sorted ascending, no duplicates.
using PositionList = std::vector<int64_t>;

// The encoded keys of a batch's rows (EncodeKeys), in one buffer: no
// allocation per row. key(i) views row i's bytes.
class EncodedKeys {
 public:
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::string_view operator[](size_t i) const {
    return std::string_view(bytes_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

 private:
  friend Result<EncodedKeys> EncodeKeys(const arrow::RecordBatch& batch,
                                        const std::vector<int>& columns);
  std::string bytes_;
  std::vector<size_t> offsets_;  // size() + 1 entries
};

// A set of encoded keys that is probed with string_views (no copy per probe).
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using KeySet = std::unordered_set<std::string, KeyHash, std::equal_to<>>;

// The key tuples one equality delete file deletes.
struct EqualityDeleteSet {
  std::vector<int32_t> field_ids;  // the file's equality_ids, in order
  KeySet keys;                     // EncodeKeys of each delete row
};

// Encodes, row by row, the values of `columns` (indexes into `batch`) into
// byte strings that are equal exactly when the tuples are equal, null equal
// to null (spec §Equality Delete Files). Columns must have the same Arrow
// types on both sides being compared.
Result<EncodedKeys> EncodeKeys(const arrow::RecordBatch& batch, const std::vector<int>& columns);

// Finds a field by id in the table's current or earlier schemas: equality
// delete columns may since have been dropped, and still apply.
using FieldResolver = std::function<std::optional<spec::NestedField>(int32_t field_id)>;

class DeleteLoader {
 public:
  DeleteLoader(std::shared_ptr<io::FileIO> io, FieldResolver resolver);

  // The positions `del` (a position delete file or a deletion vector)
  // deletes from `data_path`. Errors name the delete file.
  Result<std::shared_ptr<const PositionList>> Positions(const manifest::DataFile& del,
                                                        const std::string& data_path);
  Result<std::shared_ptr<const EqualityDeleteSet>> Equality(const manifest::DataFile& del);

  // Files loaded so far (for --explain).
  int64_t files_loaded() const;

 private:
  using PositionsByFile = std::unordered_map<std::string, std::shared_ptr<const PositionList>>;
  Result<std::shared_ptr<const PositionsByFile>> LoadPositionFile(const manifest::DataFile& del);
  Result<std::shared_ptr<const PositionList>> LoadDeletionVector(const manifest::DataFile& del);
  Result<std::shared_ptr<const EqualityDeleteSet>> LoadEquality(const manifest::DataFile& del);

  // One load per key, by whichever thread asks first; the others wait.
  struct Slot {
    std::mutex mu;
    bool done = false;
    Status status;
    std::shared_ptr<const void> value;
  };
  using Slots = std::map<std::string, std::shared_ptr<Slot>>;
  template <typename T>
  Result<std::shared_ptr<const T>> Once(Slots* slots, const std::string& key,
                                        const std::function<Result<std::shared_ptr<const T>>()>& load);

  std::shared_ptr<io::FileIO> io_;
  FieldResolver resolver_;
  mutable std::mutex mu_;
  Slots position_files_, dvs_, equality_;
  int64_t loaded_ = 0;
};

// The deletes that apply to one data file, loaded.
class DeleteFilter {
 public:
  static Result<DeleteFilter> Make(DeleteLoader* loader, const std::string& data_path,
                                   const std::vector<std::shared_ptr<const manifest::DataFile>>& deletes);
  DeleteFilter() = default;

  bool empty() const { return positions_.empty() && equality_.empty(); }
  bool has_equality() const { return !equality_.empty(); }
  // Field ids the batches must carry for the equality deletes.
  std::vector<int32_t> EqualityFieldIds() const;
  const PositionList& positions() const { return positions_; }

  // One entry per row of `batch`: true when the row survives. `positions`
  // are the rows' file positions (BatchIterator::positions()). Equality
  // columns are found in the batch by field id.
  Result<std::shared_ptr<arrow::BooleanArray>> KeepMask(const arrow::RecordBatch& batch,
                                                        const std::vector<RowRange>& positions,
                                                        int64_t* deleted) const;

  // How many of positions 0..record_count-1 are deleted by position (exact
  // row counts without reading, when there are no equality deletes).
  int64_t DeletedPositionsBelow(int64_t record_count) const;

 private:
  PositionList positions_;
  std::vector<std::shared_ptr<const EqualityDeleteSet>> equality_;
};

// Applies `mask` (true: keep) to `batch`.
Result<std::shared_ptr<arrow::RecordBatch>> FilterByMask(
    const std::shared_ptr<arrow::RecordBatch>& batch, const std::shared_ptr<arrow::BooleanArray>& mask);

}  // namespace floe::data
