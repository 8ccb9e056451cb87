// Reads manifests (spec §Manifests) of format versions 1 to 3 into
// ManifestEntry structs. The writer schema is compiled once into a plan
// keyed by field id (names are not trusted; some writers differ), then each
// entry is decoded straight into its struct.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/manifest/data_file.h"
#include "floe/manifest/manifest_file.h"
#include "floe/result.h"
#include "floe/spec/partition_spec.h"
#include "floe/spec/schema.h"

namespace floe::manifest {

struct ManifestReadOptions {
  // The table's view of this manifest. Both are optional: without them the
  // spec and schema come from the file's key-value metadata, and failing
  // that the partition tuple's types come from its Avro schema (Flink writes
  // manifests without metadata). Must outlive the call.
  const spec::PartitionSpec* spec = nullptr;
  const spec::Schema* schema = nullptr;
  // The manifest list entry that points at this manifest. When given, null
  // snapshot ids, sequence numbers and first row ids are inherited from it
  // (§Sequence Number Inheritance, §Row Lineage); otherwise they stay null.
  const ManifestFile* manifest_file = nullptr;
};

struct Manifest {
  int format_version = 1;            // from metadata, else inferred from the schema
  ManifestContent content = ManifestContent::kData;
  spec::PartitionSpec spec;          // the spec the entries' partition tuples follow
  std::optional<spec::Schema> schema;  // the table schema, when known
  spec::TypePtr partition_type;      // struct of the partition tuple (ids = field ids)
  // Key-value metadata of the file in file order (avro.* keys excluded).
  std::vector<std::pair<std::string, std::string>> metadata;
  std::string codec;  // "null", "deflate", "snappy", "zstandard"
  std::vector<ManifestEntry> entries;
};

// Decodes the manifest `bytes`; `name` (its path) prefixes every error.
// Errors: Invalid (not an Avro file, missing required field, a field of an
// unexpected Avro type, a partition tuple that does not fit the spec),
// Corruption (damaged bytes), NotSupported (unknown codec).
Result<Manifest> ReadManifest(std::string_view name, std::string_view bytes,
                              const ManifestReadOptions& options = {});

}  // namespace floe::manifest
