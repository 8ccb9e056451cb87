// Writers of position delete files (spec §Position Delete Files) and
// deletion vectors (spec §Deletion Vectors, Puffin deletion-vector-v1),
// shared by merge-on-read writes and by maintenance that rewrites deletes.
// Both return DataFile entries with the content, format, counts and
// referenced_data_file set; partition and spec_id are the caller's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "floe/io/file_io.h"
#include "floe/manifest/data_file.h"
#include "floe/result.h"

namespace floe::data {

// Deleted positions of one data file, by its path exactly as manifests name it.
struct FilePositions {
  std::string data_path;
  std::vector<int64_t> positions;  // sorted ascending, no duplicates
};

// Writes one Parquet position delete file at `location` holding `files`,
// sorted by file_path then pos as the spec requires (the input order does
// not matter). `table_properties` give the Parquet settings
// (write.parquet.*). referenced_data_file is set when one data file is
// named. On error nothing is left at `location`.
Result<manifest::DataFile> WritePositionDeleteFile(std::shared_ptr<io::FileIO> io,
                                                   const std::string& location,
                                                   const std::map<std::string, std::string>& table_properties,
                                                   std::vector<FilePositions> files);

// Writes one Puffin file at `location` with a deletion vector per entry of
// `files` (each naming a distinct data file) and returns one DataFile per
// vector, in input order (content_offset/content_size_in_bytes locate the
// blob). `created_by` goes into the footer.
Result<std::vector<manifest::DataFile>> WriteDeletionVectors(std::shared_ptr<io::FileIO> io,
                                                             const std::string& location,
                                                             const std::vector<FilePositions>& files,
                                                             const std::string& created_by);

}  // namespace floe::data
