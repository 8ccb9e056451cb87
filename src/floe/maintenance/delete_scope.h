// Delete scopes for maintenance (spec §Scan Planning): which delete files
// still apply to a live data file. A delete file that applies to none only
// costs readers (and keeps engines that cannot read deletes away), so
// compaction and delete compaction remove it in the same commit.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "floe/spec/table_metadata.h"
#include "floe/table/delete_index.h"
#include "floe/table/scan.h"

namespace floe::maintenance {

// The delete files among `deletes` that apply to no file of `live` once the
// data files named in `removed` are gone. Files a rewrite adds never count:
// they keep the starting sequence number, at or above every delete file
// planned against, and no position delete can name them.
//   DV / position deletes naming one file   that file is not live
//   other position deletes                  no live file of its partition has seq <= its seq
//   equality deletes                        no live file in scope has seq < its seq
std::vector<table::DeleteFileEntry> DanglingDeletes(const spec::TableMetadata& md,
                                                    const std::vector<table::FileScanTask>& live,
                                                    const std::unordered_set<std::string>& removed,
                                                    const std::vector<table::DeleteFileEntry>& deletes);

}  // namespace floe::maintenance
