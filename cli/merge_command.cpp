// `relsim merge PART... --out FILE`: the shard files of one run (`relsim run
// --shard i/n --out part-i.h5`, on any number of machines) into the file of
// the whole run. The parts are checked to come from the same run — the same
// relsim version, scenario and system text, overrides, seed and trial count
// — and to cover its trials exactly once; then their rows are replayed in
// trial order through the same streaming summary a single run uses, so the
// merged summary is bit-identical to one run's. The model is recompiled
// from the scenario and system text stored in the parts (not from files on
// this machine, which may have changed). Output is atomic as for `run`.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/results_file.hpp"
#include "analysis/results_writer.hpp"
#include "analysis/safe_output.hpp"
#include "analysis/text_format.hpp"
#include "cli/commands.hpp"
#include "cli/data_files.hpp"
#include "cli/merge_files.hpp"
#include "cli/option_groups.hpp"
#include "cli/output_file.hpp"
#include "cli/run_support.hpp"
#include "cli/summary_text.hpp"
#include "models/compiled_model.hpp"
#include "models/diagnostics.hpp"
#include "models/loader.hpp"

namespace relsim::cli {

namespace {

namespace fs = std::filesystem;

struct MergeOptions : OutputOptions, ResultsOptions {
  std::vector<std::string> parts;
  bool compress_series = false;
};

[[noreturn]] void refuse(const std::string& why) { throw std::invalid_argument("merge: " + why); }

/// Checks that `b` comes from the same run as `a`.
void check_same_run(const analysis::ResultsFileReader& a, const analysis::ResultsFileReader& b) {
  const auto& x = a.meta();
  const auto& y = b.meta();
  auto differ = [&](const std::string& what, const std::string& va, const std::string& vb) {
    refuse("'" + b.path() + "' and '" + a.path() + "' come from different runs: " + what + " " +
           vb + " vs " + va);
  };
  if (x.relsim_version != y.relsim_version) {
    differ("relsim version", x.relsim_version, y.relsim_version);
  }
  if (x.scenario_name != y.scenario_name) differ("scenario", x.scenario_name, y.scenario_name);
  if (x.scenario_text != y.scenario_text) {
    differ("scenario text of", "'" + x.scenario_file + "'", "'" + y.scenario_file + "'");
  }
  if (x.system_text != y.system_text) {
    differ("system text of", "'" + x.system_file + "'", "'" + y.system_file + "'");
  }
  if (x.overrides != y.overrides) {
    auto join = [](const std::vector<std::string>& v) {
      std::string s = "[";
      for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
      return s + "]";
    };
    differ("overrides", join(x.overrides), join(y.overrides));
  }
  if (x.seed != y.seed) differ("seed", std::to_string(x.seed), std::to_string(y.seed));
  if (x.trials != y.trials) {
    differ("run size (trials)", std::to_string(x.trials), std::to_string(y.trials));
  }
  if (!(a.layout() == b.layout())) differ("table layout", "one", "another");
}

/// Loads the run's model from the scenario and system text stored in the
/// part `part` (its metadata `meta`): both are written to a private scratch
/// directory (mkdtemp) in the same relative places. Messages about the
/// stored text name it `PART.h5(SCENARIO.yaml):line:col`, not the scratch copy.
models::CompiledModel model_of(const std::string& part, const analysis::RunMeta& meta) {
  const fs::path scenario_file(meta.scenario_file);
  const fs::path system_file(meta.system_file);
  const analysis::ScratchDir scratch;
  const fs::path root(scratch.path());
  fs::path scenario_dir = root / "s";
  std::string system_rel;
  const bool one_file = meta.system_file == meta.scenario_file;
  if (!one_file) {
    const fs::path rel = system_file.lexically_relative(
        scenario_file.parent_path().empty() ? fs::path(".") : scenario_file.parent_path());
    if (rel.empty() || rel.is_absolute()) {
      refuse("cannot place the stored system text relative to the scenario ('" + meta.system_file +
             "' from '" + meta.scenario_file + "')");
    }
    for (const auto& part_name : rel) {
      if (part_name == "..") scenario_dir /= "d";
    }
    system_rel = rel.string();
  }
  const fs::path scenario_name = scenario_file.filename();
  if (scenario_name.empty() || scenario_name == "." || scenario_name == "..") {
    refuse("'" + part + "' names its scenario '" + meta.scenario_file + "', not a file");
  }
  fs::create_directories(scenario_dir);
  const fs::path scenario_copy = scenario_dir / scenario_name;
  const fs::path system_copy = (scenario_dir / system_rel).lexically_normal();
  std::ofstream(scenario_copy, std::ios::binary) << meta.scenario_text;
  if (!one_file) {
    fs::create_directories(system_copy.parent_path());
    std::ofstream(system_copy, std::ios::binary) << meta.system_text;
  }
  // Data files that distributions name stay where they were: a path inside
  // the scratch copy is read from the same place relative to the original
  // scenario (the scratch scenario directory stands for the original one).
  struct Rebased final : models::DataReader {
    fs::path root, from, to;
    std::vector<double> read_column(const std::string& path,
                                    const std::string& column) const override {
      const fs::path under_root = fs::path(path).lexically_relative(root);
      const bool inside = !under_root.empty() && *under_root.begin() != "..";
      const fs::path mapped = (to / fs::path(path).lexically_relative(from)).lexically_normal();
      return data_files()->read_column(inside ? mapped.string() : path, column);
    }
    // The run that wrote the parts kept its data files where it was allowed
    // to (docs/security.md); the scratch copy stands for those folders.
    std::vector<std::string> data_dirs() const override { return {root.string()}; }
  } data;
  data.root = root;
  data.from = scenario_dir;
  data.to = scenario_file.parent_path().empty() ? fs::path(".") : scenario_file.parent_path();
  try {
    const auto resolved = models::load_scenario(scenario_copy.string(), meta.overrides, &data);
    return models::compile(resolved.system, resolved.scenario);
  } catch (const models::InputError& e) {
    // Name the stored text by the part and the file it was copied from.
    std::vector<models::Diagnostic> located = e.diagnostics();
    for (auto& d : located) {
      if (d.location.file == scenario_copy.string()) {
        d.location.file = part + "(" + meta.scenario_file + ")";
      } else if (!one_file && d.location.file == system_copy.string()) {
        d.location.file = part + "(" + meta.system_file + ")";
      }
      for (const auto& [copy, original] : {std::pair{scenario_copy.string(), meta.scenario_file},
                                           std::pair{system_copy.string(), meta.system_file}}) {
        for (std::size_t at = d.message.find(copy); at != std::string::npos;
             at = d.message.find(copy, at + original.size())) {
          d.message.replace(at, copy.size(), original);
        }
      }
    }
    throw models::InputError(std::move(located));
  }
}

}  // namespace

MergedRun merge_files(const std::vector<std::string>& part_paths,
                      const std::optional<analysis::ExportTarget>& target, bool envelopes) {
  if (part_paths.empty()) refuse("no part files");
  std::vector<std::unique_ptr<analysis::ResultsFileReader>> parts;
  for (const auto& p : part_paths) {
    parts.push_back(std::make_unique<analysis::ResultsFileReader>(p));
    const auto& r = *parts.back();
    if (r.rows() != r.meta().trial_count) {
      refuse("'" + p + "' holds " + std::to_string(r.rows()) + " trials, its metadata says " +
             std::to_string(r.meta().trial_count) + " (an unfinished file?)");
    }
  }
  for (std::size_t i = 1; i < parts.size(); ++i) check_same_run(*parts[0], *parts[i]);
  std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
    return a->meta().first_trial < b->meta().first_trial;
  });
  const std::uint64_t total = parts[0]->meta().trials;
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& m = parts[i]->meta();
    const std::uint64_t end = m.first_trial + m.trial_count;
    auto span = [](std::uint64_t a, std::uint64_t b) {
      return std::to_string(a) + ".." + std::to_string(b - 1);
    };
    if (m.first_trial < next) {
      refuse("'" + parts[i]->path() + "' (trials " + span(m.first_trial, end) + ") overlaps '" +
             parts[i - 1]->path() + "' (trials " +
             span(parts[i - 1]->meta().first_trial,
                  parts[i - 1]->meta().first_trial + parts[i - 1]->meta().trial_count) +
             ")");
    }
    if (m.first_trial > next) {
      refuse("trials " + span(next, m.first_trial) + " of " + std::to_string(total) +
             " are missing (no part holds them; shard " + std::to_string(m.shard_index) + "/" +
             std::to_string(m.shard_count) + " is '" + parts[i]->path() + "')");
    }
    next = end;
  }
  if (next != total) {
    refuse("trials " + std::to_string(next) + ".." + std::to_string(total - 1) + " of " +
           std::to_string(total) + " are missing (no part holds them)");
  }

  const auto start = std::chrono::steady_clock::now();
  const models::CompiledModel model = model_of(parts[0]->path(), parts[0]->meta());
  analysis::RunMeta meta = parts[0]->meta();
  meta.shard_index = 0;
  meta.shard_count = 1;
  meta.first_trial = 0;
  meta.trial_count = total;
  meta.command_line = app_command_line();
  meta.start_time = analysis::iso8601_utc_now();
  meta.merged_from.clear();
  for (const auto& p : parts) meta.merged_from.push_back(p->path());
  if (!(analysis::trial_layout(model) == parts[0]->layout())) {
    refuse("the stored scenario compiles to another table layout than the parts hold");
  }

  InterruptGuard interrupt;
  analysis::ResultsWriter writer(model, meta, target, envelopes);
  analysis::IncidentSummaryAccumulator incidents(model, meta.confidence);
  for (const auto& p : parts) {
    const std::uint64_t block = p->block_trials();
    for (std::uint64_t first = 0; first < p->rows(); first += block) {
      if (interrupted()) throw Interrupted();
      const std::uint64_t n = std::min(block, p->rows() - first);
      const analysis::TrialBlock rows = p->read_block(first, n);
      writer.record(rows);
      analysis::add_incident_figures(incidents, rows);
    }
  }
  const analysis::RunSummary summary = writer.summarize();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const analysis::Timing timing{wall, 1};
  writer.commit(summary, timing);

  return {model, meta, summary, incidents.finish(), wall};
}

namespace {

void merge(MergeOptions o) {
  analysis::ExportTarget target = export_target(o.out, o.out_format);
  target.compress_series = o.compress_series;
  analysis::check_export_target(target);
  resolve_legacy_output(o);  // `-o json` was short for --format json (deprecated)
  const std::string& format = o.format;
  check_output(o);
  const MergedRun run = merge_files(o.parts, target);
  if (o.quiet && o.output.empty()) return;
  const analysis::Timing timing{run.wall_seconds, 1};
  std::string text =
      format == "json"
          ? analysis::summary_json(run.model, run.summary, run.meta, timing, false, &run.incidents)
          : summary_text(
                run.model, run.summary,
                {run.meta.scenario_file, run.meta.seed, run.meta.trials, 0, 1, run.wall_seconds,
                 "merged from " + std::to_string(o.parts.size()) + " part" +
                     (o.parts.size() == 1 ? "" : "s") + " into " + o.out});
  // As a single run prints it: by cause, SEV target compliance, DORA.
  if (format != "json") text += analysis::format_incident_extras(run.model, run.incidents);
  emit(o, text);
}

}  // namespace

void add_merge_command(CLI::App& app) {
  auto opts = std::make_shared<MergeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "merge",
      "Merge the shard files of one run (relsim run --shard i/n --out part-i.h5) into the\n"
      "file of the whole run, with exactly the summary of a single run. Refuses parts of\n"
      "different runs (version, scenario, seed, trials) and overlapping or missing trials.");
  cmd->add_option("parts", opts->parts, "Part files (HDF5), in any order")->required();
  add_results_options(cmd, *opts, {"hdf5", "csv", "json"},
                      "The merged file: PATH.h5, PATH.json or a CSV directory");
  cmd->get_option("--out")->required();
  cmd->add_flag("--compress-series", opts->compress_series,
                "HDF5: deflate /budget too (about half the file, more CPU)")
      ->group(kResultsGroup);
  add_output_options(cmd, *opts, {"text", "json"},
                     "Write the summary to FILE instead of standard output (`-o json`, "
                     "deprecated, means --format json)");
  cmd->callback([opts] { merge(*opts); });
}

}  // namespace relsim::cli
