// Where an imported value was read: Origin's text and origin_of. (The
// import-format readers' copy; the lead keeps one when the import branches
// merge.)
#include <string>

#include "analysis/import/import_model.hpp"
#include "analysis/import/import_reader.hpp"

namespace relsim::analysis::import {

// The comment form "k8s/checkout.yaml:14 spec.replicas" (no column), as
// import-core's copy writes it.
std::string Origin::text() const {
  std::string out = file;
  // Appends, not `":" + std::to_string(line)`: GCC 12 warns (-Wrestrict,
  // a false positive) on the concatenated temporary.
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  if (!field.empty()) {
    if (!out.empty()) out += ' ';
    out += field;
  }
  return out;
}

Origin origin_of(const SourceDocument& doc, const YAML::Node& node, const std::string& field) {
  Origin o;
  o.file = doc.file;
  o.field = field;
  // yaml-cpp's Mark is 0-based and null (-1) for nodes built in memory.
  if (node.IsDefined()) {
    const YAML::Mark m = node.Mark();
    if (!m.is_null() && m.line >= 0) {
      o.line = m.line + 1;
      o.column = m.column + 1;
    }
  }
  return o;
}

}  // namespace relsim::analysis::import
