#include "floe/avro/container_reader.h"

#include "floe/avro/schema_cache.h"

namespace floe::avro {

Result<ContainerReader> ContainerReader::Open(std::string_view name, std::string_view data) {
  if (data.substr(0, kContainerMagic.size()) != kContainerMagic) {
    return Status::Invalid(name, ": not an Avro object container file (it does not start with ",
                           "the magic bytes 'Obj\\x01')");
  }
  ContainerReader reader;
  reader.name_ = std::string(name);
  reader.data_ = data;

  Decoder d(data);
  d.SkipBytes(kContainerMagic.size());
  // The metadata is a map<bytes>; every entry takes at least two bytes, so
  // ReadBlockCount's bound applies.
  for (int64_t n = d.ReadBlockCount(); n > 0; n = d.ReadBlockCount()) {
    for (int64_t i = 0; i < n && d.ok(); ++i) {
      std::string_view key = d.ReadString();
      std::string_view value = d.ReadBytes();
      if (d.ok()) reader.metadata_.emplace_back(key, value);
    }
  }
  std::string_view sync = d.ReadFixed(kSyncMarkerSize);
  if (!d.ok()) {
    return Status::Corruption(name, ": truncated or corrupt Avro header: ", d.status().message());
  }
  reader.sync_ = std::string(sync);
  reader.pos_ = d.position();

  auto schema_json = reader.GetMetadata("avro.schema");
  if (!schema_json) return Status::Corruption(name, ": Avro header has no 'avro.schema'");
  auto schema = ParseSchemaCached(*schema_json);
  if (!schema.ok()) return schema.status().WithContext(std::string(name) + ": avro.schema");
  reader.schema_ = std::move(schema).value();

  auto codec_name = reader.GetMetadata("avro.codec");
  if (codec_name && !codec_name->empty()) {
    Result<Codec> codec = ParseCodec(*codec_name);
    if (!codec.ok()) return codec.status().WithContext(name);
    reader.codec_ = *codec;
  }
  return reader;
}

std::optional<std::string_view> ContainerReader::GetMetadata(std::string_view key) const {
  for (const auto& [k, v] : metadata_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

Status ContainerReader::Fail(Status status) {
  error_ = status;
  decoder_ = Decoder();
  block_count_ = 0;
  return status;
}

Result<bool> ContainerReader::NextBlock() {
  if (!error_.ok()) return error_;
  if (pos_ == data_.size()) {
    decoder_ = Decoder();
    block_count_ = 0;
    return false;
  }
  const int64_t index = next_index_;
  const size_t offset = pos_;
  auto context = [&] {
    return name_ + ": block " + std::to_string(index) + " at byte offset " + std::to_string(offset);
  };

  Decoder header(data_.substr(pos_));
  int64_t count = header.ReadLong();
  int64_t size = header.ReadLong();
  if (!header.ok()) {
    return Fail(Status::Corruption(context(), ": truncated or corrupt block header (",
                                   header.status().message(), ")"));
  }
  if (count < 0 || size < 0) {
    return Fail(Status::Corruption(context(), ": negative object count ", count,
                                   " or byte size ", size));
  }
  const size_t data_start = pos_ + header.position();
  const size_t left = data_.size() - data_start;
  if (static_cast<uint64_t>(size) > left) {
    return Fail(Status::Corruption(context(), ": declares ", size, " bytes but only ", left,
                                   " remain (truncated file?)"));
  }
  const size_t sync_pos = data_start + static_cast<size_t>(size);
  if (data_.size() - sync_pos < kSyncMarkerSize) {
    return Fail(Status::Corruption(name_, ": bad sync marker after block ", index,
                                   " at byte offset ", sync_pos, ": the file ends after ",
                                   data_.size() - sync_pos, " of its 16 bytes (truncated file?)"));
  }
  if (data_.substr(sync_pos, kSyncMarkerSize) != sync_) {
    return Fail(Status::Corruption(name_, ": bad sync marker after block ", index,
                                   " at byte offset ", sync_pos,
                                   " (the file is corrupt, or the block's size is wrong)"));
  }

  std::string_view raw = data_.substr(data_start, static_cast<size_t>(size));
  std::string_view block = raw;
  if (codec_ != Codec::kNull) {
    Status st = Decompress(codec_, raw, buffer_.get());
    if (!st.ok()) return Fail(st.WithContext(context()));
    block = *buffer_;
  }
  // Every object of a schema that is not zero-size takes at least one byte.
  if (static_cast<uint64_t>(count) > block.size() && !schema_->root().zero_size) {
    return Fail(Status::Corruption(context(), ": declares ", count, " objects in only ",
                                   block.size(), " bytes"));
  }
  pos_ = sync_pos + kSyncMarkerSize;
  ++next_index_;
  block_index_ = index;
  block_offset_ = offset;
  block_count_ = count;
  decoder_ = Decoder(block);
  return true;
}

std::string ContainerReader::BlockContext() const {
  return name_ + ": block " + std::to_string(block_index_) + " at byte offset " +
         std::to_string(block_offset_);
}

Status ContainerReader::FinishBlock() const {
  if (!decoder_.ok()) return decoder_.status().WithContext(BlockContext());
  if (!decoder_.at_end()) {
    return Status::Corruption(BlockContext(), ": ", decoder_.remaining(),
                              " bytes left over after its ", block_count_,
                              " objects (does the data match the writer schema?)");
  }
  return Status::OK();
}

}  // namespace floe::avro
