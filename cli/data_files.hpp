// The reader of the data files a scenario's distributions name
// (`ack: {empirical: {file: incidents.h5, column: tta}}`), which every command
// that loads scenario files passes to the loader: analysis's reader of HDF5
// incident tables and CSV columns (analysis/incident_file.hpp). The loader
// in models/ only resolves the path and locates errors; the formats live in
// analysis/ (models/data_reader.hpp says why).
#pragma once

#include "models/data_reader.hpp"

namespace relsim::cli {

/// The data-file reader for models::load_*: stateless and immutable, so one
/// instance serves the whole program.
const models::DataReader* data_files();

}  // namespace relsim::cli
