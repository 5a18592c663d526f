// Incidents and the people who answer them: impact tracking and grouping,
// severity, paging, on-call rotations, acknowledgement and escalation, busy
// responders, runbooks acting on the model, confirm-stable and resolution.
// See docs/model.md ("Incidents", "People", "Runbooks", "Severity").
#include <algorithm>
#include <cmath>

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
  first_slo_.assign(m.services.size(), kNoIndex);
  for (Index k = m.slos.size(); k-- > 0;) first_slo_[m.components[m.slos[k].component].row] = k;
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

Index People::open_incident(Index s) {
  Incident inc;
  inc.row.id = static_cast<std::uint32_t>(incidents_.size());
  inc.row.service = m_.services[s].component;
  inc.row.cause = w_.cause.kind;
  inc.row.cause_index = w_.cause.index;
  inc.row.start = now();
  inc.slo = first_slo_[s];
  inc.zone = w_.cause.zone;
  incidents_.push_back(std::move(inc));
  const Index i = static_cast<Index>(incidents_.size() - 1);
  open_.push_back(i);
  return i;
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
  impaired_[s] = now_impaired ? 1 : 0;
  if (now_impaired) {
    // The service the cause hit first leads the incident.
    if (c == w_.cause.component) {
      newly_impaired_.insert(newly_impaired_.begin(), s);
    } else {
      newly_impaired_.push_back(s);
    }
    return;
  }
  const Index i = svc_incident_[s];
  if (i == kNoIndex) return;
  Incident& inc = incidents_[i];
  if (inc.impaired == 1) settle_incident(i);  // it stops costing requests now
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
      // Alerts of one cause group into one incident.
      i = event_incident_ != kNoIndex ? event_incident_ : open_incident(s);
      event_incident_ = i;
    }
    svc_incident_[s] = i;
    Incident& inc = incidents_[i];
    if (inc.impaired == 0) settle_incident(i);  // it starts costing requests now
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

void People::start_confirm(Index r) {
  Responder& resp = responders_[r];
  const Incident& inc = incidents_[resp.incident];
  const Index book = m_.services[m_.components[inc.row.service].row].runbook;
  const sim::Duration confirm =
      book != kNoIndex ? m_.runbooks[book].confirm_stable : kDefaultConfirm;
  const sim::Duration end = std::max(now(), inc.row.mitigated + confirm);
  work(r, Phase::confirm, end - now());
}

void People::next_step(Index r) {
  Responder& resp = responders_[r];
  const Incident& inc = incidents_[resp.incident];
  const Index s = m_.components[inc.row.service].row;
  const Index book = m_.services[s].runbook;
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
      const Index book = m_.services[m_.components[inc.row.service].row].runbook;
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
      const Index book = m_.services[m_.components[inc.row.service].row].runbook;
      const Index k = m_.runbooks[book].steps.begin + resp.step;
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
  Incident& inc = incidents_[i];
  const Index c = inc.row.service;
  const Index s = m_.components[c].row;
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

void People::settle_incident(Index i) {
  if (w_.eager) return;  // accounted to now already
  const Incident& inc = incidents_[i];
  w_.accounts.settle_service(m_.components[inc.row.service].row);
  if (inc.slo != kNoIndex) w_.accounts.settle_slo(inc.slo);
}

void People::accrue_service(Index s, double bad) {
  for (const Index i : open_) {
    Incident& inc = incidents_[i];
    if (inc.row.mitigated != kNever || inc.impaired == 0) continue;
    if (m_.components[inc.row.service].row == s) inc.row.requests_failed += bad;
  }
}

void People::accrue_slo(Index k, double bad) {
  for (const Index i : open_) {
    Incident& inc = incidents_[i];
    if (inc.slo == k && inc.row.mitigated == kNever && inc.impaired > 0) inc.slo_bad += bad;
  }
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

void People::finish(TrialResult& r) {
  r.incidents.clear();
  r.incidents.reserve(incidents_.size());
  for (const Incident& inc : incidents_) {
    IncidentRow row = inc.row;
    if (inc.slo != kNoIndex && inc.slo < r.slos.size()) {
      const double budget = (1.0 - m_.slos[inc.slo].objective) * r.slos[inc.slo].total;
      row.budget_consumed = budget > 0.0 ? inc.slo_bad / budget : 0.0;
    }
    r.incidents.push_back(row);
  }
  r.teams = teams_;
  r.deploys = w_.deploys.count();
}

}  // namespace relsim::models
