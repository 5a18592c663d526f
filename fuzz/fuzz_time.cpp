// libFuzzer target: duration and time parsing — sim::parse_duration (the
// scenario language's `1h30m`), analysis::parse_timestamp (ISO-8601 and
// epoch instants of incident exports) and analysis::parse_decimal. Besides
// crashes and sanitizer reports it checks round trips: a parsed duration
// formats to text that parses to the same duration, and a parsed instant
// formats to an ISO time that parses to the same second (docs/fuzzing.md).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "analysis/incident_time.hpp"
#include "fuzz/fuzz_support.hpp"
#include "sim/time.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "time: %s\n", what.c_str());
  std::abort();
}

void duration(const std::string& text, bool allow_negative) {
  relsim::sim::Duration d;
  try {
    d = relsim::sim::parse_duration(text, allow_negative);
  } catch (const relsim::sim::DurationError&) {
    return;  // the expected outcome for bad input
  }
  const std::string back = relsim::sim::format_duration(d);
  relsim::sim::Duration again;
  try {
    again = relsim::sim::parse_duration(back, true);
  } catch (const relsim::sim::DurationError& e) {
    fail("format_duration gave '" + back + "', which does not parse: " + e.what());
  }
  if (again != d) fail("'" + back + "' parses to another duration");
}

void instant(const std::string& text) {
  const auto t = relsim::analysis::parse_timestamp(text, 1.0);
  (void)relsim::analysis::parse_timestamp(text, 1e-3);
  (void)relsim::analysis::parse_decimal(text);
  // Years 1..9999 are what ISO-8601 text can hold.
  if (!t || !(std::fabs(*t) < 2.5e11)) return;
  const std::string back = relsim::analysis::format_timestamp(*t);
  const auto again = relsim::analysis::parse_timestamp(back, 1.0);
  if (!again) fail("format_timestamp gave '" + back + "', which does not parse");
  if (std::fabs(*again - *t) > 1e-3) fail("'" + back + "' parses to another instant");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = relsim::fuzz::as_text(data, size);
  duration(text, false);
  duration(text, true);
  instant(text);
  return 0;
}
