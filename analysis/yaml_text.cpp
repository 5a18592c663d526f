// YAML text of the exporters (see yaml_text.hpp).
#include "analysis/yaml_text.hpp"

#include <stdexcept>

namespace relsim::analysis {

std::string yaml_comment(std::string_view text) {
  std::string out = "# ";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out + "\n";
}

std::string emitted(const YAML::Emitter& out) {
  if (!out.good()) throw std::runtime_error("cannot write YAML: " + out.GetLastError());
  return std::string(out.c_str(), out.size()) + "\n";
}

}  // namespace relsim::analysis
