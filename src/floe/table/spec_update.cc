#include "floe/table/spec_update.h"

#include <algorithm>

#include "floe/table/ddl.h"

namespace floe::table {

using spec::PartitionField;
using spec::PartitionSpec;

namespace {

// The one field `text` describes, named and typed against `schema`.
Result<PartitionField> ParseField(const std::string& text, const spec::Schema& schema) {
  FLOE_ASSIGN_OR_RAISE(PartitionSpec parsed, ParsePartitionSpec(text, schema));
  if (parsed.fields().size() != 1) {
    return Status::Invalid("expected one partition field, got '", text, "'");
  }
  return parsed.fields()[0];
}

bool SameSourceAndTransform(const PartitionField& a, const PartitionField& b) {
  return a.source_id == b.source_id && a.source_ids == b.source_ids && a.transform == b.transform;
}

std::string FieldList(const std::vector<PartitionField>& fields) {
  std::string out;
  for (const auto& f : fields) {
    if (f.transform.kind() == spec::TransformKind::kVoid) continue;
    out += (out.empty() ? "" : ", ") + f.name;
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace

PartitionSpecUpdate& PartitionSpecUpdate::AddField(std::string text) {
  changes_.push_back({"", std::move(text)});
  return *this;
}
PartitionSpecUpdate& PartitionSpecUpdate::RemoveField(std::string name_or_text) {
  changes_.push_back({std::move(name_or_text), ""});
  return *this;
}
PartitionSpecUpdate& PartitionSpecUpdate::ReplaceField(std::string name_or_text, std::string text) {
  changes_.push_back({std::move(name_or_text), std::move(text)});
  return *this;
}

std::string PartitionSpecUpdate::Describe() const { return "update partition spec"; }

Status PartitionSpecUpdate::Apply(spec::TableMetadata* md, CommitAttempt*) {
  const spec::Schema& schema = *md->CurrentSchema();
  const PartitionSpec* base = md->DefaultSpec();
  std::vector<PartitionField> fields = base ? base->fields() : std::vector<PartitionField>{};
  int32_t last_id = md->last_partition_id;
  for (const Change& c : changes_) {
    if (!c.remove.empty()) {
      auto it = std::find_if(fields.begin(), fields.end(), [&](const PartitionField& f) {
        return f.name == c.remove && f.transform.kind() != spec::TransformKind::kVoid;
      });
      if (it == fields.end()) {
        auto parsed = ParseField(c.remove, schema);
        if (parsed.ok()) {
          it = std::find_if(fields.begin(), fields.end(), [&](const PartitionField& f) {
            return SameSourceAndTransform(f, *parsed);
          });
        }
      }
      if (it == fields.end()) {
        return Status::Invalid("the table has no partition field '", c.remove,
                               "'; its partition fields are: ", FieldList(fields));
      }
      if (md->format_version == 1) {
        // v1 cannot drop fields: the field stays, producing nulls (§Partition
        // Evolution), renamed so that its name is free for a new field.
        it->transform = spec::Transform::Void();
        it->name += "_" + std::to_string(it->field_id);
      } else {
        fields.erase(it);
      }
    }
    if (!c.add.empty()) {
      FLOE_ASSIGN_OR_RAISE(PartitionField f, ParseField(c.add, schema));
      for (const PartitionField& existing : fields) {
        if (existing.transform.kind() == spec::TransformKind::kVoid) continue;
        if (SameSourceAndTransform(existing, f)) {
          return Status::Invalid("the table is already partitioned by '", c.add, "' (field '",
                                 existing.name, "')");
        }
        if (existing.name == f.name) {
          return Status::Invalid("a partition field named '", f.name, "' already exists; name "
                                 "the new one with: ", c.add, " as NAME");
        }
      }
      // Reuse the id of the same field in an earlier spec (v2+), else a new one.
      f.field_id = 0;
      if (md->format_version >= 2) {
        for (const PartitionSpec& s : md->partition_specs) {
          for (const PartitionField& old : s.fields()) {
            if (SameSourceAndTransform(old, f) && old.name == f.name) f.field_id = old.field_id;
          }
        }
      }
      if (f.field_id == 0) f.field_id = ++last_id;
      // v1: a removed field's void placeholder keeps its place; add at the end.
      fields.push_back(std::move(f));
    }
  }
  int32_t spec_id = 0;
  for (const PartitionSpec& s : md->partition_specs) spec_id = std::max(spec_id, s.spec_id() + 1);
  for (const PartitionSpec& s : md->partition_specs) {
    if (s.fields() == fields) spec_id = s.spec_id();  // back to an earlier spec
  }
  PartitionSpec spec(spec_id, fields);
  FLOE_RETURN_NOT_OK(spec.Validate(schema));
  if (!md->SpecById(spec_id)) md->partition_specs.push_back(spec);
  md->default_spec_id = spec_id;
  md->last_partition_id = std::max(md->last_partition_id, last_id);
  return Status::OK();
}

Status SortOrderUpdate::Apply(spec::TableMetadata* md, CommitAttempt*) {
  int32_t order_id = 1;
  for (const spec::SortOrder& o : md->sort_orders) order_id = std::max(order_id, o.order_id + 1);
  spec::SortOrder order;
  if (!text_.empty()) {
    FLOE_ASSIGN_OR_RAISE(order, ParseSortOrder(text_, *md->CurrentSchema(), order_id));
  }
  for (const spec::SortOrder& o : md->sort_orders) {
    if (o.SameFields(order)) {
      md->default_sort_order_id = o.order_id;
      return Status::OK();
    }
  }
  if (order.IsUnsorted()) order.order_id = 0;
  md->sort_orders.push_back(order);
  md->default_sort_order_id = order.order_id;
  return Status::OK();
}

}  // namespace floe::table
