// Property tests of the metrics and manifest evaluators against brute force:
// random small files (with nulls, NaNs, -0.0 and truncated string bounds) and
// random filters. Inclusive false must mean no row matches; strict true must
// mean every row matches.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "floe/expr/evaluators.h"
#include "floe/expr/expr_test_util.h"
#include "floe/expr/projection.h"

namespace floe::expr {
namespace {

using internal::Truth;
using spec::Literal;
using spec::Type;
using spec::TypeId;
using testing::RefOf;
using testing::TestSchema;
using testing::ValueGen;

// UTF-8 <-> code points, for truncating string bounds as Java does.
std::vector<uint32_t> Decode(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

std::string Encode(const std::vector<uint32_t>& cps) {
  std::string out;
  for (uint32_t cp : cps) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// Java's truncated bounds: the lower bound keeps `n` code points; the upper
// bound keeps `n` and increments the last one (nullopt if it cannot).
std::string TruncateLower(const std::string& s, size_t n) {
  std::vector<uint32_t> cps = Decode(s);
  if (cps.size() > n) cps.resize(n);
  return Encode(cps);
}
std::optional<std::string> TruncateUpper(const std::string& s, size_t n) {
  std::vector<uint32_t> cps = Decode(s);
  if (cps.size() <= n) return s;
  cps.resize(n);
  while (!cps.empty()) {
    uint32_t& last = cps.back();
    if (last < 0x10FFFF) {
      last = last == 0xD7FF ? 0xE000 : last + 1;
      return Encode(cps);
    }
    cps.pop_back();
  }
  return std::nullopt;
}

// The statistics a writer would record for `values` of `type`.
ColumnStats StatsOf(const std::vector<Literal>& values, const Type& type, ValueGen& gen) {
  ColumnStats s;
  int64_t nulls = 0, nans = 0;
  for (const Literal& v : values) {
    if (v.is_null()) {
      ++nulls;
      continue;
    }
    if (internal::IsNanValue(v)) {
      ++nans;
      continue;
    }
    // The spec's total order puts -0.0 below 0.0, as writers must.
    if (!s.lower || spec::CompareLiterals(v, *s.lower, type) < 0) s.lower = v;
    if (!s.upper || spec::CompareLiterals(v, *s.upper, type) > 0) s.upper = v;
  }
  s.value_count = static_cast<int64_t>(values.size());
  s.null_count = nulls;
  if (spec::IsFloatingType(type.id())) s.nan_count = nans;
  if (type.id() == TypeId::kString && s.lower && gen.Chance(60)) {
    const auto n = static_cast<size_t>(gen.Int(0, 3));
    s.lower = Literal::String(TruncateLower(s.lower->string_value(), n));
    std::optional<std::string> up = TruncateUpper(s.upper->string_value(), n);
    if (up) s.upper = Literal::String(*up);
    else s.upper.reset();
  }
  // Any statistic may be missing.
  if (gen.Chance(10)) s.lower.reset();
  if (gen.Chance(10)) s.upper.reset();
  if (gen.Chance(10)) s.value_count.reset();
  if (gen.Chance(10)) s.null_count.reset();
  if (gen.Chance(10)) s.nan_count.reset();
  return s;
}

TEST(MetricsPropertyTest, AgainstBruteForce) {
  const spec::Schema schema = TestSchema();
  // Pairs of columns so that filters combine fields.
  const std::vector<std::vector<int32_t>> groups = {
      {2, 7}, {3, 5}, {4, 6}, {7, 18}, {8, 10}, {11, 12}, {5}, {7}, {13, 14}, {15, 16},
      {9, 23}};
  ValueGen gen(2024);
  int64_t pruned = 0, all_match = 0, files = 0;
  for (const auto& group : groups) {
    std::vector<BoundReference> refs;
    for (int32_t id : group) refs.push_back(RefOf(schema, id));
    for (int round = 0; round < 1500; ++round) {
      const int64_t n = gen.Int(0, 6);
      // Rows: one value per referenced column; few distinct values so that
      // predicates hit; some columns all null or all NaN.
      std::vector<std::vector<Literal>> columns(refs.size());
      for (size_t c = 0; c < refs.size(); ++c) {
        const int null_percent = gen.Chance(15) ? 100 : gen.Chance(50) ? 0 : 30;
        const bool nan_only = spec::IsFloatingType(refs[c].type->id()) && gen.Chance(10);
        for (int64_t r = 0; r < n; ++r) {
          Literal v = gen.MaybeNull(*refs[c].type, null_percent);
          if (nan_only && !v.is_null()) {
            v = refs[c].type->id() == TypeId::kFloat ? Literal::Float(NAN) : Literal::Double(NAN);
          }
          columns[c].push_back(v);
        }
      }
      ColumnStatsMap stats;
      for (size_t c = 0; c < refs.size(); ++c) {
        if (gen.Chance(5)) continue;  // no statistics for this column
        stats[refs[c].field_id] = StatsOf(columns[c], *refs[c].type, gen);
      }
      ++files;
      for (int f = 0; f < 8; ++f) {
        BoundExprPtr filter = gen.Tree(refs, 2);
        bool any = false, all = true;
        for (int64_t r = 0; r < n; ++r) {
          const auto value_of = [&](const BoundReference& ref) -> const Literal& {
            for (size_t c = 0; c < refs.size(); ++c) {
              if (refs[c].field_id == ref.field_id) return columns[c][static_cast<size_t>(r)];
            }
            static const Literal kNull;
            return kNull;
          };
          const bool match = internal::EvalRow(*filter, value_of) == Truth::kTrue;
          any |= match;
          all &= match;
        }
        const bool might = InclusiveMetricsEvaluator(filter).Evaluate(n, stats);
        const bool must = StrictMetricsEvaluator(filter).Evaluate(n, stats);
        auto describe = [&]() {
          std::string out = filter->ToString() + " on rows:";
          for (int64_t r = 0; r < n; ++r) {
            out += "\n  ";
            for (size_t c = 0; c < refs.size(); ++c) {
              out += spec::LiteralToString(columns[c][static_cast<size_t>(r)], *refs[c].type) + " ";
            }
          }
          for (const auto& [id, s] : stats) {
            const Type& t = *schema.FindField(id)->type;
            out += "\n  stats " + std::to_string(id) + ": [" +
                   (s.lower ? spec::LiteralToString(*s.lower, t) : "?") + ", " +
                   (s.upper ? spec::LiteralToString(*s.upper, t) : "?") + "] values " +
                   (s.value_count ? std::to_string(*s.value_count) : "?") + " nulls " +
                   (s.null_count ? std::to_string(*s.null_count) : "?") + " nans " +
                   (s.nan_count ? std::to_string(*s.nan_count) : "?");
          }
          return out;
        };
        if (!might) {
          ++pruned;
          EXPECT_FALSE(any) << "inclusive pruned a matching file: " << describe();
        }
        if (must) {
          ++all_match;
          EXPECT_TRUE(all) << "strict claimed every row matches: " << describe();
        }
      }
    }
  }
  EXPECT_GT(pruned, 10000);
  EXPECT_GT(all_match, 10000);
  EXPECT_GT(files, 10000);
}

// Manifests of random partition tuples (identity on several types) against
// the partition evaluator on each tuple.
TEST(ManifestPropertyTest, AgainstBruteForce) {
  const spec::Schema schema = TestSchema();
  ValueGen gen(77);
  int64_t pruned = 0;
  for (int32_t id : {2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 16}) {
    std::vector<spec::PartitionField> fields(1);
    fields[0].source_id = id;
    fields[0].field_id = 1000;
    fields[0].name = "p";
    const spec::PartitionSpec spec(1, fields);
    const BoundReference ref = RefOf(schema, id);
    const Type& type = *ref.type;
    for (int round = 0; round < 600; ++round) {
      std::vector<Literal> tuples;
      const int64_t n = gen.Int(1, 5);
      const int null_percent = gen.Chance(20) ? 100 : 25;
      for (int64_t i = 0; i < n; ++i) tuples.push_back(gen.MaybeNull(type, null_percent));
      manifest::PartitionFieldSummary summary;
      std::optional<Literal> lower, upper;
      for (const Literal& v : tuples) {
        if (v.is_null()) {
          summary.contains_null = true;
        } else if (internal::IsNanValue(v)) {
          summary.contains_nan = true;
        } else {
          if (!lower || spec::CompareLiterals(v, *lower, type) < 0) lower = v;
          if (!upper || spec::CompareLiterals(v, *upper, type) > 0) upper = v;
        }
      }
      if (spec::IsFloatingType(type.id()) && !summary.contains_nan) summary.contains_nan = false;
      if (lower) summary.lower_bound = spec::SerializeSingleValue(*lower, type);
      if (upper) summary.upper_bound = spec::SerializeSingleValue(*upper, type);
      manifest::ManifestFile m;
      m.partitions = std::vector<manifest::PartitionFieldSummary>{summary};
      for (int f = 0; f < 6; ++f) {
        BoundExprPtr filter = gen.Tree({ref}, 2);
        Result<ManifestEvaluator> eval = ManifestEvaluator::ForRowFilter(filter, spec, schema);
        ASSERT_TRUE(eval.ok());
        Result<bool> might = eval->Evaluate(m);
        ASSERT_TRUE(might.ok()) << might.status().ToString();
        if (*might) continue;
        ++pruned;
        PartitionEvaluator part(*InclusiveProjection(filter, spec, schema));
        for (const Literal& v : tuples) {
          EXPECT_FALSE(part.Evaluate({v}))
              << filter->ToString() << " matches partition " << spec::LiteralToString(v, type)
              << " of a pruned manifest";
        }
      }
    }
  }
  EXPECT_GT(pruned, 5000);
}

}  // namespace
}  // namespace floe::expr
