// `relsim run --out` and `relsim merge` as a user runs them: the HDF5 file
// is the same for any thread count and any shard split once merged
// (bit-identical /summary and rows); merge refuses parts of other runs and
// overlapping or missing trials; --until stops at a trial count fixed by the
// seed and the batch; shards come from JOB_COMPLETION_INDEX or
// SLURM_ARRAY_TASK_ID; an unwritable path and Ctrl-C leave no file.
#include <H5Cpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "analysis/results_file.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::analysis::ResultsFileReader;

const fs::path kSource = RELSIM_SOURCE_DIR;
const fs::path kBaseline = kSource / "scenarios" / "payments" / "baseline.yaml";

using relsim::test::Outcome;
using relsim::test::relsim;
const auto& sh = relsim::test::shell;

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string without_timing(const std::string& text) {
  std::istringstream in(text);
  std::string kept, line;
  while (std::getline(in, line)) {
    if (!contains(line, "\"timing\"")) kept += line + "\n";
  }
  return kept;
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-export-cli-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The /summary tables and rows of two files are bit for bit the same.
void expect_same_results(const fs::path& a, const fs::path& b) {
  const ResultsFileReader x(a.string());
  const ResultsFileReader y(b.string());
  const auto fx = x.read_summary();
  const auto fy = y.read_summary();
  ASSERT_FALSE(fx.empty());
  ASSERT_EQ(fx.size(), fy.size());
  for (std::size_t i = 0; i < fx.size(); ++i) {
    EXPECT_EQ(fx[i].figure, fy[i].figure);
    EXPECT_TRUE(same_bits(fx[i].estimate, fy[i].estimate)) << fx[i].figure;
    EXPECT_TRUE(same_bits(fx[i].low, fy[i].low)) << fx[i].figure;
    EXPECT_TRUE(same_bits(fx[i].high, fy[i].high)) << fx[i].figure;
  }
  ASSERT_EQ(x.rows(), y.rows());
  const auto bx = x.read_block(0, x.rows());
  const auto by = y.read_block(0, y.rows());
  for (std::size_t i = 0; i < bx.rows.size(); ++i) {
    EXPECT_EQ(bx.rows[i].trial, by.rows[i].trial);
    EXPECT_TRUE(same_bits(bx.rows[i].slos[0].budget_consumed, by.rows[i].slos[0].budget_consumed));
  }
  EXPECT_EQ(bx.series, by.series);
}

const std::string kRun = "run " + quote(kBaseline) + " --trials 240 --quiet";

TEST(ExportCommand, Hdf5IsTheSameForAnyThreadCountAndShardSplit) {
  TempDir dir;
  ASSERT_EQ(relsim(kRun + " --threads 1 --out " + quote(dir / "one.h5")).code, 0);
  // Not --quiet: that keeps the summary off the terminal.
  const auto two = relsim("run " + quote(kBaseline) +
                          " --trials 240 --threads 2 --format json --out " + quote(dir / "two.h5"));
  ASSERT_EQ(two.code, 0) << two.out;
  expect_same_results(dir / "one.h5", dir / "two.h5");
  for (int i = 0; i < 3; ++i) {
    const auto r = relsim(kRun + " --threads 2 --shard " + std::to_string(i) + "/3 --out " +
                          quote(dir / ("part-" + std::to_string(i) + ".h5")));
    ASSERT_EQ(r.code, 0) << r.out;
  }
  // Parts in any order on the command line.
  const auto merged =
      relsim("merge " + quote(dir / "part-2.h5") + " " + quote(dir / "part-0.h5") + " " +
             quote(dir / "part-1.h5") + " --format json --out " + quote(dir / "all.h5"));
  ASSERT_EQ(merged.code, 0) << merged.out;
  expect_same_results(dir / "one.h5", dir / "all.h5");
  EXPECT_EQ(without_timing(merged.out), without_timing(two.out));
  const ResultsFileReader all((dir / "all.h5").string());
  EXPECT_EQ(all.meta().merged_from.size(), 3u);
  EXPECT_EQ(all.meta().trial_count, 240u);
  // Another split (two shards) merges to the same bits.
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(relsim(kRun + " --shard " + std::to_string(i) + "/2 --out " +
                     quote(dir / ("half-" + std::to_string(i) + ".h5")))
                  .code,
              0);
  }
  ASSERT_EQ(relsim("merge " + quote(dir / "half-0.h5") + " " + quote(dir / "half-1.h5") +
                   " -q --out " + quote(dir / "halves.h5"))
                .code,
            0);
  expect_same_results(dir / "one.h5", dir / "halves.h5");
}

TEST(ExportCommand, MergeRefusesPartsOfOtherRunsAndGapsAndOverlaps) {
  TempDir dir;
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(relsim(kRun + " --shard " + std::to_string(i) + "/2 --out " +
                     quote(dir / ("p" + std::to_string(i) + ".h5")))
                  .code,
              0);
  }
  const std::string p0 = quote(dir / "p0.h5");
  const std::string p1 = quote(dir / "p1.h5");
  const std::string out = " --out " + quote(dir / "m.h5");
  auto refused = [&](const std::string& args, const std::string& message) {
    const auto r = relsim("merge " + args + out);
    EXPECT_EQ(r.code, 1) << r.out;
    EXPECT_TRUE(contains(r.out, message)) << "expected '" << message << "' in\n" << r.out;
    EXPECT_FALSE(fs::exists(dir / "m.h5"));
    EXPECT_FALSE(fs::exists(dir / "m.h5.tmp"));
  };
  refused(p0, "trials 120..239 of 240 are missing");
  refused(p1, "trials 0..119 of 240 are missing");
  refused(p0 + " " + p0 + " " + p1, "overlaps");
  ASSERT_EQ(relsim(kRun + " --seed 99 --shard 1/2 --out " + quote(dir / "seed.h5")).code, 0);
  refused(p0 + " " + quote(dir / "seed.h5"), "different runs: seed 99 vs 7");
  ASSERT_EQ(relsim(kRun + " --set services.payment-api.replicas=5 --shard 1/2 --out " +
                   quote(dir / "set.h5"))
                .code,
            0);
  refused(p0 + " " + quote(dir / "set.h5"), "different runs: overrides");
  ASSERT_EQ(relsim("run " + quote(kBaseline) + " --trials 300 -q --shard 1/2 --out " +
                   quote(dir / "size.h5"))
                .code,
            0);
  refused(p0 + " " + quote(dir / "size.h5"), "different runs: run size");
  const fs::path other = kSource / "scenarios" / "payments" / "az-outage.yaml";
  ASSERT_EQ(relsim("run " + quote(other) + " --trials 240 --seed 7 -q --shard 1/2 --out " +
                   quote(dir / "other.h5"))
                .code,
            0);
  refused(p0 + " " + quote(dir / "other.h5"), "different runs: scenario");
  // Another relsim version: rewrite the attribute of a copy.
  fs::copy_file(dir / "p1.h5", dir / "version.h5");
  {
    H5::H5File f((dir / "version.h5").string(), H5F_ACC_RDWR);
    H5::Group g = f.openGroup("meta");
    g.removeAttr("relsim_version");
    H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
    g.createAttribute("relsim_version", t, H5::DataSpace(H5S_SCALAR))
        .write(t, std::string("9.9.9"));
  }
  refused(p0 + " " + quote(dir / "version.h5"), "different runs: relsim version 9.9.9");
  std::ofstream(dir / "junk.h5") << "junk";
  refused(p0 + " " + quote(dir / "junk.h5"), "junk.h5");
}

TEST(ExportCommand, UntilStopsAtATrialCountFixedBySeedAndBatch) {
  // P(met) is 0 in every trial of the baseline: the Wilson half-width is
  // z²/(n + z²)/2, first <= 0.01 at n = 200 in batches of 50.
  const std::string args = "run " + quote(kBaseline) + " --until p_slo_met:abs=0.01 --batch 50";
  const auto one = relsim(args + " --threads 1 --format json");
  const auto two = relsim(args + " --threads 2 --format json");
  ASSERT_EQ(one.code, 0) << one.out;
  EXPECT_TRUE(contains(one.out, "\"trialsSummarised\": 200")) << one.out;
  EXPECT_EQ(without_timing(one.out), without_timing(two.out));
  const auto text = relsim(args);
  EXPECT_TRUE(contains(text.out, "stopped at 200 trials: p_slo_met half-width")) << text.out;
  const auto capped = relsim("run " + quote(kBaseline) +
                             " --until p_slo_met:abs=0.0001 --batch 100 --max-trials 300");
  ASSERT_EQ(capped.code, 0) << capped.out;
  EXPECT_TRUE(contains(capped.out, "stopped at the cap of 300 trials")) << capped.out;
  const auto unknown = relsim("run " + quote(kBaseline) + " --until nonsense:rel=5% -q");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_TRUE(contains(unknown.out, "no figure 'nonsense'")) << unknown.out;
  const auto bad = relsim("run " + quote(kBaseline) + " --until mttr:wide=5%");
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(contains(bad.out, "neither rel nor abs")) << bad.out;
}

TEST(ExportCommand, ShardIndexFromTheBatchSystemsEnvironment) {
  const std::string args = "run " + quote(kBaseline) + " --trials 30 --format json";
  const auto plain = relsim(args + " --shard 1/3");
  ASSERT_EQ(plain.code, 0) << plain.out;
  const auto k8s =
      sh("JOB_COMPLETION_INDEX=1 " + std::string(RELSIM_BINARY) + " " + args + " --shard auto/3");
  const auto slurm = sh("env -u JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID=1 " +
                        std::string(RELSIM_BINARY) + " " + args + " --shard auto/3");
  EXPECT_EQ(without_timing(k8s.out), without_timing(plain.out));
  EXPECT_EQ(without_timing(slurm.out), without_timing(plain.out));
  const auto none = sh("env -u JOB_COMPLETION_INDEX -u SLURM_ARRAY_TASK_ID " +
                       std::string(RELSIM_BINARY) + " " + args + " --shard auto/3");
  EXPECT_EQ(none.code, 1);
  EXPECT_TRUE(contains(none.out, "neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID"))
      << none.out;
  const auto big =
      sh("JOB_COMPLETION_INDEX=3 " + std::string(RELSIM_BINARY) + " " + args + " --shard auto/3");
  EXPECT_EQ(big.code, 1);
  EXPECT_TRUE(contains(big.out, "JOB_COMPLETION_INDEX=3")) << big.out;
}

TEST(ExportCommand, CsvDirectoryAndJsonFileAndOutputShorthand) {
  TempDir dir;
  const auto r = relsim(kRun + " --out " + quote(dir / "csv") + "/");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* f : {"trials.csv", "slos.csv", "services.csv", "teams.csv", "incidents.csv",
                        "summary.csv", "meta.json", "budget.csv", "envelope.csv"}) {
    EXPECT_TRUE(fs::exists(dir / "csv" / f)) << f;
  }
  // Writing again over an earlier export replaces it.
  ASSERT_EQ(relsim(kRun + " --out " + quote(dir / "csv") + "/").code, 0);
  // `--output json` is the deprecated spelling of --format json (docs/cli.md).
  const auto j = relsim("run " + quote(kBaseline) + " --trials 240 --out " +
                        quote(dir / "run.json") + " --output json");
  ASSERT_EQ(j.code, 0) << j.out;
  EXPECT_TRUE(contains(j.out, "\"trialsSummarised\": 240")) << j.out;
  EXPECT_TRUE(contains(j.out, "relsim: warning: '-o json' is deprecated: use '--format json'"))
      << j.out;
  std::ifstream in(dir / "run.json");
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_TRUE(contains(s.str(), "\"meta\": {")) << s.str().substr(0, 400);
  EXPECT_TRUE(contains(s.str(), "\"scenarioText\": ")) << s.str().substr(0, 400);
  EXPECT_FALSE(fs::exists(dir / "run.json.tmp"));
}

TEST(ExportCommand, UnwritableOutExitsWithOneAndLeavesNoFile) {
  TempDir dir;
  const auto r = relsim(kRun + " --out " + quote(dir / "no-such-dir" / "x.h5"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(contains(r.out, "cannot write")) << r.out;
  const auto ext = relsim(kRun + " --out " + quote(dir / "x.parquet"));
  EXPECT_EQ(ext.code, 1);
  EXPECT_TRUE(contains(ext.out, "names no format")) << ext.out;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ExportCommand, InterruptLeavesNoFile) {
  TempDir dir;
  const std::string out = (dir / "big.h5").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(RELSIM_BINARY, RELSIM_BINARY, "run", kBaseline.c_str(), "--trials", "10000000", "--batch",
          "200", "--threads", "2", "-q", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the run has started writing (its temporary `.big.h5.relsim-tmp.XXXXXX`
  // beside the target), then press Ctrl-C.
  const auto writing = [&] {
    for (const auto& e : fs::directory_iterator(dir.path())) {
      if (e.path().filename().string().rfind(".big.h5.relsim-tmp.", 0) == 0) return true;
    }
    return false;
  };
  for (int i = 0; i < 200 && !writing(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(writing());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace

namespace {

/// Empty when this machine can make a pseudo-terminal (what `script` needs),
/// else why not: a chroot or container without /dev/pts cannot.
std::string no_pseudo_terminal() {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return std::string("posix_openpt: ") + std::strerror(errno);
  std::string why;
  const char* name = nullptr;
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || (name = ::ptsname(master)) == nullptr) {
    why = std::string("grantpt/unlockpt/ptsname: ") + std::strerror(errno);
  } else if (const int slave = ::open(name, O_RDWR | O_NOCTTY); slave < 0) {
    why = std::string("open ") + name + ": " + std::strerror(errno);
  } else {
    ::close(slave);
  }
  ::close(master);
  return why;
}

TEST(ExportCommand, ProgressLineOnlyOnATerminalAndNotWithQuiet) {
  if (sh("command -v script").code != 0) GTEST_SKIP() << "util-linux 'script' is not installed";
  if (const std::string why = no_pseudo_terminal(); !why.empty()) {
    GTEST_SKIP() << "no pseudo-terminal can be made here (" << why
                 << "); the progress line needs one";
  }
  // `script` gives the program a terminal; runs longer than a second show the
  // line. Under the sanitizers a trial takes several times longer, so fewer
  // trials last as long.
  const std::string trials = relsim::test::kSanitized ? "800" : "4000";
  const std::string run = std::string(RELSIM_BINARY) + " run " + quote(kBaseline) + " --trials " +
                          trials + " --threads 2 --batch 256";
  const auto tty = sh("script -qec " + quote(run + " > /dev/null") + " /dev/null");
  ASSERT_EQ(tty.code, 0) << tty.out;
  EXPECT_TRUE(contains(tty.out, "/" + trials + " trials")) << tty.out;
  EXPECT_TRUE(contains(tty.out, "trials/s  ETA")) << tty.out;
  const auto quiet = sh("script -qec " + quote(run + " --quiet > /dev/null") + " /dev/null");
  EXPECT_FALSE(contains(quiet.out, "ETA")) << quiet.out;
  const auto pipe =
      relsim("run " + quote(kBaseline) + " --trials " + trials + " --threads 2 --format json");
  EXPECT_FALSE(contains(pipe.out, "ETA"));
}

}  // namespace
