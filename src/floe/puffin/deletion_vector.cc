#include "floe/puffin/deletion_vector.h"

#include <roaring/roaring.h>
#include <zlib.h>

#include <cstring>
#include <limits>

namespace floe::puffin {
namespace {

constexpr unsigned char kDvMagic[4] = {0xD1, 0xD3, 0x39, 0x64};

uint32_t ReadBE32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
uint64_t ReadLE(const char* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
void AppendBE32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void AppendLE(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

struct DeletionVector::Bitmap {
  roaring_bitmap_t* r;
  Bitmap() : r(roaring_bitmap_create()) {}
  explicit Bitmap(roaring_bitmap_t* owned) : r(owned) {}
  ~Bitmap() { roaring_bitmap_free(r); }
  Bitmap(const Bitmap&) = delete;
  Bitmap& operator=(const Bitmap&) = delete;
};

DeletionVector::DeletionVector() = default;
DeletionVector::~DeletionVector() = default;
DeletionVector::DeletionVector(DeletionVector&&) noexcept = default;
DeletionVector& DeletionVector::operator=(DeletionVector&&) noexcept = default;

Status DeletionVector::Add(int64_t position) {
  if (position < 0) {
    return Status::Invalid("deletion vector position ", position, " is negative");
  }
  auto& b = bitmaps_[static_cast<uint32_t>(static_cast<uint64_t>(position) >> 32)];
  if (!b) b = std::make_unique<Bitmap>();
  roaring_bitmap_add(b->r, static_cast<uint32_t>(position));
  return Status::OK();
}

bool DeletionVector::Contains(int64_t position) const {
  if (position < 0) return false;
  auto it = bitmaps_.find(static_cast<uint32_t>(static_cast<uint64_t>(position) >> 32));
  return it != bitmaps_.end() && roaring_bitmap_contains(it->second->r,
                                                         static_cast<uint32_t>(position));
}

int64_t DeletionVector::Cardinality() const {
  int64_t n = 0;
  for (const auto& [key, b] : bitmaps_) n += static_cast<int64_t>(roaring_bitmap_get_cardinality(b->r));
  return n;
}

void DeletionVector::Merge(const DeletionVector& other) {
  for (const auto& [key, b] : other.bitmaps_) {
    auto& mine = bitmaps_[key];
    if (!mine) mine = std::make_unique<Bitmap>();
    roaring_bitmap_or_inplace(mine->r, b->r);
  }
}

std::vector<int64_t> DeletionVector::Positions() const {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(Cardinality()));
  for (const auto& [key, b] : bitmaps_) {
    std::vector<uint32_t> low(roaring_bitmap_get_cardinality(b->r));
    roaring_bitmap_to_uint32_array(b->r, low.data());
    for (uint32_t v : low) out.push_back(static_cast<int64_t>((uint64_t{key} << 32) | v));
  }
  return out;
}

std::string DeletionVector::Serialize() const {
  std::string body(reinterpret_cast<const char*>(kDvMagic), 4);
  uint64_t count = 0;
  for (const auto& [key, b] : bitmaps_) count += roaring_bitmap_is_empty(b->r) ? 0 : 1;
  AppendLE(body, count, 8);
  for (const auto& [key, b] : bitmaps_) {
    if (roaring_bitmap_is_empty(b->r)) continue;
    AppendLE(body, key, 4);
    // Run containers where they are smaller, as Java's writer does.
    roaring_bitmap_t* copy = roaring_bitmap_copy(b->r);
    roaring_bitmap_run_optimize(copy);
    size_t size = roaring_bitmap_portable_size_in_bytes(copy);
    size_t at = body.size();
    body.resize(at + size);
    roaring_bitmap_portable_serialize(copy, body.data() + at);
    roaring_bitmap_free(copy);
  }
  std::string out;
  AppendBE32(out, static_cast<uint32_t>(body.size()));
  out += body;
  uint32_t crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  AppendBE32(out, crc);
  return out;
}

Result<DeletionVector> DeletionVector::Deserialize(std::string_view blob, const std::string& where) {
  if (blob.size() < 4 + 4 + 8 + 4) {
    return Status::Corruption(where, ": deletion vector blob of ", blob.size(),
                              " bytes is too short");
  }
  const uint32_t length = ReadBE32(blob.data());
  if (length != blob.size() - 8) {
    return Status::Corruption(where, ": deletion vector length prefix says ", length,
                              " bytes but the blob holds ", blob.size() - 8);
  }
  std::string_view body = blob.substr(4, length);
  if (std::memcmp(body.data(), kDvMagic, 4) != 0) {
    return Status::Corruption(where, ": not a deletion vector (bad magic)");
  }
  const uint32_t want = ReadBE32(blob.data() + 4 + length);
  const uint32_t got = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  if (want != got) return Status::Corruption(where, ": deletion vector CRC mismatch");
  const char* p = body.data() + 4;
  const char* end = body.data() + body.size();
  const uint64_t count = ReadLE(p, 8);
  p += 8;
  DeletionVector dv;
  int64_t previous_key = -1;
  for (uint64_t i = 0; i < count; ++i) {
    if (end - p < 4) return Status::Corruption(where, ": deletion vector is truncated");
    const uint32_t key = static_cast<uint32_t>(ReadLE(p, 4));
    p += 4;
    if (static_cast<int64_t>(key) <= previous_key) {
      return Status::Corruption(where, ": deletion vector keys are not ascending");
    }
    if (key > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
      return Status::Corruption(where, ": deletion vector position at or above 2^63");
    }
    previous_key = key;
    const size_t avail = static_cast<size_t>(end - p);
    const size_t size = roaring_bitmap_portable_deserialize_size(p, avail);
    roaring_bitmap_t* r = size == 0 ? nullptr : roaring_bitmap_portable_deserialize_safe(p, avail);
    if (r == nullptr) {
      return Status::Corruption(where, ": deletion vector holds an invalid Roaring bitmap");
    }
    dv.bitmaps_[key] = std::make_unique<Bitmap>(r);
    p += size;
  }
  if (p != end) return Status::Corruption(where, ": deletion vector has trailing bytes");
  return dv;
}

}  // namespace floe::puffin
