#include "floe/catalog/sql_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "floe/catalog/catalog_test_util.h"
#include "support/system_user.h"

namespace floe::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using SqlCatalogTest = DatabaseTest;

// (name, type, nullable, position in the primary key or 0)
using ColumnInfo = std::tuple<std::string, std::string, bool, int>;

std::vector<ColumnInfo> Columns(SqlBackend& db, const std::string& table) {
  std::vector<ColumnInfo> out;
  if (db.dialect() == SqlDialect::kSqlite) {
    auto rows = db.Query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", {table});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    for (const SqlRow& r : rows.ValueOr({})) {
      out.emplace_back(*r[0], *r[1], *r[2] == "0", std::stoi(*r[3]));
    }
    return out;
  }
  auto rows = db.Query(
      "SELECT c.column_name, c.character_maximum_length, c.is_nullable, "
      "(SELECT k.ordinal_position FROM information_schema.key_column_usage k "
      " JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name "
      " AND t.table_name = k.table_name "
      " WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name "
      " AND k.column_name = c.column_name) "
      "FROM information_schema.columns c WHERE c.table_name = ? AND c.data_type = "
      "'character varying' ORDER BY c.ordinal_position",
      {table});
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  for (const SqlRow& r : rows.ValueOr({})) {
    out.emplace_back(*r[0], "VARCHAR(" + *r[1] + ")", *r[2] == "YES",
                     r[3] ? std::stoi(*r[3]) : 0);
  }
  return out;
}

TEST_P(SqlCatalogTest, CreatesTheTablesWithJavasAndPyIcebergsLayout) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  EXPECT_EQ(catalog->schema_version(), SqlSchemaVersion::kV1);
  EXPECT_THAT(Columns(catalog->backend(), "iceberg_tables"),
              ElementsAre(ColumnInfo{"catalog_name", "VARCHAR(255)", false, 1},
                          ColumnInfo{"table_namespace", "VARCHAR(255)", false, 2},
                          ColumnInfo{"table_name", "VARCHAR(255)", false, 3},
                          ColumnInfo{"metadata_location", "VARCHAR(1000)", true, 0},
                          ColumnInfo{"previous_metadata_location", "VARCHAR(1000)", true, 0},
                          ColumnInfo{"iceberg_type", "VARCHAR(5)", true, 0}));
  EXPECT_THAT(Columns(catalog->backend(), "iceberg_namespace_properties"),
              ElementsAre(ColumnInfo{"catalog_name", "VARCHAR(255)", false, 1},
                          ColumnInfo{"namespace", "VARCHAR(255)", false, 2},
                          ColumnInfo{"property_key", "VARCHAR(255)", false, 3},
                          ColumnInfo{"property_value", "VARCHAR(1000)", false, 0}));
  // Opening again finds the tables and changes nothing.
  FLOE_ASSERT_OK_AND_ASSIGN(auto again, OpenCatalog());
  EXPECT_EQ(again->schema_version(), SqlSchemaVersion::kV1);
}

TEST_P(SqlCatalogTest, WithoutCreateTablesAMissingLayoutIsNotFound) {
  SqlCatalogOptions options;
  options.create_tables = false;
  Status st = OpenCatalog("default", options).status();
  EXPECT_TRUE(st.IsNotFound()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("has no table iceberg_tables"));
}

TEST_P(SqlCatalogTest, NamespaceLifecycle) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  const Namespace ns{"analytics"};
  EXPECT_FALSE(*catalog->NamespaceExists(ns));
  FLOE_ASSERT_OK(catalog->CreateNamespace(ns, {{"owner", "ana"}, {"location", "s3://w/a"}}));
  EXPECT_TRUE(*catalog->NamespaceExists(ns));

  // Java's `exists` row is written and hidden.
  FLOE_ASSERT_OK_AND_ASSIGN(auto raw, catalog->backend().Query(
      "SELECT property_key, property_value FROM iceberg_namespace_properties "
      "WHERE catalog_name = ? AND namespace = ? ORDER BY property_key", {"default", "analytics"}));
  EXPECT_EQ(raw, (std::vector<SqlRow>{{"exists", "true"}, {"location", "s3://w/a"},
                                      {"owner", "ana"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(Properties props, catalog->LoadNamespaceProperties(ns));
  EXPECT_THAT(props, ElementsAre(Pair("location", "s3://w/a"), Pair("owner", "ana")));

  Status dup = catalog->CreateNamespace(ns);
  EXPECT_TRUE(dup.IsAlreadyExists()) << dup.ToString();
  EXPECT_EQ(dup.message(), "namespace analytics already exists in catalog 'default'");

  // Without properties, only the `exists` row.
  FLOE_ASSERT_OK(catalog->CreateNamespace({"empty"}));
  FLOE_ASSERT_OK_AND_ASSIGN(props, catalog->LoadNamespaceProperties({"empty"}));
  EXPECT_THAT(props, IsEmpty());

  FLOE_ASSERT_OK(catalog->DropNamespace(ns));
  EXPECT_FALSE(*catalog->NamespaceExists(ns));
  Status gone = catalog->DropNamespace(ns);
  EXPECT_TRUE(gone.IsNotFound()) << gone.ToString();
  EXPECT_EQ(gone.message(), "namespace analytics not found in catalog 'default'");
  EXPECT_TRUE(catalog->LoadNamespaceProperties(ns).status().IsNotFound());
}

TEST_P(SqlCatalogTest, ReservedExistsPropertyIsRejected) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  Status st = catalog->CreateNamespace({"a"}, {{"exists", "false"}});
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("reserved namespace property 'exists'"));
  EXPECT_FALSE(*catalog->NamespaceExists({"a"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a"}));
  EXPECT_TRUE(catalog->UpdateNamespaceProperties({"a"}, {{"exists", "x"}}, {}).status()
                  .IsInvalid());
  EXPECT_TRUE(catalog->UpdateNamespaceProperties({"a"}, {}, {"exists"}).status().IsInvalid());
}

TEST_P(SqlCatalogTest, UpdateNamespaceProperties) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"db"}, {{"a", "1"}, {"b", "2"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(
      PropertiesUpdateSummary summary,
      catalog->UpdateNamespaceProperties({"db"}, {{"a", "10"}, {"c", "3"}}, {"b", "zz"}));
  EXPECT_THAT(summary.updated, ElementsAre("a", "c"));
  EXPECT_THAT(summary.removed, ElementsAre("b"));
  EXPECT_THAT(summary.missing, ElementsAre("zz"));
  FLOE_ASSERT_OK_AND_ASSIGN(Properties props, catalog->LoadNamespaceProperties({"db"}));
  EXPECT_THAT(props, ElementsAre(Pair("a", "10"), Pair("c", "3")));

  Status both = catalog->UpdateNamespaceProperties({"db"}, {{"a", "1"}}, {"a"}).status();
  EXPECT_TRUE(both.IsInvalid()) << both.ToString();
  Status absent = catalog->UpdateNamespaceProperties({"nope"}, {{"a", "1"}}, {}).status();
  EXPECT_TRUE(absent.IsNotFound()) << absent.ToString();
  EXPECT_FALSE(*catalog->NamespaceExists({"nope"}));  // not created by the update
}

TEST_P(SqlCatalogTest, NestedNamespacesExistThroughTheirChildren) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a", "b", "c"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"a"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"a", "b"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"a", "b", "c"}));
  EXPECT_FALSE(*catalog->NamespaceExists({"a", "b", "c", "d"}));
  EXPECT_FALSE(*catalog->NamespaceExists({"b"}));
  // "a" exists implicitly, so creating it is a conflict (Java's rule).
  EXPECT_TRUE(catalog->CreateNamespace({"a"}).IsAlreadyExists());
  // A table row alone makes its namespace exist too.
  FLOE_ASSERT_OK(catalog->backend().Execute(
      "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
      "metadata_location) VALUES (?, ?, ?, ?)",
      {"default", "x.y", "t", "s3://w/t/m.json"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"x"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"x", "y"}));
}

TEST_P(SqlCatalogTest, LikeWildcardsAndCaseInNamespacesMatchLiterally) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"axb", "child"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"p%q", "child"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"UPPER", "child"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"bang!", "child"}));
  // Unescaped, "a_b.%" would match "axb.child" and "p!%q.%" ... the escapes
  // make '_', '%' and '!' literal; LIKE is case-sensitive on both databases.
  EXPECT_FALSE(*catalog->NamespaceExists({"a_b"}));
  EXPECT_FALSE(*catalog->NamespaceExists({"p%"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"p%q"}));
  EXPECT_FALSE(*catalog->NamespaceExists({"upper"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"UPPER"}));
  EXPECT_TRUE(*catalog->NamespaceExists({"bang!"}));
  EXPECT_FALSE(*catalog->NamespaceExists({"bang"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a_b"}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto children, catalog->ListNamespaces({"a_b"}));
  EXPECT_THAT(children, IsEmpty());
}

TEST_P(SqlCatalogTest, ListNamespaces) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK_AND_ASSIGN(auto none, catalog->ListNamespaces());
  EXPECT_THAT(none, IsEmpty());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"b"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a", "x"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a", "y", "deep"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"ab"}));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"a", "x", "1"}));
  // A namespace known only through a table row.
  FLOE_ASSERT_OK(catalog->backend().Execute(
      "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
      "metadata_location) VALUES (?, ?, ?, ?)",
      {"default", "c.d", "t", "s3://w/t/m.json"}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto top, catalog->ListNamespaces());
  EXPECT_EQ(top, (std::vector<Namespace>{{"a"}, {"ab"}, {"b"}, {"c"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto under_a, catalog->ListNamespaces({"a"}));
  EXPECT_EQ(under_a, (std::vector<Namespace>{{"a", "x"}, {"a", "y"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto under_ax, catalog->ListNamespaces({"a", "x"}));
  EXPECT_EQ(under_ax, (std::vector<Namespace>{{"a", "x", "1"}}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto leaf, catalog->ListNamespaces({"b"}));
  EXPECT_THAT(leaf, IsEmpty());
  Status missing = catalog->ListNamespaces({"zzz"}).status();
  EXPECT_TRUE(missing.IsNotFound()) << missing.ToString();
}

TEST_P(SqlCatalogTest, DropNamespaceRefusesWhenNotEmpty) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"db"}, {{"k", "v"}}));
  FLOE_ASSERT_OK(catalog->CreateTable({"db"}, "events", "s3://w/db/events/m1.json"));
  Status with_table = catalog->DropNamespace({"db"});
  EXPECT_TRUE(with_table.IsInvalid()) << with_table.ToString();
  EXPECT_EQ(with_table.message(),
            "cannot drop namespace db in catalog 'default': it is not empty, it holds tables "
            "or views (events); drop them first");
  FLOE_ASSERT_OK(catalog->DropTable({"db"}, "events"));

  FLOE_ASSERT_OK(catalog->CreateNamespace({"db", "child"}));
  Status with_child = catalog->DropNamespace({"db"});
  EXPECT_TRUE(with_child.IsInvalid()) << with_child.ToString();
  EXPECT_THAT(with_child.message(), HasSubstr("not empty, it has child namespace db.child"));
  FLOE_ASSERT_OK(catalog->DropNamespace({"db", "child"}));
  FLOE_ASSERT_OK(catalog->DropNamespace({"db"}));
  FLOE_ASSERT_OK_AND_ASSIGN(auto rows, catalog->backend().Query(
      "SELECT COUNT(*) FROM iceberg_namespace_properties", {}));
  EXPECT_EQ(rows[0][0], "0");
}

TEST_P(SqlCatalogTest, TableLifecycle) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  const Namespace ns{"analytics"};
  FLOE_ASSERT_OK(catalog->CreateNamespace(ns));
  FLOE_ASSERT_OK_AND_ASSIGN(auto empty, catalog->ListTables(ns));
  EXPECT_THAT(empty, IsEmpty());

  const std::string m1 = "s3://w/analytics/events/metadata/00000-a.metadata.json";
  const std::string m2 = "s3://w/analytics/events/metadata/00001-b.metadata.json";
  FLOE_ASSERT_OK(catalog->CreateTable(ns, "events", m1));
  FLOE_ASSERT_OK(catalog->CreateTable(ns, "clicks", "s3://w/c/m.json"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto names, catalog->ListTables(ns));
  EXPECT_THAT(names, ElementsAre("clicks", "events"));
  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry entry, catalog->LoadTable(ns, "events"));
  EXPECT_EQ(entry.metadata_location, m1);
  EXPECT_EQ(entry.previous_metadata_location, std::nullopt);
  EXPECT_TRUE(*catalog->TableExists(ns, "events"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto type, catalog->backend().Query(
      "SELECT iceberg_type FROM iceberg_tables WHERE table_name = ?", {"events"}));
  EXPECT_EQ(type[0][0], "TABLE");

  FLOE_ASSERT_OK(catalog->CommitTable(ns, "events", m1, m2));
  FLOE_ASSERT_OK_AND_ASSIGN(entry, catalog->LoadTable(ns, "events"));
  EXPECT_EQ(entry.metadata_location, m2);
  EXPECT_EQ(entry.previous_metadata_location, m1);

  FLOE_ASSERT_OK(catalog->CreateNamespace({"archive"}));
  FLOE_ASSERT_OK(catalog->RenameTable(ns, "events", {"archive"}, "events_2025"));
  EXPECT_FALSE(*catalog->TableExists(ns, "events"));
  FLOE_ASSERT_OK_AND_ASSIGN(entry, catalog->LoadTable({"archive"}, "events_2025"));
  EXPECT_EQ(entry.metadata_location, m2);
  EXPECT_EQ(entry.previous_metadata_location, m1);

  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry dropped, catalog->DropTable({"archive"}, "events_2025"));
  EXPECT_EQ(dropped.metadata_location, m2);
  EXPECT_EQ(dropped.previous_metadata_location, m1);
  EXPECT_FALSE(*catalog->TableExists({"archive"}, "events_2025"));

  FLOE_ASSERT_OK(catalog->RegisterTable(ns, "imported", "s3://elsewhere/m.json"));
  FLOE_ASSERT_OK_AND_ASSIGN(entry, catalog->LoadTable(ns, "imported"));
  EXPECT_EQ(entry.metadata_location, "s3://elsewhere/m.json");
}

TEST_P(SqlCatalogTest, TableErrorsSayWhatAndWhere) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  const Namespace ns{"analytics"};
  Status no_ns = catalog->CreateTable(ns, "events", "s3://w/m.json");
  EXPECT_TRUE(no_ns.IsNotFound()) << no_ns.ToString();
  EXPECT_EQ(no_ns.message(),
            "cannot create table analytics.events: namespace analytics not found in catalog "
            "'default'; create the namespace first");
  EXPECT_TRUE(catalog->ListTables(ns).status().IsNotFound());
  FLOE_ASSERT_OK(catalog->CreateNamespace(ns));

  Status missing = catalog->LoadTable(ns, "events").status();
  EXPECT_TRUE(missing.IsNotFound());
  EXPECT_EQ(missing.message(), "table analytics.events not found in catalog 'default'");

  FLOE_ASSERT_OK(catalog->CreateTable(ns, "events", "s3://w/m1.json"));
  Status dup = catalog->CreateTable(ns, "events", "s3://w/other.json");
  EXPECT_TRUE(dup.IsAlreadyExists()) << dup.ToString();
  EXPECT_EQ(dup.message(),
            "cannot create table analytics.events: a table or view of that name already "
            "exists in catalog 'default'");
  EXPECT_TRUE(catalog->RegisterTable(ns, "events", "s3://w/x.json").IsAlreadyExists());

  Status conflict = catalog->CommitTable(ns, "events", "s3://w/stale.json", "s3://w/m2.json");
  EXPECT_TRUE(conflict.IsCommitConflict()) << conflict.ToString();
  EXPECT_EQ(conflict.message(),
            "table analytics.events in catalog 'default' changed concurrently: it no longer "
            "points at s3://w/stale.json; reload the table and retry the commit");
  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry entry, catalog->LoadTable(ns, "events"));
  EXPECT_EQ(entry.metadata_location, "s3://w/m1.json");  // unchanged

  Status no_table = catalog->CommitTable(ns, "gone", "s3://w/a.json", "s3://w/b.json");
  EXPECT_TRUE(no_table.IsNotFound()) << no_table.ToString();
  EXPECT_THAT(no_table.message(), HasSubstr("table analytics.gone not found in catalog"));

  FLOE_ASSERT_OK(catalog->CreateTable(ns, "other", "s3://w/o.json"));
  Status taken = catalog->RenameTable(ns, "events", ns, "other");
  EXPECT_TRUE(taken.IsAlreadyExists()) << taken.ToString();
  EXPECT_THAT(taken.message(), HasSubstr("a table or view named analytics.other already exists"));
  Status no_source = catalog->RenameTable(ns, "nope", ns, "new");
  EXPECT_TRUE(no_source.IsNotFound()) << no_source.ToString();
  Status no_target_ns = catalog->RenameTable(ns, "events", {"elsewhere"}, "events");
  EXPECT_TRUE(no_target_ns.IsNotFound()) << no_target_ns.ToString();
  EXPECT_THAT(no_target_ns.message(), HasSubstr("namespace elsewhere not found"));

  Status drop_missing = catalog->DropTable(ns, "nope").status();
  EXPECT_TRUE(drop_missing.IsNotFound());
  EXPECT_EQ(drop_missing.message(), "table analytics.nope not found in catalog 'default'");
}

TEST_P(SqlCatalogTest, InvalidNamesAreRejectedBeforeTheDatabase) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  EXPECT_TRUE(catalog->CreateNamespace({}).IsInvalid());
  EXPECT_TRUE(catalog->CreateNamespace({"a", ""}).IsInvalid());
  EXPECT_TRUE(catalog->CreateNamespace({"a.b"}).IsInvalid());
  EXPECT_TRUE(catalog->CreateNamespace({std::string(256, 'n')}).IsInvalid());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"ns"}));
  EXPECT_TRUE(catalog->CreateTable({"ns"}, "", "s3://m.json").IsInvalid());
  EXPECT_TRUE(catalog->CreateTable({"ns"}, "t", "").IsInvalid());
  EXPECT_TRUE(catalog->CreateTable({"ns"}, "t", std::string(1001, 'x')).IsInvalid());
  // 255 characters of two bytes each fit: VARCHAR counts characters.
  std::string wide;
  for (int i = 0; i < 255; ++i) wide += "é";
  FLOE_EXPECT_OK(catalog->CreateTable({"ns"}, wide, "s3://m.json"));
  EXPECT_TRUE(*catalog->TableExists({"ns"}, wide));
  EXPECT_TRUE(SqlCatalog::Open(uri(), "").status().IsInvalid());
}

TEST_P(SqlCatalogTest, CatalogNameScopesEveryQuery) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto one, OpenCatalog("one"));
  FLOE_ASSERT_OK_AND_ASSIGN(auto two, OpenCatalog("two"));
  FLOE_ASSERT_OK(one->CreateNamespace({"db"}, {{"k", "1"}}));
  FLOE_ASSERT_OK(one->CreateTable({"db"}, "t", "s3://one/m.json"));
  EXPECT_FALSE(*two->NamespaceExists({"db"}));
  EXPECT_THAT(*two->ListNamespaces(), IsEmpty());
  EXPECT_TRUE(two->LoadTable({"db"}, "t").status().IsNotFound());
  FLOE_ASSERT_OK(two->CreateNamespace({"db"}, {{"k", "2"}}));
  FLOE_ASSERT_OK(two->CreateTable({"db"}, "t", "s3://two/m.json"));
  EXPECT_EQ(one->LoadTable({"db"}, "t")->metadata_location, "s3://one/m.json");
  EXPECT_EQ(two->LoadTable({"db"}, "t")->metadata_location, "s3://two/m.json");
  EXPECT_TRUE(two->CommitTable({"db"}, "t", "s3://one/m.json", "s3://x.json").IsCommitConflict());
  FLOE_ASSERT_OK(two->DropTable({"db"}, "t"));
  FLOE_ASSERT_OK(two->DropNamespace({"db"}));
  EXPECT_TRUE(*one->TableExists({"db"}, "t"));
  EXPECT_EQ(one->LoadNamespaceProperties({"db"})->at("k"), "1");
}

TEST_P(SqlCatalogTest, ViewsAreNotTables) {
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  FLOE_ASSERT_OK(catalog->CreateNamespace({"db"}));
  // A view as Java writes it, and a V0-era row with NULL type (a table).
  FLOE_ASSERT_OK(catalog->backend().Execute(
      "INSERT INTO iceberg_tables VALUES (?, ?, ?, ?, NULL, 'VIEW')",
      {"default", "db", "v", "s3://w/v/m.json"}));
  FLOE_ASSERT_OK(catalog->backend().Execute(
      "INSERT INTO iceberg_tables VALUES (?, ?, ?, ?, NULL, NULL)",
      {"default", "db", "old", "s3://w/old/m.json"}));
  EXPECT_THAT(*catalog->ListTables({"db"}), ElementsAre("old"));
  EXPECT_TRUE(catalog->LoadTable({"db"}, "v").status().IsNotFound());
  EXPECT_TRUE(catalog->CommitTable({"db"}, "v", "s3://w/v/m.json", "s3://x").IsNotFound());
  EXPECT_TRUE(catalog->DropTable({"db"}, "v").status().IsNotFound());
  EXPECT_TRUE(catalog->RenameTable({"db"}, "v", {"db"}, "v2").IsNotFound());
  EXPECT_TRUE(catalog->CreateTable({"db"}, "v", "s3://w/t.json").IsAlreadyExists());
  FLOE_EXPECT_OK(catalog->CommitTable({"db"}, "old", "s3://w/old/m.json", "s3://w/old/m2.json"));
  // The view keeps its namespace from being dropped.
  FLOE_ASSERT_OK(catalog->DropTable({"db"}, "old"));
  EXPECT_TRUE(catalog->DropNamespace({"db"}).IsInvalid());
}

TEST_P(SqlCatalogTest, V0DatabaseIsUsedWithoutMigration) {
  {
    // The layout Java's JdbcCatalog creates by default: no iceberg_type.
    FLOE_ASSERT_OK_AND_ASSIGN(auto db, SqlBackend::Open(uri()));
    FLOE_ASSERT_OK(db->Execute(
        "CREATE TABLE iceberg_tables (catalog_name VARCHAR(255) NOT NULL, "
        "table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, "
        "metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), "
        "PRIMARY KEY (catalog_name, table_namespace, table_name))", {}));
    FLOE_ASSERT_OK(db->Execute(
        "CREATE TABLE iceberg_namespace_properties (catalog_name VARCHAR(255) NOT NULL, "
        "namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255), "
        "property_value VARCHAR(1000), PRIMARY KEY (catalog_name, namespace, property_key))",
        {}));
    // Java allows a NULL value; it reads back as empty.
    FLOE_ASSERT_OK(db->Execute("INSERT INTO iceberg_namespace_properties VALUES (?, ?, ?, NULL)",
                               {"default", "legacy", "comment"}));
  }
  FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, OpenCatalog());
  EXPECT_EQ(catalog->schema_version(), SqlSchemaVersion::kV0);
  EXPECT_THAT(*catalog->LoadNamespaceProperties({"legacy"}), ElementsAre(Pair("comment", "")));
  FLOE_ASSERT_OK(catalog->CreateNamespace({"db"}));
  FLOE_ASSERT_OK(catalog->CreateTable({"db"}, "t", "s3://w/m1.json"));
  FLOE_ASSERT_OK(catalog->CommitTable({"db"}, "t", "s3://w/m1.json", "s3://w/m2.json"));
  EXPECT_TRUE(catalog->CommitTable({"db"}, "t", "s3://w/m1.json", "s3://w/m3.json")
                  .IsCommitConflict());
  FLOE_ASSERT_OK(catalog->RenameTable({"db"}, "t", {"db"}, "u"));
  EXPECT_THAT(*catalog->ListTables({"db"}), ElementsAre("u"));
  FLOE_ASSERT_OK_AND_ASSIGN(TableEntry dropped, catalog->DropTable({"db"}, "u"));
  EXPECT_EQ(dropped.metadata_location, "s3://w/m2.json");
  // Still V0: the column was not added.
  for (const ColumnInfo& column : Columns(catalog->backend(), "iceberg_tables")) {
    EXPECT_NE(std::get<0>(column), "iceberg_type");
  }
}

INSTANTIATE_TEST_SUITE_P(Db, SqlCatalogTest,
                         ::testing::Values(DbKind::kSqlite, DbKind::kPostgres), DbKindName);

// ---- SQLite files the process may not write

// Runs `fn` in a child process that, when the tests run as root (who ignores
// file permissions), first becomes an unprivileged user. Returns what `fn`
// returned, or the reason the child failed.
Status RunUnprivileged(const std::function<Status()>& fn) {
  if (geteuid() != 0) return fn();
  Result<testing::SystemUser> user = testing::UnprivilegedUser();
  if (!user.ok()) return user.status();
  int fds[2];
  if (pipe(fds) != 0) return Status::IOError("pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Status st = testing::BecomeUser(*user) ? fn() : Status::IOError("cannot become ", user->name);
    std::string out = std::to_string(static_cast<int>(st.code())) + "\n" + st.message();
    (void)!write(fds[1], out.data(), out.size());
    _exit(0);  // no exit handlers: they belong to the parent test process
  }
  close(fds[1]);
  std::string out;
  char buffer[512];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof(buffer))) > 0;) out.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  size_t nl = out.find('\n');
  if (nl == std::string::npos) return Status::IOError("the unprivileged child failed");
  auto code = static_cast<StatusCode>(std::stoi(out.substr(0, nl)));
  if (code == StatusCode::kOk) return Status::OK();
  return Status(code, out.substr(nl + 1));
}

TEST(SqlCatalogSqlite, ReadOnlyFileInReadOnlyFolderIsAnIOErrorNamingTheFile) {
  testing::TempDir temp;
  std::filesystem::path folder = temp.path() / "readonly";
  std::filesystem::create_directory(folder);
  std::string path = (folder / "catalog.db").string();
  {
    FLOE_ASSERT_OK_AND_ASSIGN(auto catalog, SqlCatalog::Open(path, "default"));
    FLOE_ASSERT_OK(catalog->CreateNamespace({"db"}));
    FLOE_ASSERT_OK(catalog->CreateTable({"db"}, "t", "s3://w/m1.json"));
  }
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  ASSERT_EQ(chmod(folder.c_str(), 0555), 0);
  ASSERT_EQ(chmod(temp.path().c_str(), 0755), 0);
  Status st = RunUnprivileged([&] { return SqlCatalog::Open(path, "default").status(); });
  chmod(folder.c_str(), 0755);  // so that TempDir can delete it
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_THAT(st.message(), HasSubstr("SQLite file '" + path + "' is read-only"));
  EXPECT_THAT(st.message(), HasSubstr("give this process write access"));
}

}  // namespace
}  // namespace floe::catalog
