// Fuzzes the Avro object container reader: any input must open and decode
// to values or to an error, never crash, hang or allocate without bound.
// Every block is decoded twice, once by reading each value through the
// typed calls (walking the writer schema) and once with Decoder::Skip; a
// parsed writer schema must survive ToJson/Parse.
#include <cstdlib>
#include <string_view>

#include "fuzz_target.h"

#include "floe/avro/container_reader.h"
#include "floe/avro/decoder.h"
#include "floe/avro/schema.h"

namespace {

using floe::avro::Decoder;
using floe::avro::Node;
using floe::avro::NodeKind;

void Walk(Decoder& d, const Node& n, int depth) {
  if (!d.ok()) return;
  if (depth > floe::avro::kMaxNestingDepth) {
    d.Fail(floe::Status::Corruption("fuzz walk: values nest too deeply"));
    return;
  }
  switch (n.kind) {
    case NodeKind::kNull:
      return;
    case NodeKind::kBoolean:
      (void)d.ReadBool();
      return;
    case NodeKind::kInt:
      (void)d.ReadInt();
      return;
    case NodeKind::kLong:
      (void)d.ReadLong();
      return;
    case NodeKind::kFloat:
      (void)d.ReadFloat();
      return;
    case NodeKind::kDouble:
      (void)d.ReadDouble();
      return;
    case NodeKind::kBytes:
    case NodeKind::kString:
      (void)d.ReadBytes();
      return;
    case NodeKind::kFixed:
      (void)d.ReadFixed(static_cast<size_t>(n.fixed_size));
      return;
    case NodeKind::kEnum:
      (void)d.ReadEnum(n.symbols.size());
      return;
    case NodeKind::kUnion: {
      size_t i = d.ReadUnionIndex(n.branches.size());
      if (d.ok()) Walk(d, *n.branches[i], depth + 1);
      return;
    }
    case NodeKind::kRecord:
      if (n.zero_size) return;  // no bytes, however the fields nest
      for (const floe::avro::Field& f : n.fields) Walk(d, *f.type, depth + 1);
      return;
    case NodeKind::kArray:
    case NodeKind::kMap: {
      const bool map = n.kind == NodeKind::kMap;
      const Node& item = map ? *n.values : *n.items;
      while (d.ok()) {
        Decoder::BlockHeader h = d.ReadBlockHeader();
        if (h.count == 0) return;
        if (!map && item.zero_size) continue;  // nothing to read
        // Each item takes at least a byte or fails, so this loop is bounded.
        for (int64_t i = 0; i < h.count && d.ok(); ++i) {
          if (map) (void)d.ReadString();
          Walk(d, item, depth + 1);
        }
      }
      return;
    }
  }
}

}  // namespace

FLOE_FUZZ_TARGET(avro_reader) {
  std::string_view bytes = input;
  auto reader = floe::avro::ContainerReader::Open("fuzz.avro", bytes);
  if (!reader.ok()) return;
  const floe::avro::Schema& schema = reader->schema();
  auto again = floe::avro::Schema::Parse(schema.ToJson());
  FLOE_FUZZ_CHECK(again.ok() && floe::avro::SchemaEquals(again->root(), schema.root()),
                  "an Avro schema changed in a ToJson/Parse round trip: " + schema.ToJson());

  const Node& root = schema.root();
  while (true) {
    auto more = reader->NextBlock();
    if (!more.ok() || !*more) break;
    // Objects of a zero-size schema carry no bytes; the count alone may be huge.
    if (root.zero_size) continue;
    Decoder skipper = reader->decoder();  // a copy, continues independently
    Decoder& walker = reader->decoder();
    for (int64_t i = 0; i < reader->block_count() && walker.ok(); ++i) Walk(walker, root, 0);
    for (int64_t i = 0; i < reader->block_count() && skipper.ok(); ++i) skipper.Skip(root);
    // No agreement check between the two: on hostile input Skip trusts an
    // array block's byte size where Walk reads the items, so they may differ.
    (void)skipper.status();
    (void)reader->FinishBlock();
  }
}
