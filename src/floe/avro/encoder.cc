#include "floe/avro/encoder.h"

namespace floe::avro {

void Encoder::WriteSizedBlock(int64_t count, std::string_view items) {
  WriteLong(-count);
  WriteLong(static_cast<int64_t>(items.size()));
  buf_.append(items);
}

}  // namespace floe::avro
