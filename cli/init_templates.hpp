// The starting files of `relsim init`: one System and one Scenario per
// template, embedded at build time from scenarios/templates/<name>/ (the
// same files the scenario tests validate and schema-check), so the program
// needs no data directory at run time. Read-only static data.
#pragma once

#include <string_view>
#include <vector>

namespace relsim::cli {

struct InitTemplate {
  std::string_view name;         // `web-service`, `payments`, `platform`
  std::string_view description;  // one line for --help
  std::string_view system;       // system.yaml, as in scenarios/templates/<name>/
  std::string_view scenario;     // scenario.yaml
};

/// Every template, in the order --help lists them.
const std::vector<InitTemplate>& init_templates();

}  // namespace relsim::cli
