// libFuzzer target: the results-file reader behind `relsim report` and
// `relsim merge` (analysis::ResultsFileReader) on a hostile HDF5 file. The
// input is written to a temporary file, opened, and read whole: meta, the
// layout, the summary, and every block of trials with their incidents and
// budget series. A file that is not a relsim results file must be refused
// with std::runtime_error ("cannot read 'PATH': ..."); anything else — a
// crash, a sanitizer report, another exception, an allocation beyond
// libFuzzer's -malloc_limit_mb — is a finding (docs/fuzzing.md). Crashes
// inside Debian's libhdf5 itself are reported with a stack in libhdf5.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>

#include "analysis/results_file.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

void read_whole(const std::string& path) {
  const relsim::analysis::ResultsFileReader file(path);
  (void)file.meta();
  (void)file.layout();
  for (std::size_t s = 0; s < file.layout().slos.size(); ++s) (void)file.series_length(s);
  (void)file.read_summary();
  (void)file.incident_rows();
  constexpr std::uint64_t kBlock = 64;
  for (std::uint64_t first = 0; first < file.rows(); first += kBlock) {
    (void)file.read_block(first, std::min(kBlock, file.rows() - first));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const relsim::fuzz::TempFile file(".h5");
  file.write(data, size);
  try {
    read_whole(file.path());
  } catch (const std::runtime_error&) {
    // the expected outcome for a file that is not a results file
  } catch (const std::exception& e) {
    std::fprintf(stderr, "results: exception other than runtime_error: %s\n", e.what());
    std::abort();
  }
  return 0;
}
