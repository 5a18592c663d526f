// The loader's side of issue 22 (docs/security.md): limits located at the
// key that passes them, the text checks (UTF-8, nesting, tabs), and data
// files kept under the folder of the file that names them.
#include "models/limits.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "models/loader.hpp"
#include "models/text_checks.hpp"

namespace relsim::models {
namespace {

namespace fs = std::filesystem;

/// The diagnostics of loading `text` (named `file`), as `file:line:col: error: message` lines.
std::string errors_of(const std::string& text, const std::string& file = "t.yaml",
                      const DataReader* data = nullptr) {
  try {
    load_string(text, file, {}, data);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kHead = R"(apiVersion: relsim/v1alpha1
kind: System
metadata: {name: s}
spec:
  zones: [a]
  services:
)";

TEST(InputLimits, ReplicasAboveTheLimitAreLocatedAtTheKey) {
  const auto e =
      errors_of(kHead + "    - {name: api, replicas: 100001, zones: [a], capacityPerReplica: 9}\n");
  EXPECT_NE(e.find("t.yaml:7:29: error: spec.services[api].replicas: 100001 is above 100000 (the "
                   "limit of replicas per service"),
            std::string::npos)
      << e;
  EXPECT_EQ(
      errors_of(kHead + "    - {name: api, replicas: 100000, zones: [a], capacityPerReplica: 9}\n"),
      "");
}

TEST(InputLimits, RequestRatesAboveTheLimitAreRefusedWithTheirRange) {
  const auto e = errors_of(
      kHead + "    - {name: api, replicas: 1, zones: [a], capacityPerReplica: 9, demand: 1e308}\n");
  EXPECT_NE(e.find("1e308 requests/s is above 1e9"), std::string::npos) << e;
  const auto c =
      errors_of(kHead + "    - {name: api, replicas: 1, zones: [a], capacityPerReplica: 2e9}\n");
  EXPECT_NE(c.find("is above 1000000000 (the limit of requests per second"), std::string::npos)
      << c;
}

TEST(InputLimits, NamesAndReferencesAreAtMost253BytesAndNeverEchoedWhole) {
  const std::string longest(253, 'n');
  EXPECT_EQ(errors_of(kHead + "    - {name: " + longest +
                      ", replicas: 1, zones: [a], capacityPerReplica: 9}\n"),
            "");
  const std::string huge(100000, 'n');
  const auto e =
      errors_of(kHead + "    - {name: " + huge +
                ", replicas: 1, zones: [a], capacityPerReplica: 9}\n    - {name: b, "
                "replicas: 1, zones: [a], capacityPerReplica: 9, dependsOn: [{service: " +
                huge + "}]}\n");
  EXPECT_NE(e.find("t.yaml:7:14: error: spec.services[0].name: a name of 100000 bytes; names are "
                   "at most 253 bytes (the limit of bytes of a name"),
            std::string::npos)
      << e.substr(0, 2000);
  EXPECT_NE(e.find("t.yaml:8:87: error: spec.services[b].dependsOn[0].service: a name of 100000 "
                   "bytes"),
            std::string::npos)
      << e.substr(0, 2000);
  EXPECT_LT(e.size(), 2000u);  // no message quotes the name whole
}

TEST(InputLimits, EveryLimitIsListedForTheReference) {
  EXPECT_EQ(input_limits().size(), 16u);
  EXPECT_EQ(key_limit("Service", "replicas")->max, 1e5);
  EXPECT_FALSE(key_limit("Service", "name"));
}

TEST(TextChecks, InvalidUtf8IsFoundWhereItIs) {
  EXPECT_FALSE(detail::invalid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  const auto lone = detail::invalid_utf8("ok\nab\xe9z");
  ASSERT_TRUE(lone);
  EXPECT_EQ(lone->line, 2u);
  EXPECT_EQ(lone->column, 3u);
  EXPECT_EQ(lone->byte, 0xE9);
  EXPECT_TRUE(detail::invalid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_TRUE(detail::invalid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_TRUE(detail::invalid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  const auto msg = errors_of("kind: \"\xff\"\n");
  EXPECT_NE(msg.find("t.yaml:1:8: error: invalid UTF-8 (byte 0xFF)"), std::string::npos) << msg;
}

TEST(TextChecks, NestingCountsFlowAndBlockLevelsOutsideQuotesAndComments) {
  // `x: [[[...`: the mapping is one level, each bracket one more.
  EXPECT_FALSE(detail::too_deep("x: " + std::string(63, '['), 64));
  const auto flow = detail::too_deep("x: " + std::string(64, '['), 64);
  ASSERT_TRUE(flow);
  EXPECT_EQ(flow->column, 3u + 64u);
  EXPECT_FALSE(detail::too_deep("x: '" + std::string(100, '[') + "'", 64));
  EXPECT_FALSE(detail::too_deep("x: 1 # " + std::string(100, '['), 64));
  EXPECT_FALSE(detail::too_deep("x: a[0]" + std::string(100, '['), 64));
  EXPECT_FALSE(detail::too_deep("x: |\n  " + std::string(100, '[') + "\n", 64));
  EXPECT_TRUE(detail::too_deep(
      std::string(200, '-') + "\n" +
          [] {
            std::string s;
            for (int i = 0; i < 70; ++i) s += "- ";
            return s + "x";
          }(),
      64));
  const auto msg = errors_of("a: " + std::string(10000, '[') + "\n");
  EXPECT_NE(msg.find("t.yaml:1:67: error: nesting deeper than 64 levels"), std::string::npos)
      << msg;
}

TEST(TextChecks, ATabInTheIndentationIsNamed) {
  const auto e = errors_of("apiVersion: relsim/v1alpha1\nkind: System\nmetadata:\n\tname: x\n");
  EXPECT_NE(e.find("t.yaml:4:1: error: malformed YAML: a tab character in the indentation"),
            std::string::npos)
      << e;
  EXPECT_FALSE(detail::tab_indentation("a: |\n  x\n\ty\n", 1));
}

// yaml-cpp 0.7 never returns from a document whose first token is a ','
// (it emits nodes without end, eating memory): found by fuzz_loader on a
// 272-byte mutation of a scenario. The loader stops such a parse and says so.
TEST(TextChecks, AParseThatRunsAwayIsStoppedAndLocated) {
  for (const char* text :
       {",\n", "  ,\n", "# c\n, x}\n", "\"x\"\n,\n", "[a]\n,\n", "a: 1\n---\n, x\n", "---\n,\n"}) {
    EXPECT_TRUE(detail::yaml_runaway(text).has_value()) << text;
    const auto e = errors_of(text);
    EXPECT_NE(e.find("t.yaml:"), std::string::npos) << e;
    EXPECT_NE(e.find("malformed YAML: the parser runs away"), std::string::npos) << e;
  }
  // Well-formed and ordinarily malformed text parses to its end.
  for (const char* text :
       {"a: [1, 2, {b: c}]\n", "- a, b\n- {}\n- []\n", "a: , }\n", kHead.c_str()}) {
    EXPECT_FALSE(detail::yaml_runaway(text).has_value()) << text;
  }
}

class TestReader final : public DataReader {
 public:
  explicit TestReader(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}
  std::vector<double> read_column(const std::string&, const std::string&) const override {
    return {1.0, 2.0};
  }
  std::vector<std::string> data_dirs() const override { return dirs_; }

 private:
  std::vector<std::string> dirs_;
};

TEST(DataFileConfinement, UnderTheNamingFilesFolderOrADataDir) {
  const fs::path root =
      fs::temp_directory_path() / ("relsim-confine-" + std::to_string(::getpid()));
  fs::create_directories(root / "scenarios");
  const std::string file = (root / "scenarios" / "s.yaml").string();
  auto text = [](const std::string& data) {
    return kHead +
           "    - {name: api, replicas: 1, zones: [a], capacityPerReplica: 9, restart: {empirical: "
           "{file: " +
           data + ", column: x}}}\n";
  };
  const TestReader none({});
  EXPECT_EQ(errors_of(text("d.csv"), file, &none), "");
  EXPECT_EQ(errors_of(text("sub/../d.csv"), file, &none), "");
  const auto out = errors_of(text("../d.csv"), file, &none);
  EXPECT_NE(out.find("s.yaml:7:95: error: spec.services[api].restart.empirical.file: data file "
                     "'../d.csv' lies outside the folder"),
            std::string::npos)
      << out;
  EXPECT_NE(errors_of(text("/etc/passwd"), file, &none).find("lies outside"), std::string::npos);
  const TestReader allowed({root.string()});
  EXPECT_EQ(errors_of(text("../d.csv"), file, &allowed), "");
  fs::remove_all(root);
}

}  // namespace
}  // namespace relsim::models
