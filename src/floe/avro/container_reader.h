// ContainerReader: reads an Avro object container file (Avro 1.11
// specification, "Object Container Files") held in memory: the header
// (magic, metadata map, sync marker), then blocks of objects, each
// decompressed on its own when the caller advances to it.
//
//   FLOE_ASSIGN_OR_RAISE(auto reader, ContainerReader::Open(path, bytes));
//   const Node& root = reader.schema().root();
//   while (true) {
//     FLOE_ASSIGN_OR_RAISE(bool more, reader.NextBlock());
//     if (!more) break;
//     Decoder& d = reader.decoder();
//     for (int64_t i = 0; i < reader.block_count() && d.ok(); ++i) ...decode one object...
//     FLOE_RETURN_NOT_OK(reader.FinishBlock());
//   }
//
// Every error message starts with the `name` given to Open (the file path)
// and, for block errors, the block index and its byte offset in the file.
// Not thread-safe; movable (a move keeps the current block valid).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "floe/avro/codec.h"
#include "floe/avro/decoder.h"
#include "floe/avro/schema.h"
#include "floe/result.h"

namespace floe::avro {

// The 4 bytes every object container file starts with.
inline constexpr std::string_view kContainerMagic{"Obj\x01", 4};
// Size of the sync marker that follows the header and every block.
inline constexpr size_t kSyncMarkerSize = 16;

class ContainerReader {
 public:
  // Parses the header of the file `data`, which must outlive the reader and
  // every view it returns (blocks of the null codec are decoded in place).
  // Errors, each prefixed with `name`:
  //   Invalid       data does not start with the Avro magic: not an Avro file;
  //   Corruption    a truncated or malformed header, or no "avro.schema";
  //   Invalid       "avro.schema" is not a valid schema (the parser's message);
  //   NotSupported  an unknown "avro.codec".
  static Result<ContainerReader> Open(std::string_view name, std::string_view data);

  const std::string& name() const { return name_; }
  // The writer schema, from "avro.schema".
  // Shared with every reader of a file with the same schema text
  // (ParseSchemaCached).
  const Schema& schema() const { return *schema_; }
  // The header metadata in file order, "avro.schema" and "avro.codec"
  // included; values are the raw bytes.
  const std::vector<std::pair<std::string, std::string>>& metadata() const { return metadata_; }
  // The value of the first entry named `key`, or nullopt.
  std::optional<std::string_view> GetMetadata(std::string_view key) const;
  Codec codec() const { return codec_; }
  // The file's 16-byte sync marker.
  std::string_view sync_marker() const { return sync_; }

  // Advances to the next block: returns true and sets block_count() and
  // decoder(), or false at the end of the file. Returns Corruption for a
  // truncated block, a sync marker that does not follow the block ("bad sync
  // marker after block N at byte offset X"), corrupt compressed data, or an
  // object count larger than the block's bytes allow. Errors are sticky:
  // later calls return the same error.
  Result<bool> NextBlock();

  // The current block: its 0-based index, its byte offset in the file, the
  // number of objects in it, and a decoder over its uncompressed bytes.
  // Views returned by the decoder are valid until the next NextBlock().
  // The count is at most the block's byte size, except for a zero-size
  // writer schema (e.g. "null"), whose objects carry no bytes at all.
  int64_t block_index() const { return block_index_; }
  size_t block_offset() const { return block_offset_; }
  int64_t block_count() const { return block_count_; }
  Decoder& decoder() { return decoder_; }

  // After decoding block_count() objects: the decoder's error, or Corruption
  // if bytes are left over, with the file name and block in the message.
  Status FinishBlock() const;
  // "<name>: block N at byte offset X", for callers' own error messages.
  std::string BlockContext() const;

 private:
  ContainerReader() = default;
  Status Fail(Status status);

  std::string name_;
  std::string_view data_;
  std::shared_ptr<const Schema> schema_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  Codec codec_ = Codec::kNull;
  std::string sync_;
  size_t pos_ = 0;  // where the next block starts
  int64_t next_index_ = 0;
  int64_t block_index_ = -1;
  size_t block_offset_ = 0;
  int64_t block_count_ = 0;
  // Decompressed block bytes; on the heap so that moving the reader does not
  // move them out from under decoder_.
  std::unique_ptr<std::string> buffer_ = std::make_unique<std::string>();
  Decoder decoder_;
  Status error_;
};

}  // namespace floe::avro
