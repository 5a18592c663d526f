// relsim import, internal to analysis/import/: small helpers the readers
// share to read scalars, durations and percentages out of yaml-cpp nodes,
// appending a located ImportNote (never throwing) when a value has the wrong
// type. Reentrant; no shared state.
#pragma once

#include <optional>
#include <string>

#include "analysis/import/import_reader.hpp"

namespace relsim::analysis::import {

/// A Prometheus/Go-style duration ("5m", "1h30m", "28d", "2w", "1y", "250ms") in
/// seconds; nullopt when `text` is not one (a bare number is not a duration).
std::optional<double> parse_duration_text(const std::string& text);

/// Seconds as the shortest exact relsim duration: 3600 -> "1h", 90 -> "90s".
std::string duration_text(double seconds);

/// A number written in a scalar ("99.9", "0.999", 14.4); nullopt otherwise.
std::optional<double> parse_number_text(const std::string& text);

/// The scalar text of `node[key]`, or nullopt when absent or null. A
/// non-scalar value appends a note "expected <what>" at the value and gives nullopt.
std::optional<std::string> scalar_at(const SourceDocument& doc, const YAML::Node& node,
                                     const std::string& key, const std::string& path,
                                     const char* what, ImportModel& out);

/// `node[key]` as a number (notes a mistyped value, as above).
std::optional<double> number_at(const SourceDocument& doc, const YAML::Node& node,
                                const std::string& key, const std::string& path, ImportModel& out);

/// `node[key]` as a duration in seconds (notes a mistyped value).
std::optional<double> duration_at(const SourceDocument& doc, const YAML::Node& node,
                                  const std::string& key, const std::string& path,
                                  ImportModel& out);

/// `node[key]` as a boolean (notes a mistyped value).
std::optional<bool> bool_at(const SourceDocument& doc, const YAML::Node& node,
                            const std::string& key, const std::string& path, ImportModel& out);

/// Appends a note located at `node` of `doc`.
void add_note(ImportModel& out, ImportNote::Level level, const SourceDocument& doc,
              const YAML::Node& node, const std::string& field, const std::string& text);

/// `node[key]` when `node` is a mapping and holds it, else an undefined node
/// (never throws, whatever `node` is).
YAML::Node child(const YAML::Node& node, const std::string& key);

/// "page" for Prometheus/OpenSLO severities that page (page, critical, high,
/// emergency, p1, sev1...), "ticket" for the rest (ticket, warning, info, ...).
std::string route_of_severity(const std::string& severity);

}  // namespace relsim::analysis::import
