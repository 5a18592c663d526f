// Stream names of the compiled model (see stream_names.hpp).
#include "models/stream_names.hpp"

namespace relsim::models {

namespace stream_names {
namespace {
std::string numbered(const std::string& base, std::size_t process) {
  return process == 0 ? base : base + "-" + std::to_string(process + 1);
}
}  // namespace
std::string replica_failures(std::string_view service, int replica, std::size_t process) {
  return numbered(std::string(service) + "/replica-" + std::to_string(replica) + "/failures",
                  process);
}
std::string replica_restart(std::string_view service, int replica) {
  return std::string(service) + "/replica-" + std::to_string(replica) + "/restart";
}
std::string deploys(std::string_view service) { return std::string(service) + "/deploys"; }
std::string primary_failures(std::string_view datastore, std::size_t process) {
  return numbered(std::string(datastore) + "/primary/failures", process);
}
std::string failover(std::string_view component) { return std::string(component) + "/failover"; }
std::string node_failures(std::string_view cache, std::size_t process) {
  return numbered(std::string(cache) + "/nodes/failures", process);
}
std::string zone_failures(std::string_view zone, std::size_t process) {
  return numbered("zone/" + std::string(zone) + "/failures", process);
}
std::string team_ack(std::string_view team) { return "team/" + std::string(team) + "/ack"; }
std::string team_respond(std::string_view team) { return "team/" + std::string(team) + "/respond"; }
std::string runbook_diagnose(std::string_view runbook) {
  return "runbook/" + std::string(runbook) + "/diagnose";
}
std::string runbook_step(std::string_view runbook, std::size_t step) {
  return "runbook/" + std::string(runbook) + "/step-" + std::to_string(step);
}
std::string fault(std::string_view name, std::size_t occurrence) {
  std::string s = "fault/" + std::string(name);
  return occurrence <= 1 ? s : s + "#" + std::to_string(occurrence);
}
}  // namespace stream_names

}  // namespace relsim::models
