// Export → import: a planned game day's experiment written by
// `relsim plan --export <tool>` (analysis/chaos_export.cpp), read back by the
// tool's import reader, and the experiment relsim planned, written as the
// ImportedExperiment that should come back.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analysis/chaos_export.hpp"
#include "analysis/import/reader_fields.hpp"
#include "models/compiled_model.hpp"
#include "models/loader.hpp"
#include "tests/import/read_fixture.hpp"

namespace relsim::analysis::import::testing {

/// The round-trip game days (tests/import/fixtures/roundtrip/) and the
/// programme's (scenarios/gamedays/).
inline std::vector<std::string> round_trip_game_days() {
  const std::string here = fixture("roundtrip/");
  const std::string programme = std::string(RELSIM_SOURCE_DIR) + "/scenarios/gamedays/";
  std::vector<std::string> out;
  for (const char* f : {"kill-two", "kill-one", "kill-random", "kill-all", "cpu", "lossy", "slow",
                        "zone", "drain"}) {
    out.push_back(here + f + ".yaml");
  }
  for (const char* f : {"week1-pod-kill", "week2-database-failover", "week3-fraud-latency",
                        "week4-redis-partition", "month2-az-failure"}) {
    out.push_back(programme + f + ".yaml");
  }
  return out;
}

inline std::string kill_mode_text(const models::KillMode& m, int replicas, ChaosTool tool) {
  switch (m.kind) {
    case models::KillMode::Kind::one:
      return "one";
    case models::KillMode::Kind::all:
      return "all";
    case models::KillMode::Kind::fixed:
      // Litmus counts in percent of the replicas (rounded up by the export).
      if (tool == ChaosTool::litmus) {
        return "{fixedPercent: " + percent_text(std::ceil(100.0 * m.value / replicas) / 100.0) +
               "}";
      }
      return "{fixed: " + number_text(m.value) + "}";
    case models::KillMode::Kind::fixed_percent:
      return "{fixedPercent: " + percent_text(m.value) + "}";
    case models::KillMode::Kind::random_max_percent:
      return "{randomMaxPercent: " + percent_text(m.value) + "}";
  }
  return "";
}

/// The experiment of `m.faults[0]` as the reader of `tool` should give it
/// back from the export (the manifest's name is the game day's).
inline ImportedExperiment expected_experiment(const models::CompiledModel& m,
                                              const std::string& game_day, ChaosTool tool) {
  const models::FaultRow& f = m.faults[0];
  ImportedExperiment e;
  e.name = game_day;
  e.source_format = to_string(tool);
  auto name = [&](models::Index c) {
    return c == models::kNoIndex ? std::string() : m.names.components[c];
  };
  auto secs = [](sim::Duration d) { return std::round(d.to_seconds()); };
  if (f.duration) e.duration_s = secs(*f.duration);
  switch (f.kind) {
    case models::FaultKind::pod_kill: {
      e.fault = "podKill";
      e.service = name(f.component);
      const int replicas = m.services[m.components[f.component].row].replicas;
      e.mode = kill_mode_text(f.mode, replicas, tool);
      if (tool == ChaosTool::chaos_mesh) {
        // A PodChaos pod-kill has no duration; a Schedule has no end.
        e.duration_s.reset();
        if (f.interval && f.duration) e.interval_s = secs(*f.interval);
      } else {
        if (!f.duration) e.duration_s = 15.0;  // the export's TOTAL_CHAOS_DURATION
        if (f.interval) e.interval_s = secs(*f.interval);
      }
      break;
    }
    case models::FaultKind::zone_outage:
      e.fault = "zoneOutage";
      e.zone = m.names.zones[f.zone];
      break;
    case models::FaultKind::node_drain:
      e.fault = "nodeDrain";
      e.zone = f.zone == models::kNoIndex ? "" : m.names.zones[f.zone];
      e.service = name(f.component);
      break;
    case models::FaultKind::network_latency:
      e.fault = "networkLatency";
      e.latency_s = std::round(f.latency.to_seconds() * 1000.0) / 1000.0;
      break;
    case models::FaultKind::network_loss:
      e.fault = "networkLoss";
      e.loss = f.loss;
      break;
    case models::FaultKind::network_partition:
      e.fault = "networkPartition";
      break;
    case models::FaultKind::capacity_loss:
      e.fault = "capacityLoss";
      e.service = name(f.component);
      e.fraction = f.fraction;
      break;
    default:
      break;
  }
  if (e.fault.rfind("network", 0) == 0) {
    e.from = name(f.from);
    e.to = name(f.to);
  }
  return e;
}

inline void expect_same_number(const std::optional<double>& got, const std::optional<double>& want,
                               const std::string& what) {
  ASSERT_EQ(got.has_value(), want.has_value()) << what;
  if (want) {
    EXPECT_NEAR(*got, *want, 1e-9) << what;
  }
}

inline void expect_same_experiment(const ImportedExperiment& got, const ImportedExperiment& want) {
  const std::string w = want.name + " (" + want.source_format + ")";
  EXPECT_EQ(got.name, want.name) << w;
  EXPECT_EQ(got.source_format, want.source_format) << w;
  EXPECT_EQ(got.fault, want.fault) << w;
  EXPECT_EQ(got.service, want.service) << w;
  EXPECT_EQ(got.zone, want.zone) << w;
  EXPECT_EQ(got.from, want.from) << w;
  EXPECT_EQ(got.to, want.to) << w;
  EXPECT_EQ(got.mode, want.mode) << w;
  expect_same_number(got.duration_s, want.duration_s, w + " duration");
  expect_same_number(got.interval_s, want.interval_s, w + " interval");
  expect_same_number(got.latency_s, want.latency_s, w + " latency");
  expect_same_number(got.loss, want.loss, w + " loss");
  expect_same_number(got.fraction, want.fraction, w + " fraction");
}

/// Exports every round-trip game day `tool` can express, reads each
/// manifest back with `reader`, and compares. Returns how many were checked.
template <class Reader>
int check_round_trips(ChaosTool tool, Reader reader) {
  int checked = 0;
  for (const auto& path : round_trip_game_days()) {
    const auto r = models::load_game_day(path);
    const auto m = models::compile(r.system, r.game_day);
    std::string manifest;
    try {
      manifest = export_experiment(m, r.game_day, tool);
    } catch (const models::InputError&) {
      continue;  // a fault the tool cannot express (chaos_export_test checks which)
    }
    const ImportModel got = read_text(manifest, "exported.yaml", reader);
    EXPECT_EQ(got.experiments.size(), 1u) << path << "\n" << manifest;
    if (got.experiments.size() != 1) continue;
    expect_same_experiment(got.experiments[0], expected_experiment(m, r.game_day.name, tool));
    for (const auto& n : got.notes) {
      EXPECT_NE(n.level, ImportNote::Level::error) << path << ": " << n.text;
    }
    ++checked;
  }
  return checked;
}

}  // namespace relsim::analysis::import::testing
