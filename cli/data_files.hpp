// The reader of the data files a scenario's distributions name
// (`ack: {empirical: {file: incidents.h5, column: tta}}`), which every command
// that loads scenario files passes to the loader: analysis's reader of HDF5
// incident tables and CSV columns (analysis/incident_file.hpp). The loader
// in models/ only resolves the path, keeps it under the folder of the file
// that names it or a `--data-dir` (docs/security.md) and locates errors; the
// formats live in analysis/ (models/data_reader.hpp says why). Every file
// the loader reads is recorded as an input of the command, so that no output
// may replace it (analysis/safe_output.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "models/data_reader.hpp"

namespace relsim::cli {

/// The data-file reader for models::load_*, with the folders of every
/// `--data-dir` given; one instance serves the whole program.
const models::DataReader* data_files();

/// Adds `--data-dir DIR` (repeatable) to `cmd`; the folders go to data_files().
void add_data_dir_option(CLI::App& cmd);

}  // namespace relsim::cli
