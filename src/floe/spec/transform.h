// Partition transforms (spec §Partition Transforms): identity, bucket[N],
// truncate[W], year, month, day, hour, void. Unknown transform names are
// kept (readers must ignore them, writers must refuse them).
//
// This header is the scalar, per-value form used for metadata (partition
// tuples, filter projection). Arrow arrays are transformed in
// floe/data/transform_arrow.h with one type dispatch per array.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/transform_kernels.h"
#include "floe/spec/type.h"

namespace floe::spec {

enum class TransformKind : uint8_t {
  kIdentity,
  kBucket,
  kTruncate,
  kYear,
  kMonth,
  kDay,
  kHour,
  kVoid,
  kUnknown,
};

class Transform {
 public:
  Transform() = default;  // identity
  static Transform Identity() { return Transform(TransformKind::kIdentity, 0, ""); }
  static Transform Bucket(int32_t n) { return Transform(TransformKind::kBucket, n, ""); }
  static Transform Truncate(int32_t w) { return Transform(TransformKind::kTruncate, w, ""); }
  static Transform Year() { return Transform(TransformKind::kYear, 0, ""); }
  static Transform Month() { return Transform(TransformKind::kMonth, 0, ""); }
  static Transform Day() { return Transform(TransformKind::kDay, 0, ""); }
  static Transform Hour() { return Transform(TransformKind::kHour, 0, ""); }
  static Transform Void() { return Transform(TransformKind::kVoid, 0, ""); }

  // Parses "identity", "bucket[16]", "truncate[4]", "year", ... Any other
  // well-formed name becomes kUnknown with the text kept. bucket[0] and
  // truncate[0] (or negative) are errors.
  static Result<Transform> Parse(std::string_view text);

  TransformKind kind() const { return kind_; }
  int32_t param() const { return param_; }  // N for bucket, W for truncate
  // "bucket[16]", etc.; the original text for unknown transforms.
  std::string ToString() const;

  // Whether this transform accepts a source of `source` type (§Partition
  // Transforms table). Unknown transforms accept anything.
  bool CanTransform(const Type& source) const;

  // Result type for a source type: bucket/year/month/hour -> int, day -> date,
  // identity/truncate/void -> the source type. Errors when !CanTransform.
  Result<TypePtr> ResultType(const TypePtr& source) const;

  // Applies the transform to one value of `source` type; null -> null.
  // REQUIRES: CanTransform(source); unknown transforms return NotSupported.
  Result<Literal> Apply(const Literal& value, const Type& source) const;

  // The partition-path form of a transformed value (§Partition Transforms,
  // Java's toHumanString): year "2024", month "2024-01", day "2024-01-02",
  // hour "2024-01-02-10", identity/truncate by type, "null" for null.
  // `result_type` is ResultType(source).
  std::string ToHumanString(const Literal& value, const Type& result_type) const;

  // True when both transforms always produce the same result (used to find
  // equivalent partition fields).
  bool operator==(const Transform& other) const;

  // Whether the transform keeps order (identity, truncate, year..hour), so
  // range predicates can be projected through it.
  bool PreservesOrder() const;

 private:
  Transform(TransformKind kind, int32_t param, std::string text)
      : kind_(kind), param_(param), text_(std::move(text)) {}
  TransformKind kind_ = TransformKind::kIdentity;
  int32_t param_ = 0;
  std::string text_;  // only for kUnknown
};

// murmur3_x86_32 with seed 0 over `bytes` (spec Appendix B).
int32_t Murmur3Hash32(std::string_view bytes);

// The spec's bucket hash of one non-null value of `type` (Appendix B):
// ints/longs/dates/times as 8-byte little-endian longs, timestamps in µs
// (ns divided with floor), decimals as minimal big-endian two's complement of
// the unscaled value, strings as UTF-8, uuids as 16 big-endian bytes.
int32_t BucketHash(const Literal& value, const Type& type);

// (hash & INT_MAX) % n
using kernels::BucketOf;

// Minimal big-endian two's-complement bytes of an unscaled decimal (0 -> 00,
// 1420 -> 05 8C, -1 -> FF), shared by bucket hashing and App. D.
std::string DecimalToMinimalBytes(Int128 unscaled);

}  // namespace floe::spec
