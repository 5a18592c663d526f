// relsim import, internal to analysis/import/: one parsed document of an
// input file, and the readers that turn a document of their format into
// entries of the ImportModel. yaml-cpp types stay inside analysis/import/.
// A reader never throws for bad content: it appends an ImportNote (with the
// node's 1-based line and column) and skips what it cannot use.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "analysis/import/import_model.hpp"

namespace relsim::analysis::import {

/// One YAML or JSON document (a multi-document file gives several).
struct SourceDocument {
  std::string file;  // as given on the command line, for messages
  int index = 0;     // document index within the file
  YAML::Node root;
};

/// The origin of a node of `doc`: file, 1-based line and column, field path.
Origin origin_of(const SourceDocument& doc, const YAML::Node& node, const std::string& field);

/// The format of a document from its apiVersion/kind or its shape ("sloth",
/// "sloth-windows", "pyrra", "openslo", "prometheus-rules", "kubernetes",
/// "pagerduty", "opsgenie", "backstage", "chaos-mesh", "litmus"); "relsim" for
/// relsim's own YAML; "" when no format matches.
std::string detect_format(const SourceDocument& doc);

// Readers, one per format (analysis/import/read_<format>.cpp). Each is called
// only for a document `detect_format` gave to it.
void read_sloth(const SourceDocument& doc,
                ImportModel& out);  // prometheus/v1 and sloth.slok.dev/v1
void read_sloth_windows(const SourceDocument& doc,
                        ImportModel& out);                       // sloth.slok.dev/v1 AlertWindows
void read_pyrra(const SourceDocument& doc, ImportModel& out);    // pyrra.dev/v1alpha1
void read_openslo(const SourceDocument& doc, ImportModel& out);  // openslo/v1, openslo/v1alpha
void read_prometheus_rules(const SourceDocument& doc,
                           ImportModel& out);  // groups: / PrometheusRule
void read_kubernetes(const SourceDocument& doc,
                     ImportModel& out);  // apps/v1, policy/v1, autoscaling/*
void read_pagerduty(const SourceDocument& doc, ImportModel& out);  // schedules, escalation policies
void read_opsgenie(const SourceDocument& doc, ImportModel& out);   // schedules, escalations
void read_backstage(const SourceDocument& doc, ImportModel& out);  // backstage.io/v1alpha1
void read_chaos_mesh(const SourceDocument& doc, ImportModel& out);  // chaos-mesh.org/v1alpha1
void read_litmus(const SourceDocument& doc,
                 ImportModel& out);  // litmuschaos.io/v1alpha1 ChaosEngine

}  // namespace relsim::analysis::import
