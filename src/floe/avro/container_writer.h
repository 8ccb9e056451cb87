// ContainerWriter: builds an Avro object container file (Avro 1.11
// specification, "Object Container Files") in memory. The caller encodes
// records one at a time through encoder(), calling EndRecord() after each;
// blocks are cut at a target uncompressed size (or record count),
// compressed and framed by the sync marker. Finish() returns the file.
//
//   FLOE_ASSIGN_OR_RAISE(auto writer, ContainerWriter::Make(schema_json, options));
//   for (const Entry& e : entries) {
//     EncodeEntry(e, writer.encoder());
//     FLOE_RETURN_NOT_OK(writer.EndRecord());
//   }
//   FLOE_ASSIGN_OR_RAISE(std::string bytes, writer.Finish());
//
// A file with zero records is the header alone, which is valid.
// Not thread-safe; movable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "floe/avro/codec.h"
#include "floe/avro/encoder.h"
#include "floe/avro/schema.h"
#include "floe/result.h"

namespace floe::avro {

struct ContainerWriterOptions {
  // Iceberg writes manifests with deflate ("gzip" in its table properties).
  Codec codec = Codec::kDeflate;
  // nullopt: the codec's default. See CheckCompressionLevel.
  std::optional<int> compression_level;
  // A block is cut once its uncompressed bytes reach this size...
  size_t target_block_bytes = 64 * 1024;
  // ...or it holds this many records (0: no limit).
  int64_t max_block_records = 0;
  // Extra header metadata, written after "avro.schema" and "avro.codec" in
  // this order. Keys must be unique and must not start with "avro.".
  std::vector<std::pair<std::string, std::string>> metadata;
  // The 16-byte sync marker; random if unset. Fixed only for reproducible
  // output in tests.
  std::optional<std::string> sync_marker;
};

class ContainerWriter {
 public:
  // Writes the header. `schema_json` is stored as given in "avro.schema".
  // Returns Invalid for a schema that does not parse, a reserved ("avro.")
  // or repeated metadata key, a sync marker that is not 16 bytes, a bad
  // compression level or a zero target block size.
  static Result<ContainerWriter> Make(std::string_view schema_json,
                                      ContainerWriterOptions options);
  // Same, with the schema serialized by Schema::ToJson.
  // REQUIRES: schema.Finalize().ok() (true for parsed schemas).
  static Result<ContainerWriter> Make(const Schema& schema, ContainerWriterOptions options);

  // The writer schema, parsed.
  const Schema& schema() const { return schema_; }

  // Where to encode the next record, following schema().
  Encoder& encoder() { return block_; }
  // Ends the record just encoded; cuts and compresses the block when it is
  // full. Returns Invalid after Finish, or an error from compression.
  Status EndRecord();
  int64_t records_written() const { return records_; }

  // Writes the last block and returns the complete file. Returns Invalid if
  // bytes were encoded after the last EndRecord, or if called twice.
  Result<std::string> Finish();

 private:
  ContainerWriter() = default;
  Status FlushBlock();

  Schema schema_;
  Codec codec_ = Codec::kNull;
  std::optional<int> level_;
  size_t target_block_bytes_ = 0;
  int64_t max_block_records_ = 0;
  std::string sync_;
  Encoder file_;   // the header and the finished blocks
  Encoder block_;  // the current block, uncompressed
  std::string compressed_;
  size_t block_end_ = 0;  // size of block_ at the last EndRecord
  int64_t block_records_ = 0;
  int64_t records_ = 0;
  bool finished_ = false;
};

}  // namespace floe::avro
