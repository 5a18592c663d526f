// Shared pieces of run and merge (see run_support.hpp).
#include "cli/run_support.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/run_meta.hpp"
#include "analysis/safe_output.hpp"
#include "cli/output_file.hpp"
#include "models/loader.hpp"

namespace relsim::cli {

namespace {

std::string g_command_line;

}  // namespace

sim::Shard resolve_shard(const std::string& text) {
  if (text.rfind("auto/", 0) != 0) return sim::parse_shard(text);
  const char* var = "JOB_COMPLETION_INDEX";
  const char* value = std::getenv(var);
  if (value == nullptr || *value == '\0') {
    var = "SLURM_ARRAY_TASK_ID";
    value = std::getenv(var);
  }
  if (value == nullptr || *value == '\0') {
    throw std::invalid_argument("--shard " + text +
                                ": neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set");
  }
  try {
    return sim::parse_shard(std::string(value) + text.substr(4));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("--shard " + text + ": " + var + "=" + value +
                                " is not a shard index below " + text.substr(5));
  }
}

analysis::ExportTarget export_target(const std::string& path, const std::string& format) {
  if (!format.empty()) {
    if (auto f = analysis::parse_export_format(format)) return {path, *f};
    throw std::invalid_argument("--out-format '" + format + "': expected hdf5, csv or json");
  }
  if (auto f = analysis::export_format_of(path)) return {path, *f};
  throw std::invalid_argument("--out '" + path +
                              "': the extension names no format (use .h5, .json, a directory "
                              "for CSV, or --out-format)");
}

void check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("cannot write '" + path + "': " + why);
  };
  if (!fs::is_directory(dir, ec)) fail("no directory '" + dir.string() + "'");
  if (fs::is_directory(p, ec)) fail("it is a directory");
  // A device or FIFO (-o /dev/null) is written in place: its folder is not.
  if (!analysis::written_in_place(path) && ::access(dir.c_str(), W_OK) != 0)
    fail(std::strerror(errno));
  analysis::claim_output(path);  // not an input, and no other relsim writes it
}

void set_command_line(int argc, const char* const* argv) {
  g_command_line = analysis::command_line_text(argc, argv);
}

const std::string& app_command_line() { return g_command_line; }

InterruptGuard::InterruptGuard() {
  install_signal_handlers();
  clear_interrupt();
  set_graceful_interrupts(true);
}

InterruptGuard::~InterruptGuard() { set_graceful_interrupts(false); }

bool interrupted() { return interrupt_signal() != 0; }

namespace {

std::string file_text(const std::string& path) {
  if (path == "-" || path == models::kStandardInputName) return models::standard_input();
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

analysis::RunMeta run_meta_for(const std::string& file, const std::string& system_file,
                               const models::CompiledModel& model,
                               const std::vector<std::string>& overrides, std::uint64_t seed,
                               std::uint64_t trials, double confidence) {
  analysis::RunMeta meta;
  meta.scenario_name = model.names.scenario;
  meta.system_name = model.names.system;
  meta.scenario_file = file;
  meta.system_file = system_file.empty() ? file : system_file;
  meta.scenario_text = file_text(file);
  meta.system_text = meta.system_file == file ? meta.scenario_text : file_text(meta.system_file);
  meta.overrides = overrides;
  meta.seed = seed;
  meta.trials = trials;
  meta.trial_count = trials;
  meta.confidence = confidence;
  meta.command_line = app_command_line();
  meta.start_time = analysis::iso8601_utc_now();
  return meta;
}

}  // namespace relsim::cli
