// See data_files.hpp.
#include "cli/data_files.hpp"

#include "analysis/incident_file.hpp"

namespace relsim::cli {

const models::DataReader* data_files() {
  static const analysis::IncidentDataReader reader;  // no state: nothing shared changes
  return &reader;
}

}  // namespace relsim::cli
