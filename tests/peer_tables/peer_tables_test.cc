// Reads every metadata file, manifest list and manifest of the peer tables
// in ../shared/testdata/peer-tables (written by Spark, Flink, Trino, Impala
// and PyIceberg), checks them against the facts their SOURCE.md records, and
// checks that Floe re-writes them without losing anything.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "floe/manifest/manifest_list.h"
#include "floe/manifest/manifest_reader.h"
#include "floe/manifest/manifest_writer.h"
#include "floe/spec/json.h"
#include "floe/spec/transform.h"
#include "support/test_util.h"

namespace floe {
namespace {

namespace fs = std::filesystem;
using manifest::EntryStatus;
using manifest::FileContent;
using spec::Literal;

struct PeerTable {
  std::string name;
  std::string current;  // current metadata file, as SOURCE.md names it
  // Expected sum of live data-file record counts per snapshot id (tables
  // whose snapshots have no deletes, or snapshots before any delete).
  std::map<int64_t, int64_t> live_rows;
};

const std::vector<PeerTable>& Tables() {
  static const std::vector<PeerTable> kTables = {
      {"flink_v2_eqdelete_partitioned", "v5.metadata.json",
       {{3217166167862484560, 3}, {7564375228633944060, 5}}},
      {"pyiceberg_v2_day_map", "00002-0e059d4b-e5e8-41af-a763-76cbf3a3d0bc.metadata.json",
       {{554549470069664013, 2}, {8792170059756986233, 1}}},
      {"spark24_v1_nested_hour", "v2.metadata.json", {{8063525763252762178, 20}}},
      {"spark_v2_posdelete_addcol", "v5.metadata.json", {{7505300640432048841, 21}}},
      {"spark_v2_rename_bucket", "v3.metadata.json", {{5276958600260276572, 4}}},
      {"spark_v3_deletion_vectors", "v3.metadata.json", {{2700858159721908397, 5}}},
      {"trino_v2_bucket_types", "00002-53948f10-cced-409f-8dd9-6dea096895e8.metadata.json",
       {{8928121299234260333, 0}, {8499397478161915471, 1}}},
      {"trino_v2_month_nulls", "00002-f44ed222-470e-4e33-b813-6646d434b185.metadata.json",
       {{2311346262833015500, 0}, {7681461458663170398, 3}}},
      {"trino_v2_partition_evolution", "00005-218c3743-5886-48b9-88d6-86c202862e0f.metadata.json",
       {{5032402648663831776, 0}, {6593870062034330780, 6}, {240252726469419150, 7}}},
      {"trino_v2_year_date", "00002-b30c996e-fb0e-4ebc-a987-3536ceb792ea.metadata.json",
       {{4795903818150143955, 0}, {7253010310290501549, 3}}},
  };
  return kTables;
}

// The table as loaded from its folder: prefix map, metadata, manifests.
class Loaded {
 public:
  explicit Loaded(const PeerTable& t) : table(t) {
    dir = testing::PeerTablesDir() / t.name;
    std::string source = testing::ReadFileOrDie(dir / "SOURCE.md");
    // The first row of the "Location prefix map" table: | `prefix` | `.` ... |
    std::smatch m;
    std::regex row("\\| `([^`]+)` \\| `\\.`");
    EXPECT_TRUE(std::regex_search(source, m, row)) << "no prefix map in " << t.name;
    prefix = m[1];
  }

  // A path from metadata resolved inside the table folder.
  std::string Local(const std::string& path) const {
    EXPECT_EQ(path.rfind(prefix, 0), 0u) << path << " does not start with " << prefix;
    return (dir.string() + path.substr(prefix.size()));
  }

  const PeerTable& table;
  fs::path dir;
  std::string prefix;
};

std::vector<fs::path> Files(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every key and value of `original` appears in `written` (which may add the
// fields Floe always writes). Type strings compare without whitespace.
void ExpectSubset(const nlohmann::json& original, const nlohmann::json& written,
                  const std::string& path) {
  if (original.is_object()) {
    ASSERT_TRUE(written.is_object()) << path;
    for (auto it = original.begin(); it != original.end(); ++it) {
      ASSERT_TRUE(written.contains(it.key())) << path << "." << it.key() << " was dropped";
      ExpectSubset(*it, written[it.key()], path + "." + it.key());
    }
  } else if (original.is_array()) {
    ASSERT_TRUE(written.is_array()) << path;
    ASSERT_EQ(original.size(), written.size()) << path;
    for (size_t i = 0; i < original.size(); ++i) {
      ExpectSubset(original[i], written[i], path + "[" + std::to_string(i) + "]");
    }
  } else if (original.is_string() && written.is_string()) {
    std::string a = original.get<std::string>(), b = written.get<std::string>();
    if (path.ends_with(".type")) std::erase(a, ' ');
    EXPECT_EQ(a, b) << path;
  } else {
    EXPECT_EQ(original, written) << path;
  }
}

void PrintTo(const PeerTable& t, std::ostream* os) { *os << t.name; }

class PeerTables : public ::testing::TestWithParam<PeerTable> {};

TEST_P(PeerTables, EveryMetadataFileParsesAndRoundTrips) {
  Loaded t(GetParam());
  auto files = Files(t.dir / "metadata", ".metadata.json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.filename().string());
    std::string text = testing::ReadFileOrDie(f);
    auto md = spec::TableMetadataFromJson(text);
    ASSERT_TRUE(md.ok()) << md.status().ToString();
    std::string written = spec::TableMetadataToJson(*md);
    auto again = spec::TableMetadataFromJson(written);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, *md);
    EXPECT_EQ(spec::TableMetadataToJson(*again), written);
    ExpectSubset(nlohmann::json::parse(text), nlohmann::json::parse(written), "");
  }
}

TEST_P(PeerTables, ManifestsMatchSourceAndRoundTrip) {
  Loaded t(GetParam());
  auto md = spec::TableMetadataFromJson(testing::ReadFileOrDie(t.dir / "metadata" / t.table.current));
  ASSERT_TRUE(md.ok()) << md.status().ToString();
  std::map<int64_t, int64_t> live_rows;
  for (const spec::Snapshot& snap : md->snapshots) {
    SCOPED_TRACE("snapshot " + std::to_string(snap.snapshot_id));
    std::string list_path = t.Local(snap.manifest_list);
    std::string list_bytes = testing::ReadFileOrDie(list_path);
    auto list = manifest::ReadManifestList(list_path, list_bytes);
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    EXPECT_EQ(list->format_version, md->format_version);

    // Manifest list round trip: same manifests after a re-write.
    manifest::ManifestListWriteOptions lo;
    lo.format_version = md->format_version;
    lo.snapshot_id = snap.snapshot_id;
    lo.parent_snapshot_id = snap.parent_snapshot_id;
    lo.sequence_number = snap.sequence_number;
    auto relist = manifest::WriteManifestList(list->manifests, lo);
    ASSERT_TRUE(relist.ok()) << relist.status().ToString();
    auto relist_read = manifest::ReadManifestList("rewritten", relist->bytes);
    ASSERT_TRUE(relist_read.ok());
    EXPECT_EQ(relist_read->manifests, list->manifests);

    int64_t rows = 0;
    for (const manifest::ManifestFile& mf : list->manifests) {
      SCOPED_TRACE(mf.manifest_path);
      const spec::PartitionSpec* spec = md->SpecById(mf.partition_spec_id);
      ASSERT_NE(spec, nullptr);
      const spec::Schema* schema = md->SchemaForSnapshot(snap);
      std::string local = t.Local(mf.manifest_path);
      std::string bytes = testing::ReadFileOrDie(local);
      EXPECT_EQ(static_cast<int64_t>(bytes.size()), mf.manifest_length);
      auto m = manifest::ReadManifest(local, bytes, {spec, schema, &mf});
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      int added = 0, existing = 0, deleted = 0;
      for (const manifest::ManifestEntry& e : m->entries) {
        ASSERT_TRUE(e.snapshot_id.has_value());
        ASSERT_TRUE(e.sequence_number.has_value());
        EXPECT_LE(*e.sequence_number, snap.sequence_number);
        EXPECT_EQ(e.data_file.partition.size(), spec->fields().size());
        EXPECT_EQ(e.data_file.content == FileContent::kData,
                  mf.content == manifest::ManifestContent::kData);
        t.Local(e.data_file.file_path);  // every path carries the table's prefix
        if (e.status == EntryStatus::kAdded) ++added;
        if (e.status == EntryStatus::kExisting) ++existing;
        if (e.status == EntryStatus::kDeleted) ++deleted;
        if (e.status != EntryStatus::kDeleted && e.data_file.content == FileContent::kData) {
          rows += e.data_file.record_count;
        }
      }
      EXPECT_EQ(mf.added_files_count.value_or(added), added);
      EXPECT_EQ(mf.existing_files_count.value_or(existing), existing);
      EXPECT_EQ(mf.deleted_files_count.value_or(deleted), deleted);

      // Re-write the manifest with Floe and read it back: same entries.
      manifest::ManifestWriteOptions wo;
      wo.format_version = m->format_version;
      wo.spec = *spec;
      wo.schema = *schema;
      wo.content = mf.content;
      wo.snapshot_id = mf.added_snapshot_id.value_or(0);
      auto w = manifest::ManifestWriter::Make(wo);
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      for (const auto& e : m->entries) {
        manifest::ManifestEntry copy = e;
        if (wo.format_version == 1) copy.sequence_number.reset(), copy.file_sequence_number.reset();
        ASSERT_TRUE(w->Add(copy).ok()) << w->Add(copy).ToString();
      }
      auto done = w->Finish("rewritten.avro");
      ASSERT_TRUE(done.ok());
      manifest::ManifestFile same = mf;
      auto back = manifest::ReadManifest("rewritten.avro", done->bytes, {spec, schema, &same});
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      ASSERT_EQ(back->entries.size(), m->entries.size());
      for (size_t i = 0; i < m->entries.size(); ++i) {
        manifest::ManifestEntry expect = m->entries[i];
        if (wo.format_version == 1 && !expect.data_file.block_size_in_bytes) {
          expect.data_file.block_size_in_bytes = 67108864;
        }
        EXPECT_EQ(back->entries[i], expect) << "entry " << i;
      }
      // The partition summaries Floe computes equal the writer's.
      if (mf.partitions && !m->entries.empty()) {
        ASSERT_TRUE(done->manifest_file.partitions.has_value());
        for (size_t i = 0; i < mf.partitions->size(); ++i) {
          EXPECT_EQ((*done->manifest_file.partitions)[i].contains_null, (*mf.partitions)[i].contains_null);
          EXPECT_EQ((*done->manifest_file.partitions)[i].lower_bound, (*mf.partitions)[i].lower_bound);
          EXPECT_EQ((*done->manifest_file.partitions)[i].upper_bound, (*mf.partitions)[i].upper_bound);
        }
      }
    }
    live_rows[snap.snapshot_id] = rows;
  }
  for (const auto& [id, rows] : t.table.live_rows) {
    ASSERT_TRUE(live_rows.count(id)) << "snapshot " << id << " not in " << t.table.current;
    EXPECT_EQ(live_rows[id], rows) << "live rows of snapshot " << id;
  }
}

INSTANTIATE_TEST_SUITE_P(All, PeerTables, ::testing::ValuesIn(Tables()),
                         [](const auto& info) { return info.param.name; });

// ---- table-specific facts from SOURCE.md -----------------------------------

struct CurrentManifests {
  spec::TableMetadata md;
  std::vector<manifest::Manifest> manifests;
};

CurrentManifests LoadCurrent(const std::string& name) {
  const PeerTable* pt = nullptr;
  for (const auto& t : Tables()) {
    if (t.name == name) pt = &t;
  }
  Loaded t(*pt);
  CurrentManifests out;
  auto md = spec::TableMetadataFromJson(testing::ReadFileOrDie(t.dir / "metadata" / pt->current));
  EXPECT_TRUE(md.ok());
  out.md = *md;
  const spec::Snapshot* snap = out.md.CurrentSnapshot();
  std::string list_path = t.Local(snap->manifest_list);
  auto list = manifest::ReadManifestList(list_path, testing::ReadFileOrDie(list_path));
  EXPECT_TRUE(list.ok());
  for (const auto& mf : list->manifests) {
    std::string local = t.Local(mf.manifest_path);
    auto m = manifest::ReadManifest(local, testing::ReadFileOrDie(local),
                                    {out.md.SpecById(mf.partition_spec_id),
                                     out.md.SchemaForSnapshot(*snap), &mf});
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    out.manifests.push_back(std::move(*m));
  }
  return out;
}

// The partition tuple in its path form ("2025-03" for a month), as engines
// name the partition folders.
std::string Partition(const manifest::Manifest& m, const manifest::ManifestEntry& e) {
  std::string out;
  for (size_t i = 0; i < e.data_file.partition.size(); ++i) {
    if (i) out += ",";
    out += m.spec.fields()[i].transform.ToHumanString(e.data_file.partition[i],
                                                      *m.partition_type->fields()[i].type);
  }
  return out;
}

std::multiset<std::string> LivePartitions(const CurrentManifests& c) {
  std::multiset<std::string> out;
  for (const auto& m : c.manifests) {
    for (const auto& e : m.entries) {
      if (e.status != EntryStatus::kDeleted) out.insert(Partition(m, e));
    }
  }
  return out;
}

TEST(PeerFacts, Spark24HourAndIdentityPartitions) {
  auto c = LoadCurrent("spark24_v1_nested_hour");
  ASSERT_EQ(c.manifests.size(), 1u);
  EXPECT_EQ(c.manifests[0].format_version, 1);
  std::map<std::string, int> counts;
  for (const auto& e : c.manifests[0].entries) {
    EXPECT_EQ(e.data_file.record_count, 1);
    EXPECT_EQ(e.data_file.partition[0].int_value() >= 438296, true);
    ++counts[std::to_string(e.data_file.partition[0].int_value()) + "/" +
             e.data_file.partition[1].string_value()];
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{
                        {"438296/view", 8}, {"438297/click", 6}, {"438298/download", 6}}));
  // The hour transform's human form is what Spark used for the folders.
  const auto& spec = c.md.DefaultSpec()->fields()[0];
  EXPECT_EQ(spec.transform.ToHumanString(Literal::Int(438296), *spec::Type::Int()),
            "2020-01-01-08");
}

TEST(PeerFacts, TrinoBucketValuesMatchFloesBucketTransform) {
  auto c = LoadCurrent("trino_v2_bucket_types");
  ASSERT_EQ(c.manifests.size(), 1u);
  ASSERT_EQ(c.manifests[0].entries.size(), 1u);
  const auto& part = c.manifests[0].entries[0].data_file.partition;
  std::vector<int32_t> trino;
  for (const auto& v : part) trino.push_back(v.int_value());
  EXPECT_EQ(trino, (std::vector<int32_t>{0, 0, 3, 2, 2, 99, 75, 13, 5, 724}));
  // The row from create.sql, transformed by Floe.
  const spec::Schema& schema = *c.md.CurrentSchema();
  std::vector<std::pair<std::string, std::string>> row = {
      {"col_int", "1"}, {"col_long", "2"}, {"col_decimal", "3.00"}, {"col_date", "2025-03-03"},
      {"col_time", "17:00:00"}, {"col_timestamp", "2025-03-03T00:00:00"},
      {"col_timestamptz", "2025-03-03T00:00:00+00:00"}, {"col_string", "some-string"},
      {"col_uuid", "12151fd2-7586-11e9-8f9e-2a86e4085a59"}};
  const auto& fields = c.md.DefaultSpec()->fields();
  for (size_t i = 0; i < row.size(); ++i) {
    const spec::NestedField* f = schema.FindFieldByName(row[i].first);
    ASSERT_NE(f, nullptr) << row[i].first;
    auto value = spec::LiteralFromString(row[i].second, *f->type);
    ASSERT_TRUE(value.ok()) << row[i].first << ": " << value.status().ToString();
    auto b = fields[i].transform.Apply(*value, *f->type);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->int_value(), trino[i]) << row[i].first;
  }
  auto bin = fields[9].transform.Apply(Literal::Binary("some-varbinary"), *spec::Type::Binary());
  ASSERT_TRUE(bin.ok());
  EXPECT_EQ(bin->int_value(), 724);
}

TEST(PeerFacts, MonthYearDayAndEvolvedPartitions) {
  EXPECT_EQ(LivePartitions(LoadCurrent("trino_v2_month_nulls")),
            (std::multiset<std::string>{"2025-03", "2024-03", "null"}));
  EXPECT_EQ(LivePartitions(LoadCurrent("trino_v2_year_date")),
            (std::multiset<std::string>{"2024", "2025"}));
  EXPECT_EQ(LivePartitions(LoadCurrent("pyiceberg_v2_day_map")),
            (std::multiset<std::string>{"2026-01-01", "2026-01-02"}));
  auto evo = LoadCurrent("trino_v2_partition_evolution");
  ASSERT_EQ(evo.manifests.size(), 2u);
  std::set<int32_t> specs;
  for (const auto& m : evo.manifests) specs.insert(m.spec.spec_id());
  EXPECT_EQ(specs, (std::set<int32_t>{0, 1}));
  auto parts = LivePartitions(evo);
  EXPECT_EQ(parts.size(), 7u);
  EXPECT_EQ(parts.count("3,2025-03-03"), 0u);
  EXPECT_EQ(parts.count("2.0"), 1u);  // the only file written under spec 1
}

TEST(PeerFacts, SparkRenamedBucketSourceKeepsPartitions) {
  auto c = LoadCurrent("spark_v2_rename_bucket");
  EXPECT_EQ(LivePartitions(c),
            (std::multiset<std::string>{"0,2022-01-01", "2,2022-01-02", "3,null"}));
  // Floe's bucket[4] agrees with Spark's values for ids 1..4.
  const auto& bucket = c.md.DefaultSpec()->fields()[0].transform;
  std::map<int, int> expected = {{1, 0}, {2, 0}, {3, 3}, {4, 2}};
  for (auto [id, b] : expected) {
    EXPECT_EQ(bucket.Apply(Literal::Int(id), *spec::Type::Int())->int_value(), b) << id;
  }
}

TEST(PeerFacts, DeletionVectorsAndEqualityDeletes) {
  auto dv = LoadCurrent("spark_v3_deletion_vectors");
  int data = 0;
  std::map<int64_t, int64_t> dv_offsets;
  for (const auto& m : dv.manifests) {
    for (const auto& e : m.entries) {
      if (e.status == EntryStatus::kDeleted) continue;
      if (e.data_file.content == FileContent::kData) {
        ++data;
        EXPECT_TRUE(e.data_file.first_row_id.has_value());
      } else {
        EXPECT_EQ(e.data_file.file_format, manifest::FileFormat::kPuffin);
        EXPECT_TRUE(e.data_file.referenced_data_file.has_value());
        dv_offsets[*e.data_file.content_offset] = *e.data_file.content_size_in_bytes;
      }
    }
  }
  EXPECT_EQ(data, 5);
  EXPECT_EQ(dv_offsets, (std::map<int64_t, int64_t>{{4, 42}, {46, 42}}));
  EXPECT_EQ(dv.md.next_row_id, 5);

  auto eq = LoadCurrent("flink_v2_eqdelete_partitioned");
  int eq_files = 0;
  for (const auto& m : eq.manifests) {
    for (const auto& e : m.entries) {
      if (e.data_file.content != FileContent::kEqualityDeletes) continue;
      ++eq_files;
      EXPECT_EQ(e.data_file.equality_ids, (std::vector<int32_t>{2, 3}));
    }
  }
  EXPECT_GT(eq_files, 0);
}

}  // namespace
}  // namespace floe
