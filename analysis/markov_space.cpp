// The sub-chains of `relsim analyze`: see analysis/markov_space.hpp and
// docs/analyze.md ("Method"). The transitions mirror docs/model.md
// ("Failures and automatic recovery") with every delay exponential and the
// health-check delay zero.
#include "analysis/markov_space.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace relsim::analysis::detail {
namespace {

using models::CompiledModel;
using models::ComponentKind;
using models::FailureType;
using models::Index;

using State = std::vector<std::uint16_t>;

// ---------------------------------------------------------------- the state set

/// The states found so far, stored back to back, with an open-addressing
/// index (linear probing) over their hashes.
class StateSet {
 public:
  explicit StateSet(std::size_t width) : width_(width), table_(1024, kEmpty) {}

  /// The index of `s`, added when new; `added` tells which.
  std::uint32_t insert(const State& s, bool& added) {
    if (2 * (size() + 1) > table_.size()) grow();
    std::size_t slot = hash(s.data()) & (table_.size() - 1);
    while (table_[slot] != kEmpty) {
      if (std::equal(s.begin(), s.end(), state(table_[slot]))) {
        added = false;
        return table_[slot];
      }
      slot = (slot + 1) & (table_.size() - 1);
    }
    const auto index = static_cast<std::uint32_t>(size());
    data_.insert(data_.end(), s.begin(), s.end());
    table_[slot] = index;
    added = true;
    return index;
  }
  const std::uint16_t* state(std::size_t i) const { return data_.data() + i * width_; }
  std::size_t size() const { return width_ == 0 ? 0 : data_.size() / width_; }

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;

  std::uint64_t hash(const std::uint16_t* s) const {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a over the values, then a final mix
    for (std::size_t i = 0; i < width_; ++i) h = (h ^ s[i]) * 0x100000001b3ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
  }
  void grow() {
    table_.assign(table_.size() * 2, kEmpty);
    for (std::uint32_t i = 0; i < size(); ++i) {
      std::size_t slot = hash(state(i)) & (table_.size() - 1);
      while (table_[slot] != kEmpty) slot = (slot + 1) & (table_.size() - 1);
      table_[slot] = i;
    }
  }

  std::size_t width_;
  std::vector<std::uint16_t> data_;
  std::vector<std::uint32_t> table_;
};

// ---------------------------------------------------------------- rates of the model

struct Rates {
  std::vector<std::vector<std::pair<double, double>>> zone;    // per zone: (outage, back) rates
  std::vector<double> crash;                                   // per service row
  std::vector<double> store_fail;                              // per component
  std::vector<std::vector<std::pair<double, double>>> manual;  // per component: (fail, repair)
};

Rates rates_of(const CompiledModel& m) {
  Rates r;
  r.zone.resize(m.zone_count());
  r.crash.assign(m.services.size(), 0.0);
  r.store_fail.assign(m.components.size(), 0.0);
  r.manual.resize(m.components.size());
  if (!m.random_failures) return r;
  for (const auto& f : m.failures) {
    switch (f.type) {
      case FailureType::zone_outage:
        r.zone[f.owner].emplace_back(rate_of(f.every), rate_of(*f.duration));
        break;
      case FailureType::replica_crash:
        r.crash[m.components[f.owner].row] += rate_of(f.every);
        break;
      case FailureType::primary_failure:
      case FailureType::node_failure:
        r.store_fail[f.owner] += rate_of(f.every);
        r.manual[f.owner].emplace_back(rate_of(f.every), f.duration ? rate_of(*f.duration) : 0.0);
        break;
    }
  }
  return r;
}

bool manual_datastore(const CompiledModel& m, Index c) {
  return m.components[c].kind == ComponentKind::datastore &&
         !m.datastores[m.components[c].row].automatic_failover;
}

double failover_rate(const CompiledModel& m, Index c) {
  const auto& row = m.components[c];
  return row.kind == ComponentKind::cache ? rate_of(m.caches[row.row].failover_duration)
                                          : rate_of(m.datastores[row.row].failover_duration);
}

double hit_ratio(const CompiledModel& m, Index c) {
  return m.components[c].kind == ComponentKind::cache ? m.caches[m.components[c].row].hit_ratio
                                                      : 0.0;
}

Field serving_field(const CompiledModel& m, Index c) {
  return m.components[c].kind == ComponentKind::cache
             ? Field{Field::Kind::cache, c, hit_ratio(m, c), 0.0}
             : Field{Field::Kind::serving, c, 0.0, 0.0};
}

/// Outcomes from (value vector, probability) pairs: merged, most likely first,
/// zeros dropped.
void set_outcomes(Subchain& sc, std::map<std::vector<int>, double> merged) {
  std::vector<std::pair<double, const std::vector<int>*>> order;
  for (const auto& [values, p] : merged) {
    if (p > 0.0) order.emplace_back(p, &values);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  double sum = 0.0;
  for (const auto& o : order) sum += o.first;
  for (const auto& [p, values] : order) {
    sc.probability.push_back(p / sum);
    sc.values.insert(sc.values.end(), values->begin(), values->end());
  }
  sc.summary.outcomes = order.size();
}

/// A chain of `states` states whose one field is 1 with probability `p_one`, else 0.
Subchain two_state(std::string label, Field field, double p_one, std::size_t states) {
  Subchain sc;
  sc.summary = {std::move(label), states, states, 0, SolveMethod::closed_form};
  sc.fields = {field};
  set_outcomes(sc, {{{1}, p_one}, {{0}, 1.0 - p_one}});
  return sc;
}

// ---------------------------------------------------------------- zone groups

/// Zones with outages and everything placed in them, as one chain. State
/// layout: one 0/1 per outage process of each zone; per service, (running,
/// restarting) per zone of the service, then waiting; per datastore or cache,
/// (zone slot of its primary or node, status).
class GroupChain {
 public:
  GroupChain(const CompiledModel& m, const Rates& r, const std::vector<Index>& zones,
             const std::vector<Index>& components)
      : m_(m) {
    std::vector<int> zone_pos(m.zone_count(), -1);
    for (const Index z : zones) {
      zone_pos[z] = static_cast<int>(zones_.size());
      zones_.push_back({z, width_, r.zone[z]});
      width_ += static_cast<int>(r.zone[z].size());
    }
    for (const Index c : components) {
      std::vector<int> where;
      for (const auto& p : m.placements_of(c)) where.push_back(zone_pos[p.zone]);
      if (m.components[c].kind == ComponentKind::service) {
        const auto& svc = m.services[m.components[c].row];
        ServicePart s{c,
                      m.placement_begin[c],
                      std::move(where),
                      r.crash[m.components[c].row],
                      rate_of(svc.restart),
                      svc.topology_spread,
                      width_};
        width_ += 2 * static_cast<int>(s.zone.size()) + 1;
        services_.push_back(std::move(s));
      } else {
        StorePart s{
            c, manual_datastore(m, c), std::move(where), r.store_fail[c], 0.0, r.manual[c], width_};
        if (!s.manual) s.failover = failover_rate(m, c);
        width_ += 2;
        stores_.push_back(std::move(s));
      }
    }
  }

  std::size_t width() const { return static_cast<std::size_t>(width_); }

  State initial() const {
    State s(width(), 0);
    for (const auto& part : services_) {
      for (std::size_t k = 0; k < part.zone.size(); ++k) {
        s[static_cast<std::size_t>(part.offset) + 2 * k] =
            static_cast<std::uint16_t>(m_.placements[part.placement_begin + k].initial);
      }
    }
    return s;
  }

  /// Calls emit(next_state, rate) for every transition out of `s`.
  template <typename Emit>
  void successors(const State& s, Emit&& emit) {
    State& t = scratch_;
    for (std::size_t gz = 0; gz < zones_.size(); ++gz) {
      const GroupZone& z = zones_[gz];
      const bool was_up = zone_up(s, gz);
      for (std::size_t i = 0; i < z.processes.size(); ++i) {
        t = s;
        const std::size_t at = static_cast<std::size_t>(z.offset) + i;
        if (s[at] == 0) {
          t[at] = 1;
          if (was_up) zone_went_down(t, static_cast<int>(gz));
          emit(t, z.processes[i].first);
        } else {
          t[at] = 0;
          if (zone_up(t, gz)) zone_came_up(t, static_cast<int>(gz));
          emit(t, z.processes[i].second);
        }
      }
    }
    for (const ServicePart& p : services_) {
      const auto o = static_cast<std::size_t>(p.offset);
      for (std::size_t k = 0; k < p.zone.size(); ++k) {
        const int running = s[o + 2 * k];
        const int restarting = s[o + 2 * k + 1];
        if (running > 0 && p.crash > 0.0) {
          t = s;
          --t[o + 2 * k];
          ++t[o + 2 * k + 1];
          emit(t, running * p.crash);
        }
        if (restarting > 0) {
          // Ready in its own zone if that is up, else rescheduled (or waiting).
          t = s;
          --t[o + 2 * k + 1];
          const int to = usable(t, p.zone[k]) ? static_cast<int>(k) : choose_zone(t, p);
          ++t[to < 0 ? o + 2 * p.zone.size() : o + 2 * static_cast<std::size_t>(to)];
          emit(t, restarting * p.restart);
        }
      }
    }
    for (const StorePart& p : stores_) {
      const auto o = static_cast<std::size_t>(p.offset);
      const int status = s[o + 1];
      if (p.manual) {
        if (status == kServing) {
          for (std::size_t i = 0; i < p.repairs.size(); ++i) {
            t = s;
            t[o + 1] = static_cast<std::uint16_t>(1 + i);
            emit(t, p.repairs[i].first);
          }
        } else if (status <= static_cast<int>(p.repairs.size())) {
          // Repaired; back only if its zone is up (else it waits for the zone).
          t = s;
          t[o + 1] = usable(s, p.zone[0]) ? kServing : manual_zone_down(p);
          emit(t, p.repairs[static_cast<std::size_t>(status - 1)].second);
        }
        continue;
      }
      if (status == kServing && p.fail > 0.0) {
        t = s;
        t[o + 1] = kFailingOver;
        emit(t, p.fail);
      } else if (status == kFailingOver) {
        t = s;
        const int to = promote(s, p);
        if (to < 0) {
          t[o + 1] = kWaiting;
        } else {
          t[o] = static_cast<std::uint16_t>(to);
          t[o + 1] = kServing;
        }
        emit(t, p.failover);
      }
    }
  }

  /// The fields this chain sets, and their values in state `s`.
  std::vector<Field> fields() const {
    std::vector<Field> f;
    for (const auto& z : zones_) f.push_back({Field::Kind::zone_up, z.zone, 0.0, 0.0});
    for (const auto& p : services_) {
      for (std::size_t k = 0; k < p.zone.size(); ++k) {
        f.push_back({Field::Kind::replicas, p.placement_begin + static_cast<Index>(k), 0.0, 0.0});
      }
    }
    for (const auto& p : stores_) f.push_back(serving_field(m_, p.component));
    return f;
  }
  std::vector<int> values(const std::uint16_t* s) const {
    std::vector<int> v;
    const State state(s, s + width_);
    for (std::size_t gz = 0; gz < zones_.size(); ++gz) v.push_back(zone_up(state, gz) ? 1 : 0);
    for (const auto& p : services_) {
      for (std::size_t k = 0; k < p.zone.size(); ++k) {
        v.push_back(s[static_cast<std::size_t>(p.offset) + 2 * k]);
      }
    }
    for (const auto& p : stores_) v.push_back(s[static_cast<std::size_t>(p.offset) + 1] == 0);
    return v;
  }

 private:
  static constexpr std::uint16_t kServing = 0;
  static constexpr std::uint16_t kFailingOver = 1;
  static constexpr std::uint16_t kWaiting = 2;

  struct GroupZone {
    Index zone = 0;
    int offset = 0;
    std::vector<std::pair<double, double>> processes;  // (outage rate, back rate)
  };
  struct ServicePart {
    Index component = 0;
    Index placement_begin = 0;
    std::vector<int> zone;  // per zone of the service: its group zone, -1 = never down
    double crash = 0.0;
    double restart = 0.0;
    bool spread = true;
    int offset = 0;
  };
  struct StorePart {
    Index component = 0;
    bool manual = false;    // a datastore without automatic failover
    std::vector<int> zone;  // per placement (datastores: primary first): group zone or -1
    double fail = 0.0;
    double failover = 0.0;
    std::vector<std::pair<double, double>> repairs;  // manual: (failure, repair) per process
    int offset = 0;
  };

  bool zone_up(const State& s, std::size_t gz) const {
    const GroupZone& z = zones_[gz];
    for (std::size_t i = 0; i < z.processes.size(); ++i) {
      if (s[static_cast<std::size_t>(z.offset) + i] != 0) return false;
    }
    return true;
  }
  bool usable(const State& s, int gz) const {
    return gz < 0 || zone_up(s, static_cast<std::size_t>(gz));
  }
  static std::uint16_t manual_zone_down(const StorePart& p) {
    return static_cast<std::uint16_t>(1 + p.repairs.size());
  }

  /// Where a rescheduled replica goes: with topology spread the up zone with
  /// the fewest replicas running or restarting there (ties: declaration
  /// order), else the first up zone; -1 when none is up.
  int choose_zone(const State& t, const ServicePart& p) const {
    const auto o = static_cast<std::size_t>(p.offset);
    int best = -1;
    int best_count = 0;
    for (std::size_t k = 0; k < p.zone.size(); ++k) {
      if (!usable(t, p.zone[k])) continue;
      if (!p.spread) return static_cast<int>(k);
      const int count = t[o + 2 * k] + t[o + 2 * k + 1];
      if (best < 0 || count < best_count) {
        best = static_cast<int>(k);
        best_count = count;
      }
    }
    return best;
  }

  /// The zone slot a failover promotes: the first up zone other than the
  /// current one in declaration order, else the current one if up; -1: none.
  int promote(const State& s, const StorePart& p) const {
    const int current = s[static_cast<std::size_t>(p.offset)];
    for (std::size_t k = 0; k < p.zone.size(); ++k) {
      if (static_cast<int>(k) != current && usable(s, p.zone[k])) return static_cast<int>(k);
    }
    return usable(s, p.zone[static_cast<std::size_t>(current)]) ? current : -1;
  }

  void zone_went_down(State& t, int gz) const {
    for (const ServicePart& p : services_) {
      const auto o = static_cast<std::size_t>(p.offset);
      for (std::size_t k = 0; k < p.zone.size(); ++k) {
        if (p.zone[k] != gz) continue;
        t[o + 2 * k + 1] = static_cast<std::uint16_t>(t[o + 2 * k + 1] + t[o + 2 * k]);
        t[o + 2 * k] = 0;  // its replicas die and restart, then are rescheduled
      }
    }
    for (const StorePart& p : stores_) {
      const auto o = static_cast<std::size_t>(p.offset);
      if (t[o + 1] != kServing || p.zone[t[o]] != gz) continue;
      t[o + 1] = p.manual ? manual_zone_down(p) : kFailingOver;
    }
  }

  void zone_came_up(State& t, int gz) const {
    for (const ServicePart& p : services_) {
      const auto o = static_cast<std::size_t>(p.offset);
      const std::size_t waiting = o + 2 * p.zone.size();
      if (t[waiting] == 0) continue;
      // Replicas wait only while no zone of theirs is up: all go to this one.
      for (std::size_t k = 0; k < p.zone.size(); ++k) {
        if (p.zone[k] != gz) continue;
        t[o + 2 * k] = static_cast<std::uint16_t>(t[o + 2 * k] + t[waiting]);
        t[waiting] = 0;
      }
    }
    for (const StorePart& p : stores_) {
      const auto o = static_cast<std::size_t>(p.offset);
      if (p.manual) {
        // The primary comes back with its zone (a pending repair included).
        if (t[o + 1] != kServing && p.zone[0] == gz) t[o + 1] = kServing;
      } else if (t[o + 1] == kWaiting &&
                 std::find(p.zone.begin(), p.zone.end(), gz) != p.zone.end()) {
        t[o + 1] = kFailingOver;  // a zone to promote into: the failover starts
      }
    }
  }

  const CompiledModel& m_;
  int width_ = 0;
  std::vector<GroupZone> zones_;
  std::vector<ServicePart> services_;
  std::vector<StorePart> stores_;
  State scratch_;
};

Subchain solve_group(const CompiledModel& m, const Rates& r, const std::vector<Index>& zones,
                     const std::vector<Index>& components, const MarkovOptions& options) {
  GroupChain chain(m, r, zones, components);
  Subchain sc;
  std::string label = zones.size() == 1 ? "zone " : "zones ";
  for (std::size_t i = 0; i < zones.size(); ++i) {
    label += (i ? ", " : "") + m.names.zones[zones[i]];
  }
  for (const Index c : components) label += " + " + m.names.components[c];
  sc.summary.label = label;
  sc.fields = chain.fields();

  StateSet set(chain.width());
  std::vector<Transition> transitions;
  bool added = false;
  set.insert(chain.initial(), added);
  for (std::uint32_t i = 0; i < set.size(); ++i) {
    const State s(set.state(i), set.state(i) + chain.width());
    chain.successors(s, [&](const State& next, double rate) {
      const std::uint32_t j = set.insert(next, added);
      transitions.push_back({i, j, rate});
    });
    if (set.size() > options.max_chain_states) {
      throw std::runtime_error("the chain of " + label + " has more than " +
                               std::to_string(options.max_chain_states) +
                               " states; analyze cannot solve it (fewer replicas or zones with "
                               "outages, or raise --max-states)");
    }
  }
  const StationaryDistribution pi = stationary_distribution(set.size(), transitions, 0);
  sc.summary.states = set.size();
  sc.summary.recurrent = pi.recurrent;
  sc.summary.nominal_transient = pi.probability[0] <= 0.0;  // state 0: chain.initial()
  sc.summary.method = pi.method;
  std::map<std::vector<int>, double> merged;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (pi.probability[i] > 0.0) merged[chain.values(set.state(i))] += pi.probability[i];
  }
  set_outcomes(sc, std::move(merged));
  return sc;
}

/// log C(n, k).
double log_choose(int n, int k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

/// Union-find root with path halving.
Index root_of(std::vector<Index>& parent, Index z) {
  while (parent[z] != z) z = parent[z] = parent[parent[z]];
  return z;
}

}  // namespace

bool is_exponential(const sim::Distribution& d) {
  switch (d.kind()) {
    case sim::DistributionKind::exponential:
      return true;
    case sim::DistributionKind::gamma:
    case sim::DistributionKind::weibull:
      return d.param_a() == 1.0;
    default:
      return false;
  }
}

double rate_of(const sim::Distribution& exponential) { return 1.0 / exponential.mean(); }

void Subchain::apply(std::size_t o, models::FluidState& state) const {
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const Field& field = fields[f];
    const int v = value(o, f);
    switch (field.kind) {
      case Field::Kind::zone_up:
        state.zone_up[field.index] = static_cast<std::uint8_t>(v);
        break;
      case Field::Kind::replicas:
        state.healthy[field.index] = v;
        state.routed[field.index] = v;
        break;
      case Field::Kind::serving:
        state.serving[field.index] = static_cast<std::uint8_t>(v);
        break;
      case Field::Kind::cache:
        state.serving[field.index] = static_cast<std::uint8_t>(v);
        state.hit_ratio[field.index] = v ? field.a : 0.0;
        break;
      case Field::Kind::bad_deploy:
        state.error_rate[field.index] = v ? field.a : 0.0;
        state.added_latency[field.index] = v ? field.b : 0.0;
        break;
    }
  }
}

std::vector<Subchain> build_subchains(const CompiledModel& m, const MarkovOptions& options) {
  const Rates r = rates_of(m);
  const std::size_t nz = m.zone_count();
  std::vector<std::uint8_t> outages(nz, 0);
  for (Index z = 0; z < nz; ++z) outages[z] = r.zone[z].empty() ? 0 : 1;

  // Zones with outages that something relevant shares are one group.
  std::vector<Index> parent(nz);
  std::iota(parent.begin(), parent.end(), Index{0});
  std::vector<Index> group_of(m.components.size(), models::kNoIndex);  // a zone of its group
  for (Index c = 0; c < m.components.size(); ++c) {
    auto placements = m.placements_of(c);
    // A datastore without automatic failover never moves: only its primary zone matters.
    if (manual_datastore(m, c)) placements = placements.first(1);
    for (const auto& p : placements) {
      if (!outages[p.zone]) continue;
      if (group_of[c] == models::kNoIndex) {
        group_of[c] = p.zone;
      } else {
        parent[root_of(parent, p.zone)] = root_of(parent, group_of[c]);
      }
    }
  }

  std::vector<Subchain> out;
  std::map<Index, std::vector<Index>> members;  // root zone -> components
  for (Index c = 0; c < m.components.size(); ++c) {
    if (group_of[c] != models::kNoIndex) members[root_of(parent, group_of[c])].push_back(c);
  }
  for (const auto& [root, components] : members) {
    std::vector<Index> zones;
    for (Index z = 0; z < nz; ++z) {
      if (outages[z] && root_of(parent, z) == root) zones.push_back(z);
    }
    out.push_back(solve_group(m, r, zones, components, options));
  }

  // Everything else fails on its own: closed forms.
  for (Index c = 0; c < m.components.size(); ++c) {
    if (group_of[c] != models::kNoIndex) continue;
    const auto& row = m.components[c];
    const std::string& name = m.names.components[c];
    if (row.kind == ComponentKind::service) {
      const double crash = r.crash[row.row];
      if (crash <= 0.0) continue;
      // Each replica slot alternates running / restarting in its own zone:
      // the running replicas of a zone are binomial.
      const double restart = rate_of(m.services[row.row].restart);
      const double up = restart / (crash + restart);
      for (Index p = m.placement_begin[c]; p < m.placement_begin[c + 1]; ++p) {
        const int n = m.placements[p].initial;
        if (n == 0) continue;
        Subchain sc;
        sc.summary = {name + " in " + m.names.zones[m.placements[p].zone],
                      static_cast<std::size_t>(n) + 1, static_cast<std::size_t>(n) + 1, 0,
                      SolveMethod::closed_form};
        sc.fields = {{Field::Kind::replicas, p, 0.0, 0.0}};
        std::map<std::vector<int>, double> merged;
        for (int k = 0; k <= n; ++k) {
          merged[{k}] = std::exp(log_choose(n, k) + k * std::log(up) + (n - k) * std::log1p(-up));
        }
        set_outcomes(sc, std::move(merged));
        out.push_back(std::move(sc));
      }
    } else if (manual_datastore(m, c)) {
      if (r.manual[c].empty()) continue;
      double down = 0.0;  // Σ λ_i / μ_i relative to the serving state
      for (const auto& [fail, repair] : r.manual[c]) down += fail / repair;
      out.push_back(
          two_state(name, serving_field(m, c), 1.0 / (1.0 + down), 1 + r.manual[c].size()));
    } else if (r.store_fail[c] > 0.0) {
      const double failover = failover_rate(m, c);
      out.push_back(
          two_state(name, serving_field(m, c), failover / (r.store_fail[c] + failover), 2));
    }
  }

  // Bad deploys: good -> bad at rate·cfr; bad -> good by the next good deploy
  // or the automated rollback.
  if (options.deploys && m.random_deploys) {
    for (const auto& d : m.deploys) {
      if (d.rate <= 0.0 || d.change_failure_rate <= 0.0) continue;
      const Index c = m.services[d.service].component;
      const double to_bad = d.rate * d.change_failure_rate;
      double to_good = d.rate * (1.0 - d.change_failure_rate);
      if (d.bad_deploy.detects_itself) to_good += rate_of(d.rollback);
      const Field field{Field::Kind::bad_deploy, c, d.bad_deploy.error_rate,
                        d.bad_deploy.added_latency.to_seconds()};
      out.push_back(
          two_state(m.names.components[c] + " deploys", field, to_bad / (to_bad + to_good), 2));
    }
  }
  return out;
}

}  // namespace relsim::analysis::detail
