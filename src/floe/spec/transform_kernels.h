// The per-value kernels of the partition transforms (spec App. B hashing,
// §Truncate Transform Details), one copy each, inline: spec/transform.cc
// applies them to one Literal, data/transform_arrow.cc to whole Arrow
// arrays. A rule fixed here is fixed for both (the transform fuzz target
// checks that the two agree with the spec's definitions).
//
// Pure functions; thread-safe.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "floe/spec/literal.h"

namespace floe::spec::kernels {

using UInt128 = unsigned __int128;

// ---------------------------------------------------------------------------
// murmur3_x86_32, seed 0 (App. B)

inline uint32_t MurmurMix(uint32_t h, uint32_t k) {
  k *= 0xcc9e2d51;
  k = std::rotl(k, 15);
  k *= 0x1b873593;
  h ^= k;
  h = std::rotl(h, 13);
  return h * 5 + 0xe6546b64;
}

inline int32_t MurmurFinish(uint32_t h, uint32_t length) {
  h ^= length;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return static_cast<int32_t>(h);
}

inline int32_t HashBytes(const uint8_t* p, int64_t size) {
  const auto n = static_cast<size_t>(size);
  uint32_t h = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {  // 4-byte blocks, read little-endian
    h = MurmurMix(h, uint32_t{p[i]} | uint32_t{p[i + 1]} << 8 | uint32_t{p[i + 2]} << 16 |
                         uint32_t{p[i + 3]} << 24);
  }
  uint32_t k = 0;
  switch (n & 3) {  // the 1 to 3 trailing bytes
    case 3:
      k ^= uint32_t{p[i + 2]} << 16;
      [[fallthrough]];
    case 2:
      k ^= uint32_t{p[i + 1]} << 8;
      [[fallthrough]];
    case 1:
      k ^= uint32_t{p[i]};
      k *= 0xcc9e2d51;
      k = std::rotl(k, 15);
      k *= 0x1b873593;
      h ^= k;
  }
  return MurmurFinish(h, static_cast<uint32_t>(n));
}

// hashLong: the value's 8 little-endian bytes, unrolled. Ints, dates and
// times hash as longs so that int -> long promotion keeps bucket values
// (App. B note 1; Java's hashInt is hashLong).
inline int32_t HashLong(int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  uint32_t h = MurmurMix(0, static_cast<uint32_t>(u));
  h = MurmurMix(h, static_cast<uint32_t>(u >> 32));
  return MurmurFinish(h, 8);
}

// App. B note 5: the double's bits with every NaN canonical and -0.0 as
// 0.0. Floats are widened first so float -> double promotion keeps hashes.
inline int32_t HashDouble(double d) {
  uint64_t bits = std::bit_cast<uint64_t>(d);
  if (std::isnan(d)) bits = 0x7ff8000000000000ull;
  if (d == 0.0) bits = 0;
  return HashLong(static_cast<int64_t>(bits));
}

// The minimal big-endian two's-complement bytes of an unscaled decimal
// (App. B: decimals hash these): written into `be`, returns where they
// start (they end at be + 16). Leading bytes that only repeat the sign of
// the byte after them (00 before < 0x80, FF before >= 0x80) are dropped.
inline int MinimalDecimalBytes(Int128 unscaled, uint8_t be[16]) {
  const auto u = static_cast<UInt128>(unscaled);
  for (int i = 0; i < 16; ++i) be[i] = static_cast<uint8_t>(u >> (8 * (15 - i)));
  int start = 0;
  while (start < 15 && ((be[start] == 0x00 && be[start + 1] < 0x80) ||
                        (be[start] == 0xFF && be[start + 1] >= 0x80))) {
    ++start;
  }
  return start;
}

inline int32_t HashDecimal(Int128 unscaled) {
  uint8_t be[16];
  const int start = MinimalDecimalBytes(unscaled, be);
  return HashBytes(be + start, 16 - start);
}

inline int32_t BucketOf(int32_t hash, int32_t n) { return (hash & 0x7FFFFFFF) % n; }

// ---------------------------------------------------------------------------
// Truncate (§Truncate Transform Details)

// v - (((v % w) + w) % w), evaluated as Java evaluates it: in two's complement
// of the value's width, wrapping on overflow. For every v not within w of the
// type's minimum this is the floor to a multiple of w; near the minimum
// (truncate[10] of INT_MIN) Java wraps around, and we must produce the same
// partition values. Unsigned arithmetic makes the wrap defined behaviour.
inline int32_t TruncateInt(int32_t v, int32_t w) {
  const int32_t r = v % w;  // cannot overflow: w > 0
  const auto shifted = static_cast<int32_t>(static_cast<uint32_t>(r) + static_cast<uint32_t>(w));
  const int32_t m = shifted % w;
  return static_cast<int32_t>(static_cast<uint32_t>(v) - static_cast<uint32_t>(m));
}

inline int64_t TruncateLong(int64_t v, int64_t w) {
  const int64_t r = v % w;
  const auto shifted = static_cast<int64_t>(static_cast<uint64_t>(r) + static_cast<uint64_t>(w));
  const int64_t m = shifted % w;
  return static_cast<int64_t>(static_cast<uint64_t>(v) - static_cast<uint64_t>(m));
}

// The unscaled value is truncated with W itself: W applies at the column's
// scale (note 2), so truncate[50] at scale 2 steps by 0.50. Unscaled values
// within precision 38 are far from the 128-bit limits, so r + w and v - m
// cannot overflow.
inline Int128 TruncateDecimal(Int128 v, int32_t w) {
  const Int128 m = ((v % w) + w) % w;
  return v - m;
}

// Bytes kept when cutting `size` bytes of UTF-8 to `w` code points (note 3):
// up to the lead byte of code point w + 1 (continuation bytes are 10xxxxxx).
inline int64_t Utf8PrefixBytes(const uint8_t* s, int64_t size, int32_t w) {
  if (size <= w) return size;  // never more code points than bytes
  int64_t count = 0;
  for (int64_t pos = 0; pos < size; ++pos) {
    if ((s[pos] & 0xC0) != 0x80) {
      if (count == w) return pos;
      ++count;
    }
  }
  return size;
}

}  // namespace floe::spec::kernels
