// Small string helpers used across Floe.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace floe::util {

// Lower-case hex of `bytes` ("0a1b...").
std::string HexEncode(std::string_view bytes);
// Inverse of HexEncode (either case); nullopt on odd length or a non-hex digit.
std::optional<std::string> HexDecode(std::string_view hex);

// application/x-www-form-urlencoded escaping as Java's URLEncoder does it for
// partition paths: [A-Za-z0-9.*_-] kept, space -> '+', every other UTF-8 byte
// -> %XX (upper-case hex).
std::string UrlEncode(std::string_view text);

std::string_view Trim(std::string_view s);
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// Splits on every `sep`; "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string_view> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// "key=value" split at the first '=' (the value may hold more); nullopt
// when there is no '=' or the key is empty. The one parser of the
// command-line's repeated KEY=VALUE options (--property, --path-map).
std::optional<std::pair<std::string, std::string>> SplitKeyValue(std::string_view s);

// Parses a whole decimal integer; nullopt on any other text or overflow.
std::optional<int64_t> ParseInt64(std::string_view s);

// A duration as operators write it: "500ms", "30s", "10m", "12h", "7d",
// "2w" (a bare number is milliseconds); nullopt for anything else.
std::optional<int64_t> ParseDurationMillis(std::string_view s);

// A size: bytes ("536870912"), or with a unit: KiB/MiB/GiB/TiB (1024^n),
// KB/MB/GB/TB (1000^n), k/m/g/t (1024^n, as the JVM's -Xmx); nullopt else.
std::optional<int64_t> ParseByteSize(std::string_view s);

// The offset of the first byte that breaks UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included), or nullopt when `s`
// is valid UTF-8.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// `s` as a JSON string literal ("a\"b", control characters escaped). Bytes
// from 0x80 up pass through unchanged: Iceberg strings are UTF-8 (spec
// §Primitive Types note 3); text that is not gives JSON readers reject,
// which is better than silently altered text. Also logfmt's quoting.
std::string JsonQuote(std::string_view s);

// Quotes `s` for messages: 'abc' with control characters escaped, cut at 200 bytes.
std::string Quote(std::string_view s);

}  // namespace floe::util
