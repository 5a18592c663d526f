// Checks that need the whole picture of a system, beyond what the loader can
// see one reference at a time (names exist, kinds fit, no duplicates) and the
// topology's cycle check. Each returns located diagnostics; the compile step
// and `relsim validate` turn them into an InputError.
//
// The errors are a model that cannot mean what was written (a soft
// dependency whose fallback serves nothing is a hard one) or input that would
// silently do nothing (a zone with nothing in it, a network fault between two
// components that never talk, a fault after the horizon). The warnings
// (system_warnings) are a model that runs but is probably not what was meant;
// `relsim validate` and `relsim explain` print them and exit 0 unless
// --strict. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "models/diagnostics.hpp"
#include "models/scenario.hpp"
#include "models/system.hpp"
#include "models/topology.hpp"
#include "sim/time.hpp"

namespace relsim::models {

/// Whole-system problems: empty zones, soft dependencies without a fallback
/// that serves anything, runbook scaleUp targets below the service's
/// replicas, two runbooks or two owning teams for one service, failover steps
/// on a datastore without replicas. Empty when none.
std::vector<Diagnostic> system_problems(const System& system, const Topology& topology);

/// Problems of one injected fault (or game-day experiment): a time before the
/// calendar start or at/after `horizon` (when given), a network fault or
/// dependency-error injection between components with no dependency between
/// them, a failover of a datastore without replicas, a drain of a zone where
/// the service has no replicas. Empty when none.
std::vector<Diagnostic> fault_problems(const System& system, const Topology& topology,
                                       const Fault& fault, std::optional<sim::Duration> horizon);

/// Throws InputError listing system_problems, if there are any.
void check_system(const System& system, const Topology& topology);

/// Whole-system warnings: a model that runs but is probably not what was
/// meant (docs/reference/README.md, "Warnings"). A service, datastore or cache
/// overloaded with nothing failed at some time of the week (the fluid view
/// of the nominal state over the demand curves; autoscaled services at their
/// maxReplicas); bad deploys that change nothing (changeFailureRate > 0 with
/// a badDeploy of 0 % errors and no added latency); an SLO no alert watches;
/// an alert on a service no team owns (when it does not page a team anyway:
/// a paging alert without an owner is an error of system_problems); an
/// escalation to the secondary of a one-member team, or to the team itself;
/// a runbook step that can never apply; a soft dependency whose timeout is
/// not shorter than a caller's timeout on the service (the caller gives up
/// first, so the fallback is never reached). Call on a system without
/// system_problems (it compiles the system). Empty when none.
std::vector<Diagnostic> system_warnings(const System& system, const Topology& topology);

/// `file:line:col: warning: message` (or `file: warning: ...` without a line).
std::string warning_text(const Diagnostic& d);

}  // namespace relsim::models
