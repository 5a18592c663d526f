// The reference docs and the example files against the generator and the
// schema, and the `relsim schema` command.
#include "models/reference_docs.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "models/json_schema.hpp"
#include "models/schema_keys.hpp"
#include "tests/models/schema_test_support.hpp"
#include "tests/support/run_relsim.hpp"

namespace {

namespace fs = std::filesystem;
using relsim::testing::definition;
using relsim::testing::first_difference;
using relsim::testing::joined;
using relsim::testing::read_text;
using relsim::testing::validate;
using relsim::testing::yaml_to_json;

const fs::path kSource = RELSIM_SOURCE_DIR;

const relsim::testing::JsonValue& schema() { return relsim::testing::generated_schema(); }

TEST(ReferenceDocs, CommittedPagesMatchTheGenerator) {
  std::set<std::string> generated_names;
  for (const auto& page : relsim::models::reference_pages()) {
    generated_names.insert(page.file_name);
    const std::string committed = read_text(kSource / "docs/reference" / page.file_name);
    EXPECT_TRUE(committed == page.text)
        << "docs/reference/" << page.file_name << " is out of date. Regenerate:\n"
        << "  ./build/release/cli/relsim schema --markdown docs/reference\n"
        << first_difference(committed, page.text);
  }
  for (const auto& entry : fs::directory_iterator(kSource / "docs/reference")) {
    EXPECT_TRUE(generated_names.contains(entry.path().filename().string()))
        << entry.path() << " is not generated; remove it or add it to the generator";
  }
}

// ---- documents: reference examples, example files, the loader

/// The instances of the example's object inside `node`, following `context`.
std::vector<YAML::Node> instances(YAML::Node node, std::string_view context) {
  std::vector<YAML::Node> out{node};
  while (!context.empty()) {
    const std::size_t dot = context.find('.');
    std::string segment(context.substr(0, dot));
    context.remove_prefix(dot == std::string_view::npos ? context.size() : dot + 1);
    const bool each = segment.ends_with("[]");
    if (each) segment.resize(segment.size() - 2);
    std::vector<YAML::Node> next;
    for (const YAML::Node& n : out) {
      const YAML::Node child = n[segment];
      if (!child.IsDefined()) throw std::runtime_error("no key " + segment);
      if (each) {
        for (const auto& item : child) next.push_back(item);
      } else {
        next.push_back(child);
      }
    }
    out = next;
  }
  return out;
}

TEST(ReferenceDocs, EveryExampleMatchesTheSchema) {
  std::set<std::string> with_example;
  for (const auto& e : relsim::models::reference_examples()) {
    SCOPED_TRACE(std::string(e.object));
    ASSERT_NE(relsim::models::find_object(e.object), nullptr);
    with_example.insert(std::string(e.object));
    for (const YAML::Node& n : instances(YAML::Load(std::string(e.yaml)), e.context)) {
      const auto errors = validate(schema(), definition(e.object), yaml_to_json(n));
      EXPECT_TRUE(errors.empty()) << joined(errors);
    }
  }
  for (const auto& o : relsim::models::accepted_objects()) {
    EXPECT_TRUE(with_example.contains(std::string(o.id))) << o.id << " has no example";
  }
}

TEST(ReferenceDocs, EveryObjectHasOneSectionWithARowPerKey) {
  const auto pages = relsim::models::reference_pages();
  for (const auto& o : relsim::models::accepted_objects()) {
    int sections = 0;
    for (const auto& page : pages) {
      for (const char* level : {"\n## ", "\n### "}) {
        const std::string heading = level + std::string(o.id) + "\n";
        const std::size_t at = page.text.find(heading);
        if (at == std::string::npos) continue;
        ++sections;
        const std::size_t end = page.text.find("\n#", at + heading.size());
        const std::string section = page.text.substr(at, end - at);
        for (const auto* k : relsim::models::keys_of(o.id)) {
          EXPECT_NE(section.find("| `" + std::string(k->key) + "` |"), std::string::npos)
              << page.file_name << ": " << o.id << "." << k->key;
        }
      }
    }
    EXPECT_EQ(sections, 1) << o.id;
  }
}

TEST(ReferenceDocs, EveryLinkPointsAtAHeading) {
  const auto pages = relsim::models::reference_pages();
  auto anchors_of = [](const std::string& text) {
    std::set<std::string> anchors;
    std::istringstream lines(text);
    bool in_code = false;
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("```")) in_code = !in_code;
      if (in_code || !line.starts_with("#")) continue;
      std::string a;
      for (char c : line.substr(line.find(' ') + 1)) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (l == ' ') a += '-';
        if (std::isalnum(static_cast<unsigned char>(l)) || l == '-' || l == '_') a += l;
      }
      EXPECT_TRUE(anchors.insert(a).second) << "duplicate heading " << line;
    }
    return anchors;
  };
  std::map<std::string, std::set<std::string>> anchors;
  for (const auto& page : pages) anchors[page.file_name] = anchors_of(page.text);
  const std::regex link(R"(\]\(([^)#]*)(#([^)]*))?\))");
  for (const auto& page : pages) {
    for (auto it = std::sregex_iterator(page.text.begin(), page.text.end(), link);
         it != std::sregex_iterator(); ++it) {
      const std::string file = (*it)[1].str().empty() ? page.file_name : (*it)[1].str();
      if (!anchors.contains(file)) {
        EXPECT_TRUE(fs::exists(kSource / "docs/reference" / file))
            << page.file_name << ": " << file;
        continue;
      }
      if ((*it)[2].matched) {
        EXPECT_TRUE(anchors[file].contains((*it)[3].str())) << page.file_name << ": " << (*it)[0];
      }
    }
  }
}

std::vector<fs::path> example_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kSource / "scenarios")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioFiles, EveryDocumentMatchesTheSchema) {
  const auto files = example_files();
  EXPECT_FALSE(files.empty());
  for (const fs::path& file : files) {
    for (const YAML::Node& doc : YAML::LoadAllFromFile(file.string())) {
      const auto errors = validate(schema(), schema(), yaml_to_json(doc));
      EXPECT_TRUE(errors.empty()) << file << ":\n" << joined(errors);
    }
  }
}

using relsim::test::Outcome;
using relsim::test::relsim;

std::vector<fs::path> guide_files() {
  std::vector<fs::path> files;
  for (const fs::path& file : example_files()) {
    if (file.parent_path().filename() == "guide") files.push_back(file);
  }
  return files;
}

TEST(ScenarioFiles, GuideFilesValidate) {
  const auto files = guide_files();
  EXPECT_GE(files.size(), 4U) << "scenarios/guide/ holds the guide's snippets";
  for (const fs::path& file : files) {
    const auto r = relsim("validate " + file.string());
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_TRUE(r.out.starts_with("ok: ")) << r.out;
  }
}

TEST(ScenarioFiles, EveryGuideSnippetIsPartOfAValidatedFile) {
  std::vector<std::string> texts;
  for (const fs::path& file : guide_files()) texts.push_back(read_text(file));
  const std::string guide = read_text(kSource / "docs/guide.md");
  std::size_t snippets = 0;
  for (std::size_t at = guide.find("```yaml\n"); at != std::string::npos;
       at = guide.find("```yaml\n", at + 1)) {
    const std::size_t begin = at + 8;
    const std::string snippet = guide.substr(begin, guide.find("```", begin) - begin);
    ++snippets;
    EXPECT_TRUE(
        std::any_of(texts.begin(), texts.end(),
                    [&](const std::string& t) { return t.find(snippet) != std::string::npos; }))
        << "docs/guide.md: this snippet is not in any scenarios/guide/*.yaml file:\n"
        << snippet;
  }
  EXPECT_GE(snippets, 5U);
}

// ---- `relsim schema`

TEST(SchemaCommand, PrintsAndWritesTheGeneratedSchema) {
  const auto printed = relsim("schema");
  EXPECT_EQ(printed.code, 0);
  EXPECT_TRUE(printed.out == relsim::models::json_schema()) << "stdout differs";

  const fs::path dir =
      fs::temp_directory_path() / ("relsim_schema_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const auto written = relsim("schema --output " + (dir / "s.json").string() + " --markdown " +
                              (dir / "ref").string());
  EXPECT_EQ(written.code, 0) << written.out;
  EXPECT_TRUE(written.out.empty()) << written.out;
  EXPECT_TRUE(read_text(dir / "s.json") == relsim::models::json_schema());
  EXPECT_FALSE(fs::exists(dir / "s.json.tmp"));
  for (const auto& page : relsim::models::reference_pages()) {
    EXPECT_TRUE(read_text(dir / "ref" / page.file_name) == page.text) << page.file_name;
  }
  fs::remove_all(dir);
}

TEST(SchemaCommand, UnwritableOutputExitsWithOne) {
  const auto r = relsim("schema --output /nonexistent-dir/relsim.schema.json");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cannot write '/nonexistent-dir/relsim.schema.json'"), std::string::npos)
      << r.out;
  EXPECT_EQ(relsim("schema --no-such-flag").code, 2);
}

}  // namespace
