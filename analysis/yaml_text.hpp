// YAML written by relsim's exporters (Chaos Mesh and Litmus manifests,
// Prometheus rule files, Sloth specs): every document is built with
// yaml-cpp's YAML::Emitter, which quotes and escapes what it writes, so a
// name can never change the document's structure. Comments are the only
// text written around it, and yaml_comment keeps each on one line.
// Internal to analysis/ (yaml-cpp types do not leave the module). Pure
// functions; thread-safe.
#pragma once

#include <yaml-cpp/emitter.h>

#include <string>
#include <string_view>

namespace relsim::analysis {

/// `# text` and a line break; line breaks and other control characters in
/// `text` become spaces, so the comment cannot end early.
std::string yaml_comment(std::string_view text);

/// The emitter's document with a final line break. Throws std::runtime_error
/// when the emitter reports an error (an unbalanced map or sequence, text
/// that is not UTF-8).
std::string emitted(const YAML::Emitter& out);

}  // namespace relsim::analysis
