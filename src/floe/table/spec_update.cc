#include "floe/table/spec_update.h"

#include <algorithm>

#include "floe/expr/ddl.h"

namespace floe::table {

using spec::PartitionField;
using spec::PartitionSpec;

namespace {

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

PartitionSpecUpdate& PartitionSpecUpdate::AddField(expr::PartitionTerm term) {
  changes_.push_back({std::nullopt, std::move(term)});
  return *this;
}
PartitionSpecUpdate& PartitionSpecUpdate::RemoveField(expr::PartitionTerm name_or_term) {
  changes_.push_back({std::move(name_or_term), std::nullopt});
  return *this;
}
PartitionSpecUpdate& PartitionSpecUpdate::ReplaceField(expr::PartitionTerm name_or_term,
                                                       expr::PartitionTerm term) {
  changes_.push_back({std::move(name_or_term), std::move(term)});
  return *this;
}

std::string PartitionSpecUpdate::Describe() const { return "update partition spec"; }

Status PartitionSpecUpdate::Apply(spec::TableMetadata* md, CommitAttempt*) {
  const spec::Schema& schema = *md->CurrentSchema();
  const PartitionSpec* base = md->DefaultSpec();
  std::vector<PartitionField> fields = base ? base->fields() : std::vector<PartitionField>{};
  int32_t last_id = md->last_partition_id;
  for (const Change& c : changes_) {
    if (c.remove) {
      const expr::PartitionTerm& r = *c.remove;
      const std::string text = expr::FormatPartitionTerm(r);
      // A bare word is a partition field's name first, then an identity field.
      const bool bare = r.transform.kind() == spec::TransformKind::kIdentity && !r.name;
      auto it = std::find_if(fields.begin(), fields.end(), [&](const PartitionField& f) {
        return bare && f.name == r.column && f.transform.kind() != spec::TransformKind::kVoid;
      });
      if (it == fields.end()) {
        auto bound = expr::BindPartitionTerm(r, schema, 0);
        if (bound.ok()) {
          it = std::find_if(fields.begin(), fields.end(), [&](const PartitionField& f) {
            return SameSourceAndTransform(f, *bound);
          });
        }
      }
      if (it == fields.end()) {
        return Status::Invalid("the table has no partition field '", text,
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
    if (c.add) {
      const std::string text = expr::FormatPartitionTerm(*c.add);
      auto bound = expr::BindPartitionTerm(*c.add, schema, 0);
      if (!bound.ok()) {
        return Status::Invalid("partition field '", text, "': ", bound.status().message());
      }
      PartitionField f = std::move(*bound);
      for (const PartitionField& existing : fields) {
        if (existing.transform.kind() == spec::TransformKind::kVoid) continue;
        if (SameSourceAndTransform(existing, f)) {
          return Status::Invalid("the table is already partitioned by '", text, "' (field '",
                                 existing.name, "')");
        }
        if (existing.name == f.name) {
          return Status::Invalid("a partition field named '", f.name, "' already exists; name "
                                 "the new one with: ", text, " as NAME");
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
  if (!terms_.empty()) {
    auto bound = expr::BindSortOrder(terms_, *md->CurrentSchema(), order_id);
    if (!bound.ok()) {
      return Status::Invalid("write order '", expr::FormatSortTerms(terms_), "': ",
                             bound.status().message());
    }
    order = std::move(*bound);
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
