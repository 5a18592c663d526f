// Incidents and the people who answer them: impact tracking and grouping,
// severity, paging, on-call rotations, acknowledgement and escalation, busy
// responders, runbooks acting on the model, confirm-stable and resolution.
// See docs/model.md ("Incidents", "People", "Runbooks", "Severity").
#include <algorithm>
#include <cmath>
#include <tuple>

#include "models/world_impl.hpp"

namespace relsim::models {
namespace {

/// A service is impaired while more than this fraction of its requests fail
/// (or a bad version adds latency to them).
constexpr double kImpairment = 1e-6;
/// Passes over a runbook's steps before the responder stops trying and waits
/// for the impact to end otherwise (a guard against steps that never work).
constexpr int kRunbookPasses = 3;
/// Confirm-stable period when the service has no runbook.
constexpr sim::Duration kDefaultConfirm = sim::Duration::minutes(15);

/// The cost row of (incident i, SLO k) in r.incident_slos (sorted by both), or null.
const IncidentSloCost* cost_of(const TrialResult& r, Index i, Index k) {
  const auto it = std::lower_bound(r.incident_slos.begin(), r.incident_slos.end(),
                                   std::make_pair(i, k), [](const IncidentSloCost& c, auto key) {
                                     return std::make_pair(static_cast<Index>(c.incident),
                                                           static_cast<Index>(c.slo)) < key;
                                   });
  if (it == r.incident_slos.end() || it->incident != i || it->slo != k) return nullptr;
  return &*it;
}

std::uint64_t escalation_payload(Index incident, std::uint16_t gen, int step) {
  return (static_cast<std::uint64_t>(incident) << 32) | (static_cast<std::uint64_t>(gen) << 16) |
         static_cast<std::uint64_t>(step & 0xFFFF);
}

}  // namespace

// ---------------------------------------------------------------- set-up

People::People(Engine& engine, const CompiledModel& m, Registry& reg) : Part(engine, m) {
  responder_begin_.assign(m.teams.size() + 1, 0);
  first_handoff_.assign(m.teams.size(), sim::Duration::zero());
  const auto [weekday, time_of_day] = m.calendar.local_at(sim::Duration::zero());
  for (Index t = 0; t < m.teams.size(); ++t) {
    const TeamRow& team = m.teams[t];
    responder_begin_[t + 1] = responder_begin_[t] + static_cast<Index>(std::max(1, team.members));
    // The first handoff at or after t = 0 anchors the rotation.
    const int days =
        (static_cast<int>(team.rotation.handoff_day) - static_cast<int>(weekday) + 7) % 7;
    sim::Duration h = sim::Duration::days(days) + team.rotation.handoff_time - time_of_day;
    if (h < sim::Duration::zero()) h += sim::Duration::days(7);
    first_handoff_[t] = h;
  }
  // Which SLOs a service carries, in model order.
  svc_slo_begin_.assign(m.services.size() + 1, 0);
  for (const SloRow& slo : m.slos) ++svc_slo_begin_[m.components[slo.component].row + 1];
  for (std::size_t s = 0; s < m.services.size(); ++s) svc_slo_begin_[s + 1] += svc_slo_begin_[s];
  svc_slos_.resize(m.slos.size());
  {
    std::vector<Index> fill(svc_slo_begin_.begin(), svc_slo_begin_.end() - 1);
    for (Index k = 0; k < m.slos.size(); ++k) {
      svc_slos_[fill[m.components[m.slos[k].component].row]++] = k;
    }
  }
  // User-facing: no service calls it (a cache's backing edge is no call).
  user_facing_.assign(m.services.size(), 1);
  for (Index s = 0; s < m.services.size(); ++s) {
    for (const Index e : m.callers_of(m.services[s].component)) {
      if (m.components[m.edges[e].source].kind == ComponentKind::service) user_facing_[s] = 0;
    }
  }
  escalate_target_ = reg.targets(1);
  responder_targets_ = reg.targets(responder_begin_.back());
  ack_streams_ = reg.streams(m.teams.size(), [&m](std::size_t i) { return m.teams[i].ack_stream; });
  respond_streams_ =
      reg.streams(m.teams.size(), [&m](std::size_t i) { return m.teams[i].respond_stream; });
  diagnose_streams_ =
      reg.streams(m.runbooks.size(), [&m](std::size_t i) { return m.runbooks[i].diagnose_stream; });
  step_streams_ = reg.streams(m.runbook_steps.size(),
                              [&m](std::size_t i) { return m.runbook_steps[i].stream; });
}

void People::reset() {
  const CompiledModel& m = m_;
  responders_.assign(responder_begin_.back(), Responder{});
  for (Index t = 0; t < m.teams.size(); ++t) {
    for (Index r = responder_begin_[t]; r < responder_begin_[t + 1]; ++r) responders_[r].team = t;
  }
  incidents_.clear();
  open_.clear();
  waiting_.clear();
  impaired_.assign(m.services.size(), 0);
  svc_incident_.assign(m.services.size(), kNoIndex);
  svc_impact_.assign(m.services.size(), kNoIndex);
  slo_cost_.assign(m.slos.size(), kNoIndex);
  impacts_.clear();
  slo_costs_.clear();
  slo_incident_bad_.assign(m.slos.size(), 0.0);
  teams_.assign(m.teams.size(), TeamTrialResult{});
  for (Index t = 0; t < m.teams.size(); ++t) {
    teams_[t].shifts = w_.horizon.to_seconds() / m.teams[t].rotation.length.to_seconds();
  }
  event_incident_ = kNoIndex;
}

// ---------------------------------------------------------------- events

void People::on_escalate(std::uint64_t payload) {
  const Index i = static_cast<Index>(payload >> 32);
  const auto gen = static_cast<std::uint16_t>((payload >> 16) & 0xFFFF);
  const Incident& inc = incidents_[i];
  if (inc.page_active && inc.page_gen == gen) escalate(i, static_cast<int>(payload & 0xFFFF));
}

void People::on_work(Index target, Phase phase) {
  // A runbook step and the end of confirm-stable change the state (or close
  // an incident); the other phases change nothing in the fluid.
  if (phase == Phase::step || phase == Phase::confirm) w_.begin_change(Cause{});
  work_done(responder_targets_.local(target), phase);
}

Index People::on_call(Index team, bool secondary, sim::Duration t) const {
  const TeamRow& row = m_.teams[team];
  const std::int64_t members = std::max(1, row.members);
  const std::int64_t len = row.rotation.length.count_micros();
  const std::int64_t since = (t - first_handoff_[team]).count_micros();
  std::int64_t shift = since / len;
  if (since < 0 && since % len != 0) --shift;  // floor
  std::int64_t who = ((shift % members) + members) % members;
  if (secondary && row.secondary && members >= 2) who = (who + 1) % members;
  return responder_begin_[team] + static_cast<Index>(who);
}

// ---------------------------------------------------------------- impact

int People::assess_severity(Index c) const {
  for (const SeverityRow& rule : m_.severity) {
    if (!rule.when || w_.detection.condition_holds(*rule.when, c)) return rule.level;
  }
  return 0;
}

Index People::open_incident() {
  Incident inc;
  inc.row.id = static_cast<std::uint32_t>(incidents_.size());
  inc.row.cause = w_.cause.kind;
  inc.row.cause_index = w_.cause.index;
  Index cause_component = w_.cause.component;
  if (cause_component == kNoIndex && w_.cause.kind == IncidentCause::injected_fault &&
      w_.cause.index < m_.faults.size()) {
    cause_component = m_.faults[w_.cause.index].to;  // a network fault: its callee
  }
  inc.row.cause_component = cause_component == kNoIndex ? kNoRow : cause_component;
  inc.row.cause_zone = w_.cause.zone == kNoIndex ? kNoRow : w_.cause.zone;
  inc.row.start = now();
  inc.zone = w_.cause.zone;
  incidents_.push_back(std::move(inc));
  const Index i = static_cast<Index>(incidents_.size() - 1);
  open_.push_back(i);
  return i;
}

void People::join(Index i, Index s) {
  Incident& inc = incidents_[i];
  if (svc_incident_[s] == i && svc_impact_[s] != kNoIndex) {
    impacts_[svc_impact_[s]].recovered = kNever;  // impaired again in the same incident
  } else {
    svc_impact_[s] = static_cast<Index>(impacts_.size());
    if (inc.first_impact == kNoIndex) inc.first_impact = svc_impact_[s];
    impacts_.push_back({i, s, now(), kNever, 0.0});
    for (Index j = svc_slo_begin_[s]; j < svc_slo_begin_[s + 1]; ++j) {
      const Index k = svc_slos_[j];
      slo_cost_[k] = static_cast<Index>(slo_costs_.size());
      slo_costs_.push_back({i, k, 0.0});
    }
  }
  svc_incident_[s] = i;
  // While it runs, the primary is the first user-facing service it impaired
  // (else the first it impaired): severity is assessed on it.
  if (inc.primary == kNoIndex || (user_facing_[s] != 0 && user_facing_[inc.primary] == 0)) {
    inc.primary = s;
    inc.row.service = m_.services[s].component;
  }
}

void People::track_service(Index s) {
  // Impact is measured against the nominal system at the same demand: what
  // fails even with everything up (timeouts of a slow dependency, demand
  // beyond the designed capacity) is the system's baseline, not an incident.
  const Index c = m_.services[s].component;
  const bool now_impaired =
      (w_.load_now(c) > 0.0 && w_.nominal.success[c] - w_.cur.success[c] > kImpairment) ||
      w_.fs.added_latency[c] > 0.0;
  if (now_impaired == static_cast<bool>(impaired_[s])) return;
  // Requests of s are charged to its incident while it is impaired: its
  // segments were closed at now under the old flag (a moved component is
  // settled by Engine::refresh, every one by a full evaluation; eager mode
  // accounted up to now in begin_change), so the flag may change now.
  impaired_[s] = now_impaired ? 1 : 0;
  if (now_impaired) {
    // The service the cause hit first joins first.
    if (c == w_.cause.component) {
      newly_impaired_.insert(newly_impaired_.begin(), s);
    } else {
      newly_impaired_.push_back(s);
    }
    return;
  }
  const Index i = svc_incident_[s];
  if (i == kNoIndex) return;
  impacts_[svc_impact_[s]].recovered = now();
  Incident& inc = incidents_[i];
  if (--inc.impaired > 0) return;
  inc.row.mitigated = now();
  inc.row.human_needed = w_.cause.runbook;
  if (inc.responder != kNoIndex) {
    const Phase p = responders_[inc.responder].phase;
    if (p != Phase::confirm && p != Phase::respond) {
      w_.sim.cancel(responder_targets_[inc.responder]);
      start_confirm(inc.responder);
    }
  } else {
    maybe_close(i);
  }
}

void People::track_impact() {
  // Only the services whose ratios moved can change (in the nominal state
  // itself w_.cur equals w_.nominal bit for bit: nothing is impaired).
  newly_impaired_.clear();
  if (w_.all_moved) {
    for (Index s = 0; s < m_.services.size(); ++s) track_service(s);
  } else if (w_.moved) {
    for (const Index c : *w_.moved) {
      if (m_.components[c].kind == ComponentKind::service) track_service(m_.components[c].row);
    }
  }
  for (const Index s : newly_impaired_) {
    Index i = svc_incident_[s];
    if (i == kNoIndex || incidents_[i].closed) {
      // The services one cause impairs group into one incident.
      i = event_incident_ != kNoIndex ? event_incident_ : open_incident();
      event_incident_ = i;
    }
    join(i, s);
    Incident& inc = incidents_[i];
    if (inc.impaired++ == 0 && inc.row.mitigated != kNever) {
      // Impact is back before the incident was resolved: it goes on.
      inc.row.mitigated = kNever;
      inc.row.human_needed = false;
      if (inc.responder != kNoIndex && responders_[inc.responder].phase == Phase::confirm) {
        w_.sim.cancel(responder_targets_[inc.responder]);
        if (responders_[inc.responder].diagnosed) {
          next_step(inc.responder);
        } else {
          work(inc.responder, Phase::respond, sim::Duration::zero());  // diagnose from the start
        }
      }
    }
  }
  for (const Index i : open_) {
    Incident& inc = incidents_[i];
    if (inc.impaired == 0) continue;
    const int level = assess_severity(inc.row.service);
    if (level > 0 && (inc.row.severity == 0 || level < inc.row.severity)) {
      inc.row.severity = static_cast<std::uint8_t>(level);
    }
  }
}

Index People::incident_for(Index c) {
  const Index i = svc_incident_[m_.components[c].row];
  if (i == kNoIndex) return kNoIndex;
  const Incident& inc = incidents_[i];
  // A late alert belongs to the service's last incident for an hour after it ended.
  if (inc.closed && now() - inc.row.resolved > sim::Duration::hours(1)) return kNoIndex;
  return i;
}

void People::maybe_close(Index i) {
  Incident& inc = incidents_[i];
  if (inc.closed || inc.impaired > 0 || inc.page_active || inc.responder != kNoIndex ||
      inc.row.mitigated == kNever) {
    return;
  }
  if (inc.row.resolved == kNever) inc.row.resolved = inc.row.mitigated;
  inc.closed = true;
  if (inc.drained != kNoIndex) {
    w_.zones.undrain(inc.drained);
    inc.drained = kNoIndex;
  }
  if (const auto it = std::find(open_.begin(), open_.end(), i); it != open_.end()) open_.erase(it);
}

// ---------------------------------------------------------------- paging

void People::page(Index i, Index team) {
  Incident& inc = incidents_[i];
  inc.page_active = true;
  inc.page_team = team;
  inc.page_time = now();
  ++inc.page_gen;
  inc.notified.clear();
  if (inc.row.paged == kNever) inc.row.paged = now();
  TeamTrialResult& t = teams_[team];
  ++t.pages;
  if (!m_.calendar.in_business_hours(now())) ++t.pages_at_night;
  waiting_.push_back(i);
  const TeamRow& row = m_.teams[team];
  if (row.escalation.size() > 0) {
    at(now() + m_.escalations[row.escalation.begin].after, EventKind::escalate, escalate_target_[0],
       escalation_payload(i, inc.page_gen, 0));
  }
  notify(i, on_call(team, false, now()));
}

void People::cancel_page(Index i) {
  Incident& inc = incidents_[i];
  inc.page_active = false;
  const auto it = std::find(waiting_.begin(), waiting_.end(), i);
  if (it != waiting_.end()) waiting_.erase(it);
  for (const Index r : inc.notified) {
    if (responders_[r].incident == i && responders_[r].acking) {
      w_.sim.cancel(responder_targets_[r]);
      release(r);
    }
  }
}

void People::escalate(Index i, int step) {
  Incident& inc = incidents_[i];
  const TeamRow& team = m_.teams[inc.page_team];
  const int n = static_cast<int>(team.escalation.size());
  const int pass = step / n;
  const int k = step % n;
  if (k == 0 && pass > 0) notify(i, on_call(inc.page_team, false, now()));  // the policy loops
  ++inc.row.escalations;
  const EscalationRow& e = m_.escalations[team.escalation.begin + static_cast<Index>(k)];
  Index r = kNoIndex;
  if (e.target == EscalationTarget::secondary) {
    r = on_call(inc.page_team, true, now());
  } else if (e.team != kNoIndex) {
    r = on_call(e.team, false, now());
  }
  if (r != kNoIndex) notify(i, r);
  const int next = step + 1;
  if (next >= n * (1 + std::max(0, team.escalation_loops))) return;
  // One pass lasts the last step's delay plus the first's (then it starts over).
  const sim::Duration first = m_.escalations[team.escalation.begin].after;
  const sim::Duration period = m_.escalations[team.escalation.end - 1].after + first;
  const sim::Duration when =
      inc.page_time + period * (next / n) +
      m_.escalations[team.escalation.begin + static_cast<Index>(next % n)].after;
  at(std::max(when, now()), EventKind::escalate, escalate_target_[0],
     escalation_payload(i, inc.page_gen, next));
}

void People::notify(Index i, Index r) {
  Incident& inc = incidents_[i];
  if (std::find(inc.notified.begin(), inc.notified.end(), r) != inc.notified.end()) return;
  inc.notified.push_back(r);
  if (responders_[r].incident == kNoIndex) start_ack(r, i);
}

void People::start_ack(Index r, Index i) {
  Responder& resp = responders_[r];
  resp.incident = i;
  resp.acking = true;
  const ByHours& ack = m_.teams[resp.team].ack;
  const bool business = m_.calendar.in_business_hours(now());
  in(draw(business ? ack.business_hours : ack.off_hours, rng(ack_streams_[resp.team])),
     EventKind::responder_ack, responder_targets_[r]);
}

void People::on_ack(Index target) {
  const Index r = responder_targets_.local(target);
  Responder& resp = responders_[r];
  const Index i = resp.incident;
  Incident& inc = incidents_[i];
  if (!inc.page_active) {
    release(r);
    return;
  }
  inc.row.acked = now();
  inc.row.team = resp.team;
  inc.responder = r;
  resp.acking = false;
  resp.step = 0;
  resp.pass = 0;
  resp.diagnosed = false;
  inc.page_active = false;
  if (const auto it = std::find(waiting_.begin(), waiting_.end(), i); it != waiting_.end()) {
    waiting_.erase(it);
  }
  for (const Index other : inc.notified) {
    if (other != r && responders_[other].incident == i && responders_[other].acking) {
      w_.sim.cancel(responder_targets_[other]);
      release(other);
    }
  }
  const auto& respond = m_.teams[resp.team].respond;
  sim::Duration d = sim::Duration::zero();
  if (respond) {
    const bool business = m_.calendar.in_business_hours(now());
    d = draw(business ? respond->business_hours : respond->off_hours,
             rng(respond_streams_[resp.team]));
  }
  work(r, Phase::respond, d);
}

void People::release(Index r) {
  Responder& resp = responders_[r];
  resp.incident = kNoIndex;
  resp.acking = false;
  resp.phase = Phase::watch;
  // The oldest page still waiting that reached this responder.
  for (const Index i : waiting_) {
    const auto& n = incidents_[i].notified;
    if (std::find(n.begin(), n.end(), r) != n.end()) {
      start_ack(r, i);
      return;
    }
  }
}

// ---------------------------------------------------------------- work

void People::work(Index r, Phase phase, sim::Duration after) {
  responders_[r].phase = phase;
  in(std::max(after, sim::Duration::zero()), EventKind::responder_work, responder_targets_[r],
     static_cast<std::uint64_t>(phase));
}

void People::choose_runbook(Index i) {
  Incident& inc = incidents_[i];
  inc.runbook_chosen = true;
  auto pick = [&](Index s) {
    if (m_.services[s].runbook == kNoIndex) return false;
    inc.runbook = m_.services[s].runbook;
    inc.runbook_service = s;
    return true;
  };
  // 1. The runbook of the service the cause hit (a bad deploy, a crashed
  // replica, a fault on the service).
  const Index cc = inc.row.cause_component == kNoRow ? kNoIndex : inc.row.cause_component;
  if (cc != kNoIndex && m_.components[cc].kind == ComponentKind::service &&
      pick(m_.components[cc].row)) {
    return;
  }
  // 2. The runbook of an impaired service that acts on the cause: fails its
  // datastore or cache over, or drains a zone when a zone failed.
  const bool zone_cause = cc == kNoIndex && inc.zone != kNoIndex;
  for (Index e = inc.first_impact; e != kNoIndex && e < impacts_.size(); ++e) {
    if (impacts_[e].incident != i) continue;
    const Index book = m_.services[impacts_[e].service].runbook;
    if (book == kNoIndex) continue;
    const RunbookRow& rb = m_.runbooks[book];
    for (Index k = rb.steps.begin; k < rb.steps.end; ++k) {
      const RunbookStepRow& st = m_.runbook_steps[k];
      const bool acts =
          (st.action == RunbookAction::failover && cc != kNoIndex && st.target == cc) ||
          (st.action == RunbookAction::drain_zone && zone_cause &&
           (st.target == kNoIndex || st.target == inc.zone));
      if (acts && pick(impacts_[e].service)) return;
    }
  }
  // 3. The primary's, 4. the first impaired service's that has one.
  if (inc.primary != kNoIndex && pick(inc.primary)) return;
  for (Index e = inc.first_impact; e != kNoIndex && e < impacts_.size(); ++e) {
    if (impacts_[e].incident == i && pick(impacts_[e].service)) return;
  }
}

void People::start_confirm(Index r) {
  Responder& resp = responders_[r];
  if (!incidents_[resp.incident].runbook_chosen) choose_runbook(resp.incident);
  const Incident& inc = incidents_[resp.incident];
  const Index book = inc.runbook;
  const sim::Duration confirm =
      book != kNoIndex ? m_.runbooks[book].confirm_stable : kDefaultConfirm;
  const sim::Duration end = std::max(now(), inc.row.mitigated + confirm);
  work(r, Phase::confirm, end - now());
}

void People::next_step(Index r) {
  Responder& resp = responders_[r];
  if (!incidents_[resp.incident].runbook_chosen) choose_runbook(resp.incident);
  const Incident& inc = incidents_[resp.incident];
  const Index s = inc.runbook_service;
  const Index book = inc.runbook;
  if (book == kNoIndex) {
    resp.phase = Phase::watch;
    return;
  }
  const RunbookRow& rb = m_.runbooks[book];
  const Index n = rb.steps.size();
  while (resp.pass < kRunbookPasses && n > 0) {
    for (; resp.step < n; ++resp.step) {
      const Index k = rb.steps.begin + resp.step;
      const RunbookStepRow& st = m_.runbook_steps[k];
      if (st.condition.kind == StepCondition::Kind::deployed_within &&
          !(w_.deploys.last(s) > -sim::Duration::max() &&
            now() - w_.deploys.last(s) <= st.condition.within)) {
        continue;
      }
      work(r, Phase::step, draw(st.duration, rng(step_streams_[k])));
      return;
    }
    resp.step = 0;
    ++resp.pass;
  }
  resp.phase = Phase::watch;  // nothing left to try: wait for the impact to end
}

void People::work_done(Index r, Phase phase) {
  Responder& resp = responders_[r];
  const Index i = resp.incident;
  Incident& inc = incidents_[i];
  switch (phase) {
    case Phase::respond: {
      if (inc.row.responding == kNever) inc.row.responding = now();
      if (inc.impaired == 0) {
        start_confirm(r);
        return;
      }
      if (!inc.runbook_chosen) choose_runbook(i);
      const Index book = inc.runbook;
      if (book == kNoIndex) {
        resp.phase = Phase::watch;
        return;
      }
      work(r, Phase::diagnose, draw(m_.runbooks[book].diagnose, rng(diagnose_streams_[book])));
      return;
    }
    case Phase::diagnose:
      resp.step = 0;
      resp.pass = 0;
      resp.diagnosed = true;
      next_step(r);
      return;
    case Phase::step: {
      const Index k = m_.runbooks[inc.runbook].steps.begin + resp.step;
      const RunbookStepRow& st = m_.runbook_steps[k];
      ++inc.row.steps_tried;
      ++resp.step;
      // Whether the step worked is known once the fluid is re-evaluated.
      work(r, Phase::decide, sim::Duration::zero());
      if (rng(step_streams_[k]).bernoulli(st.success)) {
        w_.cause.runbook = true;
        apply_step(i, st);
      }
      return;
    }
    case Phase::decide:
      if (inc.impaired == 0) {
        start_confirm(r);
      } else {
        next_step(r);
      }
      return;
    case Phase::confirm:
      if (inc.impaired > 0) {
        next_step(r);
        return;
      }
      inc.row.resolved = now();
      inc.responder = kNoIndex;
      release(r);
      maybe_close(i);
      return;
    case Phase::watch:
      return;
  }
}

void People::apply_step(Index i, const RunbookStepRow& st) {
  // The steps act on the service whose runbook it is.
  Incident& inc = incidents_[i];
  const Index s = inc.runbook_service;
  const Index c = m_.services[s].component;
  switch (st.action) {
    case RunbookAction::rollback:
      w_.faults.clear(FaultKind::bad_deploy, c);
      w_.deploys.roll_back(c, s);
      break;
    case RunbookAction::restart:
      // A restart clears exhaustion (capacityLoss) and finishes pending restarts.
      w_.faults.clear(FaultKind::capacity_loss, c);
      w_.replicas.finish_restarts(s);
      break;
    case RunbookAction::scale_up:
      if (w_.replicas.count(s) < st.to) w_.replicas.set_replicas(s, st.to);
      break;
    case RunbookAction::failover:
      if (st.target != kNoIndex) w_.stores.failover_now(st.target);
      break;
    case RunbookAction::drain_zone: {
      const Index z = st.target != kNoIndex ? st.target : inc.zone;
      if (z == kNoIndex || inc.drained != kNoIndex) break;
      w_.zones.drain(z);
      inc.drained = z;
      w_.replicas.kill_in_zone(z, true);
      break;
    }
  }
}

// ---------------------------------------------------------------- costs and alerts

void People::accrue_service(Index s, double bad) {
  // Charged to the incident that holds s while s is impaired.
  if (impaired_[s] != 0) impacts_[svc_impact_[s]].failed += bad;
}

void People::accrue_slo(Index k, double bad) {
  if (impaired_[m_.components[m_.slos[k].component].row] == 0) return;
  slo_costs_[slo_cost_[k]].bad += bad;
  slo_incident_bad_[k] += bad;
}

void People::noise_page(Index team) {
  TeamTrialResult& t = teams_[team];
  ++t.pages;
  if (!m_.calendar.in_business_hours(now())) ++t.pages_at_night;
  ++t.noise_pages;
}

Index People::alert_fired(Index a, AlertRoute route) {
  const AlertRow& alert = m_.alerts[a];
  const Index team = alert.team;
  const Index i = alert.component == kNoIndex ? kNoIndex : incident_for(alert.component);
  const bool page_route = route == AlertRoute::page;
  if (!page_route && team != kNoIndex) ++teams_[team].tickets;
  if (i == kNoIndex) {
    // No impact behind it (a burn window still above its threshold long
    // after the incident): a page nobody can act on is noise.
    if (page_route && team != kNoIndex) noise_page(team);
    return kNoIndex;
  }
  Incident& inc = incidents_[i];
  if (inc.row.detected == kNever) {
    inc.row.detected = now();
    inc.row.detected_alert = a;
  }
  if (inc.closed) {
    // Fired after the impact ended and the incident closed without a human.
    if (page_route && team != kNoIndex) {
      noise_page(team);
      if (inc.row.paged == kNever) {
        inc.row.paged = now();
        inc.row.paged_alert = a;
      }
    }
    return kNoIndex;
  }
  ++inc.firing;
  if (page_route && team != kNoIndex && !inc.page_active && inc.responder == kNoIndex &&
      inc.row.acked == kNever) {
    if (inc.row.paged == kNever) inc.row.paged_alert = a;
    page(i, team);
  }
  return i;
}

void People::alert_resolved(Index i) {
  Incident& inc = incidents_[i];
  if (--inc.firing > 0 || !inc.page_active) return;
  // Every alert behind the page cleared before anyone acknowledged it.
  ++teams_[inc.page_team].noise_pages;
  cancel_page(i);
  maybe_close(i);
}

// ---------------------------------------------------------------- results

Index People::final_primary(Index i, const TrialResult& r, std::span<const Index> entries) const {
  // The user-facing service it impaired; among several (or when none is),
  // the one whose SLO lost the most budget to it; then the one that failed
  // the most requests; then the first impaired.
  Index best = incidents_[i].primary;
  double best_budget = -1.0, best_failed = -1.0;
  bool best_facing = false;
  for (const Index e : entries) {
    const ImpactEntry& x = impacts_[e];
    double budget = 0.0;
    for (Index j = svc_slo_begin_[x.service]; j < svc_slo_begin_[x.service + 1]; ++j) {
      if (const IncidentSloCost* c = cost_of(r, i, svc_slos_[j])) {
        budget = std::max(budget, c->budget_consumed);
      }
    }
    const bool facing = user_facing_[x.service] != 0;
    if (std::make_tuple(facing, budget, x.failed) >
        std::make_tuple(best_facing, best_budget, best_failed)) {
      best = x.service;
      best_facing = facing;
      best_budget = budget;
      best_failed = x.failed;
    }
  }
  return best;
}

void People::finish(TrialResult& r) {
  // The impact sets and SLO costs by incident (stable: in the order joined),
  // the SLO costs of one incident in model order.
  r.impacts.clear();
  r.impacts.reserve(impacts_.size());
  for (const ImpactEntry& e : impacts_) {
    r.impacts.push_back({static_cast<std::uint32_t>(e.incident),
                         static_cast<std::uint32_t>(m_.services[e.service].component), e.impaired,
                         e.recovered, e.failed});
  }
  // Usually in incident order already: then the stable sort and its buffer
  // (an allocation per trial) are skipped.
  const auto by_incident = [](const IncidentImpact& a, const IncidentImpact& b) {
    return a.incident < b.incident;
  };
  if (!std::is_sorted(r.impacts.begin(), r.impacts.end(), by_incident)) {
    std::stable_sort(r.impacts.begin(), r.impacts.end(), by_incident);
  }
  auto budget_of = [&](Index k) {
    return k < r.slos.size() ? (1.0 - m_.slos[k].objective) * r.slos[k].total : 0.0;
  };
  r.incident_slos.clear();
  r.incident_slos.reserve(slo_costs_.size());
  for (const SloCostEntry& e : slo_costs_) {
    const double budget = budget_of(e.slo);
    r.incident_slos.push_back({static_cast<std::uint32_t>(e.incident),
                               static_cast<std::uint32_t>(e.slo), e.bad,
                               budget > 0.0 ? e.bad / budget : 0.0});
  }
  const auto by_key = [](const IncidentSloCost& a, const IncidentSloCost& b) {
    return a.incident != b.incident ? a.incident < b.incident : a.slo < b.slo;
  };
  if (!std::is_sorted(r.incident_slos.begin(), r.incident_slos.end(), by_key)) {
    std::sort(r.incident_slos.begin(), r.incident_slos.end(), by_key);
  }
  for (Index k = 0; k < m_.slos.size() && k < r.slos.size(); ++k) {
    const double budget = budget_of(k);
    r.slos[k].incident_budget_consumed = budget > 0.0 ? slo_incident_bad_[k] / budget : 0.0;
  }
  // Each incident's impact entries in join order (a counting sort by
  // incident: O(incidents + entries), where scanning impacts_ from each
  // incident's first entry was quadratic in a trial's incidents).
  std::vector<Index> entry_begin(incidents_.size() + 1, 0);
  for (const ImpactEntry& e : impacts_) ++entry_begin[e.incident + 1];
  for (std::size_t i = 0; i < incidents_.size(); ++i) entry_begin[i + 1] += entry_begin[i];
  std::vector<Index> entries(impacts_.size());
  {
    std::vector<Index> fill(entry_begin.begin(), entry_begin.end() - 1);
    for (Index e = 0; e < impacts_.size(); ++e) entries[fill[impacts_[e].incident]++] = e;
  }
  r.incidents.clear();
  r.incidents.reserve(incidents_.size());
  for (Index i = 0; i < incidents_.size(); ++i) {
    const Incident& inc = incidents_[i];
    IncidentRow row = inc.row;
    row.runbook = inc.runbook == kNoIndex ? kNoRow : static_cast<std::uint32_t>(inc.runbook);
    const std::span<const Index> own(entries.data() + entry_begin[i],
                                     entry_begin[i + 1] - entry_begin[i]);
    const Index p = final_primary(i, r, own);
    if (p != kNoIndex) {
      row.service = static_cast<std::uint32_t>(m_.services[p].component);
      for (const Index e : own) {
        if (impacts_[e].service == p) {
          row.requests_failed = impacts_[e].failed;
          break;
        }
      }
      if (svc_slo_begin_[p] < svc_slo_begin_[p + 1]) {
        // Its first SLO's.
        if (const IncidentSloCost* c = cost_of(r, i, svc_slos_[svc_slo_begin_[p]])) {
          row.budget_consumed = c->budget_consumed;
        }
      }
    }
    r.incidents.push_back(row);
  }
  r.teams = teams_;
  r.deploys = w_.deploys.count();
}

}  // namespace relsim::models
