// Every reader on every fixture with each node in turn replaced by a
// scalar, an empty list, an empty map and null: a reader never throws for
// bad content (it notes and skips), whatever field is mistyped.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import {
namespace {

using ReaderFn = void (*)(const SourceDocument&, ImportModel&);

void preorder(const YAML::Node& n, std::vector<YAML::Node>& out) {
  out.push_back(n);
  if (n.IsMap()) {
    for (const auto& kv : n) preorder(kv.second, out);
  } else if (n.IsSequence()) {
    for (const auto& item : n) preorder(item, out);
  }
}

std::vector<YAML::Node> replacements() {
  YAML::Node list(YAML::NodeType::Sequence);
  list.push_back("x");
  return {YAML::Node("zz"), YAML::Node("-1"), list, YAML::Node(YAML::NodeType::Map),
          YAML::Node(YAML::NodeType::Null)};
}

/// Mutates every node of every document of `fixture`; returns the number
/// of reader calls made and adds the notes they gave to `notes`.
int mutate_all(const std::string& fixture, ReaderFn reader, std::size_t& notes) {
  int calls = 0;
  const auto docs = YAML::LoadAllFromFile(testing::fixture(fixture));
  for (std::size_t d = 0; d < docs.size(); ++d) {
    std::vector<YAML::Node> original;
    preorder(docs[d], original);
    for (std::size_t k = 0; k < original.size(); ++k) {
      for (const YAML::Node& with : replacements()) {
        YAML::Node copy = YAML::Clone(docs[d]);
        std::vector<YAML::Node> nodes;
        preorder(copy, nodes);
        nodes[k] = YAML::Clone(with);  // assigns through the handle: the tree changes
        ImportModel out;
        EXPECT_NO_THROW(reader(SourceDocument{fixture, static_cast<int>(d), copy}, out))
            << fixture << " document " << d << " node " << k;
        // The field accessors check types: no yaml-cpp exception reaches
        // the reader's last-resort catch.
        for (const auto& n : out.notes) {
          EXPECT_EQ(n.text.find("could not read this"), std::string::npos)
              << fixture << " document " << d << " node " << k << ": " << n.text;
        }
        notes += out.notes.size();
        ++calls;
      }
    }
  }
  return calls;
}

TEST(ImportReaders, NeverThrowWhateverNodeIsMistyped) {
  const std::vector<std::pair<std::string, ReaderFn>> cases = {
      {"k8s-checkout.yaml", read_kubernetes},
      {"k8s-list.yaml", read_kubernetes},
      {"k8s-bad.yaml", read_kubernetes},
      {"pagerduty-schedules.json", read_pagerduty},
      {"pagerduty-policy.json", read_pagerduty},
      {"opsgenie-schedule.json", read_opsgenie},
      {"opsgenie-escalation.json", read_opsgenie},
      {"opsgenie-bad.yaml", read_opsgenie},
      {"backstage-catalog.yaml", read_backstage},
      {"chaos-mesh.yaml", read_chaos_mesh},
      {"litmus.yaml", read_litmus},
      {"upstream-shapes/pagerduty-services.json", read_pagerduty},
      {"upstream-shapes/pagerduty-incidents.json", read_pagerduty},
      {"upstream-shapes/chaos/experiments.yaml", read_chaos_mesh},
      {"upstream-shapes/litmus-chart-template.yaml", read_litmus},
      {"upstream-shapes/backstage-org.yaml", read_backstage},
  };
  int calls = 0;
  std::size_t notes = 0;
  for (const auto& [file, reader] : cases) calls += mutate_all(file, reader, notes);
  EXPECT_GT(calls, 3000);
  EXPECT_GT(notes, static_cast<std::size_t>(calls));  // the mutations are seen and reported
}

TEST(ImportReaders, ReadAnyRootWithoutThrowing) {
  const std::vector<ReaderFn> readers = {read_kubernetes, read_pagerduty,  read_opsgenie,
                                         read_backstage,  read_chaos_mesh, read_litmus};
  for (const char* text :
       {"42", "[1, 2]", "{}", "~", "[{}]", "{data: [3]}", "{kind: List, items: 3}",
        "{schedules: {a: 1}}", "{kind: [x], metadata: {name: {a: b}}}", "{services: [1, {}]}",
        "{service: {escalation_policy: [x]}}", "{incidents: 3}"}) {
    for (const ReaderFn reader : readers) {
      ImportModel out;
      EXPECT_NO_THROW(reader(SourceDocument{"root.yaml", 0, YAML::Load(text)}, out)) << text;
    }
  }
}

}  // namespace
}  // namespace relsim::analysis::import
