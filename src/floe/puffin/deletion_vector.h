// The deletion-vector-v1 blob (puffin-spec, spec §Deletion Vectors): the
// positions deleted from one data file, as a 64-bit Roaring bitmap.
//
//   length (4 bytes big-endian; counts magic + vector)
//   magic D1 D3 39 64
//   vector: Roaring 64-bit "portable" format (little-endian): a count of
//           32-bit bitmaps (8 bytes), then per bitmap in ascending key order
//           the key (4 bytes, the high 32 bits of the positions) and a
//           32-bit Roaring bitmap in its portable format
//   CRC-32 (zlib) of magic + vector (4 bytes big-endian)
//
// The manifest entry's content_offset/content_size_in_bytes cover all of it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "floe/result.h"

struct roaring_bitmap_s;

namespace floe::puffin {

class DeletionVector {
 public:
  DeletionVector();
  ~DeletionVector();
  DeletionVector(DeletionVector&&) noexcept;
  DeletionVector& operator=(DeletionVector&&) noexcept;

  // Positions must be below 2^63 (spec).
  Status Add(int64_t position);
  bool Contains(int64_t position) const;
  int64_t Cardinality() const;
  // old ∪ other: a new DV for a file that already has one carries both.
  void Merge(const DeletionVector& other);
  // Every position, ascending.
  std::vector<int64_t> Positions() const;

  // The blob bytes (length, magic, vector, CRC).
  std::string Serialize() const;

  // Parses and validates a blob: its length, magic, CRC, key order and
  // bitmaps. Errors are Corruption and name `where` (file and offset).
  static Result<DeletionVector> Deserialize(std::string_view blob, const std::string& where);

 private:
  struct Bitmap;
  std::map<uint32_t, std::unique_ptr<Bitmap>> bitmaps_;  // by high 32 bits
};

}  // namespace floe::puffin
