// The HDF5 file of a game-day plan (see plan_file.hpp and docs/export.md).
#include "analysis/plan_file.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "analysis/hdf5_support.hpp"
#include "analysis/hdf5_table.hpp"
#include "analysis/safe_output.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Adds `name`, `name_low`, `name_high` columns of one interval per row.
template <class Get>
void interval_columns(h5::TableBuilder& t, const std::string& name, std::size_t rows, Get&& get) {
  std::vector<double> e, lo, hi;
  for (std::size_t i = 0; i < rows; ++i) {
    const auto iv = get(i);
    e.push_back(iv.estimate);
    lo.push_back(iv.low);
    hi.push_back(iv.high);
  }
  t.f64(name, std::move(e));
  t.f64(name + "_low", std::move(lo));
  t.f64(name + "_high", std::move(hi));
}

/// One row per (candidate, item): the row's candidate and item indices.
struct Grid {
  std::vector<std::uint32_t> candidate, item;
};

Grid grid(std::size_t candidates, std::size_t items) {
  Grid g;
  for (std::size_t c = 0; c < candidates; ++c) {
    for (std::size_t k = 0; k < items; ++k) {
      g.candidate.push_back(static_cast<std::uint32_t>(c));
      g.item.push_back(static_cast<std::uint32_t>(k));
    }
  }
  return g;
}

double bound(const std::optional<double>& b) { return b ? *b : kNaN; }

void write_gameday(H5::H5File& file, const models::CompiledModel& m, const models::GameDay& g,
                   const GameDayRuns& runs, const PlanSummary& p) {
  H5::Group gd = file.createGroup("gameday");
  const auto& t = runs.targets;
  const std::size_t nc = p.candidates.size();
  h5::write_string(gd, "name", m.names.scenario);
  h5::write_string(gd, "system", m.names.system);
  h5::write_string(gd, "experiment", experiment_label(m));
  h5::write_u64(gd, "trials", runs.trials);
  h5::write_u64(gd, "seed", runs.seed);
  h5::write_f64(gd, "observe_s", g.observe.to_seconds());
  h5::write_f64(gd, "confidence", p.confidence);
  h5::write_f64(gd, "worst_case_percentile", g.worst_case_percentile);
  h5::write_f64(gd, "remaining_this_month", g.budget.remaining_this_month);
  h5::write_string(
      gd, "tier_before",
      m.budget_policy.empty() ? "none" : models::to_string(m.budget_policy[p.tier_before].action));
  std::vector<std::string> slos, watched;
  for (const auto k : t.budget_slos) slos.push_back(m.names.slos[k]);
  for (const auto s : t.watched) watched.push_back(m.names.components[m.services[s].component]);
  h5::write_strings(gd, "budget_slos", slos);
  h5::write_strings(gd, "watched", watched);
  h5::write_string(gd, "verdict", to_string(p.verdict));
  const std::uint64_t best = p.ranking.empty() ? 0xFFFFFFFFu : p.ranking.front();
  h5::write_u64(gd, "verdict_candidate", best);
  h5::write_string(gd, "verdict_start",
                   p.ranking.empty() ? "" : start_label(m, p.candidates[best].start));
  h5::write_strings(gd, "reasons", p.reasons);
  h5::write_strings(gd, "notes", p.notes);

  std::vector<std::uint32_t> rank(nc, 0);
  for (std::size_t r = 0; r < p.ranking.size(); ++r) {
    rank[p.ranking[r]] = static_cast<std::uint32_t>(r + 1);
  }

  {  // candidates: one row per start, in start order
    h5::TableBuilder tb(nc);
    std::vector<std::uint32_t> idx;
    std::vector<std::string> label;
    std::vector<double> start_s;
    std::vector<std::uint64_t> steady, aborts, pushed;
    for (std::size_t c = 0; c < nc; ++c) {
      const auto& cs = p.candidates[c];
      idx.push_back(static_cast<std::uint32_t>(c));
      label.push_back(start_label(m, cs.start));
      start_s.push_back(cs.start.to_seconds());
      steady.push_back(cs.steady);
      aborts.push_back(cs.aborts);
      pushed.push_back(cs.pushed);
    }
    const auto& cs = p.candidates;
    tb.u32("candidate", std::move(idx));
    tb.str("start", std::move(label));
    tb.f64("start_s", std::move(start_s));
    tb.u32("rank", rank);
    tb.u64("steady", std::move(steady));
    interval_columns(tb, "p_steady", nc, [&](std::size_t i) { return cs[i].p_steady; });
    tb.u64("aborts", std::move(aborts));
    interval_columns(tb, "p_abort", nc, [&](std::size_t i) { return cs[i].p_abort; });
    interval_columns(tb, "budget_of_remaining", nc,
                     [&](std::size_t i) { return cs[i].of_remaining; });
    tb.u64("pushed", std::move(pushed));
    interval_columns(tb, "p_stricter_tier", nc, [&](std::size_t i) { return cs[i].p_tier_pushed; });
    interval_columns(tb, "budget_vs_best", nc, [&](std::size_t i) { return cs[i].budget_vs_best; });
    interval_columns(tb, "abort_vs_best", nc, [&](std::size_t i) { return cs[i].abort_vs_best; });
    tb.write(gd, "candidates");
  }
  {  // ranking: best first
    const std::size_t n = p.ranking.size();
    h5::TableBuilder tb(n);
    std::vector<std::uint32_t> r, c;
    std::vector<std::string> label;
    for (std::size_t i = 0; i < n; ++i) {
      r.push_back(static_cast<std::uint32_t>(i + 1));
      c.push_back(static_cast<std::uint32_t>(p.ranking[i]));
      label.push_back(start_label(m, p.candidates[p.ranking[i]].start));
    }
    const auto at = [&](std::size_t i) -> const CandidateSummary& {
      return p.candidates[p.ranking[i]];
    };
    tb.u32("rank", std::move(r));
    tb.u32("candidate", std::move(c));
    tb.str("start", std::move(label));
    interval_columns(tb, "budget_consumed", n,
                     [&](std::size_t i) { return at(i).with_stop.budget_consumed; });
    interval_columns(tb, "budget_vs_best", n, [&](std::size_t i) { return at(i).budget_vs_best; });
    interval_columns(tb, "p_abort", n, [&](std::size_t i) { return at(i).p_abort; });
    interval_columns(tb, "abort_vs_best", n, [&](std::size_t i) { return at(i).abort_vs_best; });
    tb.write(gd, "ranking");
  }
  {  // hypotheses: candidate × hypothesis
    const std::size_t nh = g.hypotheses.size();
    const Grid gr = grid(nc, nh);
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::string> name, metric, alert;
    std::vector<double> below, above;
    std::vector<std::uint64_t> holds;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& h = g.hypotheses[gr.item[i]];
      name.push_back(h.name);
      metric.push_back(h.check.metric_name);
      alert.push_back(h.alert.name);
      below.push_back(bound(h.check.below));
      above.push_back(bound(h.check.above));
      holds.push_back(p.candidates[gr.candidate[i]].hypotheses[gr.item[i]].holds);
    }
    const auto hs = [&](std::size_t i) -> const HypothesisSummary& {
      return p.candidates[gr.candidate[i]].hypotheses[gr.item[i]];
    };
    tb.u32("candidate", gr.candidate);
    tb.u32("hypothesis", gr.item);
    tb.str("name", std::move(name));
    tb.str("metric", std::move(metric));
    tb.str("alert", std::move(alert));
    tb.f64("below", std::move(below));
    tb.f64("above", std::move(above));
    tb.u64("holds", std::move(holds));
    interval_columns(tb, "p_holds", n, [&](std::size_t i) { return hs(i).p_holds; });
    interval_columns(tb, "p50", n, [&](std::size_t i) { return hs(i).value.p50; });
    interval_columns(tb, "p90", n, [&](std::size_t i) { return hs(i).value.p90; });
    interval_columns(tb, "p99", n, [&](std::size_t i) { return hs(i).value.p99; });
    tb.write(gd, "hypotheses");
  }
  {  // steady state: candidate × check
    const std::size_t nk = g.steady_state.size();
    const Grid gr = grid(nc, nk);
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::string> metric;
    std::vector<double> below, above;
    std::vector<std::uint64_t> holds;
    const HypothesisSummary none{0, {kNaN, kNaN, kNaN}, {}};
    const auto hs = [&](std::size_t i) -> const HypothesisSummary& {
      const auto& checks = p.candidates[gr.candidate[i]].steady_checks;
      return gr.item[i] < checks.size() ? checks[gr.item[i]] : none;
    };
    for (std::size_t i = 0; i < n; ++i) {
      const auto& c = g.steady_state[gr.item[i]];
      metric.push_back(c.metric_name);
      below.push_back(bound(c.below));
      above.push_back(bound(c.above));
      holds.push_back(hs(i).holds);
    }
    tb.u32("candidate", gr.candidate);
    tb.u32("check", gr.item);
    tb.str("metric", std::move(metric));
    tb.f64("below", std::move(below));
    tb.f64("above", std::move(above));
    tb.u64("holds", std::move(holds));
    interval_columns(tb, "p_holds", n, [&](std::size_t i) { return hs(i).p_holds; });
    interval_columns(tb, "p50", n, [&](std::size_t i) { return hs(i).value.p50; });
    tb.write(gd, "steady_state");
  }
  {  // stop conditions: candidate × condition
    const std::size_t nk = g.stop_conditions.size();
    const Grid gr = grid(nc, nk);
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::string> metric;
    std::vector<double> above, below, for_s, latency_s;
    std::vector<std::uint64_t> fires;
    const auto ss = [&](std::size_t i) -> const StopSummary& {
      return p.candidates[gr.candidate[i]].stops[gr.item[i]];
    };
    for (std::size_t i = 0; i < n; ++i) {
      const auto& sc = g.stop_conditions[gr.item[i]];
      metric.push_back(sc.check.metric_name);
      above.push_back(bound(sc.check.above));
      below.push_back(bound(sc.check.below));
      for_s.push_back(sc.for_duration.to_seconds());
      latency_s.push_back(sc.abort_latency.to_seconds());
      fires.push_back(ss(i).fires);
    }
    tb.u32("candidate", gr.candidate);
    tb.u32("condition", gr.item);
    tb.str("metric", std::move(metric));
    tb.f64("above", std::move(above));
    tb.f64("below", std::move(below));
    tb.f64("for_s", std::move(for_s));
    tb.f64("abort_latency_s", std::move(latency_s));
    tb.u64("fires", std::move(fires));
    interval_columns(tb, "p_fires", n, [&](std::size_t i) { return ss(i).p_fires; });
    interval_columns(tb, "seconds_to_fire", n,
                     [&](std::size_t i) { return ss(i).seconds_to_fire; });
    tb.write(gd, "stop_conditions");
  }
  {  // impact: candidate × (with, without the stop conditions)
    const Grid gr = grid(nc, 2);
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::uint8_t> with;
    for (std::size_t i = 0; i < n; ++i) with.push_back(gr.item[i] == 0 ? 1 : 0);
    const auto im = [&](std::size_t i) -> const ImpactSummary& {
      const auto& c = p.candidates[gr.candidate[i]];
      return gr.item[i] == 0 ? c.with_stop : c.without_stop;
    };
    tb.u32("candidate", gr.candidate);
    tb.u8("stop_conditions", std::move(with));
    interval_columns(tb, "budget_consumed", n,
                     [&](std::size_t i) { return im(i).budget_consumed; });
    interval_columns(tb, "budget_worst", n, [&](std::size_t i) { return im(i).budget_worst; });
    interval_columns(tb, "requests_failed", n,
                     [&](std::size_t i) { return im(i).requests_failed; });
    interval_columns(tb, "peak_error_rate", n,
                     [&](std::size_t i) { return im(i).peak_error_rate; });
    interval_columns(tb, "users_affected", n, [&](std::size_t i) { return im(i).users_affected; });
    tb.write(gd, "impact");
  }
  {  // budget per SLO: candidate × budget SLO
    const Grid gr = grid(nc, t.budget_slos.size());
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::string> slo;
    for (std::size_t i = 0; i < n; ++i) slo.push_back(m.names.slos[t.budget_slos[gr.item[i]]]);
    tb.u32("candidate", gr.candidate);
    tb.str("slo", std::move(slo));
    interval_columns(tb, "budget_consumed", n, [&](std::size_t i) {
      return p.candidates[gr.candidate[i]].slo_budget[gr.item[i]];
    });
    tb.write(gd, "slo_budget");
  }
  {  // blast radius: candidate × affected component
    const Grid gr = grid(nc, t.affected.size());
    const std::size_t n = gr.candidate.size();
    h5::TableBuilder tb(n);
    std::vector<std::string> component, path;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = gr.item[i];
      const bool hit = std::find(t.hit.begin(), t.hit.end(), t.affected[k]) != t.hit.end();
      component.push_back(m.names.components[t.affected[k]]);
      path.push_back(hit ? "hit" : (t.hard_path[k] ? "hard" : "soft"));
    }
    tb.u32("candidate", gr.candidate);
    tb.str("component", std::move(component));
    tb.str("path", std::move(path));
    interval_columns(tb, "failed_fraction", n, [&](std::size_t i) {
      return p.candidates[gr.candidate[i]].component_error[gr.item[i]];
    });
    tb.write(gd, "blast_radius");
  }
}

}  // namespace

std::string start_label(const models::CompiledModel& model, sim::Duration start) {
  const auto [day, tod] = model.calendar.local_at(start);
  const auto minutes = tod.count_micros() / 60'000'000;
  const auto days = start.count_micros() / sim::Duration::days(1).count_micros();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %02lld:%02lld", models::weekday_name(day),
                static_cast<long long>(minutes / 60), static_cast<long long>(minutes % 60));
  std::string out = buf;
  if (days >= 7) out += " (day " + std::to_string(days) + ")";
  return out;
}

std::string experiment_label(const models::CompiledModel& m) {
  const models::FaultRow& f = m.faults.at(0);
  std::string out = models::to_string(f.kind);
  auto name = [&](models::Index c) { return m.names.components[c]; };
  if (f.component != models::kNoIndex) out += " on " + name(f.component);
  if (f.zone != models::kNoIndex) out += " in " + m.names.zones[f.zone];
  if (f.from != models::kNoIndex) out += " from " + name(f.from);
  if (f.to != models::kNoIndex) out += " to " + name(f.to);
  out += f.duration ? " for " + sim::format_duration(*f.duration) : " until recovered";
  return out;
}

void write_plan_hdf5(const std::string& path, const models::CompiledModel& model,
                     const models::GameDay& game_day, const GameDayRuns& runs,
                     const PlanSummary& plan, const RunMeta& meta) {
  H5::Exception::dontPrint();
  AtomicFile out(path);  // a unique temporary beside PATH, removed on error
  const std::string tmp = out.temp_path();
  try {
    {
      H5::H5File file(tmp, H5F_ACC_TRUNC);
      H5::Group g = file.createGroup("meta");
      h5::write_run_meta(g, meta);
      write_gameday(file, model, game_day, runs, plan);
      file.close();
    }
  } catch (const H5::Exception& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path + "': " + e.getDetailMsg());
  } catch (const std::runtime_error& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + path + "': " + e.what());
  }
  out.commit();
}

}  // namespace relsim::analysis
