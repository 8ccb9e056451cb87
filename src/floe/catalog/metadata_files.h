// Table metadata files: naming (spec §Metastore Tables: <V>-<uuid>.metadata.json),
// reading (plain or gzip), exclusive writing, and finding the current file of
// a table folder without a catalog (version-hint.text or the highest version,
// as file-system readers such as ClickHouse and DuckDB do).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "floe/io/file_io.h"
#include "floe/result.h"
#include "floe/spec/table_metadata.h"

namespace floe::catalog {

// The folder metadata files go to: `write.metadata.path` if set, else
// <location>/metadata.
std::string MetadataFolder(const spec::TableMetadata& metadata);

// The version number in a metadata file name: 12 for ".../00012-<uuid>.metadata.json"
// and for ".../v12.metadata.json" (also .gz variants); -1 when there is none.
int64_t MetadataVersion(std::string_view location);

// A fresh location for metadata version `version`:
// <folder>/<version as %05d>-<uuid>.metadata.json, or ".gz.metadata.json"
// when write.metadata.compression-codec is gzip.
std::string NewMetadataLocation(const spec::TableMetadata& metadata, int64_t version);

// Reads and validates a metadata file (gzip recognised by its magic bytes).
// Errors name the file.
Result<std::shared_ptr<const spec::TableMetadata>> ReadMetadataFile(io::FileIO& io,
                                                                    const std::string& location);

// Writes `metadata` to `location`, failing with AlreadyExists rather than
// overwriting (gzip when the name says so).
Status WriteMetadataFile(io::FileIO& io, const std::string& location,
                         const spec::TableMetadata& metadata);

// The current metadata file of a table given as a metadata file (returned
// as is), a table folder or its metadata folder: the version named by a
// non-empty metadata/version-hint.text, else the highest-versioned
// *.metadata.json. NotFound when the folder holds no metadata file.
Result<std::string> FindCurrentMetadata(io::FileIO& io, const std::string& table_or_file);

}  // namespace floe::catalog
