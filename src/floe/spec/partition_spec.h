// Partition specs (spec §Partitioning, §Partition Evolution).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "floe/result.h"
#include "floe/spec/literal.h"
#include "floe/spec/schema.h"
#include "floe/spec/transform.h"

namespace floe::spec {

// Partition field ids start here (§Partition Evolution); v1 specs store none
// and imply 1000 + position.
constexpr int32_t kFirstPartitionFieldId = 1000;
// `last-partition-id` of a table that was only ever unpartitioned [Java].
constexpr int32_t kUnpartitionedLastAssignedId = 999;

struct PartitionField {
  // The source column. Only v3 multi-argument transforms fill `source_ids`
  // (with all sources; `source_id` is then the first); otherwise it is empty.
  int32_t source_id = 0;
  std::vector<int32_t> source_ids;
  int32_t field_id = 0;
  std::string name;
  Transform transform;

  bool operator==(const PartitionField& o) const {
    return source_id == o.source_id && source_ids == o.source_ids && field_id == o.field_id &&
           name == o.name && transform == o.transform;
  }
};

class PartitionSpec {
 public:
  PartitionSpec() = default;  // the unpartitioned spec 0
  PartitionSpec(int32_t spec_id, std::vector<PartitionField> fields)
      : spec_id_(spec_id), fields_(std::move(fields)) {}

  int32_t spec_id() const { return spec_id_; }
  const std::vector<PartitionField>& fields() const { return fields_; }

  // True when no field partitions data: no fields, or only void transforms.
  bool IsUnpartitioned() const;

  // The partition tuple's struct type: one optional field per partition
  // field, with the partition field id, name and the transform's result type.
  // A source column missing from `schema` (dropped) or an unknown transform
  // gets a string result when `lenient` (reading), else an error.
  Result<TypePtr> PartitionType(const Schema& schema, bool lenient = false) const;

  // The Hive-style relative path of a partition tuple: "event_date=2024-01-02"
  // or "ts_day=2024-01-02/user_id_bucket=3", names and values URL-encoded as
  // Java does. REQUIRES: values.size() == fields().size().
  std::string PartitionPath(const std::vector<Literal>& values, const Type& partition_type) const;

  // Checks the spec against `schema`: sources exist and are primitives not
  // inside lists or maps, transforms accept them, names are unique and do
  // not clash with other columns, no unknown transforms (writers may not use
  // them), field ids at or above 1000.
  Status Validate(const Schema& schema) const;

  // Same fields (sources, transforms, names, ids) regardless of spec id.
  bool SameFields(const PartitionSpec& other) const { return fields_ == other.fields_; }
  // Same sources and transforms in the same order (names and ids aside);
  // the spec forbids adding a spec equivalent to an existing one.
  bool EquivalentTo(const PartitionSpec& other) const;
  bool operator==(const PartitionSpec& o) const {
    return spec_id_ == o.spec_id_ && fields_ == o.fields_;
  }

  // The highest field id, or kUnpartitionedLastAssignedId when there are none.
  int32_t LastAssignedFieldId() const;

  // "[day(created_at) as created_at_day, bucket[16](user_id) as ...]"
  std::string ToString(const Schema* schema = nullptr) const;

 private:
  int32_t spec_id_ = 0;
  std::vector<PartitionField> fields_;
};

// The default partition field name Java gives a transform of `source_name`:
// identity -> name, bucket -> name_bucket, truncate -> name_trunc, year ->
// name_year, month -> name_month, day -> name_day, hour -> name_hour,
// void -> name_null.
std::string DefaultPartitionFieldName(const std::string& source_name, const Transform& t);

}  // namespace floe::spec
