// Incidents with an impact set (issue 20): the model of tests/data/incidents/
// edge-api.yaml — a user-facing edge-api calling auth (declared first),
// catalog and a soft recommendations service, a datastore behind two caches,
// two zones, three SLOs, two teams — with zone-a down for 30 minutes at the
// evening peak. Before, every such incident was put on `auth` (the first
// impaired service in declaration order) and charged to auth-availability.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "analysis/incident_summary.hpp"
#include "analysis/results_file.hpp"
#include "analysis/trial_row.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "models/world.hpp"
#include "sim/random.hpp"
#include "tests/support/run_relsim.hpp"

namespace relsim::models {
namespace {

namespace fs = std::filesystem;

const std::string kFixture = std::string(RELSIM_SOURCE_DIR) + "/tests/data/incidents/edge-api.yaml";
constexpr std::uint64_t kSeed = 20;  // the scenario's

CompiledModel fixture() {
  const auto resolved = load_scenario(kFixture);
  return compile(resolved.system, resolved.scenario);
}

Index component(const CompiledModel& m, const std::string& name) {
  const auto it = std::find(m.names.components.begin(), m.names.components.end(), name);
  if (it == m.names.components.end()) throw std::runtime_error("no component " + name);
  return static_cast<Index>(it - m.names.components.begin());
}

template <class Names>
Index index_of(const Names& names, const std::string& name) {
  return static_cast<Index>(std::find(names.begin(), names.end(), name) - names.begin());
}

/// The component indices of incident `id`'s impact set.
std::set<std::uint32_t> impact_set(const TrialResult& r, std::uint32_t id) {
  std::set<std::uint32_t> out;
  for (const IncidentImpact& v : r.impacts) {
    if (v.incident == id) out.insert(v.service);
  }
  return out;
}

/// The incident the injected zone outage opened (nullptr: none).
const IncidentRow* zone_outage_incident(const TrialResult& r) {
  for (const IncidentRow& x : r.incidents) {
    if (x.cause == IncidentCause::injected_fault && x.cause_index == 0) return &x;
  }
  return nullptr;
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("relsim-impact-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(ImpactSet, ZoneOutageIsAnIncidentOfTheUserFacingServiceCausedByTheZone) {
  const CompiledModel m = fixture();
  World world(m);
  const Index edge = component(m, "edge-api"), auth = component(m, "auth"),
              catalog = component(m, "catalog");
  const Index zone_a = index_of(m.names.zones, "zone-a");
  const Index edge_slo = index_of(m.names.slos, "edge-availability");
  const Index auth_slo = index_of(m.names.slos, "auth-availability");
  for (std::uint64_t t = 0; t < 20; ++t) {
    SCOPED_TRACE("trial " + std::to_string(t));
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    const IncidentRow* x = zone_outage_incident(r);
    ASSERT_NE(x, nullptr);
    // The primary is the user-facing edge-api, not auth (declared first).
    EXPECT_EQ(x->service, edge);
    EXPECT_EQ(x->cause_zone, zone_a);
    EXPECT_EQ(x->cause_component, kNoRow);  // a zone, no component
    const std::set<std::uint32_t> set = impact_set(r, x->id);
    EXPECT_TRUE(set.count(edge) && set.count(auth) && set.count(catalog));
    // Each as it really was impaired: from the outage on, with failed
    // requests of its own, auth back long before edge-api.
    sim::Duration auth_back, edge_back;
    for (const IncidentImpact& v : r.impacts) {
      if (v.incident != x->id) continue;
      EXPECT_EQ(v.impaired, x->start);
      EXPECT_GT(v.requests_failed, 0.0);
      ASSERT_NE(v.recovered, kNever);
      EXPECT_GT(v.recovered, v.impaired);
      if (v.service == auth) auth_back = v.recovered;
      if (v.service == edge) edge_back = v.recovered;
    }
    EXPECT_LT(auth_back, edge_back);
    EXPECT_EQ(x->mitigated, edge_back);  // its last impaired service recovered
    // The budget it cost: most of edge-availability's, little of auth's.
    double edge_cost = 0.0, auth_cost = 0.0;
    for (const IncidentSloCost& c : r.incident_slos) {
      if (c.incident != x->id) continue;
      if (c.slo == edge_slo) edge_cost = c.budget_consumed;
      if (c.slo == auth_slo) auth_cost = c.budget_consumed;
    }
    EXPECT_GT(edge_cost, 0.1);
    EXPECT_LT(auth_cost, 0.5 * edge_cost);
    EXPECT_EQ(x->budget_consumed, edge_cost);  // the primary's first SLO
    // Its runbook is edge-api's, the one that drains the failed zone.
    if (x->runbook != kNoRow) {
      EXPECT_EQ(m.runbooks[x->runbook].component, edge);
    }
  }
}

TEST(ImpactSet, DatastoreFailureIsCausedByTheDatastoreAndLedByTheUserFacingService) {
  const CompiledModel m = fixture();
  World world(m);
  const Index edge = component(m, "edge-api"), db = component(m, "main-db"),
              catalog = component(m, "catalog");
  int seen = 0, with_runbook = 0;
  for (std::uint64_t t = 0; t < 60; ++t) {
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    for (const IncidentRow& x : r.incidents) {
      if (x.cause != IncidentCause::datastore_failure) continue;
      SCOPED_TRACE("trial " + std::to_string(t) + " incident " + std::to_string(x.id));
      ++seen;
      EXPECT_EQ(x.cause_component, db);
      EXPECT_EQ(x.service, edge);
      const std::set<std::uint32_t> set = impact_set(r, x.id);
      EXPECT_TRUE(set.count(catalog) && set.count(edge));
      // The runbook that fails the datastore over: catalog's.
      if (x.runbook != kNoRow) {
        ++with_runbook;
        EXPECT_EQ(m.runbooks[x.runbook].component, catalog);
      }
    }
  }
  EXPECT_GE(seen, 20);  // a primary failure every 20 days on average
  EXPECT_GT(with_runbook, 0);
}

TEST(ImpactSet, CrashedReplicaLeadsToItsServicesRunbookAndTheUserFacingPrimary) {
  // An auth replica crash impairs auth and, through the hard dependency,
  // edge-api: the primary is edge-api, the runbook auth's (the cause's).
  const CompiledModel m = fixture();
  World world(m);
  const Index edge = component(m, "edge-api"), auth = component(m, "auth");
  int seen = 0;
  for (std::uint64_t t = 0; t < 30; ++t) {
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    for (const IncidentRow& x : r.incidents) {
      if (x.cause != IncidentCause::replica_crash || x.cause_component != auth) continue;
      const std::set<std::uint32_t> set = impact_set(r, x.id);
      if (!set.count(edge)) continue;
      ++seen;
      EXPECT_EQ(x.service, edge);
      if (x.runbook != kNoRow) {
        EXPECT_EQ(m.runbooks[x.runbook].component, auth);
      }
    }
  }
  EXPECT_GT(seen, 5);
}

TEST(ImpactSet, BudgetByIncidentSumsToTheSlosConsumptionFromIncidents) {
  const CompiledModel m = fixture();
  World world(m);
  for (std::uint64_t t = 0; t < 40; ++t) {
    SCOPED_TRACE("trial " + std::to_string(t));
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    std::vector<double> sum(m.slos.size(), 0.0);
    for (const IncidentSloCost& c : r.incident_slos) {
      ASSERT_LT(c.incident, r.incidents.size());
      sum[c.slo] += c.budget_consumed;
    }
    for (std::size_t k = 0; k < m.slos.size(); ++k) {
      const double from_incidents = r.slos[k].incident_budget_consumed;
      EXPECT_NEAR(sum[k], from_incidents, 1e-9 * std::max(1e-300, from_incidents));
      // Incidents cost no more than the SLO lost in all.
      EXPECT_LE(from_incidents, r.slos[k].budget_consumed * (1.0 + 1e-9));
    }
    // The outage month: most of edge-availability's loss is incidents'.
    const Index edge_slo = index_of(m.names.slos, "edge-availability");
    EXPECT_GT(r.slos[edge_slo].incident_budget_consumed, 0.8 * r.slos[edge_slo].budget_consumed);
    // The rows are ordered by incident, then SLO.
    EXPECT_TRUE(std::is_sorted(r.incident_slos.begin(), r.incident_slos.end(),
                               [](const IncidentSloCost& a, const IncidentSloCost& b) {
                                 return std::make_pair(a.incident, a.slo) <
                                        std::make_pair(b.incident, b.slo);
                               }));
    EXPECT_TRUE(std::is_sorted(
        r.impacts.begin(), r.impacts.end(),
        [](const IncidentImpact& a, const IncidentImpact& b) { return a.incident < b.incident; }));
  }
}

TEST(ImpactSet, MttrByServiceCountsAnIncidentForEveryServiceItImpaired) {
  const CompiledModel m = fixture();
  World world(m);
  std::vector<TrialResult> results;
  std::map<std::string, std::uint64_t> expected;
  std::uint64_t incidents = 0, memberships = 0;
  for (std::uint64_t t = 0; t < 30; ++t) {
    results.push_back(world.run(sim::trial_seed(kSeed, t)));
    incidents += results.back().incidents.size();
    for (const IncidentImpact& v : results.back().impacts) {
      ++expected[m.names.components[v.service]];
      ++memberships;
    }
  }
  const analysis::IncidentSummary s = analysis::summarize_incidents(m, results, 0.95);
  std::uint64_t total = 0;
  for (const analysis::IncidentGroup& g : s.by_service) {
    EXPECT_EQ(g.incidents, expected[g.label]) << g.label;
    total += g.incidents;
  }
  EXPECT_EQ(total, memberships);
  EXPECT_GT(memberships, incidents);  // the zone outage counts for four services
  EXPECT_EQ(s.by_service.size(), expected.size());
  // Budget by incident per SLO: the mean of the trials' consumption from incidents.
  ASSERT_EQ(s.slo_incident_budget.size(), m.slos.size());
  for (std::size_t k = 0; k < m.slos.size(); ++k) {
    double sum = 0.0;
    for (const TrialResult& r : results) sum += r.slos[k].incident_budget_consumed;
    EXPECT_NEAR(s.slo_incident_budget[k].estimate, sum / results.size(), 1e-12);
  }
  // auth's group has the zone outages although none is auth's incident.
  const auto auth =
      std::find_if(s.by_service.begin(), s.by_service.end(),
                   [](const analysis::IncidentGroup& g) { return g.label == "auth"; });
  ASSERT_NE(auth, s.by_service.end());
  EXPECT_GE(auth->incidents, 30u);
  EXPECT_NE(analysis::format_incident_extras(s).find(
                "by service (an incident counts for every service it impaired"),
            std::string::npos);
}

TEST(ImpactSet, PagingGoesToTheTeamOfTheAlertThatFired) {
  const CompiledModel m = fixture();
  World world(m);
  const Index edge_team = index_of(m.names.teams, "edge");
  int paged = 0;
  for (std::uint64_t t = 0; t < 20; ++t) {
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    for (const IncidentRow& x : r.incidents) {
      if (x.paged == kNever || x.acked == kNever) continue;
      ASSERT_NE(x.paged_alert, kNoRow);
      // Acknowledged by the team the firing alert paged.
      EXPECT_EQ(x.team, m.alerts[x.paged_alert].team);
      ++paged;
    }
    const IncidentRow* z = zone_outage_incident(r);
    ASSERT_NE(z, nullptr);
    if (z->paged != kNever) {
      // edge-api's burn alerts fired (auth at 99.99 % fired none): edge pages.
      EXPECT_EQ(m.alerts[z->paged_alert].team, edge_team);
      EXPECT_EQ(m.names.alerts[z->paged_alert].rfind("Edge", 0), 0u);
    }
  }
  EXPECT_GT(paged, 10);
}

TEST(ImpactSet, ResultsFileRoundTripsTheImpactSet) {
  const CompiledModel m = fixture();
  const fs::path dir = temp_dir("roundtrip");
  const std::string h5 = (dir / "run.h5").string();
  const auto out = test::relsim("run " + kFixture + " --trials 12 --threads 2 -q --out " + h5);
  ASSERT_EQ(out.code, 0) << out.out;
  const analysis::ResultsFileReader reader(h5);
  // Two blocks, so the reader's cursor over the impact tables is exercised.
  analysis::TrialBlock block = reader.read_block(0, 5);
  const analysis::TrialBlock rest = reader.read_block(5, 7);
  block.incidents.insert(block.incidents.end(), rest.incidents.begin(), rest.incidents.end());
  block.impacts.insert(block.impacts.end(), rest.impacts.begin(), rest.impacts.end());
  block.incident_slos.insert(block.incident_slos.end(), rest.incident_slos.begin(),
                             rest.incident_slos.end());
  World world(m);
  std::size_t next = 0, impact = 0, cost = 0;
  for (std::uint64_t t = 0; t < 12; ++t) {
    SCOPED_TRACE("trial " + std::to_string(t));
    const TrialResult r = world.run(sim::trial_seed(kSeed, t));
    TrialResult back;
    analysis::incidents_of(block, next, r.incidents.size(), impact, cost, back);
    next += r.incidents.size();
    ASSERT_EQ(back.incidents.size(), r.incidents.size());
    for (std::size_t i = 0; i < r.incidents.size(); ++i) {
      EXPECT_EQ(back.incidents[i].service, r.incidents[i].service);
      EXPECT_EQ(back.incidents[i].cause_component, r.incidents[i].cause_component);
      EXPECT_EQ(back.incidents[i].cause_zone, r.incidents[i].cause_zone);
      EXPECT_EQ(back.incidents[i].runbook, r.incidents[i].runbook);
    }
    ASSERT_EQ(back.impacts.size(), r.impacts.size());
    for (std::size_t i = 0; i < r.impacts.size(); ++i) {
      EXPECT_EQ(back.impacts[i].incident, r.impacts[i].incident);
      EXPECT_EQ(back.impacts[i].service, r.impacts[i].service);
      EXPECT_EQ(back.impacts[i].impaired, r.impacts[i].impaired);
      EXPECT_EQ(back.impacts[i].recovered, r.impacts[i].recovered);
      EXPECT_EQ(back.impacts[i].requests_failed, r.impacts[i].requests_failed);
    }
    ASSERT_EQ(back.incident_slos.size(), r.incident_slos.size());
    for (std::size_t i = 0; i < r.incident_slos.size(); ++i) {
      EXPECT_EQ(back.incident_slos[i].incident, r.incident_slos[i].incident);
      EXPECT_EQ(back.incident_slos[i].slo, r.incident_slos[i].slo);
      EXPECT_EQ(back.incident_slos[i].bad, r.incident_slos[i].bad);
      EXPECT_EQ(back.incident_slos[i].budget_consumed, r.incident_slos[i].budget_consumed);
    }
  }
  EXPECT_EQ(impact, block.impacts.size());
  EXPECT_EQ(cost, block.incident_slos.size());
  fs::remove_all(dir);
}

TEST(ImpactSet, ShardsMergeIntoTheSingleRunsFiguresAndTables) {
  const fs::path dir = temp_dir("merge");
  const std::string d = dir.string();
  const std::string args = "run " + kFixture + " --trials 16 -q ";
  ASSERT_EQ(test::relsim(args + "--threads 1 --out " + d + "/one.h5 -o " + d + "/one.txt").code, 0);
  ASSERT_EQ(test::relsim(args + "--shard 0/2 --out " + d + "/p0.h5").code, 0);
  ASSERT_EQ(test::relsim(args + "--shard 1/2 --threads 2 --out " + d + "/p1.h5").code, 0);
  const auto merged =
      test::relsim("merge " + d + "/p1.h5 " + d + "/p0.h5 --out " + d + "/m.h5 -o " + d + "/m.txt");
  ASSERT_EQ(merged.code, 0) << merged.out;
  auto section = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    const auto at = text.find("by service");
    return at == std::string::npos ? std::string() : text.substr(at);
  };
  EXPECT_FALSE(section(d + "/one.txt").empty());
  // The budget by incident per SLO is printed after the groups, merged alike.
  EXPECT_NE(section(d + "/one.txt").find("budget by incident"), std::string::npos);
  EXPECT_NE(section(d + "/one.txt").find("  edge-availability: "), std::string::npos);
  EXPECT_EQ(section(d + "/one.txt"), section(d + "/m.txt"));
  const analysis::ResultsFileReader one(d + "/one.h5"), m(d + "/m.h5");
  const analysis::TrialBlock a = one.read_block(0, 16), b = m.read_block(0, 16);
  ASSERT_EQ(a.impacts.size(), b.impacts.size());
  for (std::size_t i = 0; i < a.impacts.size(); ++i) {
    EXPECT_EQ(a.impacts[i].trial, b.impacts[i].trial);
    EXPECT_EQ(a.impacts[i].service, b.impacts[i].service);
    EXPECT_EQ(a.impacts[i].requests_failed, b.impacts[i].requests_failed);
  }
  ASSERT_EQ(a.incident_slos.size(), b.incident_slos.size());
  for (std::size_t i = 0; i < a.incident_slos.size(); ++i) {
    EXPECT_EQ(a.incident_slos[i].budget_consumed, b.incident_slos[i].budget_consumed);
  }
  fs::remove_all(dir);
}

TEST(ImpactSet, CsvHasTheImpactSetAndSloCostTables) {
  const fs::path dir = temp_dir("csv");
  const std::string out = (dir / "csv").string();
  ASSERT_EQ(
      test::relsim("run " + kFixture + " --trials 3 -q --out " + out + " --out-format csv").code,
      0);
  std::ifstream services(out + "/incident_services.csv"), slos(out + "/incident_slos.csv");
  std::string header, line;
  ASSERT_TRUE(std::getline(services, header));
  EXPECT_EQ(header, "trial,incident,service,service_name,impaired_s,recovered_s,requests_failed");
  bool zone_outage_auth = false;
  while (std::getline(services, line)) zone_outage_auth |= line.find(",auth,") != std::string::npos;
  EXPECT_TRUE(zone_outage_auth);
  ASSERT_TRUE(std::getline(slos, header));
  EXPECT_EQ(header, "trial,incident,slo,slo_name,bad_requests,budget_consumed");
  fs::remove_all(dir);
}

TEST(ImpactSet, ReportTimelineNamesThePrimaryServiceAndTheCause) {
  const fs::path dir = temp_dir("report");
  const std::string html = (dir / "report.html").string();
  const auto out = test::relsim("run " + kFixture + " --trials 4 -q --report " + html);
  ASSERT_EQ(out.code, 0) << out.out;
  std::ifstream in(html);
  std::stringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  // "#k edge-api: injected fault (zoneOutage@Tue 20:00), +3 services", not "#k auth
  // injected_fault".
  EXPECT_NE(text.find("edge-api: injected fault (zoneOutage@Tue 20:00), +"), std::string::npos);
  EXPECT_EQ(text.find("auth injected_fault"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace relsim::models
