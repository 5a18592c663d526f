// See data_files.hpp.
#include "cli/data_files.hpp"

#include "analysis/incident_file.hpp"
#include "analysis/safe_output.hpp"

namespace relsim::cli {

namespace {

/// The `--data-dir` folders of this command line (set while parsing, read
/// by the one reader; the program runs one command).
std::vector<std::string>& data_dirs_given() {
  static std::vector<std::string> dirs;
  return dirs;
}

class ProgramDataReader final : public models::DataReader {
 public:
  std::vector<double> read_column(const std::string& path,
                                  const std::string& column) const override {
    analysis::note_input(path);
    return formats_.read_column(path, column);
  }
  std::vector<std::string> data_dirs() const override { return data_dirs_given(); }
  void opening(const std::string& path) const override { analysis::note_input(path); }

 private:
  analysis::IncidentDataReader formats_;  // no state
};

}  // namespace

const models::DataReader* data_files() {
  static const ProgramDataReader reader;
  return &reader;
}

void add_data_dir_option(CLI::App& cmd) {
  cmd.add_option("--data-dir", data_dirs_given(),
                 "A folder from which data files may also be read, besides the folder of the "
                 "file that names them (repeatable; docs/security.md)")
      ->check(CLI::ExistingDirectory);
}

}  // namespace relsim::cli
