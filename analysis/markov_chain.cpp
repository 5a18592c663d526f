// The CTMC solver: see analysis/markov_chain.hpp.
#include "analysis/markov_chain.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <limits>
#include <string>

namespace relsim::analysis {
namespace {

constexpr std::uint32_t kUnvisited = std::numeric_limits<std::uint32_t>::max();

/// Out-edges in compressed rows (only transitions that matter).
struct Graph {
  std::vector<std::uint32_t> begin;  // size states + 1
  std::vector<std::uint32_t> to;
  std::vector<double> rate;
};

Graph graph_of(std::size_t states, std::span<const Transition> transitions) {
  Graph g;
  g.begin.assign(states + 1, 0);
  for (const Transition& t : transitions) {
    if (t.rate > 0.0 && t.from != t.to) ++g.begin[t.from + 1];
  }
  for (std::size_t i = 0; i < states; ++i) g.begin[i + 1] += g.begin[i];
  g.to.resize(g.begin[states]);
  g.rate.resize(g.begin[states]);
  std::vector<std::uint32_t> next(g.begin.begin(), g.begin.end() - 1);
  for (const Transition& t : transitions) {
    if (t.rate <= 0.0 || t.from == t.to) continue;
    const std::uint32_t k = next[t.from]++;
    g.to[k] = t.to;
    g.rate[k] = t.rate;
  }
  return g;
}

/// Strongly connected components of the part of `g` reachable from `root`
/// (iterative Tarjan). Returns the component of every state (kUnvisited when
/// unreachable) and the number of components.
std::pair<std::vector<std::uint32_t>, std::uint32_t> components_from(const Graph& g,
                                                                     std::uint32_t root) {
  const std::size_t n = g.begin.size() - 1;
  std::vector<std::uint32_t> index(n, kUnvisited), low(n, 0), comp(n, kUnvisited);
  std::vector<std::uint32_t> stack, call, edge;
  std::vector<std::uint8_t> on_stack(n, 0);
  std::uint32_t counter = 0, comps = 0;
  auto open = [&](std::uint32_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    call.push_back(v);
    edge.push_back(g.begin[v]);
  };
  open(root);
  while (!call.empty()) {
    const std::uint32_t v = call.back();
    std::uint32_t& e = edge.back();
    if (e < g.begin[v + 1]) {
      const std::uint32_t w = g.to[e++];
      if (index[w] == kUnvisited) {
        open(w);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
      continue;
    }
    call.pop_back();
    edge.pop_back();
    if (!call.empty()) low[call.back()] = std::min(low[call.back()], low[v]);
    if (low[v] == index[v]) {
      std::uint32_t w = 0;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = 0;
        comp[w] = comps;
      } while (w != v);
      ++comps;
    }
  }
  return {std::move(comp), comps};
}

/// Solves π A = 0 on the closed class `members` (local indices via `local`),
/// Σπ = 1. Rates are scaled by the largest exit rate first, so the
/// normalisation row and the balance rows have comparable magnitudes.
std::vector<double> solve_class(const Graph& g, const std::vector<std::uint32_t>& members,
                                const std::vector<std::uint32_t>& local, SolveMethod& method) {
  const auto k = static_cast<Eigen::Index>(members.size());
  double scale = 0.0;
  for (const std::uint32_t v : members) {
    double out = 0.0;
    for (std::uint32_t e = g.begin[v]; e < g.begin[v + 1]; ++e) out += g.rate[e];
    scale = std::max(scale, out);
  }
  // Row i of A = Qᵀ holds the balance of state i: Σ_j π_j q_ji − π_i q_i = 0.
  // The last row is replaced by Σ π = 1.
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(g.to.size() + 2 * members.size());
  for (Eigen::Index j = 0; j < k; ++j) {
    const std::uint32_t v = members[static_cast<std::size_t>(j)];
    double out = 0.0;
    for (std::uint32_t e = g.begin[v]; e < g.begin[v + 1]; ++e) {
      const double r = g.rate[e] / scale;
      out += r;
      const auto i = static_cast<Eigen::Index>(local[g.to[e]]);
      if (i != k - 1) entries.emplace_back(i, j, r);
    }
    if (j != k - 1) entries.emplace_back(j, j, -out);
    entries.emplace_back(k - 1, j, 1.0);
  }
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k);
  rhs(k - 1) = 1.0;
  Eigen::VectorXd x;
  if (members.size() <= kDenseLimit) {
    method = SolveMethod::dense_lu;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(k, k);
    for (const auto& t : entries) a(t.row(), t.col()) += t.value();
    x = a.partialPivLu().solve(rhs);
  } else {
    method = SolveMethod::sparse_lu;
    Eigen::SparseMatrix<double> a(k, k);
    a.setFromTriplets(entries.begin(), entries.end());
    a.makeCompressed();
    Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu;
    lu.analyzePattern(a);
    lu.factorize(a);
    if (lu.info() != Eigen::Success) {
      throw ChainError("sparse LU of a " + std::to_string(members.size()) +
                       "-state chain failed: " + lu.lastErrorMessage());
    }
    x = lu.solve(rhs);
  }
  // Round-off can leave tiny negative values for very unlikely states.
  std::vector<double> pi(members.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < pi.size(); ++i) {
    pi[i] = std::max(0.0, x(static_cast<Eigen::Index>(i)));
    sum += pi[i];
  }
  if (!(sum > 0.0)) throw ChainError("the stationary equations have no usable solution");
  for (double& p : pi) p /= sum;
  return pi;
}

}  // namespace

const char* to_string(SolveMethod m) {
  switch (m) {
    case SolveMethod::closed_form:
      return "closed form";
    case SolveMethod::dense_lu:
      return "dense LU";
    case SolveMethod::sparse_lu:
      return "sparse LU";
  }
  return "?";
}

StationaryDistribution stationary_distribution(std::size_t states,
                                               std::span<const Transition> transitions,
                                               std::size_t initial) {
  if (initial >= states) throw ChainError("initial state outside the chain");
  if (states >= kUnvisited) throw ChainError("chain too large");
  const Graph g = graph_of(states, transitions);
  const auto [comp, comps] = components_from(g, static_cast<std::uint32_t>(initial));

  // A component is closed when no transition leaves it.
  std::vector<std::uint8_t> leaves(comps, 0);
  for (std::uint32_t v = 0; v < states; ++v) {
    if (comp[v] == kUnvisited) continue;
    for (std::uint32_t e = g.begin[v]; e < g.begin[v + 1]; ++e) {
      if (comp[g.to[e]] != comp[v]) leaves[comp[v]] = 1;
    }
  }
  const auto closed = static_cast<std::size_t>(std::count(leaves.begin(), leaves.end(), 0));
  if (closed != 1) {
    throw ChainError("the long run depends on chance: " + std::to_string(closed) +
                     " closed classes of states are reachable from the initial state");
  }
  const auto target =
      static_cast<std::uint32_t>(std::find(leaves.begin(), leaves.end(), 0) - leaves.begin());
  std::vector<std::uint32_t> members;
  std::vector<std::uint32_t> local(states, kUnvisited);
  for (std::uint32_t v = 0; v < states; ++v) {
    if (comp[v] == target) {
      local[v] = static_cast<std::uint32_t>(members.size());
      members.push_back(v);
    }
  }

  StationaryDistribution out;
  out.probability.assign(states, 0.0);
  out.recurrent = members.size();
  if (members.size() == 1) {
    out.probability[members[0]] = 1.0;
    out.method = SolveMethod::closed_form;
    return out;
  }
  const std::vector<double> pi = solve_class(g, members, local, out.method);
  for (std::size_t i = 0; i < members.size(); ++i) out.probability[members[i]] = pi[i];
  return out;
}

}  // namespace relsim::analysis
