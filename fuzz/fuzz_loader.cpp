// libFuzzer target: the scenario loader (models::load_string) on arbitrary
// bytes — every kind of document it reads (System, Scenario, GameDay,
// AlertRules), with their references resolved and values validated.
// The loader's contract is that bad input is a models::InputError (located
// diagnostics); any other exception escaping it, a crash, a sanitizer report,
// a hang or a leak is a finding (docs/fuzzing.md).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "fuzz/fuzz_support.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A folder that does not exist: a Scenario naming its system by a
  // relative path finds nothing, so the target reads no other file.
  static const char* const kFile = "/nonexistent/relsim-fuzz/fuzz.yaml";
  try {
    (void)relsim::models::load_string(relsim::fuzz::as_text(data, size), kFile);
  } catch (const relsim::models::InputError&) {
    // the expected outcome for bad input
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loader: exception other than InputError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
