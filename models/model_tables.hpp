// Internal to the compile step (models/compiled_model.cpp and
// models/model_tables.cpp): filling the tables of a CompiledModel from a
// System whose checks have passed. Never included elsewhere.
#pragma once

#include <vector>

#include "models/compiled_model.hpp"

namespace relsim::models::detail {

/// A fault to compile, with its resolved start offset.
struct PendingFault {
  const Fault* fault;
  sim::Duration start;
};

/// A model with every table filled from `system` and `faults` (sorted by
/// start); scenario fields (horizon, seed, ...) are left to the caller.
/// Throws InputError when two processes would share a random stream.
CompiledModel build_tables(const System& system, const Topology& topology,
                           const std::vector<PendingFault>& faults);

}  // namespace relsim::models::detail
