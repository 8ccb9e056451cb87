#include "floe/data/delete_writer.h"

#include <arrow/api.h>

#include <algorithm>

#include "floe/data/arrow_schema.h"
#include "floe/data/delete_filter.h"
#include "floe/data/parquet_writer.h"
#include "floe/puffin/deletion_vector.h"
#include "floe/puffin/puffin_file.h"

namespace floe::data {

using manifest::DataFile;
using manifest::FileContent;

Result<DataFile> WritePositionDeleteFile(std::shared_ptr<io::FileIO> io, const std::string& location,
                                         const std::map<std::string, std::string>& table_properties,
                                         std::vector<FilePositions> files) {
  std::sort(files.begin(), files.end(), [](const FilePositions& a, const FilePositions& b) {
    return a.data_path < b.data_path;
  });
  FLOE_ASSIGN_OR_RAISE(
      auto writer,
      ParquetWriter::Make(PositionDeleteSchema(), table_properties, io,
                          [location, used = false]() mutable -> Result<std::string> {
                            // One file whatever its size: callers bound the input.
                            if (used) return Status::Invalid(location, ": position delete file too large");
                            used = true;
                            return location;
                          }));
  arrow::StringBuilder paths;
  arrow::Int64Builder pos;
  int64_t rows = 0;
  for (const FilePositions& f : files) {
    for (int64_t p : f.positions) {
      if (!paths.Append(f.data_path).ok() || !pos.Append(p).ok()) {
        return Status::IOError(location, ": out of memory building position deletes");
      }
      ++rows;
    }
  }
  std::shared_ptr<arrow::Array> a, b;
  if (!paths.Finish(&a).ok() || !pos.Finish(&b).ok()) {
    return Status::IOError(location, ": out of memory building position deletes");
  }
  FLOE_ASSIGN_OR_RAISE(auto schema, ToArrowSchema(PositionDeleteSchema()));
  auto batch = arrow::RecordBatch::Make(schema, rows, {a, b});
  Status st = writer->Write(*batch);
  if (!st.ok()) {
    (void)writer->Abort();
    return st;
  }
  FLOE_ASSIGN_OR_RAISE(auto written, writer->Finish());
  if (written.size() != 1) {
    return Status::Invalid(location, ": internal: position deletes in ", written.size(), " files");
  }
  DataFile out = std::move(written[0]);
  out.content = FileContent::kPositionDeletes;
  if (files.size() == 1) out.referenced_data_file = files[0].data_path;
  out.sort_order_id.reset();  // spec: null for position deletes
  return out;
}

Result<std::vector<DataFile>> WriteDeletionVectors(std::shared_ptr<io::FileIO> io,
                                                   const std::string& location,
                                                   const std::vector<FilePositions>& files,
                                                   const std::string& created_by) {
  puffin::Writer puffin;
  std::vector<DataFile> out;
  for (const FilePositions& f : files) {
    puffin::DeletionVector dv;
    for (int64_t p : f.positions) FLOE_RETURN_NOT_OK(dv.Add(p));
    puffin::BlobMetadata meta;
    meta.type = std::string(puffin::kDeletionVectorV1);
    meta.fields = {2147483645};  // _pos (spec §Reserved Field IDs)
    meta.properties["referenced-data-file"] = f.data_path;
    meta.properties["cardinality"] = std::to_string(dv.Cardinality());
    FLOE_RETURN_NOT_OK(puffin.Add(dv.Serialize(), meta));
    DataFile d;
    d.content = FileContent::kPositionDeletes;
    d.file_format = manifest::FileFormat::kPuffin;
    d.record_count = dv.Cardinality();
    d.referenced_data_file = f.data_path;
    d.content_offset = puffin.blobs().back().offset;
    d.content_size_in_bytes = puffin.blobs().back().length;
    out.push_back(std::move(d));
  }
  const std::string bytes = puffin.Finish(created_by);
  FLOE_RETURN_NOT_OK(io->WriteNewFile(location, bytes));
  for (DataFile& d : out) {
    d.file_path = location;
    d.file_size_in_bytes = static_cast<int64_t>(bytes.size());
  }
  return out;
}

}  // namespace floe::data
