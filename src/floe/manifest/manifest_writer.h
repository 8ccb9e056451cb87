// Writes manifests (spec §Manifests) of format versions 1 to 3 with the
// schema, names and key-value metadata Java writes, so every engine reads
// them, and computes the ManifestFile (counts, partition summaries) that the
// manifest list needs.
#pragma once

#include <optional>
#include <string>

#include "floe/avro/codec.h"
#include "floe/avro/container_writer.h"
#include "floe/manifest/data_file.h"
#include "floe/manifest/manifest_file.h"
#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"

namespace floe::manifest {

struct ManifestWriteOptions {
  int format_version = 2;
  spec::PartitionSpec spec;
  spec::Schema schema;  // the table schema the spec refers to
  ManifestContent content = ManifestContent::kData;
  // The snapshot writing the manifest: ADDED entries without a snapshot id
  // inherit it (written as null in v2+, explicitly in v1).
  int64_t snapshot_id = 0;
  avro::Codec codec = avro::Codec::kDeflate;
  std::optional<int> compression_level;
};

struct WrittenManifest {
  std::string bytes;
  // The manifest list entry, with `manifest_path` and `manifest_length` set;
  // sequence numbers are kUnassignedSequenceNumber when entries inherit the
  // commit's (the manifest list writer assigns them).
  ManifestFile manifest_file;
};

class ManifestWriter {
 public:
  // Errors: Invalid for a spec that does not fit the schema or a partition
  // type without an Avro form.
  static Result<ManifestWriter> Make(ManifestWriteOptions options);

  // Appends one entry. Returns Invalid, naming the file and field, when the
  // entry does not fit: a partition tuple of the wrong arity or types, delete
  // files in a data manifest (or the reverse), v2 fields in a v1 manifest,
  // EXISTING/DELETED entries without their snapshot id and sequence numbers.
  Status Add(const ManifestEntry& entry);

  // Finishes the file, which will live at `path`.
  Result<WrittenManifest> Finish(std::string path);

  const spec::TypePtr& partition_type() const { return partition_type_; }

 private:
  ManifestWriter() = default;
  ManifestWriteOptions options_;
  spec::TypePtr partition_type_;
  std::optional<avro::ContainerWriter> writer_;
  ManifestFile file_;
  std::vector<PartitionFieldSummary> summaries_;
  std::vector<spec::Literal> lower_, upper_;
  std::optional<int64_t> min_sequence_number_;
  bool inherits_sequence_number_ = false;
};

}  // namespace floe::manifest
