// Number and string formatting (see text_format.hpp).
#include "analysis/text_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace relsim::analysis {

namespace {

template <class T>
std::string to_chars_shortest(T v) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

}  // namespace

std::string shortest(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return to_chars_shortest(v);
}

std::string shortest_sample(double v) {
  if (!std::isfinite(v)) return shortest(v);
  const auto f = static_cast<float>(v);
  if (static_cast<double>(f) == v) return to_chars_shortest(f);
  return to_chars_shortest(v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double v) { return std::isnan(v) ? std::string() : shortest(v); }

std::string horizon_text(sim::Duration d) {
  const auto day = sim::Duration::days(1).count_micros();
  if (d.count_micros() > 0 && d.count_micros() % day == 0) {
    return std::to_string(d.count_micros() / day) + "d";
  }
  return sim::format_duration(d);
}

}  // namespace relsim::analysis
