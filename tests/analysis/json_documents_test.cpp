// Every JSON document relsim writes is a models::JsonNode tree (issue 23
// part 3): the writer's layout and number text, and each document read back
// with a strict parser and compared by value with what it was built from —
// the run summary and results metadata (library), and the documents of
// graph, analyze and plan (the program), and the per-trial figures file of
// compare and sensitivity with its metadata. compare and sensitivity are read
// back in tests/cli/compare_test.cpp, the alert lab in
// tests/alerts/alerts_command_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "analysis/export_json.hpp"
#include "analysis/figure_table.hpp"
#include "analysis/run_request.hpp"
#include "analysis/text_format.hpp"
#include "models/compiled_model.hpp"
#include "models/json_node.hpp"
#include "models/loader.hpp"
#include "models/topology.hpp"
#include "tests/support/json_value.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim {
namespace {

namespace fs = std::filesystem;
using models::JsonNode;
using testing::JsonValue;
using testing::parse_json;

const fs::path kSource = RELSIM_SOURCE_DIR;
const fs::path kBaseline = kSource / "scenarios" / "payments" / "baseline.yaml";

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

/// Two parsed documents hold the same values (numbers bit for bit, keys in order).
bool same_value(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type || a.boolean != b.boolean || a.string != b.string) return false;
  if (a.type == JsonValue::Type::number && !(a.number == b.number)) return false;
  if (a.array.size() != b.array.size() || a.object.size() != b.object.size()) return false;
  for (std::size_t i = 0; i < a.array.size(); ++i) {
    if (!same_value(a.array[i], b.array[i])) return false;
  }
  for (std::size_t i = 0; i < a.object.size(); ++i) {
    if (a.object[i].first != b.object[i].first ||
        !same_value(a.object[i].second, b.object[i].second)) {
      return false;
    }
  }
  return true;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// An interval read back equals `iv` to the bit (shortest round-trip text);
/// an infinite end was written as null.
void expect_interval(const JsonValue& v, const analysis::Interval& iv, const std::string& what) {
  const auto check = [&](const char* key, double expected) {
    const JsonValue& x = v.at(key);
    if (std::isfinite(expected)) {
      EXPECT_TRUE(same_bits(x.number, expected))
          << what << "." << key << ": " << x.number << " != " << expected;
    } else {
      EXPECT_EQ(x.type, JsonValue::Type::null) << what << "." << key;
    }
  };
  check("estimate", iv.estimate);
  check("low", iv.low);
  check("high", iv.high);
}

// ---------------------------------------------------------------- the writer

TEST(JsonNode, OneLineValuesStayOnOneLineInsideAPrettyDocument) {
  JsonNode interval;
  interval.set("estimate", 0.5);
  interval.set("low", 0.25);
  interval.set("high", 1);
  JsonNode row;
  row.set("name", "a");
  row.set("mean", interval);
  row.set("tags", JsonNode::strings({"x", "y"}));
  JsonNode doc;
  doc.set("rows", JsonNode::Array{std::move(row.one_line())});
  doc.set("interval", std::move(interval.one_line()));
  doc.set("empty", JsonNode::Array{});
  EXPECT_EQ(doc.text(),
            "{\n"
            "  \"rows\": [\n"
            "    {\"name\": \"a\", \"mean\": {\"estimate\": 0.5, \"low\": 0.25, \"high\": 1}, "
            "\"tags\": [\"x\", \"y\"]}\n"
            "  ],\n"
            "  \"interval\": {\"estimate\": 0.5, \"low\": 0.25, \"high\": 1},\n"
            "  \"empty\": []\n"
            "}\n");
}

TEST(JsonNode, NumbersReadBackAsTheValuesWritten) {
  const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
  const std::int64_t low = std::numeric_limits<std::int64_t>::min();
  const float f = 0.9999F;
  JsonNode doc;
  doc.set("u64", big);
  doc.set("i64", low);
  doc.set("unsigned", 7U);
  doc.set("tenth", 0.1);
  doc.set("third", 1.0 / 3.0);
  doc.set("sample", JsonNode::sample(static_cast<double>(f)));
  doc.set("notAFloat", JsonNode::sample(0.1));
  doc.set("nan", std::nan(""));
  doc.set("inf", std::numeric_limits<double>::infinity());
  doc.set("none", JsonNode::optional(std::nullopt));
  doc.set("some", JsonNode::optional(2.5));
  const std::string text = doc.text();
  EXPECT_NE(text.find("\"u64\": 18446744073709551615,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"i64\": -9223372036854775808,"), std::string::npos) << text;
  EXPECT_NE(text.find("\"sample\": 0.9999,"), std::string::npos) << text;  // not 0.99989998...
  const JsonValue v = parse_json(text);
  EXPECT_EQ(v.at("unsigned").number, 7.0);
  EXPECT_TRUE(same_bits(v.at("tenth").number, 0.1));
  EXPECT_TRUE(same_bits(v.at("third").number, 1.0 / 3.0));
  EXPECT_EQ(static_cast<float>(v.at("sample").number), f);
  EXPECT_TRUE(same_bits(v.at("notAFloat").number, 0.1));
  EXPECT_EQ(v.at("nan").type, JsonValue::Type::null);
  EXPECT_EQ(v.at("inf").type, JsonValue::Type::null);
  EXPECT_EQ(v.at("none").type, JsonValue::Type::null);
  EXPECT_EQ(v.at("some").number, 2.5);
}

TEST(JsonNode, StringsThatAreNotUtf8StayValidJson) {
  JsonNode doc;
  doc.set("name", std::string("api\xfe\n\"x\""));
  const JsonValue v = parse_json(doc.text());
  EXPECT_EQ(v.at("name").string, "api\xEF\xBF\xBD\n\"x\"");
}

// ---------------------------------------------------------------- the run summary

struct BaselineRun {
  models::CompiledModel model;
  analysis::RunOutcome outcome;
};

const BaselineRun& baseline_run() {
  static const BaselineRun run = [] {
    const models::ResolvedScenario r = models::load_scenario(kBaseline.string());
    BaselineRun out{models::compile(r.system, r.scenario), {}};
    analysis::RunRequest rq;
    rq.trials = 40;
    rq.threads = 2;
    rq.envelopes = true;
    rq.meta.scenario_file = kBaseline.string();
    rq.meta.overrides = {"scenario.horizon=30d"};
    rq.meta.command_line = "relsim run 'baseline.yaml'";
    rq.meta.scenario_text = "kind: Scenario  # \"quoted\"\n\tspec: {}\n";
    out.outcome = analysis::run_scenario(out.model, rq);
    return out;
  }();
  return run;
}

TEST(RunSummaryJson, ReadsBackAsTheSummaryItWasBuiltFrom) {
  const BaselineRun& run = baseline_run();
  const auto& m = run.model;
  const auto& s = run.outcome.summary;
  const JsonValue doc = parse_json(
      analysis::summary_json(m, s, run.outcome.meta, run.outcome.timing, /*with_meta=*/false));
  EXPECT_EQ(doc.keys(),
            (std::vector<std::string>{"scenario", "scenarioFile", "system", "seed", "trials",
                                      "firstTrial", "trialsSummarised", "horizon", "horizonSeconds",
                                      "confidence", "events", "eventsPerTrial", "slos", "services",
                                      "pagesPerTrial", "teams", "incidents", "timing"}));
  EXPECT_EQ(doc.at("scenario").string, m.names.scenario);
  EXPECT_EQ(doc.at("system").string, m.names.system);
  EXPECT_EQ(doc.at("seed").number, static_cast<double>(run.outcome.meta.seed));
  EXPECT_EQ(doc.at("trialsSummarised").number, 40.0);
  EXPECT_EQ(doc.at("horizon").string, "30d");
  EXPECT_EQ(doc.at("events").number, static_cast<double>(s.events));
  EXPECT_TRUE(same_bits(doc.at("eventsPerTrial").number, s.events_per_trial));

  const JsonValue& slos = doc.at("slos");
  ASSERT_EQ(slos.array.size(), m.slos.size());
  ASSERT_FALSE(m.slos.empty());
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    const JsonValue& slo = slos.at(k);
    const auto& x = s.slos[k];
    EXPECT_EQ(slo.at("name").string, m.names.slos[k]);
    expect_interval(slo.at("attainment"), x.attainment, m.names.slos[k] + ".attainment");
    EXPECT_EQ(slo.at("met").at("trials").number, static_cast<double>(x.met));
    expect_interval(slo.at("met").at("probability"), x.p_met, "met.probability");
    expect_interval(slo.at("budgetConsumed").at("mean"), x.budget_consumed, "budgetConsumed");
    EXPECT_EQ(slo.at("budgetConsumed").at("p95").at("upperRank").number,
              static_cast<double>(x.budget_consumed_p95.upper_rank));
    ASSERT_EQ(slo.at("tiers").array.size(), x.tiers.size());
    for (std::size_t t = 0; t < x.tiers.size(); ++t) {
      EXPECT_EQ(slo.at("tiers").at(t).at("trials").number, static_cast<double>(x.tiers[t].reached));
      EXPECT_EQ(slo.at("tiers").at(t).at("remainingAbove").type == JsonValue::Type::null,
                !x.tiers[t].remaining_above.has_value());
    }
    // The envelope is written as floats: each sample reads back as the same float.
    const JsonValue& mean = slo.at("remainingBudget").at("mean");
    ASSERT_EQ(mean.array.size(), x.remaining_budget.mean.size());
    ASSERT_FALSE(mean.array.empty());
    for (std::size_t i = 0; i < mean.array.size(); ++i) {
      EXPECT_EQ(static_cast<float>(mean.at(i).number),
                static_cast<float>(x.remaining_budget.mean[i]));
    }
  }
  const JsonValue& services = doc.at("services");
  ASSERT_EQ(services.array.size(), m.services.size());
  for (std::size_t v = 0; v < m.services.size(); ++v) {
    EXPECT_EQ(services.at(v).at("name").string, m.names.components[m.services[v].component]);
    expect_interval(services.at(v).at("availability"), s.services[v].availability, "availability");
  }
  expect_interval(doc.at("pagesPerTrial"), s.pages_per_trial, "pagesPerTrial");
  ASSERT_EQ(doc.at("teams").array.size(), s.teams.size());
  const JsonValue& all = doc.at("incidents").at("all");
  EXPECT_EQ(doc.at("incidents").keys(),
            (std::vector<std::string>{"all", "sev1", "sev2", "sev3", "sev4"}));
  EXPECT_EQ(all.at("count").number, static_cast<double>(s.incidents[0].incidents));
  expect_interval(all.at("mttrSeconds").at("mean"), s.incidents[0].durations[0].mean,
                  "mttrSeconds.mean");
  EXPECT_EQ(doc.at("timing").at("threads").number, 2.0);
}

TEST(RunSummaryJson, TimingIsTheLastLineAndTheOnlyOneThatNamesTheMachine) {
  const BaselineRun& run = baseline_run();
  const std::string text = analysis::summary_json(run.model, run.outcome.summary, run.outcome.meta,
                                                  run.outcome.timing, /*with_meta=*/true);
  const auto last = text.rfind("\n  \"timing\": {\"wallSeconds\": ");
  ASSERT_NE(last, std::string::npos) << text.substr(text.size() - 200);
  EXPECT_EQ(text.find('\n', last + 1), text.size() - 3);  // then "\n}\n"
}

TEST(RunMetaJson, EveryFieldReadsBackUnderItsKeyInOrder) {
  const BaselineRun& run = baseline_run();
  const analysis::RunMeta& meta = run.outcome.meta;
  const JsonValue doc = parse_json(analysis::meta_json(meta));
  std::vector<std::string> keys{"formatVersion"};
  analysis::for_each_meta_field(meta, [&](const char*, const char* key, const auto& value) {
    keys.emplace_back(key);
    const JsonValue& v = doc.at(key);
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::string>) {
      EXPECT_EQ(v.string, value) << key;
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      ASSERT_EQ(v.array.size(), value.size()) << key;
      for (std::size_t i = 0; i < value.size(); ++i) EXPECT_EQ(v.at(i).string, value[i]) << key;
    } else {
      EXPECT_EQ(v.number, static_cast<double>(value)) << key;
    }
  });
  EXPECT_EQ(doc.keys(), keys);
  EXPECT_EQ(doc.at("formatVersion").number, static_cast<double>(analysis::kResultsFormatVersion));
  EXPECT_EQ(doc.at("overrides").at(std::size_t{0}).string, "scenario.horizon=30d");
  EXPECT_EQ(doc.at("trialCount").number, 40.0);
  EXPECT_EQ(doc.at("scenarioText").string, "kind: Scenario  # \"quoted\"\n\tspec: {}\n");
  // The JSON export carries the same object under `meta`.
  const JsonValue with_meta =
      parse_json(analysis::summary_json(run.model, run.outcome.summary, meta, run.outcome.timing,
                                        /*with_meta=*/true));
  EXPECT_EQ(with_meta.at("meta").keys(), keys);
  EXPECT_EQ(with_meta.at("meta").at("seed").number, static_cast<double>(meta.seed));
}

// ---------------------------------------------------------------- the commands

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("relsim-json-docs-" + std::to_string(getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FigureTableJson, MetaAndColumnsReadBackInJsonAndCsv) {
  const TempDir dir;
  analysis::FigureTableMeta meta;
  meta.command = "compare";
  meta.relsim_version = "0.test";
  meta.command_line = "relsim compare 'a b.yaml'";
  meta.seed = 18446744073709551615ULL;  // the largest seed reads back exactly
  meta.trials = 3;
  meta.first_trial = 4;
  meta.confidence = 0.9;
  const std::vector<double> values{0.1, std::nan(""), 1.0 / 3.0};
  const std::vector<analysis::FigureColumn> columns{
      {"baseline", "web, \"api\"", "attainment", "fraction", &values}};
  analysis::write_figure_table({(dir.path / "f.json").string(), analysis::ExportFormat::json}, meta,
                               columns);
  analysis::write_figure_table({(dir.path / "f").string(), analysis::ExportFormat::csv}, meta,
                               columns);
  const JsonValue doc = parse_json(read_file(dir.path / "f.json"));
  const JsonValue csv_meta = parse_json(read_file(dir.path / "f" / "meta.json"));
  for (const JsonValue* m : {&doc.at("meta"), &csv_meta}) {
    std::vector<std::string> keys;
    analysis::for_each_figure_meta_field(meta, [&](const char*, const char* key, const auto& v) {
      keys.emplace_back(key);
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        EXPECT_EQ(m->at(key).string, v) << key;
      } else {
        EXPECT_EQ(m->at(key).number, static_cast<double>(v)) << key;
      }
    });
    EXPECT_EQ(m->keys(), keys);
  }
  // The seed's text is exact (a double would round it).
  EXPECT_NE(read_file(dir.path / "f" / "meta.json").find("\"seed\": 18446744073709551615"),
            std::string::npos);
  const JsonValue& column = doc.at("columns").at(std::size_t{0});
  EXPECT_EQ(column.at("subject").string, "web, \"api\"");
  EXPECT_TRUE(same_bits(column.at("values").at(std::size_t{0}).number, 0.1));
  EXPECT_EQ(column.at("values").at(std::size_t{1}).type, JsonValue::Type::null);
  EXPECT_TRUE(same_bits(column.at("values").at(std::size_t{2}).number, 1.0 / 3.0));
  // CSV: shortest round-trip numbers, an empty field for NaN, a quoted subject.
  EXPECT_EQ(read_file(dir.path / "f" / "figures.csv"),
            "trial,c0\n4,0.1\n5,\n6," + analysis::shortest(1.0 / 3.0) + "\n");
  EXPECT_EQ(
      read_file(dir.path / "f" / "columns.csv"),
      "column,run,subject,figure,unit\nc0,baseline,\"web, \"\"api\"\"\",attainment,fraction\n");
}

TEST(GraphJson, ListsTheTopologyItWasBuiltFrom) {
  const auto r = test::relsim("graph --format json " + quote(kBaseline));
  ASSERT_EQ(r.code, 0) << r.out;
  const JsonValue doc = parse_json(r.out);
  const models::ResolvedScenario loaded = models::load_scenario(kBaseline.string());
  const models::Topology t = models::Topology::build(loaded.system);
  EXPECT_EQ(doc.at("system").string, loaded.system.name);
  const JsonValue& nodes = doc.at("nodes");
  ASSERT_EQ(nodes.array.size(), t.vertex_count());
  for (models::VertexId v = 0; v < t.vertex_count(); ++v) {
    EXPECT_EQ(nodes.at(v).at("id").number, static_cast<double>(v));
    EXPECT_EQ(nodes.at(v).at("name").string, t.vertex(v).name);
    EXPECT_EQ(nodes.at(v).at("kind").string, models::to_string(t.vertex(v).kind));
  }
  ASSERT_EQ(doc.at("edges").array.size(), t.edges().size());
  for (std::size_t i = 0; i < t.edges().size(); ++i) {
    const auto& e = t.edges()[i];
    EXPECT_EQ(doc.at("edges").at(i).at("from").string, t.vertex(e.from).name);
    // Rounded to 15 significant digits: a backing edge's 1 − 0.9 is 0.1.
    EXPECT_NEAR(doc.at("edges").at(i).at("callFraction").number, e.call_fraction, 1e-14);
  }
  EXPECT_EQ(doc.at("zones").array.size(), t.zone_count());
  EXPECT_EQ(doc.at("topologicalOrder").array.size(), t.vertex_count());
}

TEST(AnalyzeJson, HoldsTheClosedFormAvailability) {
  // One replica crashing every 4 h (exponential) and restarting in 1 h:
  // long-run availability μ / (λ + μ) = 1 / (1/4 + 1) = 0.8.
  const fs::path file = kSource / "tests" / "data" / "compare" / "one-replica.yaml";
  const auto r = test::relsim("analyze --no-deploys --format json " + quote(file));
  ASSERT_EQ(r.code, 0) << r.out;
  const JsonValue doc = parse_json(r.out);
  EXPECT_EQ(doc.at("system").string, "one-replica");
  EXPECT_EQ(doc.at("scenario").string, "one-replica-month");
  const JsonValue& web = doc.at("components").at(std::size_t{0});
  EXPECT_EQ(web.at("name").string, "web");
  EXPECT_NEAR(web.at("availability").number, 0.8, 1e-12);
  EXPECT_NEAR(web.at("downtimeSecondsPer30d").number, 0.2 * 30 * 86400, 1e-6);
  const JsonValue& slo = doc.at("slos").at(std::size_t{0});
  EXPECT_EQ(slo.at("name").string, "web-availability");
  EXPECT_NEAR(slo.at("attainment").number, 0.8, 1e-12);
  EXPECT_EQ(slo.at("met").type, JsonValue::Type::boolean);
  EXPECT_FALSE(slo.at("met").boolean);
  EXPECT_EQ(doc.at("notes").type, JsonValue::Type::array);
}

TEST(RunSummaryJson, IncidentFiguresMatchTheTextAndSurviveAShardMerge) {
  // The issue-20 model: a zone outage impairs edge-api and the services it
  // calls. The JSON carries what the text's incident extras print: MTTR by
  // impaired service, the budget incidents took per SLO, by cause.
  const fs::path file = kSource / "tests" / "data" / "incidents" / "edge-api.yaml";
  const std::string common = "run " + quote(file) + " --trials 40 --seed 5 --format json";
  const auto r = test::relsim(common + " --threads 1");
  ASSERT_EQ(r.code, 0) << r.out;
  const JsonValue doc = parse_json(r.out);
  const JsonValue& f = doc.at("incidentFigures");
  const JsonValue& edge = f.at("byService").at("edge-api");
  EXPECT_GT(edge.at("incidents").number, 0.0);
  EXPECT_EQ(edge.at("resolveSeconds").at("n").number, edge.at("incidents").number);
  // Every impaired service's incidents are at least those it was primary of.
  double by_cause = 0.0;
  for (const auto& cause : f.at("byCause").keys())
    by_cause += f.at("byCause").at(cause).at("incidents").number;
  double by_service = 0.0;
  for (const auto& s : f.at("byService").keys())
    by_service += f.at("byService").at(s).at("incidents").number;
  EXPECT_GE(by_service, by_cause);
  const JsonValue& budget = f.at("sloBudgetFromIncidents").at("edge-availability");
  EXPECT_GT(budget.at("estimate").number, 0.0);
  EXPECT_LE(budget.at("low").number, budget.at("estimate").number);
  // Two shards merged print the same figures as the single run.
  const fs::path dir =
      fs::temp_directory_path() / ("relsim-json-figures-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (int k = 0; k < 2; ++k) {
    const auto part = test::relsim(common + " --shard " + std::to_string(k) + "/2 --out " +
                                   quote(dir / ("p" + std::to_string(k) + ".h5")));
    ASSERT_EQ(part.code, 0) << part.out;
  }
  const auto merged = test::relsim("merge " + quote(dir / "p0.h5") + " " + quote(dir / "p1.h5") +
                                   " --out " + quote(dir / "all.h5") + " --format json");
  fs::remove_all(dir);
  ASSERT_EQ(merged.code, 0) << merged.out;
  const JsonValue again = parse_json(merged.out);
  EXPECT_TRUE(same_value(again.at("incidentFigures"), f));
}

TEST(PlanJson, RanksTheCandidatesItLists) {
  const TempDir dir;
  const fs::path out = dir.path / "plan.json";
  const auto r =
      test::relsim("plan " + quote(kSource / "scenarios" / "gamedays" / "week1-pod-kill.yaml") +
                   " --trials 20 --threads 2 --format json -o " + quote(out));
  ASSERT_EQ(r.code, 0) << r.out;
  const JsonValue doc = parse_json(read_file(out));
  EXPECT_EQ(doc.at("trials").number, 20.0);
  EXPECT_EQ(doc.at("system").string, "payments");
  const JsonValue& candidates = doc.at("candidates");
  const JsonValue& ranking = doc.at("ranking");
  ASSERT_FALSE(candidates.array.empty());
  ASSERT_EQ(ranking.array.size(), candidates.array.size());
  for (const JsonValue& c : candidates.array) {
    const auto rank = static_cast<std::size_t>(c.at("rank").number);
    ASSERT_GE(rank, 1U);
    EXPECT_EQ(ranking.at(rank - 1).string, c.at("start").string);
    const JsonValue& p_abort = c.at("pAbort");
    EXPECT_LE(p_abort.at("low").number, p_abort.at("estimate").number);
    EXPECT_LE(p_abort.at("estimate").number, p_abort.at("high").number);
    for (const JsonValue& h : c.at("hypotheses").array) {
      EXPECT_EQ(h.at("median").at("never").type, JsonValue::Type::boolean);
      EXPECT_NEAR(h.at("pHolds").at("estimate").number, h.at("holds").number / 20.0, 1e-12);
    }
  }
  EXPECT_EQ(doc.at("verdict").at("start").string, ranking.at(std::size_t{0}).string);
  EXPECT_EQ(doc.at("timing").at("threads").number, 2.0);
}

}  // namespace
}  // namespace relsim
