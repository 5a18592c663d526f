// `relsim report RUN.h5 --out report.html`: the HTML report of a run from
// its HDF5 results file, the same page `relsim run --report` writes. The
// file carries the scenario and system text, so the model is recompiled
// from it; the summary is replayed from the stored trials (exactly the
// run's, as `relsim merge` does), the times to resolve read back from
// `/incidents`, and the timelines' sample trial (the file's first) run
// again from the stored seed. See docs/report.md.
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/report_html.hpp"
#include "analysis/results_file.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/run_report.hpp"
#include "analysis/trial_row.hpp"
#include "cli/commands.hpp"
#include "cli/merge_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "cli/run_support.hpp"

namespace relsim::cli {

namespace {

struct ReportOptions : OutputOptions {  // -o: the page; default RUN.html beside RUN.h5
  std::string results;                  // RUN.h5
};

[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument("report: " + why); }

/// The times to resolve of every incident of the file, into `in`.
void read_resolve_times(const analysis::ResultsFileReader& file, analysis::RunReportInput& in) {
  const std::uint64_t block = file.block_trials();
  for (std::uint64_t first = 0; first < file.rows(); first += block) {
    const std::uint64_t n = std::min(block, file.rows() - first);
    std::vector<models::IncidentRow> rows;
    for (const analysis::IncidentRecord& r : file.read_block(first, n).incidents) {
      rows.push_back(analysis::incident_row_of(r));
    }
    analysis::add_resolve_times(in, rows);
  }
}

void report(const ReportOptions& o) {
  const auto format = analysis::export_format_of(o.results);
  if (!format || *format != analysis::ExportFormat::hdf5) {
    refuse("'" + o.results +
           "' is not an HDF5 results file: the report reads the .h5 that `relsim run --out "
           "RUN.h5` or `relsim merge --out RUN.h5` writes (CSV and JSON exports do not keep "
           "the scenario and every incident)");
  }
  const std::string out = o.output.empty()
                              ? std::filesystem::path(o.results).replace_extension(".html").string()
                              : o.output;
  check_writable(out);
  const std::string chart_js = analysis::read_chart_js();

  analysis::RunReportInput in;
  {
    const analysis::ResultsFileReader file(o.results);
    const analysis::RunMeta& m = file.meta();
    if (file.rows() != m.trial_count) {
      refuse("'" + o.results + "' holds " + std::to_string(file.rows()) +
             " trials, its metadata says " + std::to_string(m.trial_count) +
             " (an unfinished file?)");
    }
    if (m.trial_count != m.trials) {
      refuse("'" + o.results + "' holds trials " + std::to_string(m.first_trial) + ".." +
             std::to_string(m.first_trial + m.trial_count - 1) + " of " + std::to_string(m.trials) +
             " (shard " + std::to_string(m.shard_index + 1) + "/" + std::to_string(m.shard_count) +
             "): merge the shards first (relsim merge PART... --out RUN.h5)");
    }
    in.scenario_file = m.scenario_file;
    in.seed = m.seed;
    in.trials = m.trials;
    read_resolve_times(file, in);
  }
  const MergedRun run = merge_files({o.results}, std::nullopt);
  in.model = &run.model;
  in.summary = &run.summary;
  // The timelines' trial is run again from the file's scenario and seed.
  analysis::record_sample_trial(in, run.meta.seed, run.meta.first_trial);
  write_file_atomically(out, analysis::render_html(analysis::build_run_report(in), chart_js));
  if (!o.quiet) std::cout << "wrote " << out << "\n";
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto opts = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the self-contained HTML report (charts and tables, opens offline) of a run's\n"
      "HDF5 results file: the page `relsim run --report` writes. See docs/report.md.\n"
      "Scratch file: the budget envelope is recomputed through relsim-scratch.relsim-tmp.*\n"
      "in $TMPDIR (else /tmp), unlinked as soon as it is open, so no exit leaves it behind.");
  cmd->add_option("results", opts->results, "Results file of a run (relsim run --out RUN.h5)")
      ->required();
  add_output_options(cmd, *opts, {}, "The HTML page to write (default: RUN.html beside RUN.h5)");
  add_deprecated_alias(cmd, "--out", "-o", opts->output);
  cmd->callback([opts] { report(*opts); });
}

}  // namespace relsim::cli
