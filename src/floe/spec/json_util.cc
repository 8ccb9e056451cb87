// Typed access to nlohmann JSON values with path-carrying error messages.
#include <limits>

#include "floe/spec/json_internal.h"
#include "floe/util/strings.h"

namespace floe::spec::json_internal {

namespace {
const char* KindName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a decimal number";
    default: return "an unsupported value";
  }
}

Status Mistyped(const std::string& path, const char* want, const Json& got) {
  return Status::Invalid(path, ": expected ", want, ", got ", KindName(got));
}
}  // namespace

Result<Json> Parse(std::string_view text) {
  // Deep nesting is bounded by nlohmann's iterative parser; exceptions are
  // disabled at the call by allow_exceptions=false.
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-run with the SAX error position for a useful message.
    struct Sax : nlohmann::json_sax<Json> {
      size_t pos = 0;
      std::string what;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t p, const std::string&,
                       const nlohmann::detail::exception& ex) override {
        pos = p;
        what = ex.what();
        return false;
      }
    } sax;
    Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json,
                    /*strict=*/true);
    return Status::Invalid("not valid JSON at byte ", sax.pos, ": ", sax.what);
  }
  return j;
}

std::string Child(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

Status ExpectObject(const Json& obj, const std::string& path) {
  if (!obj.is_object()) return Mistyped(path.empty() ? "the document" : path, "an object", obj);
  return Status::OK();
}

Result<const Json*> GetRequired(const Json& obj, std::string_view key, const std::string& path) {
  FLOE_RETURN_NOT_OK(ExpectObject(obj, path));
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return Status::Invalid(Child(path, key), ": required field is missing");
  }
  return &*it;
}

Result<int64_t> AsLong(const Json& v, const std::string& path) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Status::Invalid(path, ": ", u, " does not fit a 64-bit signed integer");
    }
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return Mistyped(path, "an integer", v);
}

Result<int64_t> GetLong(const Json& obj, std::string_view key, const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(const Json* v, GetRequired(obj, key, path));
  return AsLong(*v, Child(path, key));
}

Result<int32_t> GetInt(const Json& obj, std::string_view key, const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(int64_t v, GetLong(obj, key, path));
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return Status::Invalid(Child(path, key), ": ", v, " does not fit a 32-bit integer");
  }
  return static_cast<int32_t>(v);
}

Result<bool> GetBool(const Json& obj, std::string_view key, const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(const Json* v, GetRequired(obj, key, path));
  if (!v->is_boolean()) return Mistyped(Child(path, key), "a boolean", *v);
  return v->get<bool>();
}

Result<std::string> GetString(const Json& obj, std::string_view key, const std::string& path) {
  FLOE_ASSIGN_OR_RAISE(const Json* v, GetRequired(obj, key, path));
  if (!v->is_string()) return Mistyped(Child(path, key), "a string", *v);
  return v->get<std::string>();
}

Result<std::optional<int64_t>> GetOptionalLong(const Json& obj, std::string_view key,
                                               const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>();
  FLOE_ASSIGN_OR_RAISE(int64_t v, AsLong(*it, Child(path, key)));
  return std::optional<int64_t>(v);
}

Result<std::optional<int32_t>> GetOptionalInt(const Json& obj, std::string_view key,
                                              const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<int32_t>();
  FLOE_ASSIGN_OR_RAISE(int32_t v, GetInt(obj, key, path));
  return std::optional<int32_t>(v);
}

Result<std::optional<std::string>> GetOptionalString(const Json& obj, std::string_view key,
                                                     const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Mistyped(Child(path, key), "a string", *it);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::map<std::string, std::string>> GetStringMap(const Json& obj, std::string_view key,
                                                        const std::string& path) {
  std::map<std::string, std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  std::string p = Child(path, key);
  if (!it->is_object()) return Mistyped(p, "an object", *it);
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (e->is_string()) {
      out.emplace(e.key(), e->get<std::string>());
    } else if (e->is_number() || e->is_boolean()) {
      out.emplace(e.key(), e->dump());  // lenient: some writers emit numbers
    } else if (!e->is_null()) {
      return Mistyped(Child(p, e.key()), "a string", *e);
    }
  }
  return out;
}

Result<std::vector<int32_t>> GetIntList(const Json& obj, std::string_view key,
                                        const std::string& path) {
  std::vector<int32_t> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  std::string p = Child(path, key);
  if (!it->is_array()) return Mistyped(p, "an array", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    FLOE_ASSIGN_OR_RAISE(int64_t v, AsLong((*it)[i], Index(p, i)));
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
      return Status::Invalid(Index(p, i), ": ", v, " does not fit a 32-bit integer");
    }
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

}  // namespace floe::spec::json_internal
