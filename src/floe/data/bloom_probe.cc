#include "floe/data/bloom_probe.h"

#include <parquet/bloom_filter.h>
#include <parquet/bloom_filter_reader.h>
#include <parquet/exception.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>
#include <parquet/schema.h>

#include <limits>
#include <memory>
#include <optional>

namespace floe::data {
namespace {

// The xxHash64 of `v` as the writer hashed it, or nullopt when this value
// cannot be probed (then the group may contain it).
std::optional<uint64_t> HashOf(const parquet::BloomFilter& bf, parquet::Type::type physical,
                               const spec::Type& type, const spec::Literal& v) {
  using spec::TypeId;
  switch (type.id()) {
    case TypeId::kInt:
    case TypeId::kDate:
      if (physical != parquet::Type::INT32) return std::nullopt;
      return bf.Hash(v.int_value());
    case TypeId::kLong: {
      const int64_t x = v.long_value();
      if (physical == parquet::Type::INT64) return bf.Hash(x);
      if (physical != parquet::Type::INT32) return std::nullopt;
      // Written as int before a promotion: a value outside int's range is
      // absent, which the hash of any int cannot say; do not skip.
      if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max()) {
        return std::nullopt;
      }
      return bf.Hash(static_cast<int32_t>(x));
    }
    case TypeId::kString:
      if (physical != parquet::Type::BYTE_ARRAY) return std::nullopt;
      return bf.Hash(std::string_view(v.string_value()));
    case TypeId::kBinary:
      if (physical != parquet::Type::BYTE_ARRAY) return std::nullopt;
      return bf.Hash(std::string_view(v.bytes_value()));
    default:
      return std::nullopt;
  }
}

}  // namespace

bool BloomMayContain(parquet::ParquetFileReader& reader, int row_group, int column_index,
                     const spec::Type& type, const std::vector<spec::Literal>& values) {
  try {
    std::shared_ptr<parquet::RowGroupBloomFilterReader> group =
        reader.GetBloomFilterReader().RowGroup(row_group);
    if (!group) return true;
    std::unique_ptr<parquet::BloomFilter> bf = group->GetColumnBloomFilter(column_index);
    if (!bf) return true;
    const parquet::Type::type physical =
        reader.metadata()->schema()->Column(column_index)->physical_type();
    for (const spec::Literal& v : values) {
      if (v.is_null()) continue;  // = null matches nothing; in (..., null) likewise
      std::optional<uint64_t> h = HashOf(*bf, physical, type, v);
      if (!h || bf->FindHash(*h)) return true;
    }
    return false;
  } catch (const std::exception&) {
    return true;  // an unreadable filter skips nothing; the read reports real damage
  }
}

}  // namespace floe::data
