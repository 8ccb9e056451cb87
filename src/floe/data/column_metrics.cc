#include "floe/data/column_metrics.h"

#include <arrow/api.h>
#include <arrow/extension_type.h>
#include <parquet/metadata.h>
#include <parquet/schema.h>
#include <parquet/statistics.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

namespace floe::data {

using spec::Literal;
using spec::NestedField;
using spec::Type;
using spec::TypeId;

// ---------------------------------------------------------------------------
// Truncation (spec §5, Java's UnicodeUtil and BinaryUtil)

namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kMinSurrogate = 0xD800;
constexpr char32_t kMaxSurrogate = 0xDFFF;

// Decodes up to `max_count` code points of `s`, recording where each starts.
// False if those bytes are not valid UTF-8 (overlong forms, surrogates and
// values above U+10FFFF are invalid).
bool DecodeUtf8Prefix(std::string_view s, size_t max_count, std::vector<char32_t>* cps,
                      std::vector<size_t>* starts) {
  size_t i = 0;
  while (i < s.size() && cps->size() < max_count) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t len;
    char32_t cp;
    if (b0 < 0x80) {
      len = 1;
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > kMaxCodePoint ||
        (cp >= kMinSurrogate && cp <= kMaxSurrogate)) {
      return false;
    }
    cps->push_back(cp);
    starts->push_back(i);
    i += len;
  }
  return true;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string TruncateLowerBoundString(std::string_view utf8, int32_t n) {
  std::vector<char32_t> cps;
  std::vector<size_t> starts;
  const size_t count = static_cast<size_t>(std::max(n, 0));
  if (!DecodeUtf8Prefix(utf8, count + 1, &cps, &starts) || cps.size() <= count) {
    return std::string(utf8);
  }
  return std::string(utf8.substr(0, starts[count]));
}

std::optional<std::string> TruncateUpperBoundString(std::string_view utf8, int32_t n) {
  std::vector<char32_t> cps;
  std::vector<size_t> starts;
  const size_t count = static_cast<size_t>(std::max(n, 0));
  if (!DecodeUtf8Prefix(utf8, count + 1, &cps, &starts) || cps.size() <= count) {
    return std::string(utf8);
  }
  // Increment the last code point that can be; later ones are dropped.
  for (size_t i = count; i-- > 0;) {
    char32_t next = cps[i] + 1;
    if (next == kMinSurrogate) next = kMaxSurrogate + 1;
    if (next <= kMaxCodePoint) {
      std::string out(utf8.substr(0, starts[i]));
      AppendUtf8(next, &out);
      return out;
    }
  }
  return std::nullopt;
}

std::string TruncateLowerBoundBinary(std::string_view bytes, int32_t n) {
  return std::string(bytes.substr(0, static_cast<size_t>(std::max(n, 0))));
}

std::optional<std::string> TruncateUpperBoundBinary(std::string_view bytes, int32_t n) {
  const size_t count = static_cast<size_t>(std::max(n, 0));
  if (bytes.size() <= count) return std::string(bytes);
  for (size_t i = count; i-- > 0;) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b != 0xFF) {
      std::string out(bytes.substr(0, i + 1));
      out[i] = static_cast<char>(b + 1);
      return out;
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Leaves and their arrays

namespace {

// How to reach a leaf's values from a batch: the top-level column, then one
// step per nested level.
enum class StepKind : uint8_t { kStructField, kListElement, kMapKey, kMapValue };
struct Step {
  StepKind kind;
  int index;  // struct child position
};

bool SupportsBounds(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTimestampNs:
    case TypeId::kTimestampTzNs:
    case TypeId::kString:
    case TypeId::kUuid:
    case TypeId::kFixed:
    case TypeId::kBinary:
      return true;
    default:  // unknown, variant, geometry, geography: no min/max form
      return false;
  }
}

// The values of one leaf in a batch, and which of them the Parquet writer
// actually stores: `live` is empty when all are, else one byte per value
// (values under a null struct or null list, or outside any list, are not).
struct LeafValues {
  std::shared_ptr<arrow::Array> array;
  std::vector<uint8_t> live;
  bool has_live = false;
};

LeafValues Resolve(const arrow::RecordBatch& batch, int column, const std::vector<Step>& path) {
  LeafValues v;
  v.array = batch.column(column);
  for (const Step& step : path) {
    const arrow::Array& parent = *v.array;
    if (step.kind == StepKind::kStructField) {
      const auto& s = static_cast<const arrow::StructArray&>(parent);
      if (s.null_count() > 0) {
        if (!v.has_live) v.live.assign(static_cast<size_t>(s.length()), 1);
        for (int64_t i = 0; i < s.length(); ++i) v.live[i] &= s.IsValid(i) ? 1 : 0;
        v.has_live = true;
      }
      v.array = s.field(step.index);
      continue;
    }
    const auto& list = static_cast<const arrow::ListArray&>(parent);  // MapArray is one
    std::shared_ptr<arrow::Array> child;
    if (step.kind == StepKind::kListElement) {
      child = list.values();
    } else {
      const auto& map = static_cast<const arrow::MapArray&>(parent);
      child = step.kind == StepKind::kMapKey ? map.keys() : map.items();
    }
    std::vector<uint8_t> live(static_cast<size_t>(child->length()), 0);
    for (int64_t i = 0; i < list.length(); ++i) {
      if ((v.has_live && !v.live[i]) || list.IsNull(i)) continue;
      std::fill(live.begin() + list.value_offset(i), live.begin() + list.value_offset(i + 1), 1);
    }
    v.live = std::move(live);
    v.has_live = true;
    v.array = std::move(child);
  }
  return v;
}

// Calls visit(i) for every stored, non-null value index of `a`.
template <typename Visit>
void ForEachValue(const arrow::Array& a, const LeafValues& v, Visit&& visit) {
  const int64_t n = a.length();
  if (!v.has_live && a.null_count() == 0) {
    for (int64_t i = 0; i < n; ++i) visit(i);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    if ((!v.has_live || v.live[i]) && a.IsValid(i)) visit(i);
  }
}

// Total order for bounds: -0.0 sorts before +0.0 (spec §Data File Fields n.2).
template <typename T>
bool FloatLess(T a, T b) {
  return a < b || (a == b && std::signbit(a) && !std::signbit(b));
}

spec::Int128 ReadDecimal128(const uint8_t* p) {
  uint64_t lo, hi;
  std::memcpy(&lo, p, 8);  // Arrow stores the 128-bit value little-endian
  std::memcpy(&hi, p + 8, 8);
  return static_cast<spec::Int128>((static_cast<unsigned __int128>(hi) << 64) | lo);
}

}  // namespace

struct ColumnMetricsCollector::Leaf {
  int32_t field_id = 0;
  spec::TypePtr type;
  MetricsMode mode;
  int column = 0;
  std::vector<Step> path;
  bool bounds = false;
  bool nan = false;
  int64_t nan_count = 0;
  Literal min, max;

  void Merge(Literal lo, Literal hi) {
    if (min.is_null() || spec::CompareLiterals(lo, min, *type) < 0) min = std::move(lo);
    if (max.is_null() || spec::CompareLiterals(hi, max, *type) > 0) max = std::move(hi);
  }

  template <typename T, typename Make>
  void UpdateFixed(const arrow::Array& a, const LeafValues& v, Make make) {
    const T* values = a.data()->GetValues<T>(1);
    bool any = false;
    T lo{}, hi{};
    ForEachValue(a, v, [&](int64_t i) {
      const T x = values[i];
      if (!any) {
        lo = hi = x;
        any = true;
      } else {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    });
    if (any) Merge(make(lo), make(hi));
  }

  template <typename T>
  void UpdateFloat(const arrow::Array& a, const LeafValues& v) {
    const T* values = a.data()->GetValues<T>(1);
    bool any = false;
    int64_t nans = 0;
    T lo{}, hi{};
    ForEachValue(a, v, [&](int64_t i) {
      const T x = values[i];
      if (std::isnan(x)) {
        ++nans;
      } else if (!any) {
        lo = hi = x;
        any = true;
      } else {
        if (FloatLess(x, lo)) lo = x;
        if (FloatLess(hi, x)) hi = x;
      }
    });
    nan_count += nans;
    if (!any || !bounds) return;
    if constexpr (std::is_same_v<T, float>) {
      Merge(Literal::Float(lo), Literal::Float(hi));
    } else {
      Merge(Literal::Double(lo), Literal::Double(hi));
    }
  }

  void UpdateBoolean(const arrow::Array& a, const LeafValues& v) {
    const auto& b = static_cast<const arrow::BooleanArray&>(a);
    bool seen[2] = {false, false};
    ForEachValue(a, v, [&](int64_t i) { seen[b.Value(i) ? 1 : 0] = true; });
    if (seen[0] || seen[1]) Merge(Literal::Boolean(!seen[0]), Literal::Boolean(seen[1]));
  }

  void UpdateDecimal(const arrow::Array& a, const LeafValues& v) {
    const auto& d = static_cast<const arrow::Decimal128Array&>(a);
    bool any = false;
    spec::Int128 lo = 0, hi = 0;
    ForEachValue(a, v, [&](int64_t i) {
      const spec::Int128 x = ReadDecimal128(d.GetValue(i));
      if (!any) {
        lo = hi = x;
        any = true;
      } else {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    });
    if (any) Merge(Literal::Decimal(lo), Literal::Decimal(hi));
  }

  // Byte strings compare as unsigned bytes, which string_view's compare does.
  template <typename ArrayType>
  void UpdateBytes(const arrow::Array& a, const LeafValues& v, bool text) {
    const auto& arr = static_cast<const ArrayType&>(a);
    bool any = false;
    std::string_view lo, hi;
    ForEachValue(a, v, [&](int64_t i) {
      const std::string_view x = arr.GetView(i);
      if (!any) {
        lo = hi = x;
        any = true;
      } else {
        if (x < lo) lo = x;
        if (hi < x) hi = x;
      }
    });
    if (!any) return;
    // Copy only values that beat the current bounds.
    if (min.is_null() || lo < std::string_view(text ? min.string_value() : min.bytes_value())) {
      min = text ? Literal::String(std::string(lo)) : Literal::Binary(std::string(lo));
    }
    if (max.is_null() || std::string_view(text ? max.string_value() : max.bytes_value()) < hi) {
      max = text ? Literal::String(std::string(hi)) : Literal::Binary(std::string(hi));
    }
  }

  void Update(const arrow::RecordBatch& batch) {
    const LeafValues v = Resolve(batch, column, path);
    const arrow::Array* a = v.array.get();
    if (a->type_id() == arrow::Type::EXTENSION) {
      a = static_cast<const arrow::ExtensionArray&>(*a).storage().get();
    }
    switch (type->id()) {
      case TypeId::kFloat: return UpdateFloat<float>(*a, v);
      case TypeId::kDouble: return UpdateFloat<double>(*a, v);
      default: break;
    }
    if (!bounds) return;
    switch (type->id()) {
      case TypeId::kBoolean: return UpdateBoolean(*a, v);
      case TypeId::kInt:
      case TypeId::kDate:
        return UpdateFixed<int32_t>(*a, v, [](int32_t x) { return Literal::Int(x); });
      case TypeId::kLong:
      case TypeId::kTime:
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
      case TypeId::kTimestampNs:
      case TypeId::kTimestampTzNs:
        return UpdateFixed<int64_t>(*a, v, [](int64_t x) { return Literal::Long(x); });
      case TypeId::kDecimal: return UpdateDecimal(*a, v);
      case TypeId::kString: return UpdateBytes<arrow::StringArray>(*a, v, /*text=*/true);
      case TypeId::kBinary: return UpdateBytes<arrow::BinaryArray>(*a, v, /*text=*/false);
      case TypeId::kUuid:
      case TypeId::kFixed:
        return UpdateBytes<arrow::FixedSizeBinaryArray>(*a, v, /*text=*/false);
      default: return;
    }
  }
};

ColumnMetricsCollector::ColumnMetricsCollector(const spec::Schema& schema,
                                               const MetricsConfig& config)
    : config_(config) {
  // Walk the schema; a leaf needs the Arrow values for bounds or NaN counts.
  struct Walker {
    const MetricsConfig& config;
    std::vector<Leaf>* leaves;
    void Visit(const NestedField& f, int column, std::vector<Step> path, bool in_repeated) {
      const Type& t = *f.type;
      switch (t.id()) {
        case TypeId::kStruct:
          for (size_t i = 0; i < t.fields().size(); ++i) {
            std::vector<Step> p = path;
            p.push_back({StepKind::kStructField, static_cast<int>(i)});
            Visit(t.fields()[i], column, std::move(p), in_repeated);
          }
          return;
        case TypeId::kList: {
          path.push_back({StepKind::kListElement, 0});
          Visit(t.element(), column, std::move(path), true);
          return;
        }
        case TypeId::kMap: {
          std::vector<Step> p = path;
          p.push_back({StepKind::kMapKey, 0});
          Visit(t.key(), column, std::move(p), true);
          path.push_back({StepKind::kMapValue, 0});
          Visit(t.value(), column, std::move(path), true);
          return;
        }
        default:
          break;
      }
      Leaf leaf;
      leaf.field_id = f.id;
      leaf.type = f.type;
      leaf.mode = config.ModeFor(f.id);
      leaf.column = column;
      leaf.path = std::move(path);
      // Java records no bounds for values inside lists and maps.
      leaf.bounds = leaf.mode.records_bounds() && !in_repeated && SupportsBounds(t.id());
      leaf.nan = leaf.mode.records_counts() && spec::IsFloatingType(t.id());
      if (leaf.bounds || leaf.nan) leaves->push_back(std::move(leaf));
    }
  };
  Walker walker{config_, &leaves_};
  for (size_t i = 0; i < schema.fields().size(); ++i) {
    walker.Visit(schema.fields()[i], static_cast<int>(i), {}, false);
  }
}

ColumnMetricsCollector::~ColumnMetricsCollector() = default;
ColumnMetricsCollector::ColumnMetricsCollector(ColumnMetricsCollector&&) noexcept = default;
ColumnMetricsCollector& ColumnMetricsCollector::operator=(ColumnMetricsCollector&&) noexcept =
    default;

Status ColumnMetricsCollector::Update(const arrow::RecordBatch& batch) {
  for (Leaf& leaf : leaves_) {
    if (leaf.column >= batch.num_columns()) {
      return Status::Invalid("batch has ", batch.num_columns(),
                             " columns; metrics expect the table schema's columns");
    }
    leaf.Update(batch);
  }
  return Status::OK();
}

Status ColumnMetricsCollector::Finish(const parquet::FileMetaData& footer,
                                      manifest::DataFile* out) const {
  // Footer metrics, summed over row groups, keyed (and so sorted) by field id.
  std::map<int32_t, int64_t> sizes, values, nulls;
  std::set<int32_t> missing_stats;
  const parquet::SchemaDescriptor* descr = footer.schema();
  std::vector<int64_t> split_offsets;
  for (int rg = 0; rg < footer.num_row_groups(); ++rg) {
    std::unique_ptr<parquet::RowGroupMetaData> group = footer.RowGroup(rg);
    for (int c = 0; c < group->num_columns(); ++c) {
      std::unique_ptr<parquet::ColumnChunkMetaData> chunk = group->ColumnChunk(c);
      if (c == 0) {
        // Java's split offsets: where each row group's first column starts.
        split_offsets.push_back(chunk->has_dictionary_page() ? chunk->dictionary_page_offset()
                                                             : chunk->data_page_offset());
      }
      const int32_t id = descr->Column(c)->schema_node()->field_id();
      if (id < 0) continue;
      sizes[id] += chunk->total_compressed_size();
      if (!config_.ModeFor(id).records_counts()) continue;
      values[id] += chunk->num_values();
      std::shared_ptr<parquet::Statistics> stats =
          chunk->is_stats_set() ? chunk->statistics() : nullptr;
      if (stats && stats->HasNullCount()) {
        nulls[id] += stats->null_count();
      } else {
        missing_stats.insert(id);
      }
    }
  }
  for (int32_t id : missing_stats) nulls.erase(id);

  auto to_vector = [](const std::map<int32_t, int64_t>& m) {
    return std::vector<std::pair<int32_t, int64_t>>(m.begin(), m.end());
  };
  out->column_sizes = to_vector(sizes);
  out->value_counts = to_vector(values);
  out->null_value_counts = to_vector(nulls);

  std::map<int32_t, int64_t> nans;
  std::map<int32_t, std::string> lower, upper;
  for (const Leaf& leaf : leaves_) {
    if (leaf.nan) nans[leaf.field_id] = leaf.nan_count;
    if (!leaf.bounds || leaf.min.is_null()) continue;
    const Type& type = *leaf.type;
    const bool truncate = leaf.mode.kind == MetricsMode::Kind::kTruncate;
    if (truncate && type.id() == TypeId::kString) {
      lower[leaf.field_id] = TruncateLowerBoundString(leaf.min.string_value(), leaf.mode.length);
      auto up = TruncateUpperBoundString(leaf.max.string_value(), leaf.mode.length);
      if (up) upper[leaf.field_id] = std::move(*up);
    } else if (truncate && type.id() == TypeId::kBinary) {
      lower[leaf.field_id] = TruncateLowerBoundBinary(leaf.min.bytes_value(), leaf.mode.length);
      auto up = TruncateUpperBoundBinary(leaf.max.bytes_value(), leaf.mode.length);
      if (up) upper[leaf.field_id] = std::move(*up);
    } else {
      // Other types are kept whole, fixed[L] included: Java truncates fixed
      // like binary, but a shorter fixed bound is not an App. D fixed[L] value.
      lower[leaf.field_id] = spec::SerializeSingleValue(leaf.min, type);
      upper[leaf.field_id] = spec::SerializeSingleValue(leaf.max, type);
    }
  }
  out->nan_value_counts = to_vector(nans);
  out->lower_bounds = std::vector<std::pair<int32_t, std::string>>(lower.begin(), lower.end());
  out->upper_bounds = std::vector<std::pair<int32_t, std::string>>(upper.begin(), upper.end());
  out->split_offsets = std::move(split_offsets);
  return Status::OK();
}

}  // namespace floe::data
