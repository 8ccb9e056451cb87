#include "floe/avro/decoder.h"

#include <limits>
#include <string>
#include <utility>

namespace floe::avro {

int32_t Decoder::ReadIntSlow() {
  uint32_t v = 0;
  const uint8_t* p = pos_;
  for (int i = 0; i < 5; ++i) {
    if (p == end_) {
      FailAt(position(), "truncated int varint");
      return 0;
    }
    uint8_t b = *p++;
    // The 5th byte holds bits 28..31: only its low 4 bits may be set.
    if (i == 4 && b > 0x0f) {
      FailAt(position(),
             b & 0x80 ? "int varint longer than 5 bytes" : "int varint overflows 32 bits");
      return 0;
    }
    v |= static_cast<uint32_t>(b & 0x7f) << (7 * i);
    if (b < 0x80) {
      pos_ = p;
      return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1));
    }
  }
  return 0;  // unreachable: the 5th byte either ends the varint or fails
}

int64_t Decoder::ReadLongSlow() {
  uint64_t v = 0;
  const uint8_t* p = pos_;
  for (int i = 0; i < 10; ++i) {
    if (p == end_) {
      FailAt(position(), "truncated long varint");
      return 0;
    }
    uint8_t b = *p++;
    // The 10th byte holds bit 63 only.
    if (i == 9 && b > 1) {
      FailAt(position(),
             b & 0x80 ? "long varint longer than 10 bytes" : "long varint overflows 64 bits");
      return 0;
    }
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (b < 0x80) {
      pos_ = p;
      return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }
  }
  return 0;  // unreachable
}

Decoder::BlockHeader Decoder::ReadBlockHeader() {
  size_t offset = position();
  int64_t n = ReadLong();
  BlockHeader h;
  if (n >= 0) {
    h.count = n;
    return h;
  }
  if (n == std::numeric_limits<int64_t>::min()) {
    FailAt(offset, "array/map block count " + std::to_string(n) + " cannot be negated");
    return {};
  }
  h.count = -n;
  int64_t size = ReadLong();
  if (!ok()) return {};
  if (size < 0 || static_cast<uint64_t>(size) > remaining()) {
    FailAt(offset, "array/map block byte size " + std::to_string(size) +
                       " is negative or exceeds the " + std::to_string(remaining()) +
                       " bytes left");
    return {};
  }
  h.byte_size = size;
  return h;
}

int64_t Decoder::ReadBlockCountSlow(int64_t n) {
  if (!ok()) return 0;
  if (n >= 0) {
    FailAt(position(), "array/map block of " + std::to_string(n) + " items exceeds the " +
                           std::to_string(remaining()) + " bytes left");
    return 0;
  }
  if (n == std::numeric_limits<int64_t>::min()) {
    FailAt(position(), "array/map block count " + std::to_string(n) + " cannot be negated");
    return 0;
  }
  int64_t size = ReadLong();
  if (!ok()) return 0;
  if (size < 0 || static_cast<uint64_t>(size) > remaining()) {
    FailAt(position(), "array/map block byte size " + std::to_string(size) +
                           " is negative or exceeds the " + std::to_string(remaining()) +
                           " bytes left");
    return 0;
  }
  if (-n > size) {
    FailAt(position(), "array/map block of " + std::to_string(-n) + " items cannot fit in " +
                           std::to_string(size) + " bytes");
    return 0;
  }
  return -n;
}

void Decoder::SkipValue(const Node& node, int depth) {
  if (!ok() || node.zero_size) return;
  if (depth > kMaxNestingDepth) {
    FailAt(position(), "values nest deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    return;
  }
  switch (node.kind) {
    case NodeKind::kNull:
      return;
    case NodeKind::kBoolean:
      ReadBool();
      return;
    case NodeKind::kInt:
      ReadInt();
      return;
    case NodeKind::kLong:
      ReadLong();
      return;
    case NodeKind::kFloat:
      SkipBytes(4);
      return;
    case NodeKind::kDouble:
      SkipBytes(8);
      return;
    case NodeKind::kBytes:
    case NodeKind::kString:
      ReadBytes();
      return;
    case NodeKind::kFixed:
      SkipBytes(static_cast<size_t>(node.fixed_size));
      return;
    case NodeKind::kEnum:
      ReadEnum(node.symbols.size());
      return;
    case NodeKind::kUnion: {
      size_t i = ReadUnionIndex(node.branches.size());
      if (ok()) SkipValue(*node.branches[i], depth + 1);
      return;
    }
    case NodeKind::kRecord:
      for (const Field& f : node.fields) {
        SkipValue(*f.type, depth + 1);
        if (!ok()) return;
      }
      return;
    case NodeKind::kArray:
      SkipBlocks(*node.items, false, depth + 1);
      return;
    case NodeKind::kMap:
      SkipBlocks(*node.values, true, depth + 1);
      return;
  }
}

void Decoder::SkipBlocks(const Node& item, bool map, int depth) {
  while (ok()) {
    BlockHeader h = ReadBlockHeader();
    if (!ok() || h.count == 0) return;
    if (h.byte_size >= 0) {
      SkipBytes(static_cast<size_t>(h.byte_size));
      continue;
    }
    if (!map && item.zero_size) continue;  // nothing to read, however many items
    // Every item takes at least a byte here (a map key's length, or a value
    // that is not zero-size), so the count is bounded by the bytes left.
    if (static_cast<uint64_t>(h.count) > remaining()) {
      FailAt(position(), "array/map block of " + std::to_string(h.count) + " items exceeds the " +
                             std::to_string(remaining()) + " bytes left");
      return;
    }
    for (int64_t i = 0; i < h.count && ok(); ++i) {
      if (map) ReadBytes();
      SkipValue(item, depth);
    }
  }
}

void Decoder::Fail(Status status) {
  if (!status_.ok() || status.ok()) return;
  status_ = std::move(status);
  pos_ = end_;
}

void Decoder::FailTruncated(size_t needed) {
  if (!ok()) return;
  FailAt(position(), "truncated data: needs " + std::to_string(needed) + " bytes, only " +
                         std::to_string(remaining()) + " left");
}

void Decoder::FailBool() {
  if (!ok()) return;
  if (pos_ == end_) {
    FailAt(position(), "truncated data: needs 1 byte for a boolean, none left");
  } else {
    FailAt(position(), "boolean byte is " + std::to_string(*pos_) + ", not 0 or 1");
  }
}

void Decoder::FailLength(const char* what, int64_t n) {
  if (!ok()) return;
  if (n < 0) {
    FailAt(position(), std::string("negative ") + what + " length " + std::to_string(n));
  } else {
    FailAt(position(), std::string(what) + " length " + std::to_string(n) + " exceeds the " +
                           std::to_string(remaining()) + " bytes left");
  }
}

void Decoder::FailIndex(const char* what, int64_t i, size_t count) {
  if (!ok()) return;
  FailAt(position(), std::string(what) + " index " + std::to_string(i) + " is out of range [0, " +
                         std::to_string(count) + ")");
}

void Decoder::FailAt(size_t offset, std::string message) {
  if (!ok()) return;
  status_ = Status::Corruption(message, " at byte offset ", offset);
  pos_ = end_;
}

}  // namespace floe::avro
