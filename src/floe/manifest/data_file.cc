#include "floe/manifest/data_file.h"

#include "floe/util/strings.h"

namespace floe::manifest {

std::string_view FileContentName(FileContent c) {
  switch (c) {
    case FileContent::kData: return "data";
    case FileContent::kPositionDeletes: return "position-deletes";
    case FileContent::kEqualityDeletes: return "equality-deletes";
  }
  return "?";
}

std::string_view FileFormatName(FileFormat f) {
  switch (f) {
    case FileFormat::kParquet: return "PARQUET";
    case FileFormat::kAvro: return "AVRO";
    case FileFormat::kOrc: return "ORC";
    case FileFormat::kPuffin: return "PUFFIN";
  }
  return "?";
}

std::optional<FileFormat> ParseFileFormat(std::string_view text) {
  for (FileFormat f : {FileFormat::kParquet, FileFormat::kAvro, FileFormat::kOrc,
                       FileFormat::kPuffin}) {
    if (util::EqualsIgnoreCase(text, FileFormatName(f))) return f;
  }
  return std::nullopt;
}

std::string_view EntryStatusName(EntryStatus s) {
  switch (s) {
    case EntryStatus::kExisting: return "EXISTING";
    case EntryStatus::kAdded: return "ADDED";
    case EntryStatus::kDeleted: return "DELETED";
  }
  return "?";
}

}  // namespace floe::manifest
