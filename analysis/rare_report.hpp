// The report of a rare-event run (`relsim run --rare`, analysis/rare_event.hpp):
// the text block and the JSON document, keys in docs/results.md ("Rare
// events"). Pure functions; thread-safe.
#pragma once

#include <string>

#include "analysis/rare_event.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"

namespace relsim::analysis {

/// The text block `relsim run --rare` prints.
std::string rare_text(const models::CompiledModel& model, const RareOutcome& outcome,
                      const std::string& scenario_file);
/// The `rare` section of the JSON document.
models::JsonNode rare_json(const models::CompiledModel& model, const RareOutcome& outcome);
/// The whole document `relsim run --rare --format json` prints.
std::string rare_document_json(const models::CompiledModel& model, const RareOutcome& outcome,
                               const std::string& scenario_file);

}  // namespace relsim::analysis
