// File and row-group pruning by column metrics (spec §Scan Planning,
// §Field-level Metrics), in the manner of Java's Inclusive- and
// StrictMetricsEvaluator but under three-valued logic: a null value matches
// no comparison, not even != or not in.
#include <algorithm>
#include <string>
#include <utility>

#include "floe/expr/eval_internal.h"
#include "floe/expr/evaluators.h"

namespace floe::expr {

namespace {

using internal::CompareValues;
using internal::HasPrefix;
using internal::PrefixBytes;
using spec::Literal;

template <typename Map>
const auto* FindInMap(const Map& map, int32_t id) {
  using Value = decltype(map->front().second);
  const Value* found = nullptr;
  if (map) {
    for (const auto& [key, value] : *map) {
      if (key == id) {
        found = &value;
        break;
      }
    }
  }
  return found;
}

void CollectRefs(const BoundExpr& e, std::vector<BoundReference>* out) {
  if (e.is_predicate()) {
    for (const BoundReference& r : *out) {
      if (r.field_id == e.ref().field_id) return;
    }
    out->push_back(e.ref());
    return;
  }
  for (const BoundExprPtr& c : e.children()) CollectRefs(*c, out);
}

// What the statistics of one column say, with every unknown made explicit.
class Facts {
 public:
  Facts(const ColumnStats* s, const spec::Type& type)
      : s_(s), type_(type), floating_(spec::IsFloatingType(type.id())) {
    if (s_ && s_->lower && !internal::IsNanValue(*s_->lower)) lower_ = &*s_->lower;
    if (s_ && s_->upper && !internal::IsNanValue(*s_->upper)) upper_ = &*s_->upper;
  }

  const Literal* lower() const { return lower_; }
  const Literal* upper() const { return upper_; }
  std::optional<int64_t> values() const { return s_ ? s_->value_count : std::nullopt; }
  std::optional<int64_t> nulls() const { return s_ ? s_->null_count : std::nullopt; }
  // Non-float columns hold no NaN.
  std::optional<int64_t> nans() const {
    if (!floating_) return 0;
    return s_ ? s_->nan_count : std::nullopt;
  }

  bool NoNulls() const { return nulls() == 0; }
  bool NoNans() const { return nans() == 0; }
  bool NullsOnly() const { return values() && nulls() && *nulls() >= *values(); }
  bool NansOnly() const { return values() && nans() && *nans() >= *values(); }
  // No value that is neither null nor NaN.
  bool NoPlainValues() const {
    return values() && nulls() && nans() && *values() - *nulls() - *nans() <= 0;
  }

  int Cmp(const Literal& a, const Literal& b) const { return CompareValues(a, b, type_); }
  bool BelowLower(const Literal& v) const { return lower_ && Cmp(v, *lower_) < 0; }
  bool AboveUpper(const Literal& v) const { return upper_ && Cmp(v, *upper_) > 0; }
  // Every non-null, non-NaN value equals lower (== upper).
  bool SingleValue() const { return lower_ && upper_ && Cmp(*lower_, *upper_) == 0; }
  bool Contains(const std::vector<Literal>& set, const Literal& v) const {
    return std::any_of(set.begin(), set.end(), [&](const Literal& x) { return Cmp(x, v) == 0; });
  }

 private:
  const ColumnStats* s_;
  const spec::Type& type_;
  const bool floating_;
  const Literal* lower_ = nullptr;
  const Literal* upper_ = nullptr;
};

// Might a row match? False only when the statistics prove none can.
bool MightMatch(const BoundExpr& e, const Facts& f) {
  switch (e.op()) {
    case Op::kIsNull: return !f.NoNulls();
    case Op::kNotNull: return !f.NullsOnly();
    case Op::kIsNan: return !f.NoNans() && !f.NullsOnly();
    case Op::kNotNan: return !f.NansOnly();  // a null is "not NaN"
    case Op::kNotEq:
    case Op::kNotIn:
      if (f.NullsOnly()) return false;
      // Every plain value is in the excluded set and there is no NaN (NaN != x).
      if (f.NoNans() && f.SingleValue() && f.Contains(e.literals(), *f.lower())) return false;
      return true;
    case Op::kNotStartsWith: {
      if (f.NullsOnly()) return false;
      const std::string& p = e.literal().string_value();
      // Both bounds start with p, so every value between them does.
      return !(f.lower() && f.upper() && HasPrefix(*f.lower(), p) && HasPrefix(*f.upper(), p));
    }
    default:
      break;
  }
  if (f.NoPlainValues()) return false;  // comparisons never hold for null or NaN
  const Literal* lower = f.lower();
  const Literal* upper = f.upper();
  switch (e.op()) {
    case Op::kLt: return !(lower && f.Cmp(*lower, e.literal()) >= 0);
    case Op::kLtEq: return !(lower && f.Cmp(*lower, e.literal()) > 0);
    case Op::kGt: return !(upper && f.Cmp(*upper, e.literal()) <= 0);
    case Op::kGtEq: return !(upper && f.Cmp(*upper, e.literal()) < 0);
    case Op::kEq: return !f.BelowLower(e.literal()) && !f.AboveUpper(e.literal());
    case Op::kIn:
      return std::any_of(e.literals().begin(), e.literals().end(), [&](const Literal& v) {
        return !f.BelowLower(v) && !f.AboveUpper(v);
      });
    case Op::kStartsWith: {
      // Compare only len(p) bytes: a truncated upper bound "abd" (rounded up
      // from "abc...") must not exclude prefix "abcx".
      const std::string& p = e.literal().string_value();
      if (lower && PrefixBytes(*lower, p.size()) > p) return false;
      if (upper && PrefixBytes(*upper, p.size()) < p) return false;
      return true;
    }
    default:
      return true;
  }
}

// Must every row match? True only when the statistics prove it.
bool MustMatch(const BoundExpr& e, const Facts& f) {
  const Literal* lower = f.lower();
  const Literal* upper = f.upper();
  switch (e.op()) {
    case Op::kIsNull: return f.NullsOnly();
    case Op::kNotNull: return f.NoNulls();
    case Op::kIsNan: return f.NansOnly();
    case Op::kNotNan: return f.NoNans() || f.NullsOnly();
    default: break;
  }
  if (!f.NoNulls()) return false;  // a null row makes every other predicate UNKNOWN
  switch (e.op()) {
    // NaN != x holds, so NaNs do not spoil != and not in.
    case Op::kNotEq:
    case Op::kNotIn:
      if (f.NansOnly()) return true;
      return std::all_of(e.literals().begin(), e.literals().end(), [&](const Literal& v) {
        return f.BelowLower(v) || f.AboveUpper(v);
      });
    case Op::kNotStartsWith: {
      const std::string& p = e.literal().string_value();
      return (lower && PrefixBytes(*lower, p.size()) > p) ||
             (upper && PrefixBytes(*upper, p.size()) < p);
    }
    case Op::kStartsWith: {
      const std::string& p = e.literal().string_value();
      return lower && upper && HasPrefix(*lower, p) && HasPrefix(*upper, p);
    }
    default:
      break;
  }
  if (!f.NoNans()) return false;  // NaN fails every ordered comparison
  switch (e.op()) {
    case Op::kLt: return upper && f.Cmp(*upper, e.literal()) < 0;
    case Op::kLtEq: return upper && f.Cmp(*upper, e.literal()) <= 0;
    case Op::kGt: return lower && f.Cmp(*lower, e.literal()) > 0;
    case Op::kGtEq: return lower && f.Cmp(*lower, e.literal()) >= 0;
    case Op::kEq:
    case Op::kIn:
      return f.SingleValue() && f.Contains(e.literals(), *lower);
    default:
      return false;
  }
}

template <bool kStrict>
bool Visit(const BoundExpr& e, const ColumnStatsMap& stats) {
  switch (e.op()) {
    case Op::kTrue: return true;
    case Op::kFalse: return false;
    case Op::kAnd: return Visit<kStrict>(*e.left(), stats) && Visit<kStrict>(*e.right(), stats);
    case Op::kOr: return Visit<kStrict>(*e.left(), stats) || Visit<kStrict>(*e.right(), stats);
    case Op::kNot: return !kStrict;  // not reached: rewritten away at construction
    default: {
      auto it = stats.find(e.ref().field_id);
      const Facts facts(it == stats.end() ? nullptr : &it->second, *e.ref().type);
      return kStrict ? MustMatch(e, facts) : MightMatch(e, facts);
    }
  }
}

}  // namespace

std::vector<BoundReference> ReferencedFields(const BoundExpr& expr) {
  std::vector<BoundReference> out;
  CollectRefs(expr, &out);
  return out;
}

Result<ColumnStatsMap> DataFileStats(const manifest::DataFile& file,
                                     const std::vector<BoundReference>& fields) {
  ColumnStatsMap out;
  for (const BoundReference& ref : fields) {
    ColumnStats s;
    const int32_t id = ref.field_id;
    if (const int64_t* v = FindInMap(file.value_counts, id)) s.value_count = *v;
    if (const int64_t* v = FindInMap(file.null_value_counts, id)) s.null_count = *v;
    if (const int64_t* v = FindInMap(file.nan_value_counts, id)) s.nan_count = *v;
    for (int side = 0; side < 2; ++side) {
      const std::string* bytes = FindInMap(side == 0 ? file.lower_bounds : file.upper_bounds, id);
      if (!bytes) continue;
      Result<Literal> v = spec::DeserializeSingleValue(*bytes, *ref.type);
      if (!v.ok()) {
        return Status::Corruption("data file ", file.file_path, ": ",
                                  side == 0 ? "lower" : "upper", " bound of field id ", id, " (",
                                  ref.name, "): ", v.status().message());
      }
      (side == 0 ? s.lower : s.upper) = std::move(*v);
    }
    out.emplace(id, std::move(s));
  }
  return out;
}

InclusiveMetricsEvaluator::InclusiveMetricsEvaluator(BoundExprPtr row_filter)
    : expr_(RewriteNot(row_filter)), fields_(ReferencedFields(*expr_)) {}

bool InclusiveMetricsEvaluator::Evaluate(int64_t row_count, const ColumnStatsMap& stats) const {
  if (row_count == 0) return false;  // no rows, nothing to match
  return Visit<false>(*expr_, stats);
}

Result<bool> InclusiveMetricsEvaluator::Evaluate(const manifest::DataFile& file) const {
  if (file.record_count == 0) return false;
  FLOE_ASSIGN_OR_RAISE(ColumnStatsMap stats, DataFileStats(file, fields_));
  return Evaluate(file.record_count, stats);
}

StrictMetricsEvaluator::StrictMetricsEvaluator(BoundExprPtr row_filter)
    : expr_(RewriteNot(row_filter)), fields_(ReferencedFields(*expr_)) {}

bool StrictMetricsEvaluator::Evaluate(int64_t row_count, const ColumnStatsMap& stats) const {
  if (row_count == 0) return true;  // every one of no rows matches
  return Visit<true>(*expr_, stats);
}

Result<bool> StrictMetricsEvaluator::Evaluate(const manifest::DataFile& file) const {
  if (file.record_count == 0) return true;
  FLOE_ASSIGN_OR_RAISE(ColumnStatsMap stats, DataFileStats(file, fields_));
  return Evaluate(file.record_count, stats);
}

std::vector<data::BloomProbe> BloomProbes(const BoundExpr& row_filter) {
  std::vector<data::BloomProbe> out;
  std::vector<const BoundExpr*> stack{&row_filter};
  while (!stack.empty()) {
    const BoundExpr* e = stack.back();
    stack.pop_back();
    if (e->op() == Op::kAnd) {
      for (const BoundExprPtr& c : e->children()) stack.push_back(c.get());
    } else if ((e->op() == Op::kEq || e->op() == Op::kIn) && e->ref().position < 0) {
      out.push_back(data::BloomProbe{e->ref().field_id, e->literals()});
    }
  }
  return out;
}

}  // namespace floe::expr
