// Internal to the trial engine (models/world*.cpp): the event kinds, the
// cause an event carries, and the registry that hands every component its
// event targets and random streams at construction.
#pragma once

#include <cstdint>
#include <vector>

#include "models/compiled_model.hpp"
#include "models/trial_result.hpp"

namespace relsim::models {

/// What the kernel dispatches on. Every kind belongs to one component, whose
/// target range (Registry) its `target` lies in; the dispatch is
/// World's Engine::handle (world.cpp).
enum class EventKind : std::uint16_t {
  replica_crash,      // Replicas, target: slot; payload: failure row
  replica_ready,      // Replicas, target: slot; a restarted or rescheduled replica is ready
  lb_forget,          // Replicas, target: ghost; payload: placement the LB stops routing to
  zone_outage,        // Zones, target: zone; payload: failure row
  zone_back,          // Zones, target: zone; payload: failure row
  datastore_failure,  // Stores, target: datastore clock; payload: failure row
  datastore_step,     // Stores, target: datastore state; the failover's next step
  cache_failure,      // Stores, target: cache clock; payload: failure row
  cache_step,         // Stores, target: cache state; failover done or a warm-up step
  deploy,             // Deploys, target: deploy row
  rollback,           // Deploys, target: service row; an automated rollback completes
  autoscale,          // Replicas, target: service row's autoscaler; the reaction time has passed
  fault_start,        // Faults, target: fault
  fault_repeat,       // Faults, target: fault; the next pod kill of an interval
  fault_end,          // Faults, target: fault
  window_start,       // Accounts, one target; an SLO window begins
  check,              // Engine, one target; a knot, a crossing or an overload step
  alert_eval,         // Detection, target: alert rule; a tick where the rule may change
  escalate,           // People, one target; payload: incident, page generation, step
  responder_ack,      // People, target: responder; the responder acknowledges their page
  responder_work,     // People, target: responder; payload: the work phase that ends now
};

/// What the event being handled is, for the incidents it may open.
struct Cause {
  IncidentCause kind = IncidentCause::overload;
  Index index = kNoIndex;      // failure, deploy or fault row
  Index component = kNoIndex;  // the component it hit first, if one
  Index zone = kNoIndex;       // the zone it hit, if one
  bool runbook = false;        // a responder's runbook step
};

/// A contiguous range of event targets or random streams that one component
/// owns: its local index i is the engine-wide `begin + i`.
struct Range {
  Index begin = 0;
  Index size = 0;
  Index operator[](Index i) const { return begin + i; }
  Index local(Index global) const { return global - begin; }
};

/// Hands out target and stream ranges while the components are constructed,
/// in the order they claim them. Targets are identities only (cancellation);
/// a stream is drawn from the trial seed and its key (the scenario's stream
/// name), so results depend on the keys, not on where a stream sits.
class Registry {
 public:
  Range targets(std::size_t n) {
    const Range r{targets_, static_cast<Index>(n)};
    targets_ += static_cast<Index>(n);
    return r;
  }
  /// n streams keyed by key_of(0) .. key_of(n − 1).
  template <class KeyOf>
  Range streams(std::size_t n, KeyOf&& key_of) {
    const Range r{static_cast<Index>(keys_.size()), static_cast<Index>(n)};
    for (std::size_t i = 0; i < n; ++i) keys_.push_back(key_of(i));
    return r;
  }
  Index target_count() const { return targets_; }
  const std::vector<std::uint64_t>& stream_keys() const { return keys_; }

 private:
  Index targets_ = 0;
  std::vector<std::uint64_t> keys_;
};

}  // namespace relsim::models
