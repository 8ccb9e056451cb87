// Rendering of `floe inspect` output. The JSON forms are a stable contract
// for scripts: field names follow the spec (snake_case for Avro records, the
// spec's kebab-case for metadata), bytes are lower-case hex, partition values
// and decoded bounds use the spec's JSON single-value form (App. D).
#pragma once

#include <string>

#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/spec/table_metadata.h"

namespace floe::cli {

std::string MetadataJson(const std::string& path, const spec::TableMetadata& md);
std::string MetadataText(const std::string& path, const spec::TableMetadata& md);
std::string ManifestListJson(const std::string& path, const manifest::ManifestList& list);
std::string ManifestListText(const std::string& path, const manifest::ManifestList& list);
std::string ManifestJson(const std::string& path, const manifest::Manifest& m);
std::string ManifestText(const std::string& path, const manifest::Manifest& m);

// "2024-01-02T10:00:00.123+00:00" for epoch milliseconds.
std::string FormatMillis(int64_t ms);

}  // namespace floe::cli
