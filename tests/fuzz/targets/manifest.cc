// Manifests and manifest lists (spec §Manifests, §Manifest Lists): any
// input decodes or gives an error, never a crash, hang or unbounded
// allocation. Properties: a manifest that decodes, with its spec and schema,
// is written back by ManifestWriter (when the writer accepts its entries)
// and decodes to the same entries; a manifest list that decodes is written
// back and decodes to the manifests the writer says it wrote.
#include <string_view>

#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/manifest/manifest_writer.h"
#include "fuzz_target.h"

namespace {

namespace manifest = floe::manifest;

// The first field in which two data files differ, for the failure message.
std::string FirstDifference(const manifest::DataFile& a, const manifest::DataFile& b) {
#define FLOE_DIFF(field) \
  if (!(a.field == b.field)) return #field;
  FLOE_DIFF(content) FLOE_DIFF(file_path) FLOE_DIFF(file_format) FLOE_DIFF(partition)
  FLOE_DIFF(record_count) FLOE_DIFF(file_size_in_bytes) FLOE_DIFF(block_size_in_bytes)
  FLOE_DIFF(column_sizes) FLOE_DIFF(value_counts) FLOE_DIFF(null_value_counts)
  FLOE_DIFF(nan_value_counts) FLOE_DIFF(lower_bounds) FLOE_DIFF(upper_bounds)
  FLOE_DIFF(key_metadata) FLOE_DIFF(split_offsets) FLOE_DIFF(equality_ids)
  FLOE_DIFF(sort_order_id) FLOE_DIFF(first_row_id) FLOE_DIFF(referenced_data_file)
  FLOE_DIFF(content_offset) FLOE_DIFF(content_size_in_bytes) FLOE_DIFF(spec_id)
#undef FLOE_DIFF
  return "nothing";
}

void ManifestRoundTrip(const manifest::Manifest& m) {
  if (!m.schema) return;
  manifest::ManifestWriteOptions options;
  options.format_version = m.format_version;
  options.spec = m.spec;
  options.schema = *m.schema;
  options.content = m.content;
  options.snapshot_id = 1;
  auto writer = manifest::ManifestWriter::Make(options);
  if (!writer.ok()) return;
  for (const manifest::ManifestEntry& e : m.entries) {
    if (!writer->Add(e).ok()) return;  // an entry this version's writer may not hold
  }
  auto written = writer->Finish("fuzz-rewritten.avro");
  FLOE_FUZZ_CHECK(written.ok(), "a manifest the writer accepted did not finish: " +
                                    written.status().ToString());
  manifest::ManifestReadOptions read;
  read.spec = &m.spec;
  read.schema = &*m.schema;
  auto again = manifest::ReadManifest("fuzz-rewritten.avro", written->bytes, read);
  FLOE_FUZZ_CHECK(again.ok(), "a written manifest does not decode: " + again.status().ToString());
  FLOE_FUZZ_CHECK(again->entries.size() == m.entries.size(), "entries lost in a round trip");
  for (size_t i = 0; i < m.entries.size(); ++i) {
    const manifest::ManifestEntry& a = m.entries[i];
    const manifest::ManifestEntry& b = again->entries[i];
    FLOE_FUZZ_CHECK(a.status == b.status, "entry " + std::to_string(i) + " changed status");
    FLOE_FUZZ_CHECK(a.data_file == b.data_file,
                    "entry " + std::to_string(i) + " changed in a round trip (" +
                        FirstDifference(a.data_file, b.data_file) + "): " + a.data_file.file_path);
    // Explicit snapshot ids and sequence numbers survive; null ones inherit.
    if (a.snapshot_id) FLOE_FUZZ_CHECK(b.snapshot_id == a.snapshot_id, "snapshot id changed");
    if (m.format_version >= 2) {
      if (a.sequence_number) FLOE_FUZZ_CHECK(b.sequence_number == a.sequence_number, "sequence number changed");
      if (a.file_sequence_number) {
        FLOE_FUZZ_CHECK(b.file_sequence_number == a.file_sequence_number,
                        "file sequence number changed");
      }
    }
  }
}

void ManifestListRoundTrip(const manifest::ManifestList& list) {
  manifest::ManifestListWriteOptions options;
  options.format_version = list.format_version;
  options.snapshot_id = 1;
  options.sequence_number = 1;
  if (list.format_version >= 3) options.first_row_id = 0;
  auto written = manifest::WriteManifestList(list.manifests, options);
  if (!written.ok()) return;
  auto again = manifest::ReadManifestList("fuzz-rewritten.avro", written->bytes);
  FLOE_FUZZ_CHECK(again.ok(), "a written manifest list does not decode: " +
                                  again.status().ToString());
  FLOE_FUZZ_CHECK(again->manifests == written->manifests,
                  "a manifest list decodes differently from what was written");
}

}  // namespace

FLOE_FUZZ_TARGET(manifest) {
  auto m = manifest::ReadManifest("fuzz.avro", input);
  if (m.ok()) ManifestRoundTrip(*m);
  auto list = manifest::ReadManifestList("fuzz.avro", input);
  if (list.ok()) ManifestListRoundTrip(*list);
}
