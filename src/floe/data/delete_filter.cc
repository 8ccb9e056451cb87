#include "floe/data/delete_filter.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>

#include <algorithm>
#include <cstring>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_schema.h"
#include "floe/puffin/deletion_vector.h"

namespace floe::data {

using internal::FromArrow;
using manifest::DataFile;

const spec::Schema& PositionDeleteSchema() {
  static const spec::Schema kSchema(
      0, {spec::NestedField{kDeleteFilePathId, "file_path", true, spec::Type::String()},
          spec::NestedField{kDeletePosId, "pos", true, spec::Type::Long()}});
  return kSchema;
}

namespace {

// One column's part of every row key: a null flag, then the value
// (variable-length values with their length, so tuples never run into each
// other). Sizes first (Size), then bytes at each row's cursor (Write).
class ColumnEncoder {
 public:
  static Result<ColumnEncoder> Make(const arrow::Array& input) {
    ColumnEncoder e;
    e.array_ = &input;
    if (input.type_id() == arrow::Type::EXTENSION) {  // uuid: its fixed-size storage
      e.storage_ = static_cast<const arrow::ExtensionArray&>(input).storage();
      e.array_ = e.storage_.get();
    }
    switch (e.array_->type_id()) {
      case arrow::Type::BOOL:
        e.kind_ = kBool;
        return e;
      case arrow::Type::STRING:
      case arrow::Type::BINARY:
        e.kind_ = kBinary;
        return e;
      case arrow::Type::LARGE_STRING:
      case arrow::Type::LARGE_BINARY:
        e.kind_ = kLargeBinary;
        return e;
      case arrow::Type::FIXED_SIZE_BINARY:
      case arrow::Type::DECIMAL128:
        e.kind_ = kFixed;
        e.width_ = static_cast<size_t>(
            static_cast<const arrow::FixedSizeBinaryType&>(*e.array_->type()).byte_width());
        e.values_ = static_cast<const arrow::FixedSizeBinaryArray&>(*e.array_).GetValue(0);
        return e;
      default:
        break;
    }
    const auto* fixed = dynamic_cast<const arrow::FixedWidthType*>(e.array_->type().get());
    if (!fixed || fixed->bit_width() % 8 != 0 || e.array_->data()->buffers.size() < 2 ||
        !e.array_->data()->buffers[1]) {
      return Status::NotSupported("equality deletes on a column of Arrow type ",
                                  e.array_->type()->ToString());
    }
    e.kind_ = kFixed;
    e.width_ = static_cast<size_t>(fixed->bit_width() / 8);
    e.values_ = e.array_->data()->buffers[1]->data() + e.array_->offset() * e.width_;
    return e;
  }

  size_t Size(int64_t i) const {
    if (array_->IsNull(i)) return 1;
    switch (kind_) {
      case kBool: return 2;
      case kBinary:
        return 1 + sizeof(uint32_t) + static_cast<const arrow::BinaryArray&>(*array_).GetView(i).size();
      case kLargeBinary:
        return 1 + sizeof(uint64_t) +
               static_cast<const arrow::LargeBinaryArray&>(*array_).GetView(i).size();
      case kFixed: return 1 + width_;
    }
    return 1;
  }

  void Write(int64_t i, char** out) const {
    if (array_->IsNull(i)) {
      *(*out)++ = '\0';
      return;
    }
    *(*out)++ = '\1';
    auto put = [&](const void* p, size_t n) {
      std::memcpy(*out, p, n);
      *out += n;
    };
    switch (kind_) {
      case kBool:
        *(*out)++ = static_cast<const arrow::BooleanArray&>(*array_).Value(i) ? '\1' : '\0';
        return;
      case kBinary: {
        std::string_view v = static_cast<const arrow::BinaryArray&>(*array_).GetView(i);
        const auto len = static_cast<uint32_t>(v.size());
        put(&len, sizeof(len));
        put(v.data(), v.size());
        return;
      }
      case kLargeBinary: {
        std::string_view v = static_cast<const arrow::LargeBinaryArray&>(*array_).GetView(i);
        const uint64_t len = v.size();
        put(&len, sizeof(len));
        put(v.data(), v.size());
        return;
      }
      case kFixed:
        put(values_ + static_cast<size_t>(i) * width_, width_);
        return;
    }
  }

 private:
  enum Kind { kBool, kBinary, kLargeBinary, kFixed };
  const arrow::Array* array_ = nullptr;
  std::shared_ptr<arrow::Array> storage_;
  Kind kind_ = kFixed;
  size_t width_ = 0;
  const uint8_t* values_ = nullptr;  // kFixed: the first row's bytes
};

int ColumnOf(const arrow::Schema& schema, int32_t field_id) {
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (FieldIdOf(*schema.field(i)) == field_id) return i;
  }
  return -1;
}

}  // namespace

Result<EncodedKeys> EncodeKeys(const arrow::RecordBatch& batch, const std::vector<int>& columns) {
  std::vector<ColumnEncoder> encoders;
  for (int c : columns) {
    FLOE_ASSIGN_OR_RAISE(ColumnEncoder e, ColumnEncoder::Make(*batch.column(c)));
    encoders.push_back(std::move(e));
  }
  const auto n = static_cast<size_t>(batch.num_rows());
  EncodedKeys out;
  out.offsets_.assign(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    size_t size = 0;
    for (const ColumnEncoder& e : encoders) size += e.Size(static_cast<int64_t>(i));
    out.offsets_[i + 1] = out.offsets_[i] + size;
  }
  out.bytes_.resize(out.offsets_[n]);
  char* cursor = out.bytes_.data();
  for (size_t i = 0; i < n; ++i) {
    for (const ColumnEncoder& e : encoders) e.Write(static_cast<int64_t>(i), &cursor);
  }
  return out;
}

DeleteLoader::DeleteLoader(std::shared_ptr<io::FileIO> io, FieldResolver resolver)
    : io_(std::move(io)), resolver_(std::move(resolver)) {}

int64_t DeleteLoader::files_loaded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return loaded_;
}

template <typename T>
Result<std::shared_ptr<const T>> DeleteLoader::Once(
    Slots* slots, const std::string& key,
    const std::function<Result<std::shared_ptr<const T>>()>& load) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& s = (*slots)[key];
    if (!s) s = std::make_shared<Slot>();
    slot = s;
  }
  std::lock_guard<std::mutex> lock(slot->mu);
  if (!slot->done) {
    auto loaded = load();
    slot->done = true;
    if (loaded.ok()) {
      slot->value = *loaded;
      std::lock_guard<std::mutex> count_lock(mu_);
      ++loaded_;
    } else {
      slot->status = loaded.status();
    }
  }
  if (!slot->status.ok()) return slot->status;
  return std::static_pointer_cast<const T>(slot->value);
}

Result<std::shared_ptr<const DeleteLoader::PositionsByFile>> DeleteLoader::LoadPositionFile(
    const DataFile& del) {
  if (del.file_format != manifest::FileFormat::kParquet) {
    return Status::NotSupported("position delete file ", del.file_path, " is ",
                                manifest::FileFormatName(del.file_format),
                                "; Floe reads Parquet delete files");
  }
  ParquetReadOptions ro;
  ro.file_size = del.file_size_in_bytes;
  ro.pre_buffer = io::IsRemote(del.file_path);
  auto reader = ParquetReader::Open(io_, del.file_path, PositionDeleteSchema(), ro);
  if (!reader.ok()) return reader.status().WithContext("position delete file");
  FLOE_ASSIGN_OR_RAISE(auto it, (*reader)->Read());
  std::unordered_map<std::string, PositionList> by_file;
  std::string last_path;
  PositionList* last = nullptr;
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    const auto& paths = static_cast<const arrow::StringArray&>(*batch->column(0));
    const auto& pos = static_cast<const arrow::Int64Array&>(*batch->column(1));
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      if (paths.IsNull(i) || pos.IsNull(i)) {
        return Status::Corruption("position delete file ", del.file_path,
                                  " has a null file_path or pos (both are required)");
      }
      std::string_view p = paths.GetView(i);
      // Rows are sorted by path (spec), so the last list is usually right.
      // Lists are kept by location key: the data file may be spelled
      // otherwise in the manifest (s3a:// and s3://, a mapped prefix).
      if (!last || p != last_path) {
        last_path.assign(p);
        last = &by_file[io_->LocationKey(last_path)];
      }
      last->push_back(pos.Value(i));
    }
  }
  auto out = std::make_shared<PositionsByFile>();
  for (auto& [path, list] : by_file) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    out->emplace(path, std::make_shared<const PositionList>(std::move(list)));
  }
  return std::shared_ptr<const PositionsByFile>(std::move(out));
}

Result<std::shared_ptr<const PositionList>> DeleteLoader::LoadDeletionVector(const DataFile& del) {
  if (!del.content_offset || !del.content_size_in_bytes) {
    return Status::Invalid("deletion vector in ", del.file_path,
                           " lacks content_offset or content_size_in_bytes");
  }
  const std::string where =
      del.file_path + " at offset " + std::to_string(*del.content_offset);
  FLOE_ASSIGN_OR_RAISE(auto file, io_->OpenInput(del.file_path));
  auto buffer = file->ReadAt(*del.content_offset, *del.content_size_in_bytes);
  if (!buffer.ok()) {
    return Status::IOError("cannot read the deletion vector in ", where, ": ",
                           buffer.status().ToString());
  }
  if ((*buffer)->size() != *del.content_size_in_bytes) {
    return Status::Corruption("deletion vector in ", where, " is cut short: ",
                              (*buffer)->size(), " of ", *del.content_size_in_bytes, " bytes");
  }
  FLOE_ASSIGN_OR_RAISE(auto dv, puffin::DeletionVector::Deserialize(
                                    std::string_view(reinterpret_cast<const char*>((*buffer)->data()),
                                                     (*buffer)->size()),
                                    where));
  if (dv.Cardinality() != del.record_count) {
    return Status::Corruption("deletion vector in ", where, " holds ", dv.Cardinality(),
                              " positions but its manifest entry says ", del.record_count);
  }
  return std::make_shared<const PositionList>(dv.Positions());
}

Result<std::shared_ptr<const PositionList>> DeleteLoader::Positions(const DataFile& del,
                                                                    const std::string& data_path) {
  if (del.file_format == manifest::FileFormat::kPuffin) {
    std::string key = del.file_path + "#" + std::to_string(del.content_offset.value_or(-1));
    return Once<PositionList>(&dvs_, key, [&] { return LoadDeletionVector(del); });
  }
  FLOE_ASSIGN_OR_RAISE(auto by_file, Once<PositionsByFile>(&position_files_, del.file_path, [&] {
                         return LoadPositionFile(del);
                       }));
  static const auto kNone = std::make_shared<const PositionList>();
  auto it = by_file->find(io_->LocationKey(data_path));
  return it == by_file->end() ? kNone : it->second;
}

Result<std::shared_ptr<const EqualityDeleteSet>> DeleteLoader::LoadEquality(const DataFile& del) {
  if (del.file_format != manifest::FileFormat::kParquet) {
    return Status::NotSupported("equality delete file ", del.file_path, " is ",
                                manifest::FileFormatName(del.file_format),
                                "; Floe reads Parquet delete files");
  }
  std::vector<spec::NestedField> fields;
  for (int32_t id : del.equality_ids.value_or(std::vector<int32_t>{})) {
    std::optional<spec::NestedField> f = resolver_(id);
    if (!f) {
      return Status::Invalid("equality delete file ", del.file_path, " uses field id ", id,
                             ", which no schema of the table has");
    }
    f->required = false;  // a delete row may hold null
    fields.push_back(std::move(*f));
  }
  ParquetReadOptions ro;
  ro.file_size = del.file_size_in_bytes;
  ro.pre_buffer = io::IsRemote(del.file_path);
  auto reader = ParquetReader::Open(io_, del.file_path, spec::Schema(0, fields), ro);
  if (!reader.ok()) return reader.status().WithContext("equality delete file");
  FLOE_ASSIGN_OR_RAISE(auto it, (*reader)->Read());
  auto out = std::make_shared<EqualityDeleteSet>();
  out->field_ids = *del.equality_ids;
  std::vector<int> columns;
  for (size_t i = 0; i < fields.size(); ++i) columns.push_back(static_cast<int>(i));
  while (true) {
    FLOE_ASSIGN_OR_RAISE(auto batch, it->Next());
    if (!batch) break;
    FLOE_ASSIGN_OR_RAISE(EncodedKeys keys, EncodeKeys(*batch, columns));
    for (size_t i = 0; i < keys.size(); ++i) out->keys.emplace(keys[i]);
  }
  return std::shared_ptr<const EqualityDeleteSet>(std::move(out));
}

Result<std::shared_ptr<const EqualityDeleteSet>> DeleteLoader::Equality(const DataFile& del) {
  return Once<EqualityDeleteSet>(&equality_, del.file_path, [&] { return LoadEquality(del); });
}

Result<DeleteFilter> DeleteFilter::Make(DeleteLoader* loader, const std::string& data_path,
                                        const std::vector<std::shared_ptr<const DataFile>>& deletes) {
  DeleteFilter filter;
  std::vector<std::shared_ptr<const PositionList>> lists;
  for (const auto& del : deletes) {
    if (del->content == manifest::FileContent::kEqualityDeletes) {
      FLOE_ASSIGN_OR_RAISE(auto set, loader->Equality(*del));
      if (!set->keys.empty()) filter.equality_.push_back(std::move(set));
    } else {
      FLOE_ASSIGN_OR_RAISE(auto list, loader->Positions(*del, data_path));
      if (!list->empty()) lists.push_back(std::move(list));
    }
  }
  if (lists.size() == 1) {
    filter.positions_ = *lists[0];
  } else if (lists.size() > 1) {
    for (const auto& l : lists) filter.positions_.insert(filter.positions_.end(), l->begin(), l->end());
    std::sort(filter.positions_.begin(), filter.positions_.end());
    filter.positions_.erase(std::unique(filter.positions_.begin(), filter.positions_.end()),
                            filter.positions_.end());
  }
  return filter;
}

std::vector<int32_t> DeleteFilter::EqualityFieldIds() const {
  std::vector<int32_t> ids;
  for (const auto& set : equality_) {
    for (int32_t id : set->field_ids) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  return ids;
}

int64_t DeleteFilter::DeletedPositionsBelow(int64_t record_count) const {
  return std::lower_bound(positions_.begin(), positions_.end(), record_count) - positions_.begin();
}

Result<std::shared_ptr<arrow::BooleanArray>> DeleteFilter::KeepMask(
    const arrow::RecordBatch& batch, const std::vector<RowRange>& ranges, int64_t* deleted) const {
  const int64_t n = batch.num_rows();
  std::vector<uint8_t> keep(static_cast<size_t>(n), 1);
  if (!positions_.empty()) {
    int64_t row = 0;
    for (const RowRange& r : ranges) {
      auto it = std::lower_bound(positions_.begin(), positions_.end(), r.start);
      for (; it != positions_.end() && *it < r.start + r.count; ++it) {
        keep[static_cast<size_t>(row + (*it - r.start))] = 0;
      }
      row += r.count;
    }
    if (row != n) {
      return Status::Invalid("internal: row positions cover ", row, " rows of a batch of ", n);
    }
  }
  for (const auto& set : equality_) {
    std::vector<int> columns;
    for (int32_t id : set->field_ids) {
      int c = ColumnOf(*batch.schema(), id);
      if (c < 0) return Status::Invalid("internal: equality delete column ", id, " was not read");
      columns.push_back(c);
    }
    FLOE_ASSIGN_OR_RAISE(EncodedKeys keys, EncodeKeys(batch, columns));
    for (int64_t i = 0; i < n; ++i) {
      if (keep[static_cast<size_t>(i)] && set->keys.find(keys[static_cast<size_t>(i)]) != set->keys.end()) {
        keep[static_cast<size_t>(i)] = 0;
      }
    }
  }
  arrow::BooleanBuilder builder;
  FLOE_RETURN_NOT_OK(FromArrow(builder.AppendValues(keep), "delete mask"));
  int64_t kept = 0;
  for (uint8_t k : keep) kept += k;
  *deleted = n - kept;
  std::shared_ptr<arrow::BooleanArray> mask;
  FLOE_RETURN_NOT_OK(FromArrow(builder.Finish(&mask), "delete mask"));
  return mask;
}

Result<std::shared_ptr<arrow::RecordBatch>> FilterByMask(
    const std::shared_ptr<arrow::RecordBatch>& batch, const std::shared_ptr<arrow::BooleanArray>& mask) {
  if (mask->true_count() == batch->num_rows()) return batch;
  FLOE_ASSIGN_OR_RAISE(auto filtered,
                       FromArrow(arrow::compute::Filter(batch, mask), "applying deletes"));
  return filtered.record_batch();
}

}  // namespace floe::data
