// libFuzzer target: the incident-export readers (analysis::parse_incidents
// for the generic CSV, PagerDuty and Opsgenie formats, and
// csv_duration_column, which reads a data file's column for the loader).
// The first byte picks the reader, the rest is the file. Bad input must be
// a models::InputError; the table that is read must write back as generic
// CSV that reads again to as many incidents (docs/fuzzing.md).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "analysis/incident_data.hpp"
#include "fuzz/fuzz_support.hpp"
#include "models/diagnostics.hpp"

namespace {

using relsim::analysis::IncidentFormat;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "incidents: %s\n", what);
  std::abort();
}

void read_table(const std::string& text, IncidentFormat format) {
  const auto table = relsim::analysis::parse_incidents(text, "fuzz.csv", format);
  // Round trip: what was read writes as generic CSV that reads back whole.
  const std::string csv = relsim::analysis::write_incident_csv(table);
  std::size_t again = 0;
  try {
    again = relsim::analysis::parse_incidents(csv, "again.csv", IncidentFormat::generic)
                .incidents.size();
  } catch (const relsim::models::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fail("the table's own CSV does not read back");
  }
  if (again != table.incidents.size()) fail("the table's own CSV reads back another count");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text = relsim::fuzz::as_text(data + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0:
        read_table(text, IncidentFormat::generic);
        break;
      case 1:
        read_table(text, IncidentFormat::pagerduty);
        break;
      case 2:
        read_table(text, IncidentFormat::opsgenie);
        break;
      default:
        (void)relsim::analysis::csv_duration_column(text, "fuzz.csv", "ttr");
        break;
    }
  } catch (const relsim::models::InputError&) {
    // the expected outcome for bad input
  } catch (const std::exception& e) {
    std::fprintf(stderr, "incidents: exception other than InputError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
