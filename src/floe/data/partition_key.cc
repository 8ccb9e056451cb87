#include "floe/data/partition_key.h"

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <arrow/util/bit_util.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "floe/data/arrow_internal.h"
#include "floe/data/arrow_schema.h"
#include "floe/data/transform_arrow.h"

namespace floe::data {

using spec::Literal;
using spec::TransformKind;

namespace {

using internal::FromArrow;

// ---------------------------------------------------------------------------
// Finding source columns by field id

// Where a field sits in a batch: the column index, then struct child indices.
using FieldPath = std::vector<int>;

struct FieldSearch {
  int32_t id;
  std::vector<FieldPath> found;
  bool in_list_or_map = false;  // the id exists, but under a list or map
};

void Search(const arrow::Field& field, FieldPath* path, bool under_list, FieldSearch* s) {
  if (FieldIdOf(field) == s->id) {
    if (under_list) {
      s->in_list_or_map = true;
    } else {
      s->found.push_back(*path);
    }
  }
  const arrow::DataType& type = *field.type();
  const bool is_struct = type.id() == arrow::Type::STRUCT;
  for (int i = 0; i < type.num_fields(); ++i) {
    // List elements and map entries do not line up with rows; only struct
    // children can be partition sources.
    path->push_back(i);
    Search(*type.field(i), path, under_list || !is_struct, s);
    path->pop_back();
  }
}

// ---------------------------------------------------------------------------
// Reading one element as a Literal (once per group, not per row)

Result<Literal> LiteralAt(const arrow::Array& a, int64_t i, const spec::Type& type) {
  if (a.IsNull(i)) return Literal::Null();
  const arrow::ArrayData& d = *a.data();
  const bool text = type.id() == spec::TypeId::kString;
  auto bytes = [text](std::string_view v) {
    return text ? Literal::String(std::string(v)) : Literal::Binary(std::string(v));
  };
  switch (a.type_id()) {
    case arrow::Type::BOOL:
      return Literal::Boolean(static_cast<const arrow::BooleanArray&>(a).Value(i));
    case arrow::Type::INT32:
    case arrow::Type::DATE32:
      return Literal::Int(d.GetValues<int32_t>(1)[i]);
    case arrow::Type::INT64:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP:
      return Literal::Long(d.GetValues<int64_t>(1)[i]);
    case arrow::Type::FLOAT:
      return Literal::Float(d.GetValues<float>(1)[i]);
    case arrow::Type::DOUBLE:
      return Literal::Double(d.GetValues<double>(1)[i]);
    case arrow::Type::DECIMAL32:
      return Literal::Decimal(d.GetValues<int32_t>(1)[i]);
    case arrow::Type::DECIMAL64:
      return Literal::Decimal(d.GetValues<int64_t>(1)[i]);
    case arrow::Type::DECIMAL128: {
      spec::Int128 v;
      std::memcpy(&v, d.GetValues<uint8_t>(1, 0) + (d.offset + i) * 16, 16);
      return Literal::Decimal(v);
    }
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
      return bytes(static_cast<const arrow::BinaryArray&>(a).GetView(i));
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      return bytes(static_cast<const arrow::LargeBinaryArray&>(a).GetView(i));
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
      return bytes(static_cast<const arrow::BinaryViewArray&>(a).GetView(i));
    case arrow::Type::FIXED_SIZE_BINARY:
      return Literal::Binary(
          std::string(static_cast<const arrow::FixedSizeBinaryArray&>(a).GetView(i)));
    case arrow::Type::EXTENSION:
      return LiteralAt(*static_cast<const arrow::ExtensionArray&>(a).storage(), i, type);
    case arrow::Type::DICTIONARY: {
      const auto& dict = static_cast<const arrow::DictionaryArray&>(a);
      return LiteralAt(*dict.dictionary(), dict.GetValueIndex(i), type);
    }
    default:
      return Status::Invalid("partition values of Arrow type ", a.type()->ToString(),
                             " cannot be read as ", type.ToString());
  }
}

// ---------------------------------------------------------------------------
// Grouping rows by the values of several columns
//
// Each row's tuple is encoded into a byte key, column by column, for a chunk
// of rows at a time (so the keys stay in cache): per column an optional null
// marker byte (only when the column has nulls), then the value: fixed-width
// values as their bytes (zeros when null), variable-width ones as a 4-byte
// length and the bytes (nothing when null), booleans as one byte, dictionary
// columns as the canonical id of the value (equal values under different
// indices get the same id). Keys are compared as bytes, so floats group by
// bit pattern, as Literal equality does. A row whose key equals the previous
// row's skips hashing: batches are often sorted by partition.

struct Grouping {
  std::vector<int32_t> group_of_row;
  std::vector<int64_t> first_row;  // per group
};

Result<Grouping> GroupRows(const std::vector<const arrow::ArrayData*>& columns, int64_t num_rows);

struct KeyColumn {
  enum class Kind : uint8_t { kFixed, kBool, kOffsets32, kOffsets64, kView };
  Kind kind = Kind::kFixed;
  int32_t width = 0;       // kFixed: bytes per value
  bool nullable = false;   // writes a null marker byte
  const uint8_t* validity = nullptr;
  int64_t offset = 0;      // of the validity bitmap and of kBool's bits
  const uint8_t* values = nullptr;  // kFixed: first value; kBool: the bits; kOffsets*: offsets
  const uint8_t* data = nullptr;    // kOffsets*: value bytes
  const std::shared_ptr<arrow::Buffer>* view_buffers = nullptr;  // kView
  std::vector<int32_t> ids;  // dictionary columns: value id + 1 per row, 0 for null

  bool IsValid(int64_t i) const {
    return validity == nullptr || arrow::bit_util::GetBit(validity, offset + i);
  }
  bool variable() const { return kind == Kind::kOffsets32 || kind == Kind::kOffsets64 ||
                                 kind == Kind::kView; }
  std::string_view VarValue(int64_t i) const {
    const auto* bytes = reinterpret_cast<const char*>(data);
    switch (kind) {
      case Kind::kOffsets32: {
        const auto* off = reinterpret_cast<const int32_t*>(values);
        return {bytes + off[i], static_cast<size_t>(off[i + 1] - off[i])};
      }
      case Kind::kOffsets64: {
        const auto* off = reinterpret_cast<const int64_t*>(values);
        return {bytes + off[i], static_cast<size_t>(off[i + 1] - off[i])};
      }
      default: {
        const auto* views = reinterpret_cast<const arrow::BinaryViewType::c_type*>(values);
        return arrow::util::FromBinaryView(views[i], view_buffers);
      }
    }
  }
};

// Canonical value ids of a dictionary column's rows: dictionary entries are
// grouped like rows, then each row takes its index's group.
template <typename Index>
Status MapDictionaryIds(const arrow::ArrayData& d, const std::vector<int32_t>& entry_ids,
                        std::vector<int32_t>* ids) {
  const Index* index = d.GetValues<Index>(1);
  const auto entries = static_cast<int64_t>(entry_ids.size());
  const uint8_t* validity = d.GetNullCount() > 0 ? d.buffers[0]->data() : nullptr;
  ids->resize(static_cast<size_t>(d.length));
  for (int64_t i = 0; i < d.length; ++i) {
    if (validity != nullptr && !arrow::bit_util::GetBit(validity, d.offset + i)) {
      (*ids)[i] = 0;
      continue;
    }
    const auto k = static_cast<int64_t>(index[i]);
    if (k < 0 || k >= entries) [[unlikely]] {
      return Status::Invalid("dictionary index ", k, " in row ", i,
                             " is outside the dictionary of ", entries, " values");
    }
    (*ids)[i] = entry_ids[static_cast<size_t>(k)];
  }
  return Status::OK();
}

Status DictionaryIds(const arrow::ArrayData& d, std::vector<int32_t>* ids) {
  if (d.dictionary == nullptr) return Status::Invalid("dictionary array without a dictionary");
  const arrow::ArrayData& dict = *d.dictionary;
  FLOE_ASSIGN_OR_RAISE(Grouping g, GroupRows({&dict}, dict.length));
  std::vector<int32_t> entry_ids(static_cast<size_t>(dict.length));
  const bool all_null = dict.type->id() == arrow::Type::NA;
  const uint8_t* validity =
      dict.GetNullCount() > 0 && dict.buffers[0] != nullptr ? dict.buffers[0]->data() : nullptr;
  for (int64_t k = 0; k < dict.length; ++k) {
    const bool valid = !all_null && (validity == nullptr ||
                                     arrow::bit_util::GetBit(validity, dict.offset + k));
    entry_ids[static_cast<size_t>(k)] = valid ? g.group_of_row[static_cast<size_t>(k)] + 1 : 0;
  }
  const auto& type = static_cast<const arrow::DictionaryType&>(*d.type);
  switch (type.index_type()->id()) {
    case arrow::Type::INT8: return MapDictionaryIds<int8_t>(d, entry_ids, ids);
    case arrow::Type::UINT8: return MapDictionaryIds<uint8_t>(d, entry_ids, ids);
    case arrow::Type::INT16: return MapDictionaryIds<int16_t>(d, entry_ids, ids);
    case arrow::Type::UINT16: return MapDictionaryIds<uint16_t>(d, entry_ids, ids);
    case arrow::Type::INT32: return MapDictionaryIds<int32_t>(d, entry_ids, ids);
    case arrow::Type::UINT32: return MapDictionaryIds<uint32_t>(d, entry_ids, ids);
    case arrow::Type::INT64: return MapDictionaryIds<int64_t>(d, entry_ids, ids);
    case arrow::Type::UINT64: return MapDictionaryIds<uint64_t>(d, entry_ids, ids);
    default:
      return Status::Invalid("dictionary index type ", type.index_type()->ToString());
  }
}

// Describes how column `d` is encoded; false for an all-null column, which
// adds nothing to the keys.
Result<bool> MakeKeyColumn(const arrow::ArrayData& d, KeyColumn* c) {
  const arrow::DataType* type = d.type.get();
  if (type->id() == arrow::Type::NA) return false;
  if (type->id() == arrow::Type::DICTIONARY) {
    FLOE_RETURN_NOT_OK(DictionaryIds(d, &c->ids));
    c->kind = KeyColumn::Kind::kFixed;
    c->width = 4;
    c->values = reinterpret_cast<const uint8_t*>(c->ids.data());
    return true;
  }
  if (type->id() == arrow::Type::EXTENSION) {
    type = static_cast<const arrow::ExtensionType&>(*type).storage_type().get();
  }
  if (d.GetNullCount() > 0 && d.buffers[0] != nullptr) {
    c->nullable = true;
    c->validity = d.buffers[0]->data();
  }
  c->offset = d.offset;
  switch (type->id()) {
    case arrow::Type::BOOL:
      c->kind = KeyColumn::Kind::kBool;
      c->values = d.buffers[1]->data();
      return true;
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
      c->kind = KeyColumn::Kind::kOffsets32;
      c->values = reinterpret_cast<const uint8_t*>(d.GetValues<int32_t>(1));
      c->data = d.buffers[2] ? d.buffers[2]->data() : nullptr;
      return true;
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      c->kind = KeyColumn::Kind::kOffsets64;
      c->values = reinterpret_cast<const uint8_t*>(d.GetValues<int64_t>(1));
      c->data = d.buffers[2] ? d.buffers[2]->data() : nullptr;
      return true;
    case arrow::Type::STRING_VIEW:
    case arrow::Type::BINARY_VIEW:
      c->kind = KeyColumn::Kind::kView;
      c->values = d.GetValues<uint8_t>(1, d.offset * 16);
      c->view_buffers = d.buffers.data() + 2;
      return true;
    default:
      break;
  }
  const int bits = type->bit_width();
  if (bits <= 0 || bits % 8 != 0) {
    return Status::Invalid("cannot group rows by a column of Arrow type ", d.type->ToString());
  }
  c->kind = KeyColumn::Kind::kFixed;
  c->width = bits / 8;
  c->values = d.GetValues<uint8_t>(1, d.offset * c->width);
  return true;
}

// Writes column `c`'s part of the keys of rows [begin, begin + count);
// pos[j] is where row j's part goes, and moves past it.
template <int kWidth>
void WriteFixed(const KeyColumn& c, int64_t begin, int64_t count, uint8_t* keys, uint32_t* pos) {
  const int width = kWidth > 0 ? kWidth : c.width;
  const uint8_t* values = c.values + begin * width;
  for (int64_t j = 0; j < count; ++j) {
    uint8_t* out = keys + pos[j];
    if (c.nullable) {
      const bool valid = c.IsValid(begin + j);
      *out++ = valid ? 1 : 0;
      if (!valid) {
        std::memset(out, 0, static_cast<size_t>(width));
        pos[j] += 1 + width;
        continue;
      }
    }
    std::memcpy(out, values + j * width, static_cast<size_t>(width));
    pos[j] += (c.nullable ? 1 : 0) + width;
  }
}

void WriteColumn(const KeyColumn& c, int64_t begin, int64_t count, uint8_t* keys, uint32_t* pos) {
  switch (c.kind) {
    case KeyColumn::Kind::kFixed:
      switch (c.width) {
        case 4: return WriteFixed<4>(c, begin, count, keys, pos);
        case 8: return WriteFixed<8>(c, begin, count, keys, pos);
        case 16: return WriteFixed<16>(c, begin, count, keys, pos);
        default: return WriteFixed<0>(c, begin, count, keys, pos);
      }
    case KeyColumn::Kind::kBool:
      for (int64_t j = 0; j < count; ++j) {
        const bool valid = c.IsValid(begin + j);
        keys[pos[j]] = valid ? 1 + arrow::bit_util::GetBit(c.values, c.offset + begin + j) : 0;
        pos[j] += 1;
      }
      return;
    default:  // variable width
      for (int64_t j = 0; j < count; ++j) {
        uint8_t* out = keys + pos[j];
        const bool valid = c.IsValid(begin + j);
        if (c.nullable) *out++ = valid ? 1 : 0;
        uint32_t written = c.nullable ? 1 : 0;
        if (valid) {
          const std::string_view v = c.VarValue(begin + j);
          const auto size = static_cast<uint32_t>(v.size());
          std::memcpy(out, &size, 4);
          if (size > 0) std::memcpy(out + 4, v.data(), size);
          written += 4 + size;
        }
        pos[j] += written;
      }
      return;
  }
}

inline uint64_t HashKey(const uint8_t* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 29;
  }
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

// Open-addressing map from a key's bytes to its group; keys are copied once
// per group into an arena.
class GroupTable {
 public:
  GroupTable() : slots_(64), mask_(63) {}

  int32_t FindOrInsert(const uint8_t* key, uint32_t size, int64_t row, Grouping* g) {
    const uint64_t h = HashKey(key, size);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.group < 0) {
        const auto group = static_cast<int32_t>(starts_.size());
        starts_.push_back(arena_.size());
        arena_.append(reinterpret_cast<const char*>(key), size);
        sizes_.push_back(size);
        g->first_row.push_back(row);
        s = {h, group};
        if (starts_.size() * 2 > slots_.size()) Grow();
        return group;
      }
      if (s.hash == h && sizes_[s.group] == size &&
          std::memcmp(arena_.data() + starts_[s.group], key, size) == 0) {
        return s.group;
      }
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t group = -1;
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.group < 0) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].group >= 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_;
  std::string arena_;
  std::vector<size_t> starts_;
  std::vector<uint32_t> sizes_;
};

// Keys of at most 8 bytes (a day and a bucket; an identity on a date or a
// long), zero-padded to 8 and compared as one integer: no arena, no memcmp.
class SmallKeyTable {
 public:
  SmallKeyTable() : slots_(64), shift_(58) {}

  int32_t FindOrInsert(uint64_t key, int64_t row, Grouping* g) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Index(key);; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.group < 0) {
        const auto group = static_cast<int32_t>(g->first_row.size());
        g->first_row.push_back(row);
        s = {key, group};
        if (g->first_row.size() * 2 > slots_.size()) Grow();
        return group;
      }
      if (s.key == key) return s.group;
    }
  }

 private:
  struct Slot {
    uint64_t key = 0;
    int32_t group = -1;
  };

  // Fibonacci hashing: the top bits of key * 2^64/phi.
  size_t Index(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    --shift_;
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.group < 0) continue;
      size_t i = Index(s.key);
      while (slots_[i].group >= 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  int shift_;
};

Result<Grouping> GroupRows(const std::vector<const arrow::ArrayData*>& columns, int64_t num_rows) {
  Grouping g;
  g.group_of_row.resize(static_cast<size_t>(num_rows));
  std::vector<KeyColumn> keyed;
  keyed.reserve(columns.size());
  uint32_t fixed_size = 0;  // bytes every key has
  bool variable = false;
  for (const arrow::ArrayData* d : columns) {
    KeyColumn c;
    FLOE_ASSIGN_OR_RAISE(bool used, MakeKeyColumn(*d, &c));
    if (!used) continue;
    if (c.kind == KeyColumn::Kind::kBool) {
      fixed_size += 1;
    } else if (c.variable()) {
      fixed_size += c.nullable ? 1 : 0;
      variable = true;
    } else {
      fixed_size += (c.nullable ? 1 : 0) + static_cast<uint32_t>(c.width);
    }
    keyed.push_back(std::move(c));
  }
  if (num_rows == 0) return g;
  if (keyed.empty()) {  // every column all null: one group
    g.first_row.push_back(0);
    return g;
  }

  constexpr int64_t kChunk = 4096;
  std::vector<uint32_t> starts(kChunk + 1), pos(kChunk);
  std::string keys;
  if (!variable && fixed_size <= 8) {
    SmallKeyTable table;
    for (int64_t begin = 0; begin < num_rows; begin += kChunk) {
      const int64_t count = std::min(kChunk, num_rows - begin);
      keys.assign(static_cast<size_t>(count) * 8, '\0');
      for (int64_t j = 0; j < count; ++j) pos[j] = static_cast<uint32_t>(j * 8);
      auto* buf = reinterpret_cast<uint8_t*>(keys.data());
      for (const KeyColumn& c : keyed) WriteColumn(c, begin, count, buf, pos.data());
      uint64_t previous = 0;
      int32_t group = -1;
      for (int64_t j = 0; j < count; ++j) {
        uint64_t key;
        std::memcpy(&key, buf + j * 8, 8);
        if (group < 0 || key != previous) group = table.FindOrInsert(key, begin + j, &g);
        previous = key;
        g.group_of_row[begin + j] = group;
      }
    }
    return g;
  }

  GroupTable table;
  for (int64_t begin = 0; begin < num_rows; begin += kChunk) {
    const int64_t count = std::min(kChunk, num_rows - begin);
    // Where each key starts: a fixed stride, plus the variable values.
    uint64_t total = 0;
    for (int64_t j = 0; j < count; ++j) {
      starts[j] = static_cast<uint32_t>(total);
      uint64_t size = fixed_size;
      if (variable) {
        for (const KeyColumn& c : keyed) {
          if (c.variable() && c.IsValid(begin + j)) size += 4 + c.VarValue(begin + j).size();
        }
      }
      total += size;
      if (total > UINT32_MAX) [[unlikely]] {
        return Status::Invalid("partition values of 4096 rows exceed 4 GiB");
      }
    }
    starts[count] = static_cast<uint32_t>(total);
    keys.resize(total);
    auto* buf = reinterpret_cast<uint8_t*>(keys.data());
    std::copy(starts.begin(), starts.begin() + count, pos.begin());
    for (const KeyColumn& c : keyed) WriteColumn(c, begin, count, buf, pos.data());

    for (int64_t j = 0; j < count; ++j) {
      const uint8_t* key = buf + starts[j];
      const uint32_t size = starts[j + 1] - starts[j];
      int32_t group;
      if (j > 0 && size == starts[j] - starts[j - 1] &&
          std::memcmp(key, buf + starts[j - 1], size) == 0) {
        group = g.group_of_row[begin + j - 1];
      } else {
        group = table.FindOrInsert(key, size, begin + j, &g);
      }
      g.group_of_row[begin + j] = group;
    }
  }
  return g;
}

Result<std::shared_ptr<arrow::Array>> NullColumn(const std::shared_ptr<arrow::DataType>& type,
                                                 int64_t length) {
  return FromArrow(arrow::MakeArrayOfNull(type, length), "building a void partition column");
}

}  // namespace

Result<std::shared_ptr<arrow::Array>> FindColumnByFieldId(const arrow::RecordBatch& batch,
                                                          int32_t field_id) {
  FieldSearch s{field_id, {}, false};
  FieldPath path;
  const arrow::Schema& schema = *batch.schema();
  for (int i = 0; i < schema.num_fields(); ++i) {
    path = {i};
    Search(*schema.field(i), &path, false, &s);
  }
  if (s.found.empty()) {
    if (s.in_list_or_map) {
      return Status::Invalid("field id ", field_id, " is inside a list or map in the batch, ",
                             "so it has no value per row");
    }
    return Status::NotFound("the batch has no column with field id ", field_id,
                            " (columns are matched by their ", kParquetFieldIdKey,
                            " metadata; see ToArrowSchema)");
  }
  if (s.found.size() > 1) {
    return Status::Invalid("field id ", field_id, " appears ", s.found.size(),
                           " times in the batch schema");
  }
  const FieldPath& found = s.found[0];
  std::shared_ptr<arrow::Array> column = batch.column(found[0]);
  for (size_t k = 1; k < found.size(); ++k) {
    // Merges the struct's nulls into the child's: inside a null struct
    // every field is null.
    const auto& parent = static_cast<const arrow::StructArray&>(*column);
    FLOE_ASSIGN_OR_RAISE(column, FromArrow(parent.GetFlattenedField(found[k]),
                                           "reading a struct field"));
  }
  return column;
}

Result<std::vector<std::shared_ptr<arrow::Array>>> ComputePartitionColumns(
    const spec::PartitionSpec& spec, const spec::Schema& schema, const arrow::RecordBatch& batch) {
  std::vector<std::shared_ptr<arrow::Array>> columns;
  columns.reserve(spec.fields().size());
  for (const spec::PartitionField& f : spec.fields()) {
    const std::string context = "partition field '" + f.name + "'";
    if (f.source_ids.size() > 1) {
      return Status::NotSupported(context, ": transforms of several source columns (",
                                  f.transform.ToString(), ") are not supported");
    }
    const spec::NestedField* source = schema.FindField(f.source_id);
    if (f.transform.kind() == TransformKind::kVoid) {
      std::shared_ptr<arrow::DataType> type = arrow::null();
      if (source != nullptr) {
        if (auto t = ToArrowType(*source->type); t.ok()) type = *t;
      }
      FLOE_ASSIGN_OR_RAISE(auto nulls, NullColumn(type, batch.num_rows()));
      columns.push_back(std::move(nulls));
      continue;
    }
    if (f.transform.kind() == TransformKind::kUnknown) {
      return Status::NotSupported(context, ": cannot apply the unknown partition transform '",
                                  f.transform.ToString(), "'");
    }
    if (source == nullptr) {
      return Status::Invalid(context, ": source field id ", f.source_id, " is not in schema ",
                             schema.schema_id());
    }
    const std::string where = context + " (source column '" +
                              schema.FindColumnName(f.source_id).value_or(source->name) +
                              "', field id " + std::to_string(f.source_id) + ")";
    auto column = FindColumnByFieldId(batch, f.source_id);
    if (!column.ok()) {
      const Status& st = column.status();
      return Status::Invalid(where, ": ", st.message());
    }
    auto out = ApplyTransform(f.transform, *source->type, **column);
    if (!out.ok()) return out.status().WithContext(where);
    columns.push_back(std::move(*out));
  }
  return columns;
}

Result<PartitionedBatch> GroupByPartition(const spec::PartitionSpec& spec,
                                          const spec::Schema& schema,
                                          const arrow::RecordBatch& batch) {
  PartitionedBatch out;
  FLOE_ASSIGN_OR_RAISE(out.partition_type, spec.PartitionType(schema));
  const int64_t n = batch.num_rows();
  const size_t num_fields = spec.fields().size();
  if (spec.IsUnpartitioned()) {
    if (n > 0) out.groups.push_back(PartitionGroup{std::vector<Literal>(num_fields), n, nullptr});
    return out;
  }

  FLOE_ASSIGN_OR_RAISE(auto columns, ComputePartitionColumns(spec, schema, batch));
  if (n == 0) return out;
  std::vector<const arrow::ArrayData*> keyed;
  for (size_t k = 0; k < num_fields; ++k) {
    if (spec.fields()[k].transform.kind() != TransformKind::kVoid) {
      keyed.push_back(columns[k]->data().get());
    }
  }
  FLOE_ASSIGN_OR_RAISE(Grouping g, GroupRows(keyed, n));

  const size_t num_groups = g.first_row.size();
  out.groups.resize(num_groups);
  for (size_t group = 0; group < num_groups; ++group) {
    PartitionGroup& pg = out.groups[group];
    pg.partition.resize(num_fields);
    for (size_t k = 0; k < num_fields; ++k) {
      if (spec.fields()[k].transform.kind() == TransformKind::kVoid) continue;
      FLOE_ASSIGN_OR_RAISE(pg.partition[k],
                           LiteralAt(*columns[k], g.first_row[group],
                                     *out.partition_type->fields()[k].type));
    }
  }
  if (num_groups == 1) {
    out.groups[0].num_rows = n;
    return out;
  }

  // Counting sort of the rows by group: one index buffer, sliced per group.
  std::vector<int64_t> next(num_groups, 0);
  for (int32_t group : g.group_of_row) ++next[static_cast<size_t>(group)];
  int64_t start = 0;
  for (size_t group = 0; group < num_groups; ++group) {
    out.groups[group].num_rows = next[group];
    next[group] = start;
    start += out.groups[group].num_rows;
  }
  auto buffer_r = arrow::AllocateBuffer(n * static_cast<int64_t>(sizeof(int64_t)));
  if (!buffer_r.ok()) return FromArrow(buffer_r.status(), "allocating row indices");
  std::shared_ptr<arrow::Buffer> buffer = std::move(buffer_r).ValueUnsafe();
  auto* indices = reinterpret_cast<int64_t*>(buffer->mutable_data());
  for (int64_t row = 0; row < n; ++row) {
    indices[next[static_cast<size_t>(g.group_of_row[row])]++] = row;
  }
  start = 0;
  for (PartitionGroup& pg : out.groups) {
    pg.row_indices = std::make_shared<arrow::Int64Array>(pg.num_rows, buffer, nullptr, 0, start);
    start += pg.num_rows;
  }
  return out;
}

Result<std::shared_ptr<arrow::RecordBatch>> SelectRows(
    const std::shared_ptr<arrow::RecordBatch>& batch, const PartitionGroup& group) {
  if (group.row_indices == nullptr) return batch;
  FLOE_RETURN_NOT_OK(internal::EnsureArrowCompute());
  FLOE_ASSIGN_OR_RAISE(arrow::Datum taken,
                       FromArrow(arrow::compute::Take(arrow::Datum(batch),
                                                      arrow::Datum(group.row_indices)),
                                 "gathering the rows of a partition"));
  return taken.record_batch();
}

}  // namespace floe::data
