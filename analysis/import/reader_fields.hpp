// relsim import, internal to analysis/import/: reading fields of other tools'
// documents without throwing. Each accessor takes the parent node and a key,
// returns nullopt when the key is absent, and when it is present but of the
// wrong type appends an ImportNote (file:line:col, what was expected, that
// the field was skipped) and returns nullopt too. Also the value grammars
// the formats share: Go durations ("1m30s"), Kubernetes IntOrString ("25%"),
// ISO 8601 instants with their UTC offset, and label-selector names.
// Stateless functions; thread-safe for distinct documents.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/import/import_reader.hpp"

namespace relsim::analysis::import {

/// A reader's document and output, with the field-path prefix of the node in
/// hand ("spec.template.spec"), so notes name the full path.
struct FieldReader {
  const SourceDocument& doc;
  ImportModel& out;

  /// `node[key]` when `node` is a map holding `key`; otherwise an undefined node.
  static YAML::Node child(const YAML::Node& node, const std::string& key);
  /// `prefix.key` (or `key` when the prefix is empty).
  static std::string path(const std::string& prefix, const std::string& key);

  Origin origin(const YAML::Node& node, const std::string& field) const {
    return origin_of(doc, node, field);
  }
  void note(ImportNote::Level level, const YAML::Node& node, const std::string& field,
            const std::string& text) const;
  void warn(const YAML::Node& node, const std::string& field, const std::string& text) const {
    note(ImportNote::Level::warning, node, field, text);
  }

  /// A scalar's text; a map or a list gets a note and nullopt.
  std::optional<std::string> text(const YAML::Node& parent, const std::string& key,
                                  const std::string& field) const;
  /// A finite number (integers and decimals, also when quoted).
  std::optional<double> number(const YAML::Node& parent, const std::string& key,
                               const std::string& field) const;
  /// An integer at least `min`.
  std::optional<long long> integer(const YAML::Node& parent, const std::string& key,
                                   const std::string& field, long long min = 0) const;
  /// true/false.
  std::optional<bool> boolean(const YAML::Node& parent, const std::string& key,
                              const std::string& field) const;
  /// A Go duration string ("90s", "1m30s", "500ms") in seconds.
  std::optional<double> go_duration(const YAML::Node& parent, const std::string& key,
                                    const std::string& field) const;
  /// A list node; a present non-list gets a note and an undefined node.
  YAML::Node list(const YAML::Node& parent, const std::string& key, const std::string& field) const;
  /// A map node; a present non-map gets a note and an undefined node.
  YAML::Node map(const YAML::Node& parent, const std::string& key, const std::string& field) const;
  /// `metadata.name` of the object at `node` (fields under `prefix`), or a
  /// warning that `what` ("a Deployment") needs one and "" (skip the object).
  std::string metadata_name(const YAML::Node& node, const std::string& prefix,
                            const std::string& what) const;
};

/// A Kubernetes IntOrString: an integer count or a percentage "25%".
struct CountOrPercent {
  bool percent = false;
  double value = 0.0;  // a count, or a fraction in [0, 1] when `percent`
};
std::optional<CountOrPercent> parse_count_or_percent(const std::string& text);

/// Seconds of a Go duration ("1h2m3.5s", "250ms", "0"); nullopt if malformed.
std::optional<double> parse_go_duration(const std::string& text);

/// A number written in full ("3", "0.5", " 12 "); nullopt otherwise.
std::optional<double> parse_number(const std::string& text);

/// An ISO 8601 instant "2026-03-02T10:00:00-05:00" ("Z", "+0100", fraction
/// of seconds allowed).
struct IsoInstant {
  long long utc_seconds = 0;  // since 1970-01-01T00:00Z
  int offset_minutes = 0;     // as written; 0 for "Z"
  bool has_offset = false;    // false when no zone was written (local time)
  int weekday = 0;            // 0 = Monday, in the written offset's local time
  int hour = 0, minute = 0;   // local time of day in the written offset
};
std::optional<IsoInstant> parse_iso_instant(const std::string& text);

/// The weekday (0 = Monday) of days since 1970-01-01.
int weekday_of_days(long long days);

/// The UTC offset in minutes of the IANA time zone `name` ("Europe/Berlin",
/// "UTC") at an instant, from the system's tz database
/// (/usr/share/zoneinfo, Debian's tzdata); nullopt for an unknown zone.
std::optional<int> zone_offset_minutes(const std::string& name, long long utc_seconds);

/// "Mon 10:00" of an instant seen at a UTC offset.
std::string local_week_time(long long utc_seconds, int offset_minutes);

/// "Mon", ..., "Sun" for 0..6.
const char* weekday_name(int weekday);
/// 0..6 for "monday"/"mon"/"Monday" (any case); nullopt otherwise.
std::optional<int> parse_weekday(const std::string& text);

/// "Mon 10:00" (relsim's weekTime).
std::string week_time(int weekday, int hour, int minute);
/// "+01:00", "-05:30".
std::string utc_offset_text(int offset_minutes);

/// relsim's fraction text "50%" for 0.5 (up to 3 decimals of percent).
std::string percent_text(double fraction);
/// A plain decimal, shortest form ("0.25", "3", "1e-05").
std::string number_text(double value);

/// Which minutes of a week (Monday 00:00 = 0) an on-call schedule covers.
class WeekCoverage {
 public:
  static constexpr int kMinutes = 7 * 24 * 60;
  /// Marks `length` minutes from `start` (minute of the week; wraps).
  void add(int start, int length);
  void add_all() { add(0, kMinutes); }
  /// Covered minutes / minutes of the week.
  double fraction() const;

 private:
  std::vector<bool> minutes_ = std::vector<bool>(kMinutes, false);
};

/// A rotation's hand-off and the team's UTC offset from the instant a turn
/// starts (`start`, ISO 8601) and the schedule's IANA time zone (`zone`,
/// may be undefined): the hand-off is the start's weekday and time in that
/// zone (at the offset in force at the start), or at the offset written in
/// the instant when the zone is not known. Notes for what cannot be read.
void set_handoff(const FieldReader& r, ImportedTeam& team, const YAML::Node& start,
                 const std::string& start_field, const YAML::Node& zone,
                 const std::string& zone_field);

/// Kubernetes application names of a label map: the values of `app` and
/// `app.kubernetes.io/name` (in that order, without duplicates).
std::vector<std::string> app_labels(const YAML::Node& labels);

/// The note for a yaml-cpp exception a reader caught (a node it could not
/// convert): an error at the exception's mark saying the rest of the
/// document was skipped. Readers never let one escape.
void note_stopped(const SourceDocument& doc, ImportModel& out, const YAML::Exception& e,
                  const std::string& format);

/// Appends `name` to `names` unless it is empty or already there.
void add_unique(std::vector<std::string>& names, const std::string& name);

}  // namespace relsim::analysis::import
