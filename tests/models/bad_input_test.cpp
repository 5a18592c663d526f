// Every file in tests/data/bad/ must fail to load with exactly the
// diagnostics its header announces:
//   # expect: <file>:<line>:<col>: error: <message substring>   (one per diagnostic, in order)
//   # expect: <command line>: error: <message substring>        (for --set problems)
//   # set: <path>=<value>                                        (optional --set overrides)
// The file name is compared without its directory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/loader.hpp"

namespace relsim::models {
namespace {

namespace fs = std::filesystem;

const fs::path kBadDir = fs::path(RELSIM_SOURCE_DIR) / "tests" / "data" / "bad";

struct Expectation {
  std::string where;    // `file:line:col`, `file` or `<command line>`
  std::string message;  // substring of the diagnostic's message
};

struct BadFile {
  fs::path path;
  std::vector<Expectation> expected;
  std::vector<std::string> overrides;
};

BadFile read_bad_file(const fs::path& path) {
  BadFile f{path, {}, {}};
  std::ifstream in(path);
  std::string line;
  const std::string expect = "# expect: ";
  const std::string set = "# set: ";
  const std::string sep = ": error: ";
  while (std::getline(in, line) && line.rfind("#", 0) == 0) {
    if (line.rfind(expect, 0) == 0) {
      const std::string rest = line.substr(expect.size());
      const std::size_t at = rest.find(sep);
      if (at == std::string::npos) {
        ADD_FAILURE() << path << ": malformed expect line: " << line;
        continue;
      }
      f.expected.push_back({rest.substr(0, at), rest.substr(at + sep.size())});
    } else if (line.rfind(set, 0) == 0) {
      f.overrides.push_back(line.substr(set.size()));
    }
  }
  return f;
}

std::vector<fs::path> bad_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kBadDir)) {
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// `file:line:col` of a diagnostic with the file's directory removed.
std::string where_of(const Diagnostic& d) {
  SourceLocation loc = d.location;
  if (loc.file != "<command line>") loc.file = fs::path(loc.file).filename().string();
  return loc.str();
}

/// `zone-outage.yaml` -> `ZoneOutage` (GoogleTest names: letters and digits).
std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string out;
  bool upper = true;
  for (char c : info.param.stem().string()) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

class BadInput : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadInput, ReportsExactlyTheExpectedDiagnostics) {
  const BadFile f = read_bad_file(GetParam());
  ASSERT_FALSE(f.expected.empty()) << f.path << " has no '# expect:' line";
  std::vector<Diagnostic> got;
  try {
    load_files({f.path.string()}, f.overrides);
    FAIL() << f.path << " loaded without errors";
  } catch (const InputError& e) {
    got = e.diagnostics();
  }
  std::string all;
  for (const auto& d : got) all += "\n  " + where_of(d) + ": error: " + d.message;
  ASSERT_EQ(got.size(), f.expected.size()) << "diagnostics:" << all;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(where_of(got[i]), f.expected[i].where) << "diagnostic " << i << ":" << all;
    EXPECT_NE(got[i].message.find(f.expected[i].message), std::string::npos)
        << "diagnostic " << i << " lacks '" << f.expected[i].message << "':" << all;
  }
}

INSTANTIATE_TEST_SUITE_P(Files, BadInput, ::testing::ValuesIn(bad_files()), test_name);

TEST(BadInputFiles, CoverEveryValidationClass) { EXPECT_GE(bad_files().size(), 25u); }

}  // namespace
}  // namespace relsim::models
