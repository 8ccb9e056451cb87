// floe-datagen: writes realistic sample events in the design note's schema
// (event_id, event_type, user_id, payload, created_at, event_date) as
// Parquet, CSV or NDJSON files, deterministically from a seed. Used by the
// quickstart and the benchmarks.
//
//   floe-datagen --rows 1000000 --days 30 --start 2024-06-01 --files 6
//                --out DIR [--format parquet|csv|ndjson] [--seed 42]
#include <arrow/api.h>
#include <arrow/csv/writer.h>
#include <arrow/ipc/writer.h>
#include <arrow/io/file.h>
#include <parquet/arrow/writer.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace {

struct Options {
  int64_t rows = 1000000;
  int days = 30;
  std::string start = "2024-06-01";
  int files = 6;
  std::string out;
  std::string format = "parquet";
  uint64_t seed = 42;
};

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct EventType {
  const char* name;
  double weight;
};
constexpr EventType kTypes[] = {{"page_view", 0.48}, {"click", 0.22},      {"search", 0.10},
                                {"add_to_cart", 0.07}, {"purchase", 0.04}, {"login", 0.05},
                                {"signup", 0.02},      {"logout", 0.02}};
constexpr const char* kPages[] = {"/",         "/products", "/products/{}", "/cart",
                                  "/checkout", "/search",   "/account",     "/help"};
constexpr const char* kDevices[] = {"mobile", "desktop", "tablet"};
constexpr const char* kReferrers[] = {"google", "direct", "newsletter", "facebook", "bing"};
constexpr const char* kCountries[] = {"US", "DE", "FR", "GB", "IN", "BR", "JP", "NL"};

class Generator {
 public:
  Generator(const Options& o, int file_index)
      : o_(o), rng_(o.seed * 1000003 + static_cast<uint64_t>(file_index)) {
    int y = 0;
    unsigned m = 0, d = 0;
    std::sscanf(o.start.c_str(), "%d-%u-%u", &y, &m, &d);
    start_day_ = DaysFromCivil(y, m, d);
  }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Batch(int64_t n) {
    arrow::StringBuilder id, type, user, payload;
    arrow::TimestampBuilder created(arrow::timestamp(arrow::TimeUnit::MICRO),
                                    arrow::default_memory_pool());
    arrow::Date32Builder date;
    ARROW_RETURN_NOT_OK(id.Reserve(n));
    ARROW_RETURN_NOT_OK(created.Reserve(n));
    ARROW_RETURN_NOT_OK(date.Reserve(n));
    std::discrete_distribution<int> type_dist(
        {kTypes[0].weight, kTypes[1].weight, kTypes[2].weight, kTypes[3].weight,
         kTypes[4].weight, kTypes[5].weight, kTypes[6].weight, kTypes[7].weight});
    // A few heavy users and a long tail: Zipf-like over 50k users.
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    char buf[256];
    for (int64_t i = 0; i < n; ++i) {
      uint64_t a = rng_(), b = rng_();
      std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx",
                    static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xFFFF),
                    static_cast<unsigned>(a & 0xFFF),
                    static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                    static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
      ARROW_RETURN_NOT_OK(id.Append(buf));
      int t = type_dist(rng_);
      ARROW_RETURN_NOT_OK(type.Append(kTypes[t].name));
      int64_t u = static_cast<int64_t>(std::pow(unit(rng_), 3.0) * 50000);
      std::snprintf(buf, sizeof(buf), "user-%05lld", static_cast<long long>(u));
      ARROW_RETURN_NOT_OK(user.Append(buf));
      // Activity follows the day: fewer events at night (UTC).
      int64_t day = static_cast<int64_t>(rng_() % static_cast<uint64_t>(o_.days));
      double h = std::fmod(14.0 + std::normal_distribution<double>(0.0, 4.5)(rng_) + 24.0, 24.0);
      int64_t micros = static_cast<int64_t>(h * 3600e6) +
                       static_cast<int64_t>(rng_() % 60000000);
      micros = std::min<int64_t>(micros, 86400LL * 1000000 - 1);
      int64_t ts = (start_day_ + day) * 86400LL * 1000000 + micros;
      created.UnsafeAppend(ts);
      date.UnsafeAppend(static_cast<int32_t>(start_day_ + day));
      const char* page = kPages[rng_() % 8];
      std::string page_s = page;
      if (auto p = page_s.find("{}"); p != std::string::npos) {
        page_s.replace(p, 2, std::to_string(rng_() % 5000));
      }
      int len = std::snprintf(
          buf, sizeof(buf),
          "{\"page\":\"%s\",\"device\":\"%s\",\"referrer\":\"%s\",\"country\":\"%s\","
          "\"session\":\"s-%06llu\",\"duration_ms\":%llu%s}",
          page_s.c_str(), kDevices[rng_() % 3], kReferrers[rng_() % 5], kCountries[rng_() % 8],
          static_cast<unsigned long long>(rng_() % 1000000),
          static_cast<unsigned long long>(rng_() % 120000),
          t == 4 ? ",\"amount\":49.90" : "");
      ARROW_RETURN_NOT_OK(payload.Append(buf, len));
    }
    std::shared_ptr<arrow::Array> cols[6];
    ARROW_RETURN_NOT_OK(id.Finish(&cols[0]));
    ARROW_RETURN_NOT_OK(type.Finish(&cols[1]));
    ARROW_RETURN_NOT_OK(user.Finish(&cols[2]));
    ARROW_RETURN_NOT_OK(payload.Finish(&cols[3]));
    ARROW_RETURN_NOT_OK(created.Finish(&cols[4]));
    ARROW_RETURN_NOT_OK(date.Finish(&cols[5]));
    return arrow::RecordBatch::Make(Schema(), n, {cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]});
  }

  static std::shared_ptr<arrow::Schema> Schema() {
    return arrow::schema({arrow::field("event_id", arrow::utf8(), false),
                          arrow::field("event_type", arrow::utf8()),
                          arrow::field("user_id", arrow::utf8()),
                          arrow::field("payload", arrow::utf8()),
                          arrow::field("created_at", arrow::timestamp(arrow::TimeUnit::MICRO)),
                          arrow::field("event_date", arrow::date32())});
  }

 private:
  const Options& o_;
  std::mt19937_64 rng_;
  int64_t start_day_ = 0;
};

arrow::Status WriteFile(const Options& o, int index, int64_t rows) {
  Generator gen(o, index);
  char name[64];
  std::snprintf(name, sizeof(name), "events-%03d.%s", index,
                o.format == "ndjson" ? "json" : o.format.c_str());
  std::string path = (std::filesystem::path(o.out) / name).string();
  ARROW_ASSIGN_OR_RAISE(auto out, arrow::io::FileOutputStream::Open(path));
  const int64_t chunk = 65536;
  if (o.format == "parquet") {
    auto props = parquet::WriterProperties::Builder().compression(parquet::Compression::ZSTD)->build();
    ARROW_ASSIGN_OR_RAISE(auto writer, parquet::arrow::FileWriter::Open(
                                           *Generator::Schema(), arrow::default_memory_pool(),
                                           out, props));
    for (int64_t done = 0; done < rows; done += chunk) {
      ARROW_ASSIGN_OR_RAISE(auto batch, gen.Batch(std::min(chunk, rows - done)));
      ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
    }
    ARROW_RETURN_NOT_OK(writer->Close());
  } else if (o.format == "csv") {
    auto options = arrow::csv::WriteOptions::Defaults();
    ARROW_ASSIGN_OR_RAISE(auto writer, arrow::csv::MakeCSVWriter(out, Generator::Schema(), options));
    for (int64_t done = 0; done < rows; done += chunk) {
      ARROW_ASSIGN_OR_RAISE(auto batch, gen.Batch(std::min(chunk, rows - done)));
      ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
    }
    ARROW_RETURN_NOT_OK(writer->Close());
  } else {
    // NDJSON: one object per line, timestamps as ISO text.
    for (int64_t done = 0; done < rows; done += chunk) {
      ARROW_ASSIGN_OR_RAISE(auto batch, gen.Batch(std::min(chunk, rows - done)));
      std::string text;
      auto ids = std::static_pointer_cast<arrow::StringArray>(batch->column(0));
      auto types = std::static_pointer_cast<arrow::StringArray>(batch->column(1));
      auto users = std::static_pointer_cast<arrow::StringArray>(batch->column(2));
      auto payloads = std::static_pointer_cast<arrow::StringArray>(batch->column(3));
      auto ts = std::static_pointer_cast<arrow::TimestampArray>(batch->column(4));
      auto dates = std::static_pointer_cast<arrow::Date32Array>(batch->column(5));
      for (int64_t i = 0; i < batch->num_rows(); ++i) {
        int64_t us = ts->Value(i), secs = us / 1000000, day = secs / 86400;
        int64_t sod = secs - day * 86400;
        // civil from days
        int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = static_cast<unsigned>(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int64_t y = static_cast<int64_t>(yoe) + era * 400;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
        unsigned mm = mp < 10 ? mp + 3 : mp - 9;
        y += mm <= 2;
        char stamp[64];
        std::snprintf(stamp, sizeof(stamp), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld",
                      static_cast<long long>(y), mm, dd, static_cast<long long>(sod / 3600),
                      static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60),
                      static_cast<long long>(us % 1000000));
        std::string payload(payloads->GetView(i));
        std::string escaped;
        for (char c : payload) {
          if (c == '"' || c == '\\') escaped += '\\';
          escaped += c;
        }
        text += "{\"event_id\":\"" + std::string(ids->GetView(i)) + "\",\"event_type\":\"" +
                std::string(types->GetView(i)) + "\",\"user_id\":\"" +
                std::string(users->GetView(i)) + "\",\"payload\":\"" + escaped +
                "\",\"created_at\":\"" + stamp + "\",\"event_date\":\"" +
                std::string(stamp, 10) + "\"}\n";
        (void)dates;
      }
      ARROW_RETURN_NOT_OK(out->Write(text.data(), static_cast<int64_t>(text.size())));
    }
  }
  ARROW_RETURN_NOT_OK(out->Close());
  std::cout << path << "\n";
  return arrow::Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"floe-datagen: realistic sample events for Floe's quickstart and benchmarks"};
  Options o;
  app.add_option("--rows", o.rows, "Total number of events")->capture_default_str();
  app.add_option("--days", o.days, "Number of days the events span")->capture_default_str();
  app.add_option("--start", o.start, "First day (YYYY-MM-DD)")->capture_default_str();
  app.add_option("--files", o.files, "Number of files to write")->capture_default_str();
  app.add_option("--out", o.out, "Output folder")->required();
  app.add_option("--format", o.format, "parquet, csv or ndjson")
      ->check(CLI::IsMember({"parquet", "csv", "ndjson"}))
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (o.rows < 0 || o.days < 1 || o.files < 1) {
    std::cerr << "floe-datagen: --rows must be >= 0, --days and --files >= 1\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  for (int i = 0; i < o.files; ++i) {
    int64_t rows = o.rows / o.files + (i < o.rows % o.files ? 1 : 0);
    arrow::Status st = WriteFile(o, i, rows);
    if (!st.ok()) {
      std::cerr << "floe-datagen: " << st.ToString() << "\n";
      return 1;
    }
  }
  return 0;
}
