// Catalog configuration as Java engines write it: a `catalog.properties`
// file (the design note's), the same keys given as --property k=v, or as
// FLOE_* environment variables (FLOE_S3_ENDPOINT for s3.endpoint: upper
// case, '.' and '-' become '_'). Later sources win: file < FLOE_* < --property.
//
//   uri=jdbc:postgresql://host:5432/iceberg_catalog   (jdbc.user, jdbc.password)
//   warehouse=s3://iceberg-warehouse/
//   io-impl=org.apache.iceberg.aws.s3.S3FileIO        (accepted; S3 follows the warehouse)
//   s3.endpoint=http://seaweedfs:8333
//   s3.access-key-id=${SEAWEEDFS_ACCESS_KEY}
//   s3.secret-access-key=${SEAWEEDFS_SECRET_KEY}
//   s3.path-style-access=true
//   s3.region=us-east-1
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "floe/io/s3_file_io.h"
#include "floe/result.h"

namespace floe::catalog {

using PropertyMap = std::map<std::string, std::string>;
// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup ProcessEnvironment();

// Parses Java .properties text (key=value, key:value or key value; # and !
// comments; backslash line continuations and escapes), substituting
// ${NAME} from `env`. An unset variable is an error naming it and the line;
// `source` names the file in messages.
Result<PropertyMap> ParseJavaProperties(std::string_view text, const EnvLookup& env,
                                        const std::string& source);

// The catalog keys found in FLOE_* variables (FLOE_URI, FLOE_WAREHOUSE,
// FLOE_S3_ENDPOINT, FLOE_S3_ACCESS_KEY_ID, FLOE_JDBC_USER, ...).
PropertyMap PropertiesFromEnvironment(const EnvLookup& env);

struct ResolvedCatalogConfig {
  std::string uri;        // as SqlCatalog takes it: sqlite:///..., postgresql://...
  std::string warehouse;  // may be empty when not configured
  std::optional<io::S3Config> s3;  // set when s3.* keys are present or the warehouse is s3://
  PropertyMap properties;          // everything, after substitution
};

// Translates the Java keys: jdbc:postgresql://h:p/db (+ jdbc.user /
// jdbc.password; else libpq's PG* environment applies), jdbc:sqlite:PATH,
// or a Floe URI as is; s3.* into an S3Config. Unknown keys are kept and
// ignored. Errors name the key.
Result<ResolvedCatalogConfig> ResolveCatalogConfig(const PropertyMap& properties);

// Adds "key=value" options (--property) to `properties`; Invalid naming the
// option when one has no key or no '='.
Status AddPropertyOptions(const std::vector<std::string>& options, PropertyMap* properties);

// The FileIO for a configuration: local files, plus S3 when `s3` is set.
Result<std::shared_ptr<io::FileIO>> MakeFileIO(const std::optional<io::S3Config>& s3);

}  // namespace floe::catalog
