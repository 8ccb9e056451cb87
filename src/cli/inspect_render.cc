#include "cli/inspect_render.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "floe/spec/json.h"
#include "floe/spec/literal.h"
#include "floe/util/strings.h"

namespace floe::cli {

using Json = nlohmann::ordered_json;
using manifest::ManifestEntry;
using manifest::ManifestFile;

namespace {

std::string Dump(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace) + "\n";
}

Json Opt(const auto& v) { return v ? Json(*v) : Json(nullptr); }

Json OptHex(const std::optional<std::string>& v) {
  return v ? Json(util::HexEncode(*v)) : Json(nullptr);
}

std::string_view ContentName(manifest::ManifestContent c) {
  return c == manifest::ManifestContent::kData ? "data" : "deletes";
}

// A literal in App. D JSON form, parsed back into a JSON value.
Json LiteralJson(const spec::Literal& v, const spec::Type& t) {
  return Json::parse(spec::LiteralToJson(v, t), nullptr, /*allow_exceptions=*/false);
}

Json SummaryJson(const manifest::PartitionFieldSummary& s) {
  Json j;
  j["contains_null"] = s.contains_null;
  j["contains_nan"] = Opt(s.contains_nan);
  j["lower_bound"] = OptHex(s.lower_bound);
  j["upper_bound"] = OptHex(s.upper_bound);
  return j;
}

Json ManifestFileJson(const ManifestFile& m) {
  Json j;
  j["manifest_path"] = m.manifest_path;
  j["manifest_length"] = m.manifest_length;
  j["partition_spec_id"] = m.partition_spec_id;
  j["content"] = ContentName(m.content);
  j["sequence_number"] = m.sequence_number;
  j["min_sequence_number"] = m.min_sequence_number;
  j["added_snapshot_id"] = Opt(m.added_snapshot_id);
  j["added_files_count"] = Opt(m.added_files_count);
  j["existing_files_count"] = Opt(m.existing_files_count);
  j["deleted_files_count"] = Opt(m.deleted_files_count);
  j["added_rows_count"] = Opt(m.added_rows_count);
  j["existing_rows_count"] = Opt(m.existing_rows_count);
  j["deleted_rows_count"] = Opt(m.deleted_rows_count);
  if (m.partitions) {
    Json parts = Json::array();
    for (const auto& s : *m.partitions) parts.push_back(SummaryJson(s));
    j["partitions"] = std::move(parts);
  } else {
    j["partitions"] = nullptr;
  }
  j["key_metadata"] = OptHex(m.key_metadata);
  j["first_row_id"] = Opt(m.first_row_id);
  return j;
}

Json CountMapJson(const manifest::CountMap& m) {
  if (!m) return nullptr;
  Json j = Json::object();
  for (const auto& [id, v] : *m) j[std::to_string(id)] = v;
  return j;
}

// Bounds: raw hex, plus the decoded value where the schema knows the field.
Json BoundMapJson(const manifest::BoundMap& m) {
  if (!m) return nullptr;
  Json j = Json::object();
  for (const auto& [id, v] : *m) j[std::to_string(id)] = util::HexEncode(v);
  return j;
}

Json DecodedBoundsJson(const manifest::BoundMap& m, const std::optional<spec::Schema>& schema) {
  if (!m || !schema) return nullptr;
  Json j = Json::object();
  for (const auto& [id, v] : *m) {
    const spec::NestedField* f = schema->FindField(id);
    if (!f || !f->type->is_primitive()) continue;
    auto lit = spec::DeserializeSingleValue(v, *f->type);
    if (lit.ok()) j[std::to_string(id)] = LiteralJson(*lit, *f->type);
  }
  return j;
}

Json EntryJson(const manifest::Manifest& m, const ManifestEntry& e) {
  const manifest::DataFile& f = e.data_file;
  Json df;
  df["content"] = static_cast<int>(f.content);
  df["file_path"] = f.file_path;
  df["file_format"] = manifest::FileFormatName(f.file_format);
  Json partition = Json::object();
  const auto& ptype = m.partition_type->fields();
  for (size_t i = 0; i < f.partition.size() && i < ptype.size(); ++i) {
    partition[ptype[i].name] = LiteralJson(f.partition[i], *ptype[i].type);
  }
  df["partition"] = std::move(partition);
  df["record_count"] = f.record_count;
  df["file_size_in_bytes"] = f.file_size_in_bytes;
  if (f.block_size_in_bytes) df["block_size_in_bytes"] = *f.block_size_in_bytes;
  df["column_sizes"] = CountMapJson(f.column_sizes);
  df["value_counts"] = CountMapJson(f.value_counts);
  df["null_value_counts"] = CountMapJson(f.null_value_counts);
  df["nan_value_counts"] = CountMapJson(f.nan_value_counts);
  df["lower_bounds"] = BoundMapJson(f.lower_bounds);
  df["upper_bounds"] = BoundMapJson(f.upper_bounds);
  df["decoded_lower_bounds"] = DecodedBoundsJson(f.lower_bounds, m.schema);
  df["decoded_upper_bounds"] = DecodedBoundsJson(f.upper_bounds, m.schema);
  df["key_metadata"] = OptHex(f.key_metadata);
  df["split_offsets"] = Opt(f.split_offsets);
  df["equality_ids"] = Opt(f.equality_ids);
  df["sort_order_id"] = Opt(f.sort_order_id);
  df["first_row_id"] = Opt(f.first_row_id);
  df["referenced_data_file"] = Opt(f.referenced_data_file);
  df["content_offset"] = Opt(f.content_offset);
  df["content_size_in_bytes"] = Opt(f.content_size_in_bytes);
  Json j;
  j["status"] = static_cast<int>(e.status);
  j["status_name"] = manifest::EntryStatusName(e.status);
  j["snapshot_id"] = Opt(e.snapshot_id);
  j["sequence_number"] = Opt(e.sequence_number);
  j["file_sequence_number"] = Opt(e.file_sequence_number);
  j["data_file"] = std::move(df);
  return j;
}

std::string PartitionText(const manifest::Manifest& m, const manifest::DataFile& f) {
  if (f.partition.empty()) return "(unpartitioned)";
  const auto& ptype = m.partition_type->fields();
  std::string out;
  for (size_t i = 0; i < f.partition.size(); ++i) {
    if (i) out += ", ";
    std::string value = i < m.spec.fields().size()
                            ? m.spec.fields()[i].transform.ToHumanString(f.partition[i],
                                                                         *ptype[i].type)
                            : spec::LiteralToString(f.partition[i], *ptype[i].type);
    out += ptype[i].name + "=" + value;
  }
  return out;
}

}  // namespace

std::string FormatMillis(int64_t ms) {
  return spec::LiteralToString(spec::Literal::Long(ms * 1000), *spec::Type::TimestampTz());
}

std::string MetadataJson(const std::string& path, const spec::TableMetadata& md) {
  Json j;
  j["kind"] = "table-metadata";
  j["path"] = path;
  j["metadata"] = Json::parse(spec::TableMetadataToJson(md));
  return Dump(j);
}

std::string MetadataText(const std::string& path, const spec::TableMetadata& md) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line("Table metadata " + path);
  line(fmt::format("  format-version      {}", md.format_version));
  line(fmt::format("  table-uuid          {}", md.table_uuid.empty() ? "(none)" : md.table_uuid));
  line(fmt::format("  location            {}", md.location));
  line(fmt::format("  last-updated        {} ({} ms)", FormatMillis(md.last_updated_ms),
                   md.last_updated_ms));
  line(fmt::format("  last-sequence-number {}   last-column-id {}   last-partition-id {}",
                   md.last_sequence_number, md.last_column_id, md.last_partition_id));
  if (md.next_row_id) line(fmt::format("  next-row-id         {}", *md.next_row_id));
  for (const spec::Schema& s : md.schemas) {
    line(fmt::format("  schema {}{}{}", s.schema_id(),
                     s.schema_id() == md.current_schema_id ? " (current)" : "",
                     s.identifier_field_ids().empty()
                         ? ""
                         : fmt::format(", identifier fields {}",
                                       fmt::join(s.identifier_field_ids(), ","))));
    for (const spec::NestedField& f : s.fields()) {
      line(fmt::format("    {:>4}: {} {} {}{}", f.id, f.name,
                       f.required ? "required" : "optional", f.type->ToString(),
                       f.doc ? "  -- " + *f.doc : ""));
    }
  }
  const spec::Schema* current = md.CurrentSchema();
  for (const spec::PartitionSpec& s : md.partition_specs) {
    line(fmt::format("  partition spec {}{}: {}", s.spec_id(),
                     s.spec_id() == md.default_spec_id ? " (default)" : "", s.ToString(current)));
  }
  for (const spec::SortOrder& o : md.sort_orders) {
    line(fmt::format("  sort order {}{}: {}", o.order_id,
                     o.order_id == md.default_sort_order_id ? " (default)" : "",
                     o.ToString(current)));
  }
  if (!md.properties.empty()) {
    line("  properties");
    for (const auto& [k, v] : md.properties) line(fmt::format("    {} = {}", k, v));
  }
  line(fmt::format("  snapshots ({}), current {}", md.snapshots.size(),
                   md.current_snapshot_id ? std::to_string(*md.current_snapshot_id) : "none"));
  for (const spec::Snapshot& s : md.snapshots) {
    line(fmt::format("    {}  seq {}  {}  {}{}{}", s.snapshot_id, s.sequence_number,
                     FormatMillis(s.timestamp_ms), s.operation.empty() ? "-" : s.operation,
                     s.parent_snapshot_id ? fmt::format("  parent {}", *s.parent_snapshot_id) : "",
                     s.schema_id ? fmt::format("  schema {}", *s.schema_id) : ""));
    line("      manifest-list " +
         (s.manifest_list.empty() ? fmt::format("(inline: {} manifests)", s.manifests.size())
                                  : s.manifest_list));
    if (!s.summary.empty()) {
      std::vector<std::string> kv;
      for (const auto& [k, v] : s.summary) kv.push_back(k + "=" + v);
      line("      summary " + util::Join(kv, ", "));
    }
    if (s.first_row_id) {
      line(fmt::format("      first-row-id {}  added-rows {}", *s.first_row_id,
                       s.added_rows.value_or(0)));
    }
  }
  if (!md.refs.empty()) {
    line("  refs");
    for (const auto& [name, r] : md.refs) {
      line(fmt::format("    {} -> {} ({})", name, r.snapshot_id,
                       r.type == spec::RefType::kBranch ? "branch" : "tag"));
    }
  }
  line(fmt::format("  snapshot-log {} entries, metadata-log {} entries", md.snapshot_log.size(),
                   md.metadata_log.size()));
  for (const auto& st : md.statistics) {
    line(fmt::format("  statistics for snapshot {}: {} ({} blobs)", st.snapshot_id,
                     st.statistics_path, st.blob_metadata.size()));
  }
  return out;
}

std::string ManifestListJson(const std::string& path, const manifest::ManifestList& list) {
  Json j;
  j["kind"] = "manifest-list";
  j["path"] = path;
  j["format_version"] = list.format_version;
  j["codec"] = list.codec;
  Json meta = Json::object();
  for (const auto& [k, v] : list.metadata) meta[k] = v;
  j["metadata"] = std::move(meta);
  Json manifests = Json::array();
  for (const auto& m : list.manifests) manifests.push_back(ManifestFileJson(m));
  j["manifests"] = std::move(manifests);
  return Dump(j);
}

std::string ManifestListText(const std::string& path, const manifest::ManifestList& list) {
  std::string out = fmt::format("Manifest list {}\n  format v{}, codec {}, {} manifests\n", path,
                                list.format_version, list.codec, list.manifests.size());
  for (const auto& [k, v] : list.metadata) {
    if (k != "iceberg.schema") out += fmt::format("  {} = {}\n", k, v);
  }
  for (const ManifestFile& m : list.manifests) {
    out += fmt::format("  {}\n", m.manifest_path);
    out += fmt::format(
        "    {} spec {}  seq {} (min {})  added by {}  length {}\n", ContentName(m.content),
        m.partition_spec_id, m.sequence_number, m.min_sequence_number,
        m.added_snapshot_id ? std::to_string(*m.added_snapshot_id) : "?", m.manifest_length);
    auto n = [](const auto& v) { return v ? std::to_string(*v) : std::string("?"); };
    out += fmt::format("    files added {} existing {} deleted {}   rows added {} existing {} "
                       "deleted {}\n",
                       n(m.added_files_count), n(m.existing_files_count),
                       n(m.deleted_files_count), n(m.added_rows_count),
                       n(m.existing_rows_count), n(m.deleted_rows_count));
    if (m.first_row_id) out += fmt::format("    first-row-id {}\n", *m.first_row_id);
    if (m.partitions) {
      for (size_t i = 0; i < m.partitions->size(); ++i) {
        const auto& s = (*m.partitions)[i];
        out += fmt::format("    partition field {}: nulls {} nan {} lower {} upper {}\n", i,
                           s.contains_null,
                           s.contains_nan ? (*s.contains_nan ? "true" : "false") : "?",
                           s.lower_bound ? util::HexEncode(*s.lower_bound) : "-",
                           s.upper_bound ? util::HexEncode(*s.upper_bound) : "-");
      }
    }
  }
  return out;
}

std::string ManifestJson(const std::string& path, const manifest::Manifest& m) {
  Json j;
  j["kind"] = "manifest";
  j["path"] = path;
  j["format_version"] = m.format_version;
  j["content"] = ContentName(m.content);
  j["codec"] = m.codec;
  j["partition_spec_id"] = m.spec.spec_id();
  j["partition_spec"] = Json::parse(spec::PartitionFieldsToJson(m.spec));
  j["schema_id"] = m.schema ? Json(m.schema->schema_id()) : Json(nullptr);
  Json ptype = Json::array();
  for (const auto& f : m.partition_type->fields()) {
    ptype.push_back(Json{{"field_id", f.id}, {"name", f.name}, {"type", f.type->ToString()}});
  }
  j["partition_type"] = std::move(ptype);
  Json entries = Json::array();
  for (const ManifestEntry& e : m.entries) entries.push_back(EntryJson(m, e));
  j["entries"] = std::move(entries);
  return Dump(j);
}

std::string ManifestText(const std::string& path, const manifest::Manifest& m) {
  std::string out = fmt::format("Manifest {}\n  format v{}, {} manifest, codec {}, {} entries\n",
                                path, m.format_version, ContentName(m.content), m.codec,
                                m.entries.size());
  const spec::Schema* schema = m.schema ? &*m.schema : nullptr;
  out += fmt::format("  partition spec {}: {}\n", m.spec.spec_id(), m.spec.ToString(schema));
  for (const ManifestEntry& e : m.entries) {
    const manifest::DataFile& f = e.data_file;
    auto n = [](const auto& v) { return v ? std::to_string(*v) : std::string("inherited"); };
    out += fmt::format("  {:<8} snapshot {}  seq {}  file-seq {}\n", manifest::EntryStatusName(e.status),
                       n(e.snapshot_id), n(e.sequence_number), n(e.file_sequence_number));
    out += fmt::format("    {} {} {}\n", manifest::FileContentName(f.content),
                       manifest::FileFormatName(f.file_format), f.file_path);
    out += fmt::format("    partition {}   records {}   size {}\n", PartitionText(m, f),
                       f.record_count, f.file_size_in_bytes);
    if (f.equality_ids) out += fmt::format("    equality ids {}\n", fmt::join(*f.equality_ids, ","));
    if (f.referenced_data_file) out += "    references " + *f.referenced_data_file + "\n";
    if (f.content_offset) {
      out += fmt::format("    content offset {} size {}\n", *f.content_offset,
                         f.content_size_in_bytes.value_or(0));
    }
    if (f.first_row_id) out += fmt::format("    first-row-id {}\n", *f.first_row_id);
    if (f.lower_bounds && schema) {
      for (const auto& [id, low] : *f.lower_bounds) {
        const spec::NestedField* field = schema->FindField(id);
        std::string name = schema->FindColumnName(id).value_or(std::to_string(id));
        std::string lo = util::HexEncode(low), hi = "?";
        if (field && field->type->is_primitive()) {
          if (auto v = spec::DeserializeSingleValue(low, *field->type); v.ok()) {
            lo = spec::LiteralToString(*v, *field->type);
          }
          if (f.upper_bounds) {
            for (const auto& [uid, up] : *f.upper_bounds) {
              if (uid != id) continue;
              auto v = spec::DeserializeSingleValue(up, *field->type);
              hi = v.ok() ? spec::LiteralToString(*v, *field->type) : util::HexEncode(up);
            }
          }
        }
        out += fmt::format("    bounds {}: [{}, {}]\n", name, lo, hi);
      }
    }
  }
  return out;
}

}  // namespace floe::cli
