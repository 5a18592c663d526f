// A finite continuous-time Markov chain given by its transitions, and its
// long-run (stationary) distribution: the solver behind `relsim analyze`
// (see analysis/markov.hpp and docs/analyze.md).
//
// The chain need not be irreducible: the solver keeps the states reachable
// from the initial state, finds the closed communicating class among them
// (transient states get probability 0), and solves πQ = 0, Σπ = 1 on that
// class, with one balance equation replaced by the normalisation: a dense LU
// (Eigen::PartialPivLU) up to kDenseLimit states, a sparse LU (Eigen::SparseLU,
// COLAMD ordering) above. Eigen stays inside markov_chain.cpp.
//
// Complexity: O(states + transitions) for the graph work; the factorisation
// is O(n³) dense, and for sparse chains depends on the fill-in (seconds for
// 10⁵ states of a few zones' outages). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace relsim::analysis {

/// One transition of a CTMC: from state `from` to state `to` at `rate` (per
/// second). Rates <= 0 and self-loops are ignored; parallel transitions add up.
struct Transition {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  double rate = 0.0;
};

/// How a distribution was obtained.
enum class SolveMethod : std::uint8_t { closed_form, dense_lu, sparse_lu };

/// `closed form`, `dense LU`, `sparse LU`.
const char* to_string(SolveMethod m);

struct StationaryDistribution {
  std::vector<double> probability;  // per state; 0 for transient and unreachable states
  std::size_t recurrent = 0;        // states in the closed class
  SolveMethod method = SolveMethod::closed_form;
};

/// Closed classes up to this many states are solved with a dense LU.
inline constexpr std::size_t kDenseLimit = 400;

/// The chain's long run depends on chance (more than one closed class is
/// reachable from the initial state), or the factorisation failed.
class ChainError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Long-run distribution of the chain on states [0, states) started in
/// `initial`. Throws ChainError when more than one closed class is reachable.
StationaryDistribution stationary_distribution(std::size_t states,
                                               std::span<const Transition> transitions,
                                               std::size_t initial = 0);

}  // namespace relsim::analysis
