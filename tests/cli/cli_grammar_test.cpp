// relsim's one command grammar (docs/cli.md, "One grammar"): walks every
// subcommand's --help and checks that the shared option groups are there,
// under their headings, with the same meaning (the same help text) wherever
// they appear; that a --format a command does not print gets a message
// naming those it does; and that each old spelling still works with one
// deprecation line on standard error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::test::relsim;

const std::string kSource = RELSIM_SOURCE_DIR;
const std::string kBaseline = kSource + "/scenarios/payments/baseline.yaml";

/// One option line of --help: its names (`-o,--output`), its section and
/// its description.
struct HelpOption {
  std::string section;
  std::string description;
};

/// The options of `relsim <command> --help`, by long name (`--trials`).
std::map<std::string, HelpOption> help_options(const std::string& command) {
  const auto r = relsim(command + " --help");
  EXPECT_EQ(r.code, 0) << command << ": " << r.out;
  std::map<std::string, HelpOption> out;
  std::istringstream in(r.out);
  std::string line, section;
  std::string pending;  // an option whose description is on the next line
  const std::regex header(R"(^([A-Z][A-Za-z ]*):$)");
  const std::regex option(R"(^  (-\S+)(.*?)(\s{2,}(\S.*))?$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, header)) {
      section = m[1].str();
      continue;
    }
    if (!pending.empty()) {
      const auto first = line.find_first_not_of(' ');
      if (first != std::string::npos && first > 10) out[pending].description = line.substr(first);
      pending.clear();
      continue;
    }
    if (!std::regex_match(line, m, option)) continue;
    std::string names = m[1].str();
    std::string longest = names.substr(names.rfind(',') + 1);
    out[longest] = {section, m[4].str()};
    if (!m[3].matched) pending = longest;
  }
  return out;
}

const std::vector<std::string> kTrialCommands = {"run",  "compare", "sensitivity",
                                                 "plan", "alerts",  "kernel-demo"};
const std::vector<std::string> kOutputCommands = {"run",           "merge",
                                                  "report",        "analyze",
                                                  "compare",       "sensitivity",
                                                  "plan",          "alerts",
                                                  "validate",      "explain",
                                                  "graph",         "schema",
                                                  "import",        "incidents import",
                                                  "incidents fit", "incidents power",
                                                  "kernel-demo"};
const std::vector<std::string> kFormatCommands = {"run",         "merge", "analyze",    "compare",
                                                  "sensitivity", "plan",  "alerts",     "validate",
                                                  "explain",     "graph", "kernel-demo"};
const std::vector<std::string> kResultsCommands = {"run",         "merge", "compare",
                                                   "sensitivity", "plan",  "alerts"};
const std::vector<std::string> kModelCommands = {"validate", "explain", "graph", "analyze"};
const std::vector<std::string> kInputCommands = {"incidents import", "incidents fit",
                                                 "incidents power", "import"};
const std::vector<std::string> kExportCommands = {"plan", "alerts"};

/// Checks that `command` lists `names` under `section` and records each
/// description in `meaning` (option -> description -> the first command),
/// so a second command with another text for the same option fails.
void expect_group(const std::string& command, const std::string& section,
                  const std::vector<std::string>& names,
                  std::map<std::string, std::map<std::string, std::string>>& meaning) {
  const auto options = help_options(command);
  for (const std::string& name : names) {
    const auto it = options.find(name);
    ASSERT_NE(it, options.end()) << "relsim " << command << " has no " << name;
    EXPECT_EQ(it->second.section, section) << "relsim " << command << " " << name;
    EXPECT_FALSE(it->second.description.empty()) << "relsim " << command << " " << name;
    meaning[name][it->second.description] = command;
  }
}

TEST(CliGrammar, EveryCommandHasItsSharedGroupsWithOneMeaning) {
  std::map<std::string, std::map<std::string, std::string>> meaning;
  for (const std::string& c : kTrialCommands) {
    expect_group(c, "Trials", {"--trials", "--seed", "--threads", "--confidence"}, meaning);
    if (c != "kernel-demo") expect_group(c, "Trials", {"--set"}, meaning);
    expect_group(c, "Replay", {"--trial-index"}, meaning);
  }
  for (const std::string& c : kModelCommands) expect_group(c, "Model", {"--set"}, meaning);
  for (const std::string& c : kOutputCommands) {
    expect_group(c, "Output", {"--quiet"}, meaning);
    // -o's text says what the command writes; only its group is shared.
    std::map<std::string, std::map<std::string, std::string>> ignored;
    expect_group(c, "Output", {"--output"}, ignored);
  }
  for (const std::string& c : kFormatCommands) {
    std::map<std::string, std::map<std::string, std::string>> formats;
    expect_group(c, "Output", {"--format"}, formats);
    EXPECT_EQ(formats["--format"].begin()->first.rfind("What is printed: ", 0), 0u) << c;
  }
  for (const std::string& c : kResultsCommands) {
    std::map<std::string, std::map<std::string, std::string>> ignored;
    expect_group(c, "Results file", {"--out", "--out-format"}, ignored);
  }
  for (const std::string& c : kInputCommands) {
    std::map<std::string, std::map<std::string, std::string>> ignored;
    expect_group(c, "Input", {"--input-format"}, ignored);
  }
  for (const std::string& c : kExportCommands) {
    std::map<std::string, std::map<std::string, std::string>> ignored;
    expect_group(c, "Export", {"--export"}, ignored);
  }
  // One meaning: the same help text wherever the option appears (--trials
  // and --seed name their command's default, so only their group is shared).
  for (const char* name : {"--threads", "--confidence", "--quiet", "--trial-index"}) {
    EXPECT_EQ(meaning[name].size(), 1u) << name << " reads differently in: " << [&] {
      std::string all;
      for (const auto& [text, command] : meaning[name]) all += "\n  " + command + ": " + text;
      return all;
    }();
  }
  // --set: one text for the Trials and Model groups alike.
  EXPECT_EQ(meaning["--set"].size(), 1u);
}

TEST(CliGrammar, NoOldSpellingIsShownInHelp) {
  EXPECT_EQ(help_options("alerts").count("--hdf5"), 0u);
  EXPECT_EQ(help_options("import").count("--from"), 0u);
  EXPECT_EQ(help_options("report").count("--out"), 0u);
  EXPECT_EQ(help_options("incidents import").count("--format"), 0u);
}

TEST(CliGrammar, AFormatACommandDoesNotPrintIsAClearUsageError) {
  for (const std::string& c : {std::string("run ") + kBaseline, std::string("compare ") + kBaseline,
                               std::string("validate ") + kBaseline}) {
    const auto r = relsim(c + " --format csv");
    EXPECT_EQ(r.code, 2) << c << ": " << r.out;
    EXPECT_NE(r.out.find("this command prints text or json, not 'csv'"), std::string::npos)
        << c << ": " << r.out;
    EXPECT_NE(r.out.find("--out DIR/"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("not in {"), std::string::npos) << r.out;  // not CLI11's own text
  }
  const auto g = relsim("graph " + kBaseline + " --format text");
  EXPECT_EQ(g.code, 2);
  EXPECT_NE(g.out.find("this command prints dot or json, not 'text'"), std::string::npos) << g.out;
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("relsim-grammar-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CliGrammar, QuietKeepsTheSummaryOffTheTerminalButNotOutOfItsFile) {
  const TempDir dir;
  const std::string run = "run " + kBaseline + " --trials 20 --threads 2";
  const auto loud = relsim(run);
  ASSERT_EQ(loud.code, 0) << loud.out;
  EXPECT_NE(loud.out.find("SLO payment-availability"), std::string::npos);
  const auto quiet = relsim(run + " -q");
  ASSERT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.out, "");
  const auto to_file = relsim(run + " -q -o " + (dir / "summary.txt"));
  ASSERT_EQ(to_file.code, 0);
  EXPECT_EQ(to_file.out, "");
  EXPECT_NE(read(dir / "summary.txt").find("SLO payment-availability"), std::string::npos);
  const auto validate = relsim("validate " + kBaseline + " -q");
  EXPECT_EQ(validate.code, 0);
  EXPECT_EQ(validate.out, "");
}

TEST(CliGrammar, OldSpellingsWorkWithOneDeprecationLine) {
  const TempDir dir;
  const std::string note = "is deprecated: use '";
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  // run -o json: --format json; -o ./json writes a file named json.
  const auto json = relsim("run " + kBaseline + " --trials 10 -o json");
  ASSERT_EQ(json.code, 0) << json.out;
  EXPECT_EQ(count(json.out, note), 1u) << json.out;
  EXPECT_NE(json.out.find("'-o json' is deprecated: use '--format json'"), std::string::npos);
  EXPECT_NE(json.out.find("\"trialsSummarised\": 10"), std::string::npos);
  const auto file = relsim("run " + kBaseline + " --trials 10 -o " + (dir / "json"));
  ASSERT_EQ(file.code, 0) << file.out;
  EXPECT_EQ(count(file.out, note), 0u) << file.out;
  EXPECT_NE(read(dir / "json").find("SLO payment-availability"), std::string::npos);
  // alerts --hdf5 is --out.
  const auto alerts =
      relsim("alerts " + kBaseline + " --trials 4 --threads 2 -q --hdf5 " + (dir / "lab.h5"));
  ASSERT_EQ(alerts.code, 0) << alerts.out;
  EXPECT_EQ(alerts.out,
            "relsim: warning: '--hdf5' is deprecated: use '--out' (it will be removed in the next "
            "release)\n");
  EXPECT_TRUE(fs::exists(dir / "lab.h5"));
  // incidents --format is --input-format; incidents import -o TABLE is --out.
  const std::string csv = kSource + "/scenarios/incidents/pagerduty.csv";
  const auto imp =
      relsim("incidents import " + csv + " --format pagerduty -o " + (dir / "t.csv") + " -q");
  ASSERT_EQ(imp.code, 0) << imp.out;
  EXPECT_EQ(count(imp.out, note), 2u) << imp.out;
  EXPECT_NE(imp.out.find("'--format' is deprecated: use '--input-format'"), std::string::npos);
  EXPECT_NE(imp.out.find("'-o " + (dir / "t.csv") + "' is deprecated: use '--out "),
            std::string::npos)
      << imp.out;
  EXPECT_TRUE(fs::exists(dir / "t.csv"));
  const auto now = relsim("incidents import " + csv + " --input-format pagerduty --out " +
                          (dir / "u.csv") + " -o " + (dir / "summary.txt"));
  ASSERT_EQ(now.code, 0) << now.out;
  EXPECT_EQ(now.out, "");
  EXPECT_EQ(read(dir / "t.csv"), read(dir / "u.csv"));
  EXPECT_NE(read(dir / "summary.txt").find("560 incidents"), std::string::npos);
  // import --from is --input-format.
  const auto from = relsim("import " + kSource + "/tests/import/fixtures/sloth-roundtrip.yaml " +
                           "--from sloth -q -o " + (dir / "system.yaml"));
  ASSERT_EQ(from.code, 0) << from.out;
  EXPECT_NE(from.out.find("'--from' is deprecated: use '--input-format'"), std::string::npos)
      << from.out;
}

TEST(CliGrammar, ReplayRunsOneTrialOfEveryCommandThatRunsTrials) {
  const auto plan = relsim("plan " + kSource +
                           "/scenarios/gamedays/week2-database-failover.yaml --trials 20 "
                           "--threads 2 --trial-index 3 --format json");
  ASSERT_EQ(plan.code, 0) << plan.out;
  EXPECT_NE(plan.out.find("\"trials\": 1,"), std::string::npos) << plan.out.substr(0, 600);
  const auto compare = relsim("compare " + kBaseline +
                              " --sweep services.payment-api.replicas=5,6 --trials 20 --threads 2 "
                              "--trial-index 25");
  EXPECT_EQ(compare.code, 1) << compare.out;
  EXPECT_NE(compare.out.find("--trial-index 25 is not below the trial count 20"), std::string::npos)
      << compare.out;
}

TEST(CliGrammar, CompareAndSensitivityWriteTheirPerTrialFigures) {
  const TempDir dir;
  const std::string compare =
      "compare " + kBaseline +
      " --sweep services.payment-api.replicas=5,6 --trials 12 --threads 2 -q";
  const auto json = relsim(compare + " --out " + (dir / "c.json"));
  ASSERT_EQ(json.code, 0) << json.out;
  EXPECT_EQ(json.out, "");
  const std::string j = read(dir / "c.json");
  EXPECT_NE(j.find("\"command\": \"compare\""), std::string::npos) << j.substr(0, 400);
  EXPECT_NE(j.find("\"run\": \"replicas=6\""), std::string::npos);
  EXPECT_NE(j.find("\"figure\": \"attainment\""), std::string::npos);
  const auto csv = relsim(compare + " --out " + (dir / "c") + "/");
  ASSERT_EQ(csv.code, 0) << csv.out;
  const std::string figures = read(dir / "c/figures.csv");
  EXPECT_EQ(std::count(figures.begin(), figures.end(), '\n'), 13);  // header + 12 trials
  EXPECT_EQ(read(dir / "c/columns.csv").rfind("column,run,subject,figure,unit\nc0,baseline,", 0),
            0u);
  const auto h5 = relsim(compare + " --out " + (dir / "c.h5"));
  ASSERT_EQ(h5.code, 0) << h5.out;
  EXPECT_TRUE(fs::exists(dir / "c.h5"));
  const auto replay = relsim(compare + " --trial-index 7 --out " + (dir / "r.json"));
  ASSERT_EQ(replay.code, 0) << replay.out;
  EXPECT_NE(read(dir / "r.json").find("\"firstTrial\": 7"), std::string::npos);
  const auto bad = relsim(compare + " --out " + (dir / "c.parquet"));
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("the extension names no format"), std::string::npos) << bad.out;
  const auto sens = relsim("sensitivity " + kBaseline +
                           " --param services.payment-api.replicas --trials 12 --threads 2 --out " +
                           (dir / "s.json") + " --trial-index 3");
  ASSERT_EQ(sens.code, 0) << sens.out;
  EXPECT_NE(sens.out.find("trial 3 of 12 (seed 7) replayed"), std::string::npos) << sens.out;
  EXPECT_NE(read(dir / "s.json").find("\"run\": \"services.payment-api.replicas +\""),
            std::string::npos);
}

}  // namespace
