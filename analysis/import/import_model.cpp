// The intermediate model of relsim import (see import_model.hpp).
#include "analysis/import/import_model.hpp"

namespace relsim::analysis::import {

std::string Origin::text() const {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  if (!field.empty()) out += (out.empty() ? "" : " ") + field;
  return out;
}

}  // namespace relsim::analysis::import
