#include "cli/context.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "floe/catalog/catalog_config.h"
#include "floe/catalog/metadata_files.h"
#include "floe/catalog/sql_table_catalog.h"
#include "floe/io/s3_file_io.h"
#include "floe/spec/literal.h"
#include "floe/util/strings.h"

namespace floe::cli {

namespace fs = std::filesystem;

bool LooksLikePath(const std::string& text) {
  if (text.find('/') != std::string::npos) return true;
  if (text.size() > 5 && text.compare(text.size() - 5, 5, ".json") == 0) return true;
  std::error_code ec;
  return fs::exists(text, ec) && fs::is_directory(text, ec);
}

Result<Context::Settings> Context::ResolveSettings() {
  if (settings_) return *settings_;
  // Sources, later ones winning: catalog.properties < FLOE_* < --property.
  auto env = catalog::ProcessEnvironment();
  catalog::PropertyMap props;
  if (!options_.catalog_config.empty()) {
    std::ifstream in(options_.catalog_config, std::ios::binary);
    if (!in) {
      return Status::IOError(options_.catalog_config,
                             ": cannot read the catalog configuration file");
    }
    std::stringstream text;
    text << in.rdbuf();
    FLOE_ASSIGN_OR_RAISE(props, catalog::ParseJavaProperties(text.str(), env,
                                                              options_.catalog_config));
  }
  for (auto& [k, v] : catalog::PropertiesFromEnvironment(env)) props[k] = v;
  FLOE_RETURN_NOT_OK(catalog::AddPropertyOptions(options_.properties, &props));
  FLOE_ASSIGN_OR_RAISE(auto resolved, catalog::ResolveCatalogConfig(props));
  Settings s;
  s.uri = !options_.catalog.empty() ? options_.catalog
          : !resolved.uri.empty()   ? resolved.uri
                                    : kDefaultCatalog;
  s.warehouse = !options_.warehouse.empty() ? options_.warehouse
                : !resolved.warehouse.empty() ? resolved.warehouse
                                              : kDefaultWarehouse;
  // An s3:// --warehouse needs S3 even when no s3.* key was given (the AWS
  // environment supplies the rest).
  if (!resolved.s3 && io::IsS3Location(s.warehouse)) resolved.s3 = io::S3Config{};
  FLOE_ASSIGN_OR_RAISE(s.io, catalog::MakeFileIO(resolved.s3));
  settings_ = s;
  return s;
}

Result<std::shared_ptr<catalog::Catalog>> Context::Catalog() {
  if (catalog_) return catalog_;
  FLOE_ASSIGN_OR_RAISE(Settings settings, ResolveSettings());
  std::string uri = settings.uri;
  // A local SQLite file needs its folder (the default is ./warehouse/catalog.db).
  for (const char* prefix : {"sqlite:///", "sqlite://"}) {
    if (uri.rfind(prefix, 0) == 0) {
      fs::path file = uri.substr(std::string(prefix).size());
      std::error_code ec;
      if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
      break;
    }
  }
  catalog::SqlCatalogConfig config;
  config.uri = uri;
  config.name = options_.catalog_name;
  config.warehouse = settings.warehouse;
  config.io = settings.io;
  FLOE_ASSIGN_OR_RAISE(catalog_, catalog::OpenSqlTableCatalog(config));
  return catalog_;
}

Result<std::shared_ptr<io::FileIO>> Context::PathIO() {
  FLOE_ASSIGN_OR_RAISE(Settings settings, ResolveSettings());
  auto io = settings.io;
  if (options_.path_maps.empty()) return io;
  std::vector<std::pair<std::string, std::string>> maps;
  for (const std::string& m : options_.path_maps) {
    auto split = util::SplitKeyValue(m);
    if (!split) return Status::Invalid("--path-map ", util::Quote(m), " must look like FROM=TO");
    maps.push_back(std::move(*split));
  }
  return io::MakePathMappingFileIO(io, std::move(maps));
}

Result<table::Table> Context::LoadTable(const std::string& text) {
  if (!LooksLikePath(text)) return LoadCatalogTable(text);
  FLOE_ASSIGN_OR_RAISE(auto io, PathIO());
  // The path itself is taken as given (local or s3://); locations inside
  // the metadata go through --path-map.
  FLOE_ASSIGN_OR_RAISE(Settings settings, ResolveSettings());
  FLOE_ASSIGN_OR_RAISE(std::string location, catalog::FindCurrentMetadata(*settings.io, text));
  FLOE_ASSIGN_OR_RAISE(auto md, catalog::ReadMetadataFile(*settings.io, location));
  return table::Table(io, catalog::LoadedTable{catalog::TableIdentifier{}, location, md});
}

Result<table::Table> Context::LoadCatalogTable(const std::string& text) {
  if (LooksLikePath(text)) {
    return Status::Invalid(util::Quote(text),
                           " is a path; this command changes a table, so name it as "
                           "NAMESPACE.TABLE in the catalog (or register it first)");
  }
  FLOE_ASSIGN_OR_RAISE(auto id, catalog::TableIdentifier::Parse(text));
  FLOE_ASSIGN_OR_RAISE(auto cat, Catalog());
  FLOE_ASSIGN_OR_RAISE(auto loaded, cat->LoadTable(id));
  return table::Table(cat, std::move(loaded));
}

Result<int64_t> ParseTimestampMillis(const std::string& text) {
  std::string t(util::Trim(text));
  if (auto ms = util::ParseInt64(t)) return *ms;
  // A date alone means its midnight (UTC).
  if (t.size() == 10) t += "T00:00:00";
  bool has_zone = t.find('Z') != std::string::npos ||
                  (t.size() > 19 && (t.find('+', 19) != std::string::npos ||
                                     t.find('-', 19) != std::string::npos));
  auto v = spec::LiteralFromString(has_zone ? t : t + "+00:00", *spec::Type::TimestampTz());
  if (!v.ok()) {
    return Status::Invalid("cannot read ", util::Quote(text),
                           " as a time; use 2024-06-01, 2024-06-01T10:00:00[Z|+01:00] or "
                           "epoch milliseconds");
  }
  int64_t micros = v->long_value();
  return micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
}

}  // namespace floe::cli
