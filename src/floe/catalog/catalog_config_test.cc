#include "floe/catalog/catalog_config.h"

#include <gtest/gtest.h>

namespace floe::catalog {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The design note's catalog.properties, as the ConfigMap holds it.
const char* kDesignNote = R"(catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog
uri=jdbc:postgresql://fabric-postgres.databases.svc:5432/iceberg_catalog
warehouse=s3://iceberg-warehouse/
io-impl=org.apache.iceberg.aws.s3.S3FileIO
s3.endpoint=http://seaweedfs.storage.svc:8333
s3.access-key-id=${SEAWEEDFS_ACCESS_KEY}
s3.secret-access-key=${SEAWEEDFS_SECRET_KEY}
s3.path-style-access=true
)";

TEST(CatalogConfig, ReadsTheDesignNotesProperties) {
  auto props = ParseJavaProperties(
      kDesignNote, Env({{"SEAWEEDFS_ACCESS_KEY", "ak"}, {"SEAWEEDFS_SECRET_KEY", "sk"}}),
      "catalog.properties");
  ASSERT_TRUE(props.ok()) << props.status().ToString();
  EXPECT_EQ(props->at("s3.access-key-id"), "ak");
  auto c = ResolveCatalogConfig(*props);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->uri, "postgresql://fabric-postgres.databases.svc:5432/iceberg_catalog");
  EXPECT_EQ(c->warehouse, "s3://iceberg-warehouse/");
  ASSERT_TRUE(c->s3.has_value());
  EXPECT_EQ(c->s3->endpoint, "http://seaweedfs.storage.svc:8333");
  EXPECT_EQ(c->s3->access_key_id, "ak");
  EXPECT_EQ(c->s3->secret_access_key, "sk");
  EXPECT_TRUE(c->s3->path_style_access);
}

TEST(CatalogConfig, MissingVariableNamesItAndTheLine) {
  auto props = ParseJavaProperties(kDesignNote, Env({{"SEAWEEDFS_ACCESS_KEY", "ak"}}),
                                   "catalog.properties");
  ASSERT_FALSE(props.ok());
  EXPECT_NE(props.status().message().find("catalog.properties line 7"), std::string::npos)
      << props.status().ToString();
  EXPECT_NE(props.status().message().find("SEAWEEDFS_SECRET_KEY is not set"), std::string::npos);
}

TEST(CatalogConfig, JavaPropertiesSyntax) {
  auto props = ParseJavaProperties(
      "# comment\n! also a comment\n  spaced.key = value with spaces  \ncolon:x\nbare y\n"
      "multi=one \\\n    two\nescaped\\=key=a\\tb\nunicode=caf\\u00e9\n",
      Env({}), "p");
  ASSERT_TRUE(props.ok()) << props.status().ToString();
  EXPECT_EQ(props->at("spaced.key"), "value with spaces  ");
  EXPECT_EQ(props->at("colon"), "x");
  EXPECT_EQ(props->at("bare"), "y");
  EXPECT_EQ(props->at("multi"), "one two");
  EXPECT_EQ(props->at("escaped=key"), "a\tb");
  EXPECT_EQ(props->at("unicode"), "caf\xc3\xa9");
}

TEST(CatalogConfig, JdbcUsersSqliteAndEnvironment) {
  auto c = ResolveCatalogConfig({{"uri", "jdbc:postgresql://db:5432/cat?sslmode=disable"},
                                 {"jdbc.user", "iceberg"},
                                 {"jdbc.password", "p@ss word"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->uri, "postgresql://iceberg:p%40ss%20word@db:5432/cat?sslmode=disable");
  EXPECT_FALSE(c->s3.has_value());
  auto lite = ResolveCatalogConfig({{"uri", "jdbc:sqlite:/tmp/c.db"}});
  ASSERT_TRUE(lite.ok());
  EXPECT_EQ(lite->uri, "sqlite:////tmp/c.db");
  EXPECT_TRUE(ResolveCatalogConfig({{"uri", "jdbc:mysql://x/y"}}).status().IsNotSupported());
  auto half = ResolveCatalogConfig({{"s3.access-key-id", "a"}});
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("must be set together"), std::string::npos);
  auto env = PropertiesFromEnvironment(
      Env({{"FLOE_S3_ENDPOINT", "http://x:1"}, {"FLOE_S3_PATH_STYLE_ACCESS", "false"},
           {"FLOE_URI", "sqlite:///a.db"}}));
  EXPECT_EQ(env.at("s3.endpoint"), "http://x:1");
  EXPECT_EQ(env.at("uri"), "sqlite:///a.db");
  auto resolved = ResolveCatalogConfig(env);
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->s3->path_style_access);
}

}  // namespace
}  // namespace floe::catalog
