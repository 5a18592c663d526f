// Hostile input and shared output paths (issue 22, docs/security.md): the
// relsim program run as a hostile tester would, each finding of the issue
// reproduced and refused — outputs that are inputs, concurrent writers,
// signals, data files outside the scenario's folder, limits, command-line
// numbers, parser messages — plus the atomic-file mechanism itself.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "analysis/safe_output.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::test::relsim;
using relsim::test::shell;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-hostile-" + std::to_string(getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Names in `dir` (not recursive), sorted, as one string for messages.
std::string listing(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::directory_iterator(dir)) out += e.path().filename().string() + " ";
  return out;
}

const std::string kSystem = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: tiny}
spec:
  zones: [zone-a, zone-b]
  services:
    - {name: api, replicas: 2, zones: [zone-a, zone-b], capacityPerReplica: 50, demand: 40}
)";

const std::string kScenario = kSystem + R"(---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: tiny-run}
spec:
  system: tiny
  horizon: 1d
  trials: 20
)";

/// A one-file scenario whose service's restart time comes from a data file.
std::string scenario_with_data(const std::string& file) {
  return R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: tiny}
spec:
  zones: [zone-a]
  services:
    - name: api
      replicas: 2
      zones: [zone-a]
      capacityPerReplica: 50
      demand: 40
      restart: {empirical: {file: )" +
         file + R"(, column: seconds}}
---
apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: tiny-run}
spec: {system: tiny, horizon: 1d, trials: 20}
)";
}

// ------------------------------------------------------------ outputs

TEST(HostileOutputs, AnOutputThatIsAnInputIsRefusedBeforeAnyWork) {
  TempDir dir;
  const fs::path victim = dir / "victim.yaml";
  write(victim, kScenario);
  const std::string before = read(victim);
  for (const std::string& flags : {std::string("--out ") + quote(victim) + " --out-format json",
                                   "-o " + quote(victim), "--report " + quote(victim)}) {
    const auto r = relsim("run " + quote(victim) + " -q " + flags);
    EXPECT_EQ(r.code, 1) << flags << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, "it is an input of this command")) << r.out;
  }
  const auto graph = relsim("graph " + quote(victim) + " -o " + quote(victim));
  EXPECT_EQ(graph.code, 1) << graph.out;
  EXPECT_TRUE(contains(graph.out, "it is an input of this command")) << graph.out;
  // The same file under another name: a symbolic link, a hard link.
  fs::create_symlink(victim, dir / "link.yaml");
  fs::create_hard_link(victim, dir / "hard.yaml");
  for (const char* other : {"link.yaml", "hard.yaml"}) {
    const auto r = relsim("run " + quote(victim) + " -q -o " + quote(dir / other));
    EXPECT_EQ(r.code, 1) << other << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, "it is an input of this command")) << r.out;
  }
  EXPECT_EQ(read(victim), before);
  fs::remove(dir / "link.yaml");
  fs::remove(dir / "hard.yaml");
  EXPECT_EQ(listing(dir.path()), "victim.yaml ");  // no temporary, no lock left behind
}

TEST(HostileOutputs, ReportAndIncidentImportCannotReplaceTheirInput) {
  TempDir dir;
  write(dir / "run.h5", "not really HDF5");
  const auto report = relsim("report " + quote(dir / "run.h5") + " --out " + quote(dir / "run.h5"));
  EXPECT_EQ(report.code, 1) << report.out;
  EXPECT_TRUE(contains(report.out, "it is an input of this command")) << report.out;
  write(dir / "in.csv", "id,service,created,acknowledged,resolved\n");
  const auto import =
      relsim("incidents import " + quote(dir / "in.csv") + " -o " + quote(dir / "in.csv"));
  EXPECT_EQ(import.code, 1) << import.out;
  EXPECT_TRUE(contains(import.out, "it is an input of this command")) << import.out;
  EXPECT_EQ(read(dir / "in.csv"), "id,service,created,acknowledged,resolved\n");
  EXPECT_EQ(read(dir / "run.h5"), "not really HDF5");
}

TEST(HostileOutputs, TheSystemFileAScenarioNamesIsAnInputToo) {
  TempDir dir;
  write(dir / "systems" / "tiny.yaml", kSystem);
  write(dir / "runs" / "s.yaml", R"(apiVersion: relsim/v1alpha1
kind: Scenario
metadata: {name: s}
spec: {system: ../systems/tiny.yaml, horizon: 1d, trials: 10}
)");
  const auto r = relsim("run " + quote(dir / "runs" / "s.yaml") + " -q --out " +
                        quote(dir / "systems" / "tiny.yaml") + " --out-format json");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "it is an input of this command")) << r.out;
  EXPECT_EQ(read(dir / "systems" / "tiny.yaml"), kSystem);
}

TEST(HostileOutputs, ASecondWriterOfTheSamePathFailsSayingWhy) {
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const fs::path out = dir / "same.json";
  // Hold the lock another relsim would hold while writing `same.json`.
  const std::string lock = relsim::analysis::lock_path(out.string());
  EXPECT_EQ(fs::path(lock).filename(), ".same.json.relsim-lock");
  const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ASSERT_EQ(::write(fd, "4242\n", 5), 5);
  const auto r = relsim("run " + quote(dir / "s.yaml") + " -q --out " + quote(out));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "another relsim process (pid 4242) is writing it")) << r.out;
  EXPECT_FALSE(fs::exists(out));
  ::close(fd);  // the writer is gone: the path is free again
  const auto again = relsim("run " + quote(dir / "s.yaml") + " -q --out " + quote(out));
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_TRUE(fs::exists(out));
  fs::remove(lock);
  EXPECT_FALSE(contains(listing(dir.path()), ".relsim-")) << listing(dir.path());
}

TEST(HostileOutputs, ADeviceOrFifoIsWrittenInPlaceNeverReplacedNorLocked) {
  // `-o /dev/null` once replaced the device with a regular file when run as
  // root (and two runs at once collided on `/dev/.null.relsim-lock`). A FIFO
  // stands in for the device: it must still be a FIFO afterwards, hold the
  // whole document for its reader, and leave nothing beside it.
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const fs::path got = dir / "got.json";
  const fs::path want = dir / "want.json";
  const std::string common = "run " + quote(dir / "s.yaml") + " -q --format json --seed 7";
  // Two writers of the FIFO at once: neither is refused (a device is shared).
  // The shell holds the FIFO open for writing (fd 3) so that its reader sees
  // no end of file between the two runs.
  const std::string run = std::string(RELSIM_BINARY) + " " + common + " -o " + quote(fifo);
  const auto both_runs = shell("(cat " + quote(fifo) + " > " + quote(got) + ") & exec 3<>" +
                               quote(fifo) + "; (" + run + ") & p1=$!; (" + run +
                               ") & p2=$!; wait $p1; a=$?; wait $p2; b=$?; exec 3>&-; wait; "
                               "echo codes $a $b");
  EXPECT_TRUE(contains(both_runs.out, "codes 0 0")) << both_runs.out;
  const auto plain = relsim(common + " -o " + quote(want));
  ASSERT_EQ(plain.code, 0) << plain.out;
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  // Both documents arrived whole (they differ only in their timing line).
  const std::string text = read(got);
  EXPECT_NEAR(static_cast<double>(text.size()), 2.0 * static_cast<double>(read(want).size()), 40.0);
  EXPECT_NE(text.find("\"seed\": 7", text.find("\"seed\": 7") + 1), std::string::npos);
  EXPECT_FALSE(contains(listing(dir.path()), ".relsim-")) << listing(dir.path());
  // A results file into a FIFO needs a format that is one file.
  const auto csv = relsim(common + " --out " + quote(fifo));
  EXPECT_EQ(csv.code, 1) << csv.out;
  EXPECT_TRUE(contains(csv.out, "it is a device, FIFO or socket, and CSV output is a folder"))
      << csv.out;
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(HostileOutputs, ALinkIsWrittenThroughToItsFile) {
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  write(dir / "real" / "out.json", "old");
  fs::create_symlink(dir / "real" / "out.json", dir / "link.json");
  const auto r =
      relsim("run " + quote(dir / "s.yaml") + " -q --format json -o " + quote(dir / "link.json"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_TRUE(contains(read(dir / "real" / "out.json"), "\"trials\""))
      << read(dir / "real" / "out.json");
  EXPECT_FALSE(contains(listing(dir.path()), ".relsim-")) << listing(dir.path());
  EXPECT_FALSE(contains(listing(dir / "real"), ".relsim-")) << listing(dir / "real");
}

TEST(HostileOutputs, AMissingFolderOrALoopOfLinksIsSaidPlainly) {
  // Were: "cannot create its lock file '.../.out.txt.relsim-lock': No such file
  // or directory" and "filesystem error: status: Too many levels of symbolic links".
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const std::string run = "run " + quote(dir / "s.yaml") + " -q ";
  const auto missing = relsim(run + "-o " + quote(dir / "no" / "such" / "out.txt"));
  EXPECT_EQ(missing.code, 1) << missing.out;
  EXPECT_TRUE(contains(missing.out, "its folder " + quote(dir / "no" / "such") + " does not exist"))
      << missing.out;
  fs::create_symlink(dir / "gone" / "x.json", dir / "dangling.json");
  const auto dangling = relsim(run + "--out " + quote(dir / "dangling.json"));
  EXPECT_EQ(dangling.code, 1) << dangling.out;
  EXPECT_TRUE(contains(dangling.out, "its folder " + quote(dir / "gone") + " does not exist"))
      << dangling.out;
  fs::create_symlink(dir / "loop-b", dir / "loop-a");
  fs::create_symlink(dir / "loop-a", dir / "loop-b");
  const auto loop = relsim(run + "-o " + quote(dir / "loop-a"));
  EXPECT_EQ(loop.code, 1) << loop.out;
  EXPECT_TRUE(contains(
      loop.out, "cannot write " + quote(dir / "loop-a") + ": its symbolic links form a loop"))
      << loop.out;
  EXPECT_FALSE(fs::exists(dir / "no"));
  EXPECT_FALSE(fs::exists(dir / "gone"));
  EXPECT_FALSE(contains(listing(dir.path()), ".relsim-")) << listing(dir.path());
}

TEST(HostileOutputs, TemporariesAreUniqueBesideTheTargetAndRemovedUnlessCommitted) {
  TempDir dir;
  const std::string target = (dir / "out.txt").string();
  std::string first_temp;
  {
    relsim::analysis::AtomicFile a(target);
    relsim::analysis::AtomicFile b(target);  // the same process may write a path twice
    first_temp = a.temp_path();
    EXPECT_NE(a.temp_path(), b.temp_path());
    EXPECT_EQ(fs::path(a.temp_path()).parent_path(), dir.path());
    EXPECT_EQ(fs::path(a.temp_path()).filename().string().rfind(".out.txt.relsim-tmp.", 0), 0u);
    a.write("first");
    EXPECT_FALSE(fs::exists(target));
  }
  EXPECT_FALSE(fs::exists(first_temp));
  EXPECT_FALSE(fs::exists(target));
  {
    relsim::analysis::AtomicFile a(target);
    a.write("done");
    a.commit();
  }
  EXPECT_EQ(read(target), "done");
  relsim::analysis::remove_temporaries();  // releases the lock: only the file is left
  EXPECT_EQ(listing(dir.path()), "out.txt ");
}

TEST(HostileOutputs, SigtermDuringAnyCommandExits143AndLeavesNothing) {
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const std::string report = (dir / "compare.html").string();
  const std::string scenario = (dir / "s.yaml").string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // compare writes its report after every trial: a signal lands during the work.
    execl(RELSIM_BINARY, RELSIM_BINARY, "compare", scenario.c_str(), "--sweep",
          "services.api.replicas=2..3", "--trials", "2000000", "--threads", "1", "--report",
          report.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the command holds its output (the lock file beside it), then stop it.
  const std::string lock = relsim::analysis::lock_path(report);
  for (int i = 0; i < 400 && !fs::exists(lock); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(fs::exists(lock));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  EXPECT_EQ(listing(dir.path()), "s.yaml ");
}

// ------------------------------------------------------------ data files

TEST(HostileDataFiles, AFileOutsideTheScenariosFolderIsRefusedAndNeverEchoed) {
  TempDir dir;
  write(dir / "secret.csv", "seconds\nTOP-SECRET-LINE-1\nTOP-SECRET-LINE-2\n");
  write(dir / "scenarios" / "s.yaml", scenario_with_data("../secret.csv"));
  const auto r = relsim("validate " + quote(dir / "scenarios" / "s.yaml"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "s.yaml:12:")) << r.out;
  EXPECT_TRUE(contains(r.out, "lies outside the folder")) << r.out;
  EXPECT_TRUE(contains(r.out, "--data-dir")) << r.out;
  EXPECT_FALSE(contains(r.out, "TOP-SECRET")) << r.out;
  // Allowed with --data-dir: now it is read, fails as data, and still echoes no line.
  const auto allowed = relsim("validate " + quote(dir / "scenarios" / "s.yaml") + " --data-dir " +
                              quote(dir.path()));
  EXPECT_EQ(allowed.code, 1) << allowed.out;
  EXPECT_TRUE(contains(allowed.out, "secret.csv:2:1")) << allowed.out;
  EXPECT_FALSE(contains(allowed.out, "TOP-SECRET")) << allowed.out;
  // An absolute path and a link out of the folder are refused alike.
  write(dir / "scenarios" / "abs.yaml", scenario_with_data("/etc/passwd"));
  const auto abs = relsim("validate " + quote(dir / "scenarios" / "abs.yaml"));
  EXPECT_TRUE(contains(abs.out, "lies outside the folder")) << abs.out;
  EXPECT_FALSE(contains(abs.out, "root:")) << abs.out;
  fs::create_symlink("/dev/zero", dir / "scenarios" / "zero.csv");
  write(dir / "scenarios" / "link.yaml", scenario_with_data("zero.csv"));
  const auto link = relsim("validate " + quote(dir / "scenarios" / "link.yaml"));
  EXPECT_EQ(link.code, 1) << link.out;
  EXPECT_TRUE(contains(link.out, "lies outside the folder")) << link.out;
}

TEST(HostileDataFiles, EachBadRowIsOneLocatedLineAndTheRestIsNotKept) {
  // A data file is read record by record (only its column is kept); each
  // bad row is a message of its own at the `file` key, never a bare line
  // and never the row's text.
  TempDir dir;
  std::string rows = "seconds\n";
  for (int i = 0; i < 200000; ++i) rows += std::to_string(i % 97 + 1) + "\n";
  write(dir / "ok.csv", rows);
  write(dir / "ok.yaml", scenario_with_data("ok.csv"));
  const auto ok = relsim("validate " + quote(dir / "ok.yaml"));
  EXPECT_EQ(ok.code, 0) << ok.out;
  write(dir / "bad.csv", "seconds\nnan\n30\nSECRET-1\n");
  write(dir / "bad.yaml", scenario_with_data("bad.csv"));
  const auto bad = relsim("validate " + quote(dir / "bad.yaml"));
  EXPECT_EQ(bad.code, 1) << bad.out;
  const std::string at = (dir / "bad.yaml").string() + ":12:";
  for (const std::string row :
       {"bad.csv:2:1: error: expected a duration", "bad.csv:4:1: error: expected a duration"}) {
    const auto line = bad.out.find(row);
    ASSERT_NE(line, std::string::npos) << bad.out;
    const auto start = bad.out.rfind('\n', line);
    EXPECT_EQ(bad.out.compare(start == std::string::npos ? 0 : start + 1, at.size(), at), 0)
        << bad.out;
  }
  EXPECT_FALSE(contains(bad.out, "\\x0A")) << bad.out;
  EXPECT_FALSE(contains(bad.out, "SECRET")) << bad.out;
}

TEST(HostileDataFiles, AColumnTheHeaderNamesTwiceIsRefusedAtTheSecond) {
  // Which of two 'seconds' columns holds the values is anyone's guess: the
  // second is named, at its line and column, and nothing runs.
  TempDir dir;
  write(dir / "twice.csv", "seconds,host,Seconds\n30,a,3000\n40,b,4000\n");
  write(dir / "twice.yaml", scenario_with_data("twice.csv"));
  const auto twice = relsim("run " + quote(dir / "twice.yaml") + " -o " + quote(dir / "out.json"));
  EXPECT_EQ(twice.code, 1) << twice.out;
  EXPECT_TRUE(contains(twice.out,
                       "twice.csv:1:14: error: the header names the column 'seconds' twice "
                       "(columns 1 and 3, compared in lower case without punctuation); rename or "
                       "remove one"))
      << twice.out;
  EXPECT_FALSE(fs::exists(dir / "out.json"));
  // Another column twice does not matter.
  write(dir / "other.csv", "seconds,host,host\n30,a,b\n");
  write(dir / "other.yaml", scenario_with_data("other.csv"));
  const auto other = relsim("validate " + quote(dir / "other.yaml"));
  EXPECT_EQ(other.code, 0) << other.out;
}

TEST(HostileDataFiles, OnlyRegularFilesAndEachNamedForWhatItIs) {
  TempDir dir;
  fs::create_directories(dir / "a-folder");
  ASSERT_EQ(::mkfifo((dir / "pipe.csv").c_str(), 0600), 0);
  write(dir / "folder.yaml", scenario_with_data("a-folder"));
  write(dir / "fifo.yaml", scenario_with_data("pipe.csv"));
  write(dir / "missing.yaml", scenario_with_data("nothing.csv"));
  const auto folder = relsim("validate " + quote(dir / "folder.yaml"));
  EXPECT_TRUE(contains(folder.out, "folder.yaml:12:")) << folder.out;
  EXPECT_TRUE(contains(folder.out, "is a directory; data files must be regular files"))
      << folder.out;
  const auto fifo = relsim("validate " + quote(dir / "fifo.yaml"));  // must not wait for a writer
  EXPECT_TRUE(contains(fifo.out, "is a FIFO; data files must be regular files")) << fifo.out;
  const auto missing = relsim("validate " + quote(dir / "missing.yaml"));
  EXPECT_TRUE(contains(missing.out, "not found")) << missing.out;
}

// ------------------------------------------------------------ limits and numbers

TEST(HostileLimits, HugeNumbersAreRefusedWithTheirLimitBeforeAnyAllocation) {
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const auto replicas =
      relsim("validate " + quote(dir / "s.yaml") + " --set services.api.replicas=1000000000");
  EXPECT_EQ(replicas.code, 1) << replicas.out;
  EXPECT_TRUE(contains(replicas.out, "is above 100000 (the limit of replicas per service"))
      << replicas.out;
  const auto explain =
      relsim("explain " + quote(dir / "s.yaml") + " --set services.api.replicas=100000000");
  EXPECT_EQ(explain.code, 1) << explain.out;
  EXPECT_TRUE(contains(explain.out, "the limit of replicas per service")) << explain.out;
  const auto demand =
      relsim("run " + quote(dir / "s.yaml") + " -q --set services.api.demand=1e308");
  EXPECT_EQ(demand.code, 1) << demand.out;
  EXPECT_TRUE(contains(demand.out, "1e308 requests/s is above 1e9")) << demand.out;
  const auto trials =
      relsim("validate " + quote(dir / "s.yaml") + " --set scenario.trials=1000000000000");
  EXPECT_TRUE(contains(trials.out, "the limit of trials")) << trials.out;
}

TEST(HostileLimits, ACandidateEverySecondIsRefusedBeforePlanning) {
  TempDir dir;
  write(dir / "shop.yaml", kSystem);
  write(dir / "g.yaml", R"(apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: g}
spec:
  system: shop.yaml
  experiment: {fault: podKill, target: {service: api}, duration: 5m}
  candidateStarts: {from: "Tue 00:00", to: "Wed 00:00", every: 1s}
)");
  const auto r = relsim("plan " + quote(dir / "g.yaml") + " --trials 10");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "g.yaml:7:")) << r.out;
  EXPECT_TRUE(contains(r.out, "86401 candidate starts, above 10000")) << r.out;
}

TEST(HostileLimits, AFaultRepeatedEveryMicrosecondIsRefusedBeforePlanning) {
  // podKill every 1us for a minute: 60 million kills per trial and candidate;
  // `relsim plan` ran past any timeout.
  TempDir dir;
  write(dir / "shop.yaml", kSystem);
  write(dir / "g.yaml", R"(apiVersion: relsim/v1alpha1
kind: GameDay
metadata: {name: g}
spec:
  system: shop.yaml
  experiment: {fault: podKill, target: {service: api}, duration: 1m, interval: 1us}
  candidateStarts: {from: "Tue 10:00", to: "Tue 12:00", every: 1h}
)");
  const auto r =
      relsim("plan " + quote(dir / "g.yaml") + " --trials 10 -o " + quote(dir / "p.txt"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "g.yaml:6:")) << r.out;
  EXPECT_TRUE(contains(r.out,
                       "60000000 repetitions (duration 1m every 1us), above 100000 (the "
                       "limit of repetitions of a fault"))
      << r.out;
  EXPECT_FALSE(fs::exists(dir / "p.txt"));
  EXPECT_FALSE(contains(listing(dir.path()), ".relsim-")) << listing(dir.path());
}

TEST(HostileNumbers, APowerAnalysisIsBoundedBeforeItDraws) {
  // --incidents 1000000000 allocated two periods of 8 GB each and drew for hours.
  const std::string power = "incidents power --lognormal 7.5,1.2 --improvement 10% -q ";
  const auto incidents = relsim(power + "--incidents 1000000000");
  EXPECT_EQ(incidents.code, 1) << incidents.out;
  EXPECT_TRUE(contains(incidents.out,
                       "--incidents 1000000000 × --repeats 10000 is above "
                       "1000000000 draws (the limit of draws of a power analysis"))
      << incidents.out;
  const auto machines = relsim("kernel-demo -q --machines 1000000000");
  EXPECT_EQ(machines.code, 1) << machines.out;  // was exit 3, "trial 0 failed: std::bad_alloc"
  EXPECT_TRUE(contains(machines.out,
                       "--machines 1000000000, --crews 2: at most 100000 each (the "
                       "limit of replicas per service"))
      << machines.out;
  const auto demo_trials = relsim("kernel-demo -q --trials 1000000000");
  EXPECT_EQ(demo_trials.code, 1) << demo_trials.out;  // was "out of memory"
  EXPECT_TRUE(contains(demo_trials.out,
                       "--trials 1000000000 is above 100000000 for kernel-demo (it holds every "
                       "trial's result)"))
      << demo_trials.out;
  const auto repeats = relsim(power + "--repeats 100000000000");
  EXPECT_EQ(repeats.code, 1) << repeats.out;
  EXPECT_TRUE(contains(repeats.out, "--repeats 100000000000 is above 1000000")) << repeats.out;
}

TEST(HostileNumbers, AnIndexOrRangeTooLargeForAnyNumberIsNamed) {
  // Were "relsim: error: stoul" and "relsim: error: stod" (std::out_of_range).
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const auto index = relsim("validate " + quote(dir / "s.yaml") +
                            " --set services.99999999999999999999.replicas=3");
  EXPECT_EQ(index.code, 1) << index.out;
  EXPECT_TRUE(contains(index.out,
                       "index 99999999999999999999 is out of range: spec.services has 1 "
                       "items"))
      << index.out;
  const std::string huge(400, '9');
  const auto sweep = relsim("compare " + quote(dir / "s.yaml") +
                            " --trials 5 --sweep services.api.replicas=1.." + huge);
  EXPECT_EQ(sweep.code, 1) << sweep.out;
  EXPECT_TRUE(contains(sweep.out, "the number '" + huge + "' is out of range")) << sweep.out;
}

TEST(HostileNumbers, CommandLineNumbersAreCheckedByType) {
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  const std::string run = "run " + quote(dir / "s.yaml") + " -q ";
  const auto negative = relsim(run + "--trials -5");
  EXPECT_EQ(negative.code, 2) << negative.out;
  EXPECT_TRUE(contains(negative.out, "'-5' is negative")) << negative.out;
  const auto seed = relsim(run + "--seed -1");
  EXPECT_EQ(seed.code, 2) << seed.out;
  EXPECT_TRUE(contains(seed.out, "'-1' is negative")) << seed.out;
  const auto exponent = relsim(run + "--trials 1e12");
  EXPECT_EQ(exponent.code, 2) << exponent.out;
  EXPECT_TRUE(contains(exponent.out, "'1e12' is not a whole number")) << exponent.out;
  const auto huge = relsim(run + "--trials 1000000000000");
  EXPECT_EQ(huge.code, 2) << huge.out;
  EXPECT_TRUE(contains(huge.out, "is above 1000000000 (the limit of trials")) << huge.out;
  const auto wrap = relsim(run + "--seed 99999999999999999999");
  EXPECT_EQ(wrap.code, 2) << wrap.out;
  EXPECT_TRUE(contains(wrap.out, "is too large")) << wrap.out;
  const auto plan = relsim("plan " + quote(dir / "s.yaml") + " --trials -1");
  EXPECT_EQ(plan.code, 2) << plan.out;
  EXPECT_TRUE(contains(plan.out, "'-1' is negative")) << plan.out;
}

// ------------------------------------------------------------ parser messages

TEST(HostileParser, DeepNestingTabsDirectoriesAndStandardInput) {
  TempDir dir;
  write(dir / "deep.yaml",
        "apiVersion: relsim/v1alpha1\nkind: System\nx: " + std::string(100000, '[') + "\n");
  const auto deep = relsim("validate " + quote(dir / "deep.yaml"));
  EXPECT_EQ(deep.code, 1) << deep.out;
  EXPECT_TRUE(contains(deep.out, "deep.yaml:3:")) << deep.out;
  EXPECT_TRUE(contains(deep.out, "nesting deeper than 64 levels")) << deep.out;
  std::string block = "a:\n";
  for (int i = 1; i < 80; ++i) block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "a:\n";
  write(dir / "block.yaml", block);
  const auto blocks = relsim("validate " + quote(dir / "block.yaml"));
  EXPECT_TRUE(contains(blocks.out, "block.yaml:65:")) << blocks.out;
  EXPECT_TRUE(contains(blocks.out, "nesting deeper than 64 levels")) << blocks.out;
  write(dir / "tabs.yaml", "apiVersion: relsim/v1alpha1\nkind: System\nmetadata:\n\tname: x\n");
  const auto tabs = relsim("validate " + quote(dir / "tabs.yaml"));
  EXPECT_TRUE(contains(tabs.out,
                       "tabs.yaml:4:1: error: malformed YAML: a tab character in the "
                       "indentation"))
      << tabs.out;
  const auto folder = relsim("validate " + quote(dir.path()));
  EXPECT_TRUE(contains(folder.out, "is a directory, not a file")) << folder.out;
  write(dir / "s.yaml", kScenario);
  const auto stdin_ok =
      shell("cat " + quote(dir / "s.yaml") + " | " + RELSIM_BINARY + " validate -");
  EXPECT_EQ(stdin_ok.code, 0) << stdin_ok.out;
  const auto stdin_bad = shell("printf 'kind: [' | " + std::string(RELSIM_BINARY) + " validate -");
  EXPECT_EQ(stdin_bad.code, 1) << stdin_bad.out;
  EXPECT_TRUE(contains(stdin_bad.out, "<stdin>:")) << stdin_bad.out;
}

TEST(HostileParser, InvalidUtf8IsLocated) {
  TempDir dir;
  write(dir / "latin1.yaml", kSystem + "# caf\xe9\n");
  const auto r = relsim("validate " + quote(dir / "latin1.yaml"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "latin1.yaml:8:6: error: invalid UTF-8 (byte 0xE9)")) << r.out;
}

// ------------------------------------------------------------ session 2 (hostile corpus)

TEST(HostileDistributions, AHeavyTailedDrawIsNeverAndTheTrialEnds) {
  // A Weibull of shape 1e-9 draws 0 or +inf; +inf is Duration::max(), and
  // `now + max()` once wrapped to an instant in the past: the trial never
  // ended (UBSan: signed integer overflow in Time::operator+).
  TempDir dir;
  write(dir / "s.yaml", kScenario);
  for (const std::string& restart : {std::string("{weibull: {shape: 1e-9, scale: 1m}}"),
                                     std::string("{lognormal: {mu: 0, sigma: 1000}}")}) {
    const auto r =
        relsim("run " + quote(dir / "s.yaml") +
               " --format json --trials 20 --threads 1 --set 'services.api.restart=" + restart +
               "' --set 'services.api.failures=[{type: replicaCrash, every: " + restart + "}]'");
    EXPECT_EQ(r.code, 0) << restart << "\n" << r.out;
    EXPECT_TRUE(contains(r.out, "\"trials\": 20")) << r.out;
  }
}

TEST(HostileParser, ControlCharactersAreRefusedInTextAndShownEscapedInMessages) {
  TempDir dir;
  const std::string head = "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: tiny}\n";
  // A raw NUL: yaml-cpp stopped there and reported "unknown escape character".
  write(dir / "nul.yaml", head + "spec:\n  zones: [zone-a]" + std::string(1, '\0') + "\n");
  const auto nul = relsim("validate " + quote(dir / "nul.yaml"));
  EXPECT_EQ(nul.code, 1) << nul.out;
  EXPECT_TRUE(contains(nul.out,
                       "nul.yaml:5:18: error: a control character (byte 0x00) is not "
                       "allowed in YAML text"))
      << nul.out;
  // A raw escape sequence in a key, and the same written as YAML escapes:
  // the message quotes the key with its control characters made visible.
  write(dir / "raw.yaml", head + "spec:\n  \x1b[31mservices: []\n");
  const auto raw = relsim("validate " + quote(dir / "raw.yaml"));
  EXPECT_EQ(raw.code, 1) << raw.out;
  EXPECT_TRUE(contains(raw.out, "raw.yaml:5:3: error: a control character (byte 0x1B)")) << raw.out;
  write(dir / "escaped.yaml",
        head + "spec:\n  \"\\e]0;pwned\\a\\nx.yaml:1:1: error: forged\": []\n");
  const auto escaped = relsim("validate " + quote(dir / "escaped.yaml"));
  EXPECT_EQ(escaped.code, 1) << escaped.out;
  EXPECT_TRUE(contains(escaped.out,
                       "escaped.yaml:5:3: error: unknown key '\\x1B]0;pwned\\x07\\x0Ax.yaml:1:1: "
                       "error: forged' in spec"))
      << escaped.out;
  EXPECT_FALSE(contains(escaped.out, "\x1b")) << escaped.out;
  EXPECT_FALSE(contains(escaped.out, "\nx.yaml:1:1")) << escaped.out;  // no forged line
}

TEST(HostileParser, ANameOrValueWithAControlCharacterIsRefused) {
  // A system named "\e]0;pwn\a" retitled the terminal in `validate`'s ok:
  // line, `explain`, `analyze` and the DOT of `graph`.
  TempDir dir;
  write(dir / "s.yaml",
        "apiVersion: relsim/v1alpha1\nkind: System\nmetadata: {name: \"\\e]0;pwn\\a\"}\nspec:\n"
        "  zones: [zone-a]\n  services:\n    - {name: \"api\\u009b31m\", replicas: 2, zones: "
        "[zone-a], capacityPerReplica: 50, demand: 40}\n");
  for (const char* command : {"validate", "explain", "graph", "analyze"}) {
    const auto r = relsim(std::string(command) + " " + quote(dir / "s.yaml"));
    EXPECT_EQ(r.code, 1) << command << "\n" << r.out;
    EXPECT_TRUE(contains(r.out,
                         "s.yaml:3:18: error: metadata.name: a control character (U+001B) "
                         "in a value"))
        << r.out;
    EXPECT_TRUE(contains(r.out,
                         "s.yaml:7:14: error: spec.services[api\\u009B31m].name: a control "
                         "character (U+009B)"))
        << r.out;
    EXPECT_FALSE(contains(r.out, "\x1b")) << r.out;
  }
  // Through --set too; a description may still hold line breaks.
  write(dir / "ok.yaml", kSystem);
  const auto set =
      relsim("validate " + quote(dir / "ok.yaml") + " --set 'services.api.zones=[\"a\\x01\"]'");
  EXPECT_EQ(set.code, 1) << set.out;
  EXPECT_TRUE(contains(set.out, "a control character (U+0001)")) << set.out;
  write(dir / "text.yaml",
        "apiVersion: relsim/v1alpha1\nkind: System\nmetadata:\n  name: tiny\n"
        "  description: |\n    two\n    lines\n" +
            kSystem.substr(kSystem.find("spec:")));
  const auto text = relsim("validate " + quote(dir / "text.yaml"));
  EXPECT_EQ(text.code, 0) << text.out;
}

TEST(HostileParser, ImportRefusesDeepNestingAndControlCharactersLikeTheLoader) {
  TempDir dir;
  write(dir / "deep.yaml", "x: " + std::string(100000, '[') + "\n");
  const auto deep = relsim("import " + quote(dir / "deep.yaml") + " -o " + quote(dir / "out.yaml"));
  EXPECT_EQ(deep.code, 1) << deep.out;
  EXPECT_TRUE(contains(deep.out, "deep.yaml:1:67: error: nesting deeper than 64 levels"))
      << deep.out;
  write(dir / "nul.yaml", "version: \"prometheus/v1\"\nservice: a" + std::string(1, '\0') + "\n");
  const auto nul = relsim("import " + quote(dir / "nul.yaml") + " -o " + quote(dir / "out.yaml"));
  EXPECT_EQ(nul.code, 1) << nul.out;
  EXPECT_TRUE(contains(nul.out, "nul.yaml:2:11: error: a control character (byte 0x00)"))
      << nul.out;
  // A FIFO is named, never opened (was "cannot read: Operation not supported").
  ASSERT_EQ(::mkfifo((dir / "pipe.yaml").c_str(), 0600), 0);
  const auto fifo = relsim("import " + quote(dir / "pipe.yaml") + " -o " + quote(dir / "out.yaml"));
  EXPECT_EQ(fifo.code, 1) << fifo.out;
  EXPECT_TRUE(contains(fifo.out, quote(dir / "pipe.yaml") + " is a FIFO, not a file")) << fifo.out;
  EXPECT_FALSE(fs::exists(dir / "out.yaml"));
}

TEST(HostileResults, TheStoredScenarioIsLoadedInAPrivateFolderAndNamedByItsResultsFile) {
  // report and merge recompile the scenario text a results file stores. It
  // was written to /tmp/relsim-merge-PID (a name another user could create
  // first, with links in it), and its errors named that scratch copy.
  TempDir dir;
  write(dir / "tmp" / ".keep", "");
  write(dir / "runs" / "restart.csv", "seconds\n30\n45\n60\n");
  write(dir / "runs" / "s.yaml", scenario_with_data("restart.csv"));
  const std::string env = "TMPDIR=" + quote(dir / "tmp") + " ";
  const auto run = relsim("run " + quote(dir / "runs" / "s.yaml") + " -q --out " +
                          quote(dir / "runs" / "run.h5"));
  ASSERT_EQ(run.code, 0) << run.out;
  const auto ok = shell(env + RELSIM_BINARY + " report " + quote(dir / "runs" / "run.h5") + " -q");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_EQ(listing(dir / "tmp"), ".keep ");  // the scratch folder is gone
  fs::remove(dir / "runs" / "restart.csv");
  fs::remove(dir / "runs" / "run.html");
  const auto gone =
      shell(env + RELSIM_BINARY + " report " + quote(dir / "runs" / "run.h5") + " -q");
  EXPECT_EQ(gone.code, 1) << gone.out;
  EXPECT_TRUE(contains(gone.out, (dir / "runs" / "run.h5").string() + "(" +
                                     (dir / "runs" / "s.yaml").string() + "):12:"))
      << gone.out;
  EXPECT_FALSE(contains(gone.out, "relsim-merge")) << gone.out;
  EXPECT_FALSE(contains(gone.out, "relsim-scratch")) << gone.out;
  EXPECT_FALSE(fs::exists(dir / "runs" / "run.html"));
  EXPECT_EQ(listing(dir / "tmp"), ".keep ");
}

}  // namespace
