// The newcomer's commands as a user runs them: `relsim init` (each template
// validates and runs as written; never overwrites; bad names), `relsim
// explain` (concrete lines for known files), an example under every
// subcommand's --help, and "did you mean" for unknown subcommands and flags.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::test::relsim;

const fs::path kSource = RELSIM_SOURCE_DIR;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(fs::temp_directory_path() /
              ("relsim-newcomer-" + tag + "-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ---------------------------------------------------------------- init

class InitTemplate : public ::testing::TestWithParam<std::string> {};

TEST_P(InitTemplate, WritesFilesThatValidateExplainAndRun) {
  const std::string tpl = GetParam();
  TempDir tmp("init-" + tpl);
  const fs::path dir = tmp.path() / "my-svc";
  const auto init = relsim("init --template " + tpl + " " + q(dir));
  ASSERT_EQ(init.code, 0) << init.out;
  EXPECT_TRUE(contains(init.out, "created " + (dir / "system.yaml").string())) << init.out;
  EXPECT_TRUE(contains(init.out, "relsim explain " + (dir / "system.yaml").string())) << init.out;
  const std::string system = read(dir / "system.yaml");
  EXPECT_TRUE(contains(system, "metadata:\n  name: my-svc ")) << system.substr(0, 800);
  EXPECT_TRUE(contains(read(dir / "scenario.yaml"), "metadata:\n  name: my-svc-"));

  const auto v = relsim("validate " + q(dir / "system.yaml") + " " + q(dir / "scenario.yaml"));
  ASSERT_EQ(v.code, 0) << v.out;
  EXPECT_TRUE(contains(v.out, "ok: my-svc (System: ")) << v.out;
  EXPECT_TRUE(contains(v.out, "(Scenario on my-svc: 1 fault, ")) << v.out;

  const auto e = relsim("explain " + q(dir / "scenario.yaml"));
  ASSERT_EQ(e.code, 0) << e.out;
  EXPECT_TRUE(contains(e.out, "System my-svc: ")) << e.out;

  const auto r = relsim("run " + q(dir / "scenario.yaml") + " --trials 40 --threads 2");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "40 trials")) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Templates, InitTemplate,
                         ::testing::Values("web-service", "payments", "platform"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string n = p.param;
                           std::erase(n, '-');
                           return n;
                         });

TEST(Init, TheTemplatesInTheRepositoryAreTheOnesItWrites) {
  TempDir tmp("same");
  for (const std::string tpl : {"web-service", "payments", "platform"}) {
    const fs::path dir = tmp.path() / tpl;  // NAME = the template's own name: no renaming
    ASSERT_EQ(relsim("init -t " + tpl + " " + q(dir)).code, 0);
    EXPECT_EQ(read(dir / "system.yaml"),
              read(kSource / "scenarios/templates" / tpl / "system.yaml"));
    EXPECT_EQ(read(dir / "scenario.yaml"),
              read(kSource / "scenarios/templates" / tpl / "scenario.yaml"));
  }
}

TEST(Init, NeverOverwritesAndWritesNothingWhenAFileExists) {
  TempDir tmp("exists");
  const fs::path dir = tmp.path() / "svc";
  fs::create_directories(dir);
  std::ofstream(dir / "scenario.yaml") << "mine\n";
  const auto r = relsim("init " + q(dir));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "scenario.yaml' already exists; relsim init never overwrites"))
      << r.out;
  EXPECT_FALSE(fs::exists(dir / "system.yaml"));
  EXPECT_EQ(read(dir / "scenario.yaml"), "mine\n");

  // A second init into a directory it filled is refused too.
  const fs::path other = tmp.path() / "other";
  ASSERT_EQ(relsim("init " + q(other)).code, 0);
  const std::string before = read(other / "system.yaml");
  EXPECT_EQ(relsim("init -t payments " + q(other)).code, 1);
  EXPECT_EQ(read(other / "system.yaml"), before);
}

TEST(Init, RejectsBadNamesTemplatesAndPaths) {
  TempDir tmp("bad");
  const auto name = relsim("init " + q(tmp.path() / "bad name!"));
  EXPECT_EQ(name.code, 1);
  EXPECT_TRUE(contains(name.out, "invalid name 'bad name!'")) << name.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "bad name!"));

  const auto tpl = relsim("init --template webservice " + q(tmp.path() / "x"));
  EXPECT_EQ(tpl.code, 2) << tpl.out;
  EXPECT_TRUE(contains(tpl.out, "webservice")) << tpl.out;
  EXPECT_FALSE(fs::exists(tmp.path() / "x"));

  std::ofstream(tmp.path() / "file") << "x\n";
  const auto file = relsim("init " + q(tmp.path() / "file"));
  EXPECT_EQ(file.code, 1);
  EXPECT_TRUE(contains(file.out, "exists and is not a directory")) << file.out;

  // An unwritable place: nothing is left behind.
  const auto ro = relsim("init /proc/relsim-init-test");
  EXPECT_EQ(ro.code, 1) << ro.out;
  EXPECT_TRUE(contains(ro.out, "relsim: error: ")) << ro.out;
}

// ---------------------------------------------------------------- explain

TEST(Explain, SaysWhatItUnderstoodOfThePaymentsSystem) {
  const auto r = relsim("explain " + q(kSource / "scenarios/systems/payments.yaml"));
  ASSERT_EQ(r.code, 0) << r.out;
  const std::vector<std::string> lines = {
      "System payments: Payment API with a primary/replica datastore, a cache and fraud "
      "detection.",
      "  zones (3): us-east-1a, us-east-1b, us-east-1c.",
      "  payment-api: 6 replicas (2 in us-east-1a, 2 in us-east-1b, 2 in us-east-1c), 400 "
      "req/s each (2400 req/s in all).",
      "    users send 1200 req/s, 2x at 14:00 (2400 req/s) and 0.3x at 04:00.",
      "    depends on datastore payments-db (hard): when it fails, payment-api's requests fail.",
      "    depends on service fraud-detection (soft): calls give up after 2 s; when it fails, "
      "fallback rules-based-scoring serves 99 % of those requests.",
      "    depends on cache payments-redis (cache): 90 % of calls are hits, misses go to "
      "payments-db.",
      "    autoscales up to 12 replicas at 70 % utilisation, 2 min after the load changes.",
      "  payments-db: primary in us-east-1a, replicas in us-east-1b, us-east-1c; saturates "
      "above 3000 req/s.",
      "    automatic failover: noticed after 30 s, takes median 60 s, p90 90 s, then 12 s of "
      "connection errors; every call fails during the failover.",
      "  payment-availability: 99.99 % of payment-api's requests succeed, over a rolling 30 d; "
      "the error budget is 0.01 % of requests (4.32 min of full outage).",
      "  payment-latency: 99 % of payment-api's requests succeed within 500 ms, over a rolling "
      "30 d; the error budget is 1 % of requests.",
      "  budget policy: above 50 % left: ship; above 25 % left: freeze; above 0 % "
      "left: all hands; exhausted: leadership review.",
      "  PaymentAPIHighErrorRate: pages payments-oncall (owner of payment-api) when "
      "payment-api's error rate above 5 % for 1 min (checked every 1 min).",
      "  PaymentAPISlow: opens a ticket when payment-api's p99 latency above 2 s for 10 min "
      "(checked every 1 min).",
      "  payments-oncall: 6 people, 7 d shifts handed over Mon 10:00, with a secondary; owns "
      "payment-api, fraud-detection.",
      "    escalation if not acked: after 15 min to the secondary, after 30 min to team "
      "platform-senior; then the policy repeats 1 more time.",
      "  platform-senior: 6 people, 7 d shifts handed over Mon 10:00, no secondary; owns "
      "nothing (reached by escalation only).",
      "  SEV-1: error rate above 50 %; ack within 5 min, respond within 15 min.",
      "  SEV-4: anything else; ack by the next business day.",
  };
  for (const auto& line : lines) {
    EXPECT_TRUE(contains(r.out, line + "\n")) << "missing line:\n" << line << "\nin:\n" << r.out;
  }
  EXPECT_TRUE(contains(r.out,
                       "  PaymentAvailabilityBurn: on SLO payment-availability, every 1 "
                       "min: pages at 14.4x burn over 1 h and 5 min; pages at 6x burn "
                       "over 6 h and 30 min; opens a ticket at 3x burn over 24 h and 2 "
                       "h; opens a ticket at 1x burn over 3 d and 6 h. Pages go to "
                       "payments-oncall (owner of payment-api).\n"))
      << r.out;
}

TEST(Explain, SaysWhatAScenarioInjectsAndWhen) {
  const auto r = relsim("explain " + q(kSource / "scenarios/datastore/failover-90s.yaml"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "Scenario payments-db-failover-90s on system payments: ")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "  each trial simulates 30 d from the calendar start; 2000 trials, "
                       "seed 11.\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "  random failures are on, random deploys are off.\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  override: datastores.payments-db.failover.duration = 90s\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out,
                       "    at Tue 14:00 (1 d 14 h after the start): fail over datastore "
                       "payments-db (forced: no detection delay; its failover duration, "
                       "then its connection errors)\n"))
      << r.out;
  // The override is applied to what follows.
  EXPECT_TRUE(contains(r.out,
                       "automatic failover: noticed after 30 s, takes 90 s, then 12 s of "
                       "connection errors"))
      << r.out;
  // Client retry and partial connection errors.
  const auto retry =
      relsim("explain " + q(kSource / "scenarios/datastore/connection-errors-retry.yaml"));
  ASSERT_EQ(retry.code, 0) << retry.out;
  EXPECT_TRUE(contains(retry.out,
                       "    depends on datastore payments-db (hard): when it fails, "
                       "payment-api's requests fail; a failed call is tried again, 3 "
                       "tries in all, 200 ms apart.\n"))
      << retry.out;
  EXPECT_TRUE(contains(retry.out, "then 12 s of connection errors on 60 % of calls;")) << retry.out;
}

TEST(Explain, AppliesSetAndReportsBadFilesLikeValidate) {
  const auto set = relsim("explain " + q(kSource / "scenarios/guide/first-system.yaml") +
                          " --set services.web.replicas=3");
  ASSERT_EQ(set.code, 0) << set.out;
  EXPECT_TRUE(contains(set.out,
                       "  web: 3 replicas (3 in zone-a), 100 req/s each (300 req/s in "
                       "all).\n"))
      << set.out;
  EXPECT_TRUE(contains(set.out, "  none: nobody is paged, incidents are never detected.\n"))
      << set.out;

  TempDir tmp("explain-bad");
  const fs::path bad = tmp.path() / "bad.yaml";
  std::ofstream(bad) << "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: x}\n"
                        "spec:\n  zones: [a]\n  services:\n    - name: web\n      replicas: -2\n"
                        "      zones: [a]\n      capacityPerReplica: 10\n";
  const auto r = relsim("explain " + q(bad));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, bad.string() + ":8:17: error: ")) << r.out;
  EXPECT_FALSE(contains(r.out, "System x")) << r.out;
}

// ---------------------------------------------------------------- help and hints

TEST(Help, EverySubcommandHasAnExample) {
  const auto top = relsim("--help");
  ASSERT_EQ(top.code, 0);
  EXPECT_TRUE(contains(top.out, "Example:\n  relsim run ")) << top.out;
  // The subcommand names listed under "Subcommands:".
  std::vector<std::string> names;
  std::istringstream in(top.out.substr(top.out.find("Subcommands:")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.rfind("  ", 0) == 0) {
    if (line.size() < 3 || line[2] == ' ') continue;  // a description's continuation line
    std::istringstream words(line);
    std::string name;
    words >> name;
    names.push_back(name);
  }
  ASSERT_GE(names.size(), 13u) << top.out;
  for (const auto& n : std::vector<std::string>{"init", "explain", "run", "plan"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  names.insert(names.end(), {"incidents import", "incidents fit", "incidents power"});
  for (const auto& n : names) {
    const auto r = relsim(n + " --help");
    EXPECT_EQ(r.code, 0) << n;
    EXPECT_TRUE(contains(r.out, "Example:\n  relsim "))
        << "`relsim " << n << " --help` has no example:\n"
        << r.out;
  }
}

TEST(Help, UnknownSubcommandSuggestsTheNearest) {
  const auto r = relsim("runn scenarios/payments/baseline.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out,
            "relsim: error: unknown subcommand 'runn'; did you mean 'run'? (see 'relsim "
            "--help')\n");
  EXPECT_TRUE(contains(relsim("valdiate x.yaml").out, "did you mean 'validate'?"));
  EXPECT_TRUE(contains(relsim("expalin x.yaml").out, "did you mean 'explain'?"));
  EXPECT_TRUE(contains(relsim("incidents fitt x.csv").out,
                       "unknown subcommand 'fitt' of 'incidents'; did you mean 'fit'?"));
  const auto far = relsim("frobnicate");
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.out, "relsim: error: unknown subcommand 'frobnicate' (see 'relsim --help')\n");
}

TEST(Help, UnknownFlagSuggestsTheNearest) {
  const auto r = relsim("run " + q(kSource / "scenarios/payments/baseline.yaml") + " --trails 10");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out,
            "relsim: error: unknown option '--trails' for 'relsim run'; did you mean "
            "'--trials'? (see 'relsim run --help')\n");
  const auto eq = relsim("validate x.yaml --sett=a=1");
  EXPECT_EQ(eq.code, 2);
  EXPECT_TRUE(contains(eq.out,
                       "unknown option '--sett' for 'relsim validate'; did you mean "
                       "'--set'?"))
      << eq.out;
  const auto far = relsim("kernel-demo --no-such-flag");
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.out,
            "relsim: error: unknown option '--no-such-flag' for 'relsim kernel-demo' "
            "(see 'relsim kernel-demo --help')\n");
  // Values that look like options are not flagged; CLI11's own errors still show.
  const auto missing = relsim("run");
  EXPECT_EQ(missing.code, 2);
  EXPECT_TRUE(contains(missing.out, "required")) << missing.out;
}

TEST(Help, EditDistanceCountsTranspositionsAsOne) {
  // Through the program: `relsim rnu` is one transposition from `run`.
  EXPECT_TRUE(contains(relsim("rnu").out, "did you mean 'run'?"));
  EXPECT_TRUE(contains(relsim("grpah x").out, "did you mean 'graph'?"));
}

}  // namespace
