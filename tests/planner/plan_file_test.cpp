// The HDF5 file of a plan (`relsim plan --out plan.h5`, docs/export.md "Game-day
// plans"), read back with the HDF5 C++ API alone — not with relsim's writer
// helpers — and compared with the plan it was written from: the full outage
// whose budget cost is 5/43.2 of the month's, a stop condition that cuts it
// to 90 s, the ranking on a demand profile with a trough, and the command's
// bad-input rules (no file for an unknown extension or an unwritable path).
#include "analysis/plan_file.hpp"

#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/plan.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::analysis {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / ("relsim-" + std::to_string(::getpid()) + "-" + name);
}

// A 99.9 % service at a flat 100 req/s; a bad deploy failing every request
// for 5 minutes; stopped 30 s after the error rate has been above 50 % for 1 min.
constexpr const char* kOutage = R"(
apiVersion: relsim/v1alpha1
kind: System
metadata: {name: one}
spec:
  zones: [a]
  services:
    - {name: web, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 100}
    - {name: shop, replicas: 2, zones: [a], capacityPerReplica: 100, demand: 10,
       dependsOn: [{service: web, type: hard}]}
  slos:
    - {name: web-availability, service: web, objective: 99.9%, window: 30d}
---
apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: outage}
spec:
  system: one
  experiment: {fault: badDeploy, target: {service: web}, errorRate: 100%, duration: 5m}
  candidateStarts: ["Wed 11:00", "Wed 15:00"]
  steadyState: {errorRate: {below: 1%}}
  hypotheses:
    - {name: under a tenth of the budget, metric: budgetConsumed, max: 10%}
    - {name: errors, metric: meanErrorRate, max: 100%}
  stopConditions:
    - {metric: errorRate, above: 50%, for: 1m, abortLatency: 30s}
  budget: {remainingThisMonth: 55%, slos: [web-availability]}
  observe: 1h
  worstCasePercentile: 90%
)";

struct Planned {
  models::Documents docs;
  models::CompiledModel model;
  GameDayRuns runs;
  PlanSummary plan;
};

Planned plan_of(const std::string& text, std::uint64_t trials) {
  Planned p{models::load_string(text, "test.yaml"), {}, {}, {}};
  p.model = models::compile(p.docs.systems.at(0), p.docs.game_days.at(0));
  PlanOptions o;
  o.trials = trials;
  o.seed = 3;
  o.threads = 2;
  p.runs = run_game_day(p.model, p.docs.game_days.at(0), o);
  p.plan = summarize_plan(p.model, p.docs.game_days.at(0), p.runs, 0.95);
  return p;
}

// ---- an independent reader: one member of a compound dataset at a time

std::vector<double> f64(const H5::DataSet& ds, const std::string& member) {
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  std::vector<double> out(n);
  H5::CompType t(sizeof(double));
  t.insertMember(member, 0, H5::PredType::NATIVE_DOUBLE);
  if (n > 0) ds.read(out.data(), t);
  return out;
}

std::vector<std::uint64_t> u64(const H5::DataSet& ds, const std::string& member) {
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  std::vector<std::uint64_t> out(n);
  H5::CompType t(sizeof(std::uint64_t));
  t.insertMember(member, 0, H5::PredType::NATIVE_UINT64);
  if (n > 0) ds.read(out.data(), t);
  return out;
}

std::vector<std::string> strings(const H5::DataSet& ds, const std::string& member) {
  const H5::DataSpace space = ds.getSpace();
  const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  std::vector<char*> p(n, nullptr);
  H5::StrType s(H5::PredType::C_S1, H5T_VARIABLE);
  H5::CompType t(sizeof(char*));
  t.insertMember(member, 0, s);
  if (n > 0) ds.read(p.data(), t);
  std::vector<std::string> out;
  for (char* c : p) out.emplace_back(c ? c : "");
  if (n > 0) H5Dvlen_reclaim(t.getId(), space.getId(), H5P_DEFAULT, p.data());
  return out;
}

std::string attr(const H5::H5Object& o, const std::string& name) {
  const H5::Attribute a = o.openAttribute(name);
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

std::vector<std::string> attr_strings(const H5::H5Object& o, const std::string& name) {
  const H5::Attribute a = o.openAttribute(name);
  const auto n = static_cast<std::size_t>(a.getSpace().getSimpleExtentNpoints());
  std::vector<char*> p(n, nullptr);
  const H5::StrType s(H5::PredType::C_S1, H5T_VARIABLE);
  if (n > 0) a.read(s, p.data());
  std::vector<std::string> out;
  for (char* c : p) {
    out.emplace_back(c ? c : "");
    std::free(c);
  }
  return out;
}

double attr_f64(const H5::H5Object& o, const std::string& name) {
  double v = 0;
  o.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

std::uint64_t attr_u64(const H5::H5Object& o, const std::string& name) {
  std::uint64_t v = 0;
  o.openAttribute(name).read(H5::PredType::NATIVE_UINT64, &v);
  return v;
}

TEST(PlanFile, ReadsBackWhatThePlanSays) {
  const Planned p = plan_of(kOutage, 6);
  const models::GameDay& g = p.docs.game_days.at(0);
  RunMeta meta;
  meta.relsim_version = "test";
  meta.scenario_name = "outage";
  meta.system_name = "one";
  meta.seed = 3;
  meta.trials = 6;
  meta.trial_count = 6;
  const fs::path path = scratch("plan.h5");
  fs::remove(path);
  write_plan_hdf5(path.string(), p.model, g, p.runs, p.plan, meta);
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));

  H5::H5File file(path.string(), H5F_ACC_RDONLY);
  const H5::Group m = file.openGroup("meta");
  EXPECT_EQ(attr(m, "scenario"), "outage");
  EXPECT_EQ(attr_u64(m, "seed"), 3u);
  const H5::Group gd = file.openGroup("gameday");
  EXPECT_EQ(attr(gd, "name"), "outage");
  EXPECT_EQ(attr(gd, "experiment"), "badDeploy on web for 5m");
  EXPECT_EQ(attr(gd, "verdict"), to_string(p.plan.verdict));
  EXPECT_EQ(attr(gd, "verdict"), "no-go");
  EXPECT_EQ(attr_strings(gd, "reasons"), p.plan.reasons);
  EXPECT_FALSE(p.plan.reasons.empty());
  EXPECT_EQ(attr_u64(gd, "trials"), 6u);
  EXPECT_DOUBLE_EQ(attr_f64(gd, "remaining_this_month"), 0.55);
  EXPECT_DOUBLE_EQ(attr_f64(gd, "worst_case_percentile"), 0.90);
  EXPECT_EQ(attr_strings(gd, "budget_slos"), std::vector<std::string>{"web-availability"});
  EXPECT_EQ(attr(gd, "verdict_start"), "Wed 11:00");
  EXPECT_EQ(attr_u64(gd, "verdict_candidate"), p.plan.ranking.front());

  // Candidates in start order, with their rank.
  const H5::DataSet cands = gd.openDataSet("candidates");
  EXPECT_EQ(strings(cands, "start"), (std::vector<std::string>{"Wed 11:00", "Wed 15:00"}));
  const auto rank = u64(cands, "rank");
  const auto p_abort = f64(cands, "p_abort");
  const auto p_steady = f64(cands, "p_steady");
  for (std::size_t c = 0; c < 2; ++c) {
    EXPECT_EQ(p.plan.ranking[rank[c] - 1], c);
    EXPECT_EQ(p_abort[c], p.plan.candidates[c].p_abort.estimate);
    EXPECT_EQ(p_steady[c], 1.0);  // no errors before the start
  }
  EXPECT_EQ(p_abort[0], 1.0);  // the stop condition always fires

  // Hypotheses: candidate × hypothesis, with P(holds), its interval and quantiles.
  const H5::DataSet hyp = gd.openDataSet("hypotheses");
  ASSERT_EQ(hyp.getSpace().getSimpleExtentNpoints(), 4);
  const auto name = strings(hyp, "name");
  const auto cand = u64(hyp, "candidate");
  const auto holds = u64(hyp, "holds");
  const auto ph = f64(hyp, "p_holds"), ph_low = f64(hyp, "p_holds_low"),
             ph_high = f64(hyp, "p_holds_high"), p50 = f64(hyp, "p50"), below = f64(hyp, "below");
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& hs = p.plan.candidates[cand[i]].hypotheses[i % 2];
    EXPECT_EQ(name[i], g.hypotheses[i % 2].name);
    EXPECT_EQ(holds[i], hs.holds);
    EXPECT_EQ(ph[i], hs.p_holds.estimate);
    EXPECT_EQ(ph_low[i], hs.p_holds.low);
    EXPECT_EQ(ph_high[i], hs.p_holds.high);
    EXPECT_EQ(p50[i], hs.value.p50.estimate);
  }
  EXPECT_DOUBLE_EQ(below[0], 0.10);
  // Stopped 30 s after a minute of errors: 90 s of a 99.9 % budget, 1.5/43.2.
  EXPECT_NEAR(p50[0], 1.5 / 43.2, 1e-9);

  // Impact with and without the stop conditions.
  const H5::DataSet impact = gd.openDataSet("impact");
  const auto with = u64(impact, "stop_conditions");
  const auto budget = f64(impact, "budget_consumed");
  ASSERT_EQ(with.size(), 4u);
  EXPECT_EQ(with[0], 1u);
  EXPECT_EQ(with[1], 0u);
  EXPECT_NEAR(budget[0], 1.5 / 43.2, 1e-9);
  EXPECT_NEAR(budget[1], 5.0 / 43.2, 1e-9);

  // Stop conditions, budget per SLO, blast radius, ranking.
  const H5::DataSet stops = gd.openDataSet("stop_conditions");
  EXPECT_EQ(f64(stops, "seconds_to_fire")[0], 60.0);
  EXPECT_EQ(f64(stops, "abort_latency_s")[0], 30.0);
  EXPECT_EQ(f64(stops, "above")[0], 0.5);
  const H5::DataSet slo = gd.openDataSet("slo_budget");
  EXPECT_EQ(strings(slo, "slo")[0], "web-availability");
  const H5::DataSet blast = gd.openDataSet("blast_radius");
  const auto comp = strings(blast, "component");
  const auto path_kind = strings(blast, "path");
  ASSERT_EQ(comp.size(), 4u);  // web (hit) and shop (hard), per candidate
  EXPECT_EQ(comp[0], "web");
  EXPECT_EQ(path_kind[0], "hit");
  EXPECT_EQ(comp[1], "shop");
  EXPECT_EQ(path_kind[1], "hard");
  const H5::DataSet ranking = gd.openDataSet("ranking");
  EXPECT_EQ(u64(ranking, "candidate"),
            (std::vector<std::uint64_t>{p.plan.ranking[0], p.plan.ranking[1]}));
  EXPECT_EQ(u64(ranking, "rank"), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(f64(ranking, "budget_vs_best")[0], 0.0);
  file.close();
  fs::remove(path);
}

TEST(PlanFile, TheCommandWritesTheFileOrNothing) {
  const std::string gameday =
      (fs::path(RELSIM_SOURCE_DIR) / "scenarios/gamedays/week2-database-failover.yaml").string();
  const fs::path out = scratch("cmd-plan.h5");
  fs::remove(out);
  auto r = test::relsim("plan " + gameday + " --trials 4 --threads 2 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
  {
    H5::H5File file(out.string(), H5F_ACC_RDONLY);
    const H5::Group m = file.openGroup("meta");
    EXPECT_EQ(attr(m, "scenario_file"), gameday);
    EXPECT_NE(attr(m, "scenario_text").find("kind: GameDay"), std::string::npos);
    EXPECT_NE(attr(m, "command_line").find("--out"), std::string::npos);
    const H5::Group gd = file.openGroup("gameday");
    const std::string verdict = attr(gd, "verdict");
    EXPECT_TRUE(verdict == "go" || verdict == "go with caution" || verdict == "no-go") << verdict;
    EXPECT_EQ(attr_u64(gd, "trials"), 4u);
  }
  fs::remove(out);
  // JSON by extension: the document of --format json.
  const fs::path json = scratch("cmd-plan.json");
  r = test::relsim("plan " + gameday + " --trials 2 --out " + json.string());
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_TRUE(fs::exists(json));
  fs::remove(json);
  // Bad input: no file, exit 1, before any trial runs.
  const fs::path csv = scratch("cmd-plan.csv");
  r = test::relsim("plan " + gameday + " --trials 2 --out " + csv.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot tell the format from the extension"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(csv));
  r = test::relsim("plan " + gameday + " --trials 2 --out /nonexistent-dir/plan.h5");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot write '/nonexistent-dir/plan.h5'"), std::string::npos) << r.out;
  r = test::relsim("plan " + gameday + " --export fis --out " + out.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace relsim::analysis
