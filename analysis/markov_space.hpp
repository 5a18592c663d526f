// Internal to `relsim analyze` (analysis/markov*.cpp): the independent
// sub-chains of a compiled model and what each of their states means for
// the fluid view. Not included outside analysis/markov*.cpp and its tests.
//
// A sub-chain is reduced to its *outcomes*: the distinct assignments it
// makes to its own fields of a models::FluidState (replica counts per
// placement, a datastore's or cache's serving flag, a bad deploy's error
// rate), with their long-run probabilities, most likely first. Sub-chains
// own disjoint fields, so applying one outcome of each to the nominal fluid
// state gives the fluid state of that combination.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/markov.hpp"
#include "models/fluid.hpp"

namespace relsim::analysis::detail {

/// One field of the fluid state a sub-chain sets.
struct Field {
  enum class Kind : std::uint8_t {
    zone_up,     // index: zone; value 1 = up
    replicas,    // index: placement; healthy = routed = value
    serving,     // index: datastore component; value 1 = serving
    cache,       // index: cache component; value 1 = serving at hit ratio `a`
    bad_deploy,  // index: service component; value 1 = error rate `a`, added latency `b` s
  };
  Kind kind = Kind::replicas;
  models::Index index = 0;
  double a = 0.0;
  double b = 0.0;
};

struct Subchain {
  SubchainSummary summary;
  std::vector<Field> fields;
  std::vector<double> probability;  // per outcome, descending; sums to 1
  std::vector<int> values;          // outcome-major: values[o * fields.size() + f]

  /// Writes outcome `o` into `state`.
  void apply(std::size_t o, models::FluidState& state) const;
  /// The value outcome `o` gives field `f`.
  int value(std::size_t o, std::size_t f) const { return values[o * fields.size() + f]; }
};

/// True for an exponential distribution (also a gamma or Weibull of shape 1).
bool is_exponential(const sim::Distribution& d);
/// Rate (per second) of an exponential distribution: 1 / mean.
double rate_of(const sim::Distribution& exponential);

/// The sub-chains of a model that markov_refusals accepts. Throws
/// std::runtime_error when a sub-chain has more than options.max_chain_states
/// states, ChainError when one has more than one long run.
std::vector<Subchain> build_subchains(const models::CompiledModel& model,
                                      const MarkovOptions& options);

}  // namespace relsim::analysis::detail
