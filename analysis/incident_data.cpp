#include "analysis/incident_data.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "models/diagnostics.hpp"
#include "sim/time.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------- CSV

struct Field {
  std::string text;
  int line = 0;
  int column = 0;
  bool unterminated = false;  // a quoted field that runs to the end of the file
};

struct Record {
  std::vector<Field> fields;
  int line = 0;
};

/// RFC 4180 records with the 1-based line and column where each field
/// starts; quoted fields may hold commas, doubled quotes and newlines. Empty
/// lines are skipped; CRLF and a leading UTF-8 byte-order mark are accepted.
/// Calls `on_record(Record&&)` for each record in file order, holding one
/// record at a time (a data file of 256 MiB of one-character rows is 100
/// million records); `on_record` returns false to stop.
template <typename F>
void for_each_csv_record(const std::string& text, F&& on_record) {
  std::size_t i = 0;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;
  int line = 1;
  std::size_t line_start = i;
  while (i < text.size()) {
    if (text[i] == '\n' || text[i] == '\r') {  // empty line
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      line_start = i;
      continue;
    }
    Record rec;
    rec.line = line;
    for (;;) {
      Field f;
      f.line = line;
      f.column = static_cast<int>(i - line_start) + 1;
      if (i < text.size() && text[i] == '"') {
        ++i;
        f.unterminated = true;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              f.text += '"';
              i += 2;
              continue;
            }
            ++i;
            f.unterminated = false;
            break;
          }
          if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
          }
          f.text += text[i++];
        }
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          f.text += text[i++];
        }
      }
      rec.fields.push_back(std::move(f));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    ++line;
    line_start = i;
    if (!on_record(std::move(rec))) return;
  }
}

std::vector<Record> parse_csv(const std::string& text) {
  std::vector<Record> out;
  for_each_csv_record(text, [&](Record&& rec) {
    out.push_back(std::move(rec));
    return true;
  });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

/// Header names compare in lower case with only letters and digits kept:
/// `Report.AckTime` = `reportacktime`, `created_on` = `createdon`.
std::string header_key(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

// ---------------------------------------------------------------- formats

enum class Slot { id, service, severity, created, acknowledged, mitigated, resolved };
constexpr int kSlots = 7;
constexpr const char* kSlotNames[kSlots] = {"id",           "service",   "severity", "created",
                                            "acknowledged", "mitigated", "resolved"};

struct SlotSpec {
  std::vector<std::string> absolute;  // header names of an instant or a text
  std::vector<std::string> relative;  // header names of a duration since `created`
};

struct FormatSpec {
  SlotSpec slots[kSlots];
  double epoch_unit = 1.0;     // seconds per unit of a numeric instant
  double relative_unit = 1.0;  // seconds per unit of a relative duration
};

/// The column names each format is read by (see docs/incident-data.md for
/// what was assumed about the PagerDuty and Opsgenie exports).
FormatSpec spec_of(IncidentFormat f) {
  FormatSpec s;
  auto set = [&](Slot slot, std::vector<std::string> abs, std::vector<std::string> rel = {}) {
    s.slots[static_cast<int>(slot)] = {std::move(abs), std::move(rel)};
  };
  switch (f) {
    case IncidentFormat::generic:
      set(Slot::id, {"id"});
      set(Slot::service, {"service"});
      set(Slot::severity, {"severity"});
      set(Slot::created, {"created", "createdat"});
      set(Slot::acknowledged, {"acknowledged", "acknowledgedat"});
      set(Slot::mitigated, {"mitigated", "mitigatedat"});
      set(Slot::resolved, {"resolved", "resolvedat"});
      break;
    case IncidentFormat::pagerduty:
      set(Slot::id, {"incidentnumber", "id"});
      set(Slot::service, {"servicename", "service"});
      set(Slot::severity, {"priorityname", "priority", "urgency"});
      set(Slot::created, {"createdon", "createdat"});
      set(Slot::acknowledged, {"acknowledgedon", "acknowledgedat"}, {"secondstofirstack"});
      set(Slot::mitigated, {"mitigatedon", "mitigatedat"});
      set(Slot::resolved, {"resolvedon", "resolvedat"}, {"secondstoresolve"});
      break;
    case IncidentFormat::opsgenie:
      set(Slot::id, {"tinyid", "id", "alias"});
      set(Slot::service, {"service", "impactedservices", "entity", "teams"});
      set(Slot::severity, {"priority"});
      set(Slot::created, {"createdat"});
      set(Slot::acknowledged, {"acknowledgedat"}, {"reportacktime", "acktime", "timetoack"});
      set(Slot::mitigated, {"mitigatedat"});
      set(Slot::resolved, {"closedat", "resolvedat"},
          {"reportclosetime", "closetime", "timetoclose"});
      s.epoch_unit = 1e-3;  // Opsgenie numbers are epoch milliseconds
      s.relative_unit = 1e-3;
      break;
  }
  return s;
}

/// The message for a column the header names twice (0-based indexes).
std::string duplicate_column(const std::string& key, std::size_t first, std::size_t again) {
  return "the header names the column '" + key + "' twice (columns " + std::to_string(first + 1) +
         " and " + std::to_string(again + 1) +
         ", compared in lower case without punctuation); rename or remove one";
}

/// Where a slot is found in one file's header: the columns to try, in order
/// of preference, each absolute or relative.
struct SlotColumns {
  std::vector<std::pair<std::size_t, bool>> columns;  // (index, relative)
};

}  // namespace

std::optional<IncidentFormat> parse_incident_format(std::string_view text) {
  if (text == "generic") return IncidentFormat::generic;
  if (text == "pagerduty") return IncidentFormat::pagerduty;
  if (text == "opsgenie") return IncidentFormat::opsgenie;
  return std::nullopt;
}

const char* metric_name(RecordedTime m) {
  switch (m) {
    case RecordedTime::tta:
      return "tta";
    case RecordedTime::ttm:
      return "ttm";
    case RecordedTime::ttr:
      return "ttr";
  }
  return "?";
}

std::optional<RecordedTime> parse_metric(std::string_view text) {
  if (text == "tta") return RecordedTime::tta;
  if (text == "ttm") return RecordedTime::ttm;
  if (text == "ttr") return RecordedTime::ttr;
  return std::nullopt;
}

double Incident::seconds(RecordedTime m) const {
  switch (m) {
    case RecordedTime::tta:
      return acknowledged - created;
    case RecordedTime::ttm:
      return mitigated - created;
    case RecordedTime::ttr:
      return resolved - created;
  }
  return kNaN;
}

IncidentTable parse_incidents(const std::string& text, const std::string& file_name,
                              IncidentFormat format) {
  using models::Diagnostic;
  using models::SourceLocation;
  IncidentTable table;
  table.file = file_name;
  const std::vector<Record> records = parse_csv(text);
  if (records.empty()) {
    throw models::InputError(SourceLocation{file_name, 1, 1},
                             "empty file: expected a header row and incident rows");
  }
  const FormatSpec spec = spec_of(format);
  const Record& header = records[0];
  std::set<std::string> read_names;
  for (const SlotSpec& sl : spec.slots) {
    read_names.insert(sl.absolute.begin(), sl.absolute.end());
    read_names.insert(sl.relative.begin(), sl.relative.end());
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const std::string key = header_key(header.fields[c].text);
    const auto [it, fresh] = index.emplace(key, c);
    // A column relsim reads, twice: which one holds the values is anyone's guess.
    if (!fresh && read_names.count(key) != 0) {
      const Field& f = header.fields[c];
      throw models::InputError(SourceLocation{file_name, f.line, f.column},
                               duplicate_column(key, it->second, c));
    }
  }
  SlotColumns where[kSlots];
  for (int s = 0; s < kSlots; ++s) {
    for (const auto& name : spec.slots[s].absolute) {
      if (auto it = index.find(name); it != index.end())
        where[s].columns.push_back({it->second, false});
    }
    for (const auto& name : spec.slots[s].relative) {
      if (auto it = index.find(name); it != index.end())
        where[s].columns.push_back({it->second, true});
    }
  }
  auto column_list = [&](int s) {
    std::string names;
    const auto& sl = spec.slots[s];
    std::vector<std::string> all = sl.absolute;
    all.insert(all.end(), sl.relative.begin(), sl.relative.end());
    for (std::size_t k = 0; k < all.size(); ++k) {
      names += (k == 0 ? "'" : k + 1 == all.size() ? " or '" : ", '") + all[k] + "'";
    }
    return names;
  };
  for (Slot s : {Slot::created, Slot::resolved}) {
    if (where[static_cast<int>(s)].columns.empty()) {
      throw models::InputError(SourceLocation{file_name, header.line, 1},
                               std::string("the header has no '") +
                                   kSlotNames[static_cast<int>(s)] + "' column (expected " +
                                   column_list(static_cast<int>(s)) +
                                   ", compared in lower case without punctuation)");
    }
  }

  std::vector<Diagnostic> errors;
  std::set<std::string> seen_ids;
  std::map<std::string, std::size_t> skip_index;
  auto skip = [&](const std::string& reason, int line) {
    auto [it, fresh] = skip_index.emplace(reason, table.skipped.size());
    if (fresh) table.skipped.push_back({reason, 0, line});
    ++table.skipped[it->second].count;
  };
  const std::size_t width = header.fields.size();
  for (std::size_t r = 1; r < records.size() && errors.size() < models::kMaxErrors; ++r) {
    const Record& rec = records[r];
    ++table.rows;
    if (!rec.fields.empty() && rec.fields.back().unterminated) {
      const Field& f = rec.fields.back();
      errors.push_back({SourceLocation{file_name, f.line, f.column},
                        "unterminated quoted field: no closing '\"' before the end of the file"});
      break;
    }
    if (rec.fields.size() != width) {
      const Field& at = rec.fields.size() > width ? rec.fields[width] : rec.fields.back();
      errors.push_back({SourceLocation{file_name, at.line, at.column},
                        "expected " + std::to_string(width) + " fields as in the header, found " +
                            std::to_string(rec.fields.size())});
      continue;
    }
    Incident inc;
    inc.line = rec.line;
    bool bad = false;
    double instants[kSlots] = {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    const Field* instant_field[kSlots] = {};
    for (int s = 0; s < kSlots && !bad; ++s) {
      for (const auto& [col, relative] : where[s].columns) {
        const Field& f = rec.fields[col];
        const std::string v = trim(f.text);
        if (v.empty()) continue;
        const std::string& cname = header.fields[col].text;
        if (s <= static_cast<int>(Slot::severity)) {
          (s == 0 ? inc.id : s == 1 ? inc.service : inc.severity) = v;
          break;
        }
        if (relative) {
          const auto n = parse_decimal(v);
          if (!n) {
            errors.push_back(
                {SourceLocation{file_name, f.line, f.column},
                 "expected a non-negative number of " +
                     std::string(spec.relative_unit == 1.0 ? "seconds" : "milliseconds") +
                     " in column '" + cname + "', found '" + v + "'"});
            bad = true;
            break;
          }
          if (std::isnan(instants[3])) break;  // created is bad; reported already
          instants[s] = instants[3] + *n * spec.relative_unit;
          if (!(instants[s] <= kLastIsoSecond)) {
            errors.push_back({SourceLocation{file_name, f.line, f.column},
                              "the time in column '" + cname + "' (" + v +
                                  " after the creation time) is past 9999-12-31"});
            bad = true;
            break;
          }
        } else {
          bool had_offset = true;
          const auto t = parse_timestamp(v, spec.epoch_unit, &had_offset);
          if (!t) {
            errors.push_back({SourceLocation{file_name, f.line, f.column},
                              "expected an ISO-8601 time (2026-03-02T14:05:00Z, "
                              "2026-03-02 09:05:00-05:00) or epoch " +
                                  std::string(spec.epoch_unit == 1.0 ? "seconds" : "milliseconds") +
                                  " in column '" + cname + "', found '" + v + "'"});
            bad = true;
            break;
          }
          if (!had_offset) ++table.times_without_offset;
          instants[s] = *t;
        }
        instant_field[s] = &f;
        break;
      }
      if (!bad && s == static_cast<int>(Slot::created) && std::isnan(instants[s])) {
        const auto& cols = where[s].columns;
        const Field& f = rec.fields[cols.front().first];
        errors.push_back({SourceLocation{file_name, f.line, f.column},
                          "missing creation time in column '" +
                              header.fields[cols.front().first].text + "' (required)"});
        bad = true;
      }
    }
    if (bad) continue;
    inc.created = instants[3];
    inc.acknowledged = instants[4];
    inc.mitigated = instants[5];
    inc.resolved = instants[6];
    // Times out of order are errors: they are a broken export, not a fact.
    auto before = [&](int later, int earlier) {
      if (std::isnan(instants[later]) || std::isnan(instants[earlier])) return false;
      if (instants[later] >= instants[earlier]) return false;
      const Field& f = *instant_field[later];
      errors.push_back({SourceLocation{file_name, f.line, f.column},
                        std::string(kSlotNames[later]) + " time " +
                            format_timestamp(instants[later]) + " is before the " +
                            kSlotNames[earlier] + " time " + format_timestamp(instants[earlier])});
      return true;
    };
    if (before(4, 3) || before(5, 3) || before(6, 3) || before(6, 5) || before(6, 4)) continue;
    if (inc.service.empty()) inc.service = "(none)";
    if (inc.severity.empty()) inc.severity = "(none)";
    if (std::isnan(inc.resolved)) {
      skip("not resolved (still open, or no resolution time)", rec.line);
      continue;
    }
    if (!inc.id.empty() && !seen_ids.insert(inc.id).second) {
      skip("repeated id (the first row with it is kept)", rec.line);
      continue;
    }
    if (inc.id.empty()) inc.id = "row" + std::to_string(rec.line);
    table.incidents.push_back(std::move(inc));
  }
  if (!errors.empty()) {
    if (errors.size() >= models::kMaxErrors) {
      errors.push_back({SourceLocation{file_name, 0, 0}, "too many errors; stopping"});
    }
    throw models::InputError(std::move(errors));
  }
  return table;
}

IncidentTable read_incidents(const std::string& path, IncidentFormat format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw models::InputError(models::SourceLocation{path, 0, 0}, "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_incidents(ss.str(), path, format);
}

std::string write_incident_csv(const IncidentTable& table) {
  auto quoted = [](const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  };
  auto time = [](double t) { return std::isnan(t) ? std::string() : format_timestamp(t); };
  std::string out = "id,service,severity,created,acknowledged,mitigated,resolved\n";
  for (const Incident& i : table.incidents) {
    out += quoted(i.id) + "," + quoted(i.service) + "," + quoted(i.severity) + "," +
           time(i.created) + "," + time(i.acknowledged) + "," + time(i.mitigated) + "," +
           time(i.resolved) + "\n";
  }
  return out;
}

std::optional<std::vector<double>> csv_duration_column(const std::string& text,
                                                       const std::string& file_name,
                                                       const std::string& column) {
  // Record by record: only the column's values are kept, not the table.
  std::optional<Record> header;
  std::size_t col = 0;
  bool found = false;
  std::vector<double> out;
  std::vector<models::Diagnostic> errors;
  for_each_csv_record(text, [&](Record&& rec) {
    if (!header) {
      header = std::move(rec);
      const std::string key = header_key(column);
      for (std::size_t c = 0; c < header->fields.size() && !key.empty(); ++c) {
        if (header_key(header->fields[c].text) != key) continue;
        if (found) {
          const Field& f = header->fields[c];
          errors.push_back(
              {models::SourceLocation{file_name, f.line, f.column}, duplicate_column(key, col, c)});
          return false;
        }
        col = c;
        found = true;
      }
      return found;
    }
    if (col >= rec.fields.size()) {
      const Field& at = rec.fields.back();
      errors.push_back({models::SourceLocation{file_name, at.line, at.column},
                        "expected " + std::to_string(header->fields.size()) +
                            " fields as in the header, found " +
                            std::to_string(rec.fields.size())});
      return errors.size() < models::kMaxErrors;
    }
    const Field& f = rec.fields[col];
    const std::string v = trim(f.text);
    if (v.empty()) return true;  // not recorded
    if (const auto n = parse_decimal(v)) {
      out.push_back(*n);
      return true;
    }
    try {
      out.push_back(sim::parse_duration(v).to_seconds());
    } catch (const std::exception&) {
      errors.push_back({models::SourceLocation{file_name, f.line, f.column},
                        "expected a duration (seconds like 90 or 1.5, or 4m30s) in column '" +
                            header->fields[col].text +
                            "' (the value is not shown: a data file's lines are never echoed)"});
    }
    return errors.size() < models::kMaxErrors;
  });
  if (!found) return std::nullopt;
  if (!errors.empty()) throw models::InputError(std::move(errors));
  return out;
}

std::vector<double> metric_values(const IncidentTable& table, RecordedTime m) {
  std::vector<double> out;
  for (const Incident& i : table.incidents) {
    const double v = i.seconds(m);
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

}  // namespace relsim::analysis
