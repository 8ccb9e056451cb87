// The catalog database PyIceberg's SqlCatalog wrote for the peer table
// pyiceberg_v2_day_map (a V0 layout): Floe must read it as PyIceberg does and
// update it without changing its layout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "floe/catalog/catalog_test_util.h"
#include "floe/catalog/sql_catalog.h"

namespace floe::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kMetadata =
    "file://data/persistent/map_stats/default.db/map_stats/metadata/"
    "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json";
constexpr const char* kPrevious =
    "file://data/persistent/map_stats/default.db/map_stats/metadata/"
    "00001-95f81ca3-d5e0-4b8c-8b1c-4530ccfd8684.metadata.json";

TEST(SqlCatalogPyIceberg, ReadsPyIcebergsCatalogFile) {
  std::filesystem::path table = testing::PeerTablesDir() / "pyiceberg_v2_day_map";
  // The locations asserted here are the ones SOURCE.md records.
  std::string source = testing::ReadFileOrDie(table / "SOURCE.md");
  ASSERT_THAT(source, HasSubstr(kMetadata));
  ASSERT_THAT(source, HasSubstr("00001-95f81ca3-d5e0-4b8c-8b1c-4530ccfd8684.metadata.json"));

  // Work on a copy: shared files are never modified.
  testing::TempDir temp;
  std::filesystem::path db = temp.path() / "pyiceberg_catalog.db";
  std::filesystem::copy_file(table / "catalog" / "pyiceberg_catalog.db", db);
  std::filesystem::permissions(db, std::filesystem::perms::owner_read |
                                       std::filesystem::perms::owner_write);

  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, SqlCatalog::Open("sqlite:///" + db.string(), "default"));
  EXPECT_EQ(catalog->schema_version(), SqlSchemaVersion::kV0);
  FLOE_ASSERT_OK_AND_ASSIGN(auto namespaces, catalog->ListNamespaces());
  EXPECT_EQ(namespaces, (std::vector<Namespace>{{"default"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto tables, catalog->ListTables({"default"}));
  EXPECT_THAT(tables, ElementsAre("map_stats"));
  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry entry, catalog->LoadTable({"default"}, "map_stats"));
  EXPECT_EQ(entry.metadata_location, kMetadata);
  EXPECT_EQ(entry.previous_metadata_location, kPrevious);
  // PyIceberg wrote `exists`=`true`; it stays hidden.
  EXPECT_THAT(*catalog->LoadNamespaceProperties({"default"}), IsEmpty());

  // Another catalog name sees nothing of it.
  FLOE_ASSERT_OK_AND_ASSIGN(auto other, SqlCatalog::Open(db.string(), "other"));
  EXPECT_THAT(*other->ListNamespaces(), IsEmpty());

  // A commit as PyIceberg's would be, then a fresh open reads it back.
  const std::string next = std::string(kMetadata) + ".next";
  FLOE_ASSERT_OK(catalog->CommitTable({"default"}, "map_stats", kMetadata, next));
  catalog.reset();
  FLOE_ASSERT_OK_AND_ASSIGN(catalog, SqlCatalog::Open(db.string(), "default"));
  EXPECT_EQ(catalog->schema_version(), SqlSchemaVersion::kV0);  // not migrated
  FLOE_ASSERT_OK_AND_ASSIGN(entry, catalog->LoadTable({"default"}, "map_stats"));
  EXPECT_EQ(entry.metadata_location, next);
  EXPECT_EQ(entry.previous_metadata_location, kMetadata);
}

}  // namespace
}  // namespace floe::catalog
