// What every command shares: the global options, the catalog they name, and
// how a table argument is resolved.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "floe/catalog/catalog.h"
#include "floe/table/table.h"

namespace floe::cli {

struct GlobalOptions {
  std::string catalog;         // --catalog / FLOE_CATALOG; empty: not given
  std::string warehouse;       // --warehouse / FLOE_WAREHOUSE; empty: not given
  std::string catalog_name;    // --catalog-name / FLOE_CATALOG_NAME
  std::string catalog_config;  // --catalog-config / FLOE_CATALOG_CONFIG
  std::vector<std::string> properties;  // --property k=v (catalog properties)
  std::vector<std::string> path_maps;   // --path-map FROM=TO
};

// Defaults when neither a flag, FLOE_* variable nor catalog.properties says.
inline constexpr const char* kDefaultCatalog = "sqlite:///./warehouse/catalog.db";
inline constexpr const char* kDefaultWarehouse = "./warehouse";

class Context {
 public:
  explicit Context(GlobalOptions options) : options_(std::move(options)) {}

  // Opens the catalog on first use (creating a local SQLite file's folder).
  Result<std::shared_ptr<catalog::Catalog>> Catalog();

  // A table named NS.T in the catalog, or, when `text` is a path to a table
  // folder or a metadata file, that table read-only (the newest metadata
  // file or the one version-hint.text names, like ClickHouse's Iceberg
  // engine), with --path-map applied.
  Result<table::Table> LoadTable(const std::string& text);
  // A table that must be in the catalog (for commands that change it).
  Result<table::Table> LoadCatalogTable(const std::string& text);

  const GlobalOptions& options() const { return options_; }

  // The catalog settings from every source, resolved once: the catalog
  // URI, the warehouse and the FileIO (local, plus S3 when configured).
  struct Settings {
    std::string uri;
    std::string warehouse;
    std::shared_ptr<io::FileIO> io;
  };
  Result<Settings> ResolveSettings();

 private:
  Result<std::shared_ptr<io::FileIO>> PathIO();
  GlobalOptions options_;
  std::shared_ptr<catalog::Catalog> catalog_;
  std::optional<Settings> settings_;
};

// True when `text` names a path (has '/', ends with .json, or exists) rather
// than a catalog table.
bool LooksLikePath(const std::string& text);

// Parses "2024-06-01", "2024-06-01T10:00:00", "...Z"/"+01:00" or epoch
// milliseconds into epoch milliseconds (UTC when no offset is given).
Result<int64_t> ParseTimestampMillis(const std::string& text);

}  // namespace floe::cli
