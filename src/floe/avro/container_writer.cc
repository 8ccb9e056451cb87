#include "floe/avro/container_writer.h"

#include <random>
#include <unordered_set>

#include "floe/avro/container_reader.h"
#include "floe/util/strings.h"

namespace floe::avro {
namespace {

std::string RandomSyncMarker() {
  std::random_device rd;
  std::string sync(kSyncMarkerSize, '\0');
  for (size_t i = 0; i < kSyncMarkerSize; i += 4) {
    uint32_t r = rd();
    for (size_t j = 0; j < 4; ++j) sync[i + j] = static_cast<char>(r >> (8 * j));
  }
  return sync;
}

}  // namespace

Result<ContainerWriter> ContainerWriter::Make(const Schema& schema,
                                              ContainerWriterOptions options) {
  return Make(schema.ToJson(), std::move(options));
}

Result<ContainerWriter> ContainerWriter::Make(std::string_view schema_json,
                                              ContainerWriterOptions options) {
  ContainerWriter w;
  Result<Schema> schema = Schema::Parse(schema_json);
  if (!schema.ok()) return schema.status().WithContext("Avro writer schema");
  w.schema_ = std::move(schema).value();
  FLOE_RETURN_NOT_OK(CheckCompressionLevel(options.codec, options.compression_level));
  if (options.target_block_bytes == 0) {
    return Status::Invalid("Avro writer: target_block_bytes must be positive");
  }
  if (options.max_block_records < 0) {
    return Status::Invalid("Avro writer: max_block_records must not be negative");
  }
  std::unordered_set<std::string_view> keys;
  for (const auto& [key, value] : options.metadata) {
    if (key.rfind("avro.", 0) == 0) {
      return Status::Invalid("Avro writer: metadata key ", util::Quote(key),
                             " is reserved (keys starting with 'avro.' belong to Avro)");
    }
    if (!keys.insert(key).second) {
      return Status::Invalid("Avro writer: metadata key ", util::Quote(key), " is given twice");
    }
  }
  if (options.sync_marker && options.sync_marker->size() != kSyncMarkerSize) {
    return Status::Invalid("Avro writer: sync marker must be 16 bytes, got ",
                           options.sync_marker->size());
  }
  w.codec_ = options.codec;
  w.level_ = options.compression_level;
  w.target_block_bytes_ = options.target_block_bytes;
  w.max_block_records_ = options.max_block_records;
  w.sync_ = options.sync_marker ? *options.sync_marker : RandomSyncMarker();

  Encoder& f = w.file_;
  f.WriteRaw(kContainerMagic);
  f.WriteBlockCount(2 + static_cast<int64_t>(options.metadata.size()));
  f.WriteString("avro.schema");
  f.WriteBytes(schema_json);
  f.WriteString("avro.codec");
  f.WriteBytes(CodecName(w.codec_));
  for (const auto& [key, value] : options.metadata) {
    f.WriteString(key);
    f.WriteBytes(value);
  }
  f.WriteBlockEnd();
  f.WriteFixed(w.sync_);
  return w;
}

Status ContainerWriter::EndRecord() {
  if (finished_) return Status::Invalid("Avro writer: EndRecord after Finish");
  ++block_records_;
  ++records_;
  block_end_ = block_.size();
  if (block_.size() >= target_block_bytes_ ||
      (max_block_records_ > 0 && block_records_ >= max_block_records_)) {
    return FlushBlock();
  }
  return Status::OK();
}

Status ContainerWriter::FlushBlock() {
  if (block_records_ == 0) return Status::OK();
  std::string_view data = block_.buffer();
  if (codec_ != Codec::kNull) {
    FLOE_RETURN_NOT_OK(Compress(codec_, data, level_, &compressed_));
    data = compressed_;
  }
  file_.WriteLong(block_records_);
  file_.WriteLong(static_cast<int64_t>(data.size()));
  file_.WriteRaw(data);
  file_.WriteFixed(sync_);
  block_.Clear();
  block_end_ = 0;
  block_records_ = 0;
  return Status::OK();
}

Result<std::string> ContainerWriter::Finish() {
  if (finished_) return Status::Invalid("Avro writer: Finish called twice");
  if (block_.size() != block_end_) {
    return Status::Invalid("Avro writer: ", block_.size() - block_end_,
                           " bytes were encoded after the last EndRecord; call EndRecord after "
                           "each record");
  }
  FLOE_RETURN_NOT_OK(FlushBlock());
  finished_ = true;
  return file_.Release();
}

}  // namespace floe::avro
