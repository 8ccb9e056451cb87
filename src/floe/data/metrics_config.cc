#include "floe/data/metrics_config.h"

#include <vector>

#include "floe/util/strings.h"

namespace floe::data {

using spec::NestedField;
using spec::Type;
using spec::TypeId;

namespace {

constexpr int64_t kDefaultMaxInferredColumns = 100;

// Java's MetricsConfig.limitFieldIds: a struct takes its own primitive fields
// first (while under the limit), then visits its fields' types in order; a
// list takes its element, a map its key and value, before visiting them.
class LimitedFieldIds {
 public:
  explicit LimitedFieldIds(size_t limit) : limit_(limit) {}

  void VisitStruct(const Type& t) {
    for (const NestedField& f : t.fields()) {
      if (!More()) break;
      if (f.type->is_primitive()) ids_.push_back(f.id);
    }
    for (const NestedField& f : t.fields()) {
      if (!More()) break;
      VisitType(*f.type);
    }
  }

  const std::vector<int32_t>& ids() const { return ids_; }

 private:
  bool More() const { return ids_.size() < limit_; }

  void VisitType(const Type& t) {
    switch (t.id()) {
      case TypeId::kStruct:
        VisitStruct(t);
        break;
      case TypeId::kList:
      case TypeId::kMap:
        for (const NestedField& f : t.fields()) {
          if (More() && f.type->is_primitive()) ids_.push_back(f.id);
        }
        for (const NestedField& f : t.fields()) VisitType(*f.type);
        break;
      default:
        break;
    }
  }

  size_t limit_;
  std::vector<int32_t> ids_;
};

Result<MetricsMode> ParseProperty(std::string_view key, const std::string& value) {
  auto mode = ParseMetricsMode(value);
  if (!mode.ok()) {
    return Status::Invalid("table property ", key, " = ", util::Quote(value), ": ",
                           mode.status().message());
  }
  return mode;
}

}  // namespace

std::string MetricsMode::ToString() const {
  switch (kind) {
    case Kind::kNone: return "none";
    case Kind::kCounts: return "counts";
    case Kind::kTruncate: return "truncate(" + std::to_string(length) + ")";
    case Kind::kFull: return "full";
  }
  return "?";
}

Result<MetricsMode> ParseMetricsMode(std::string_view text) {
  const std::string lower = util::AsciiLower(text);
  if (lower == "none") return MetricsMode::None();
  if (lower == "counts") return MetricsMode::Counts();
  if (lower == "full") return MetricsMode::Full();
  constexpr std::string_view kOpen = "truncate(";
  if (lower.size() > kOpen.size() + 1 && lower.compare(0, kOpen.size(), kOpen) == 0 &&
      lower.back() == ')') {
    std::string_view digits(lower);
    digits = digits.substr(kOpen.size(), digits.size() - kOpen.size() - 1);
    auto n = util::ParseInt64(digits);
    if (n && *n > 0 && *n <= INT32_MAX && digits.find_first_not_of("0123456789") ==
                                              std::string_view::npos) {
      return MetricsMode::Truncate(static_cast<int32_t>(*n));
    }
    return Status::Invalid("the truncate length must be a positive integer");
  }
  return Status::Invalid("expected none, counts, truncate(<length>) or full");
}

Result<MetricsConfig> MetricsConfig::Make(const spec::Schema& schema,
                                          const std::map<std::string, std::string>& properties,
                                          std::span<const int32_t> sorted_field_ids) {
  MetricsConfig config;

  int64_t limit = kDefaultMaxInferredColumns;
  if (auto it = properties.find(std::string(kMetricsMaxInferredProperty));
      it != properties.end()) {
    auto n = util::ParseInt64(util::Trim(it->second));
    if (!n || *n < 0 || *n > INT32_MAX) {
      return Status::Invalid("table property ", kMetricsMaxInferredProperty, " = ",
                             util::Quote(it->second), ": expected a non-negative integer");
    }
    limit = *n;
  }

  std::optional<MetricsMode> configured_default;
  if (auto it = properties.find(std::string(kMetricsDefaultProperty)); it != properties.end()) {
    FLOE_ASSIGN_OR_RAISE(configured_default, ParseProperty(kMetricsDefaultProperty, it->second));
  }

  if (configured_default) {
    config.default_mode_ = *configured_default;
  } else {
    LimitedFieldIds limited(static_cast<size_t>(limit));
    limited.VisitStruct(*schema.as_struct());
    if (limited.ids().size() < static_cast<size_t>(limit)) {
      config.default_mode_ = MetricsMode();  // every field fits under the limit
    } else {
      config.default_mode_ = MetricsMode::None();
      for (int32_t id : limited.ids()) config.modes_[id] = MetricsMode();
    }
  }

  // Sorted columns keep bounds unless a per-column setting says otherwise.
  MetricsMode sorted_mode = configured_default.value_or(MetricsMode::None());
  if (!sorted_mode.records_bounds()) sorted_mode = MetricsMode::Truncate(16);
  for (int32_t id : sorted_field_ids) config.modes_[id] = sorted_mode;

  for (const auto& [key, value] : properties) {
    if (key.size() <= kMetricsColumnPrefix.size() ||
        std::string_view(key).substr(0, kMetricsColumnPrefix.size()) != kMetricsColumnPrefix) {
      continue;
    }
    FLOE_ASSIGN_OR_RAISE(MetricsMode mode, ParseProperty(key, value));
    // A setting for a column that is not (or no longer) in the schema is
    // ignored, as Java does: a dropped column must not break writes.
    const NestedField* field =
        schema.FindFieldByName(std::string_view(key).substr(kMetricsColumnPrefix.size()));
    if (field != nullptr) config.modes_[field->id] = mode;
  }
  return config;
}

MetricsMode MetricsConfig::ModeFor(int32_t field_id) const {
  auto it = modes_.find(field_id);
  return it == modes_.end() ? default_mode_ : it->second;
}

}  // namespace floe::data
