// Sort orders (spec §Sorting). Order id 0 is reserved for "unsorted".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "floe/result.h"
#include "floe/spec/schema.h"
#include "floe/spec/transform.h"

namespace floe::spec {

enum class SortDirection : uint8_t { kAsc, kDesc };
enum class NullOrder : uint8_t { kNullsFirst, kNullsLast };

struct SortField {
  Transform transform;
  int32_t source_id = 0;
  std::vector<int32_t> source_ids;  // only for v3 multi-argument transforms; else empty
  SortDirection direction = SortDirection::kAsc;
  NullOrder null_order = NullOrder::kNullsFirst;

  bool operator==(const SortField& o) const {
    return transform == o.transform && source_id == o.source_id && source_ids == o.source_ids &&
           direction == o.direction && null_order == o.null_order;
  }
};

struct SortOrder {
  int32_t order_id = 0;
  std::vector<SortField> fields;

  static SortOrder Unsorted() { return SortOrder{}; }
  bool IsUnsorted() const { return fields.empty(); }
  // Same fields regardless of order id.
  bool SameFields(const SortOrder& o) const { return fields == o.fields; }
  bool operator==(const SortOrder& o) const = default;

  // Sources exist and the transforms accept them; unknown transforms refused.
  Status Validate(const Schema& schema) const;
  // "created_at desc nulls last, bucket[4](id) asc nulls first"
  std::string ToString(const Schema* schema = nullptr) const;
};

}  // namespace floe::spec
