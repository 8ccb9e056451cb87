// Which column metrics a data file records, per field id (spec §Data File
// Fields, §Field-level Metrics), from the table properties of §10:
//
//   write.metadata.metrics.default            none | counts | truncate(n) | full
//                                             (default truncate(16))
//   write.metadata.metrics.column.<name>      the same, for one column; <name> is
//                                             the full dotted name ("payload.source",
//                                             "tags.element", "attrs.value")
//   write.metadata.metrics.max-inferred-column-defaults   (default 100)
//
// As in Java's MetricsConfig: when `default` is not set, only the first
// `max-inferred-column-defaults` primitive fields get truncate(16) and every
// other field gets none. "First" is Java's order: a struct's own primitive
// fields first, then the fields nested in its struct/list/map fields, in
// field order (a list adds its element, a map its key then its value). When
// `default` is set it applies to every column and the limit is ignored.
// Columns of an identity-sorted sort order are promoted to truncate(16) when
// the default would record no bounds. Per-column settings win over all.
//
// Unlike Java, which logs and ignores a bad value, an invalid value is an
// error naming the property: writers are strict.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "floe/result.h"
#include "floe/spec/schema.h"

namespace floe::data {

inline constexpr std::string_view kMetricsDefaultProperty = "write.metadata.metrics.default";
inline constexpr std::string_view kMetricsColumnPrefix = "write.metadata.metrics.column.";
inline constexpr std::string_view kMetricsMaxInferredProperty =
    "write.metadata.metrics.max-inferred-column-defaults";

struct MetricsMode {
  enum class Kind : uint8_t { kNone, kCounts, kTruncate, kFull };
  Kind kind = Kind::kTruncate;
  int32_t length = 16;  // truncate(n) only

  static MetricsMode None() { return {Kind::kNone, 0}; }
  static MetricsMode Counts() { return {Kind::kCounts, 0}; }
  static MetricsMode Truncate(int32_t n) { return {Kind::kTruncate, n}; }
  static MetricsMode Full() { return {Kind::kFull, 0}; }

  bool records_counts() const { return kind != Kind::kNone; }
  bool records_bounds() const { return kind == Kind::kTruncate || kind == Kind::kFull; }
  // "none", "counts", "truncate(16)", "full".
  std::string ToString() const;
  bool operator==(const MetricsMode&) const = default;
};

// Parses "none", "counts", "full" or "truncate(n)" with n > 0, in any case.
Result<MetricsMode> ParseMetricsMode(std::string_view text);

class MetricsConfig {
 public:
  // truncate(16) for every field.
  MetricsConfig() = default;

  // Reads the properties above for `schema`. `sorted_field_ids` are the source
  // fields of the table's sort order with order-preserving transforms.
  // Invalid: a bad mode or limit, naming the property and its value.
  static Result<MetricsConfig> Make(const spec::Schema& schema,
                                    const std::map<std::string, std::string>& properties,
                                    std::span<const int32_t> sorted_field_ids = {});

  // The mode of field `field_id` (any field, nested ones included).
  MetricsMode ModeFor(int32_t field_id) const;

 private:
  MetricsMode default_mode_;
  std::unordered_map<int32_t, MetricsMode> modes_;
};

}  // namespace floe::data
