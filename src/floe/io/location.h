// Locations as Iceberg writers spell them: "s3a://bucket/key",
// "hdfs://namenode:8020/path", "file:/path", "file:///path", "/path". The
// same file can be named several ways (s3, s3a and s3n are one store to
// Java's S3FileIO; Hadoop collapses repeated slashes), so comparisons go
// through ParseLocation.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace floe::io {

struct ParsedLocation {
  std::string scheme;     // lower case; "file" for plain paths
  std::string authority;  // bucket or host:port; empty for local files
  std::string path;       // from the first '/' after the authority, repeated '/' collapsed
};

// Splits a location. Never fails: text without "scheme:" is a local path.
ParsedLocation ParseLocation(std::string_view location);

// Schemes that name the same store: s3a and s3n are s3 (Java's
// DeleteOrphanFiles default); extra pairs (from -> to) may be given.
std::string CanonicalScheme(const std::string& scheme,
                            const std::map<std::string, std::string>& equal_schemes = {});

// One spelling per object: the canonical scheme, "://", the authority and
// the collapsed path ("s3a://b//k" and "s3://b/k" give "s3://b/k";
// "/x", "file:/x" and "file:///x" give "file:///x"). Locations naming one
// object have equal keys (position deletes match data files by it).
std::string CanonicalLocation(std::string_view location);

}  // namespace floe::io
