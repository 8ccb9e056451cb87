// Internal to floe/spec: calendar arithmetic and value formatting shared by
// literal.cc and transform.cc.
//
// Dates use the proleptic Gregorian calendar with no time zone database and
// no locale: Iceberg dates count days from 1970-01-01 and timestamps are UTC
// or zone-less (spec §Primitive Types), so civil-date arithmetic is enough.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace floe::spec::internal {

inline constexpr int64_t kMicrosPerSecond = 1'000'000;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kSecondsPerDay = 86'400;
inline constexpr int64_t kMicrosPerHour = 3'600 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerDay = kSecondsPerDay * kMicrosPerSecond;
inline constexpr int64_t kNanosPerDay = kSecondsPerDay * kNanosPerSecond;

// Division rounding toward negative infinity. REQUIRES: b > 0.
// The spec's time transforms and the _ns -> µs conversion for bucketing use
// floor semantics, so 1969-12-31T23:59:59.999999 is day -1, not day 0.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b < 0) --q;
  return q;
}

// The remainder matching FloorDiv, in [0, b). REQUIRES: b > 0.
// Computed from `%` so that it cannot overflow for INT64_MIN.
inline int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  return r < 0 ? r + b : r;
}

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days from 1970-01-01 to year-month-day in the proleptic Gregorian calendar.
// The calendar repeats every 400 years (146097 days); years are counted from
// March so that the leap day is the last day of the counted year.
inline int64_t DaysFromCivil(int64_t year, int month, int day) {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;                              // [0, 399]
  const int64_t month_from_march = month > 2 ? month - 3 : month + 9;     // [0, 11]
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  // 719468 days separate 0000-03-01 (the start of era 0) from 1970-01-01.
  return era * 146097 + day_of_era - 719468;
}

// Inverse of DaysFromCivil.
inline CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;               // [0, 11]
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3
                                                           : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

inline bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

inline int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Year as ISO-8601 / java.time's ISO_LOCAL_DATE writes it: four digits for
// 0..9999, a '+' before longer years, '-' and at least four digits before
// negative ones ("+10000", "-0001").
inline std::string FormatIsoYear(int64_t year) {
  char buf[32];
  if (year > 9999) {
    std::snprintf(buf, sizeof buf, "+%lld", static_cast<long long>(year));
  } else if (year < 0) {
    std::snprintf(buf, sizeof buf, "-%04lld", -static_cast<long long>(year));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(year));
  }
  return buf;
}

// "2017-11-16" for day 17486.
inline std::string FormatIsoDate(int64_t days) {
  const CivilDate c = CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%02d-%02d", c.month, c.day);
  return FormatIsoYear(c.year) + buf;
}

// How the fraction of a second is written after "HH:MM:SS".
enum class FractionStyle {
  kMicros,     // always 6 digits (spec App. D JSON for time, timestamp, timestamptz)
  kNanos,      // always 9 digits (App. D JSON for the _ns types)
  kTrimmed,    // java.time ISO_LOCAL_TIME: trailing zeros dropped, no '.' if zero
  kLocalTime,  // java.time LocalTime.toString(): "HH:MM" when seconds and fraction are
               // zero, else a fraction of 3, 6 or 9 digits
};

// Clock time for `nanos` nanoseconds after midnight. REQUIRES: 0 <= nanos < one day.
inline std::string FormatClock(int64_t nanos, FractionStyle style) {
  const int64_t seconds = nanos / kNanosPerSecond;
  int64_t fraction = nanos % kNanosPerSecond;
  char buf[40];
  const int hh = static_cast<int>(seconds / 3600), mm = static_cast<int>(seconds / 60 % 60),
            ss = static_cast<int>(seconds % 60);
  if (style == FractionStyle::kLocalTime && ss == 0 && fraction == 0) {
    std::snprintf(buf, sizeof buf, "%02d:%02d", hh, mm);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", hh, mm, ss);
  std::string out = buf;
  int digits = 9;
  switch (style) {
    case FractionStyle::kMicros:
      digits = 6;
      fraction /= 1000;
      break;
    case FractionStyle::kNanos:
      break;
    case FractionStyle::kTrimmed:
      if (fraction == 0) return out;
      while (fraction % 10 == 0) {
        fraction /= 10;
        --digits;
      }
      break;
    case FractionStyle::kLocalTime:
      if (fraction == 0) return out;
      if (fraction % 1'000'000 == 0) {
        digits = 3;
        fraction /= 1'000'000;
      } else if (fraction % 1000 == 0) {
        digits = 6;
        fraction /= 1000;
      }
      break;
  }
  std::snprintf(buf, sizeof buf, ".%0*lld", digits, static_cast<long long>(fraction));
  return out + buf;
}

// Decimal digits of an unsigned 128-bit value ("0" for zero).
inline std::string UInt128Digits(unsigned __int128 v) {
  char buf[48];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(p, buf + sizeof buf);
}

// |v| without overflow, also for the most negative value.
inline unsigned __int128 Magnitude(__int128 v) {
  return v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
}

// 16 big-endian bytes as "f79c3e09-677c-4bbd-a479-3f349cb785e7". REQUIRES: bytes.size() == 16.
inline std::string FormatUuid(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    const auto c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace floe::spec::internal
