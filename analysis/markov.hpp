// `relsim analyze`: the exact long-run availability of a model whose random
// processes are all Markovian (exponential times, no fixed delays), computed
// from continuous-time Markov chains instead of Monte Carlo trials. See
// docs/analyze.md for the supported subset, the method and the outputs.
//
// The model's failure processes split into independent sub-chains (one per
// group of zones with outages and everything placed in them; one binomial
// per service zone without outages; two-state chains for datastores, caches
// and deploys), each solved on its own (analysis/markov_chain.hpp). The fluid
// view (models/fluid.hpp) couples them through the dependencies, so the
// long-run figures are expectations of the fluid over the product of the
// sub-chains' distributions, enumerated from the most likely combination
// down and cut below `min_probability` (the mass cut is reported).
//
// Pure functions of the model; thread-safe.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/markov_chain.hpp"
#include "models/compiled_model.hpp"

namespace relsim::analysis {

struct MarkovOptions {
  /// Combinations of sub-chain states less likely than this are skipped.
  double min_probability = 1e-15;
  /// Largest state space of one sub-chain.
  std::size_t max_chain_states = 2'000'000;
  /// Largest number of fluid evaluations (combinations × demand points).
  std::uint64_t max_evaluations = 50'000'000;
  /// False: deploys are left out, as with a scenario's `randomDeploys: false`.
  bool deploys = true;
  /// Demand grid for daily profiles: points per day (midpoints of equal steps).
  int points_per_day = 288;
};

/// One element of the model that is not Markovian, and why.
struct Refusal {
  enum class Subject : std::uint8_t { component, zone, fault };
  Subject subject = Subject::component;
  models::Index index = 0;  // component, zone or fault index
  std::string message;      // names the element: `payment-api: restart is lognormal; ...`
};

/// The model has elements analyze cannot treat as a Markov chain.
class NotMarkovian : public std::runtime_error {
 public:
  explicit NotMarkovian(std::vector<Refusal> refusals);
  const std::vector<Refusal>& refusals() const { return refusals_; }

 private:
  std::vector<Refusal> refusals_;
};

/// Every non-Markovian element of `model` (empty: it can be analysed).
std::vector<Refusal> markov_refusals(const models::CompiledModel& model,
                                     const MarkovOptions& options = {});

/// Long-run figures of one component.
struct ComponentLongRun {
  double load = 0.0;          // mean requests/s arriving (demand and callers)
  double availability = 1.0;  // E[load · success] / E[load]; the nominal ratio without load
  double serving = 1.0;       // datastores, caches: fraction of time serving; services: 1
};

/// Long-run figures of one SLO.
struct SloLongRun {
  double attainment = 1.0;       // good / total requests in the long run
  bool met = true;               // attainment >= objective
  double budget_consumed = 0.0;  // (1 − attainment) / (1 − objective)
};

/// One independent sub-chain, for the report.
struct SubchainSummary {
  std::string label;          // what it holds: `zone us-east-1a + payment-api + payments-db`
  std::size_t states = 0;     // size of its state space
  std::size_t recurrent = 0;  // states in the long run (the rest are transient)
  std::size_t outcomes = 0;   // distinct effects on the fluid (what the product enumerates)
  SolveMethod method = SolveMethod::closed_form;
  bool nominal_transient = false;  // the chain never returns to its all-up start
};

struct MarkovResult {
  std::vector<ComponentLongRun> components;  // per component index
  std::vector<SloLongRun> slos;              // per SLO index
  std::vector<SubchainSummary> subchains;
  std::uint64_t combinations = 0;  // product states evaluated
  double skipped_mass = 0.0;       // probability of the combinations skipped
  int demand_points = 1;           // demand grid points per combination
  std::vector<std::string> notes;  // what is left out and how it reads
};

/// The long run of `model`. Throws NotMarkovian when markov_refusals is not
/// empty, std::runtime_error when a sub-chain or the product is too large.
MarkovResult analyze_markov(const models::CompiledModel& model, const MarkovOptions& options = {});

}  // namespace relsim::analysis
