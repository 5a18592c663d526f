// The names of the random streams of a compiled model. Every random process
// of a trial draws from its own stream, keyed by `sim::stream_id(name)` of a
// name that says what the process is (`payment-api/replica-3/failures`), so
// a process keeps its draws when unrelated parts of the scenario change, and
// two variants of a scenario share them (common random numbers). The scheme
// is documented in docs/model.md ("Compiled model"); changing a name changes
// every result that depends on it. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace relsim::models {

namespace stream_names {
/// `<service>/replica-<r>/failures`, `-<k+1>` appended for the k-th extra process (k >= 1).
std::string replica_failures(std::string_view service, int replica, std::size_t process);
/// `<service>/replica-<r>/restart`.
std::string replica_restart(std::string_view service, int replica);
/// `<service>/deploys`.
std::string deploys(std::string_view service);
/// `<datastore>/primary/failures[-k]`.
std::string primary_failures(std::string_view datastore, std::size_t process);
/// `<datastore>/failover` or `<cache>/failover`.
std::string failover(std::string_view component);
/// `<cache>/nodes/failures[-k]`.
std::string node_failures(std::string_view cache, std::size_t process);
/// `zone/<zone>/failures[-k]`.
std::string zone_failures(std::string_view zone, std::size_t process);
/// `team/<team>/ack` and `team/<team>/respond`.
std::string team_ack(std::string_view team);
std::string team_respond(std::string_view team);
/// `runbook/<runbook>/diagnose` and `runbook/<runbook>/step-<i>` (1-based).
std::string runbook_diagnose(std::string_view runbook);
std::string runbook_step(std::string_view runbook, std::size_t step);
/// `fault/<name>`, `#<n>` appended for the n-th fault of the same name (n >= 2).
std::string fault(std::string_view name, std::size_t occurrence);
}  // namespace stream_names

}  // namespace relsim::models
