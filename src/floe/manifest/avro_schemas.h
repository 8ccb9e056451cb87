// The Avro schemas of manifests and manifest lists, as Java writes them
// (field names, ids, docs and order; spec §Manifests, §Manifest Lists,
// Appendix A), for format versions 1 to 3.
#pragma once

#include <string>
#include <string_view>

#include "floe/result.h"
#include "floe/spec/type.h"

namespace floe::manifest {

// Schema JSON of `manifest_entry` for a partition tuple of `partition_type`
// (a struct whose fields carry the partition field ids). Fails for a
// partition type without an Avro form (nested types).
Result<std::string> ManifestEntrySchemaJson(int format_version, const spec::Type& partition_type);

// Schema JSON of `manifest_file` (the manifest list's record).
std::string ManifestFileSchemaJson(int format_version);

// A valid Avro name for `name` (App. A, [Java]): a leading digit d becomes
// "_d", any other character outside [A-Za-z0-9_] "_x" + its UTF-16 code
// unit(s) in upper-case hex.
std::string SanitizeAvroName(std::string_view name);

}  // namespace floe::manifest
