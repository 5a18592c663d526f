// relsim import: files and directories -> documents -> the readers
// (see import.hpp). Loading never throws for bad content: every problem is a
// located note, and the file (or document) is skipped.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analysis/import/import.hpp"
#include "analysis/import/import_reader.hpp"
#include "analysis/import/import_util.hpp"
#include "models/diagnostics.hpp"
#include "models/limits.hpp"
#include "models/text_checks.hpp"

namespace relsim::analysis::import {

namespace {

/// `0x1B`: a byte as a message names it.
std::string hex_byte(unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

namespace fs = std::filesystem;

/// Files larger than this are skipped (an export of on-call data or a rule
/// file is kilobytes; a gigabyte is a mistake or an attack).
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

// Detection, in the order tried. Every format relsim import knows is here,
// whether or not this build has its reader.
bool api_starts(const YAML::Node& root, const char* prefix) {
  const YAML::Node v = child(root, "apiVersion");
  return v.IsDefined() && v.IsScalar() && v.Scalar().rfind(prefix, 0) == 0;
}
std::string kind_of(const YAML::Node& root) {
  const YAML::Node v = child(root, "kind");
  return v.IsDefined() && v.IsScalar() ? v.Scalar() : std::string();
}
bool is_sloth(const YAML::Node& r) {
  const YAML::Node v = child(r, "version");
  if (v.IsDefined() && v.IsScalar() && v.Scalar() == "prometheus/v1") return true;
  return api_starts(r, "sloth.slok.dev/") && kind_of(r) == "PrometheusServiceLevel";
}
bool is_sloth_windows(const YAML::Node& r) {
  return api_starts(r, "sloth.slok.dev/") && kind_of(r) == "AlertWindows";
}
bool is_pyrra(const YAML::Node& r) { return api_starts(r, "pyrra.dev/"); }
bool is_openslo(const YAML::Node& r) {
  return api_starts(r, "openslo/") || api_starts(r, "openslo.com/");
}
bool is_prometheus_rules(const YAML::Node& r) {
  if (api_starts(r, "monitoring.coreos.com/") && kind_of(r) == "PrometheusRule") return true;
  const YAML::Node g = child(r, "groups");
  return g.IsDefined() && g.IsSequence() && !child(r, "apiVersion").IsDefined();
}
bool is_kubernetes(const YAML::Node& r) {
  static const char* kinds[] = {"Deployment",
                                "StatefulSet",
                                "DaemonSet",
                                "ReplicaSet",
                                "PodDisruptionBudget",
                                "HorizontalPodAutoscaler",
                                "Node",
                                "Pod",
                                "Service"};
  const std::string k = kind_of(r);
  if (!child(r, "apiVersion").IsDefined()) return false;
  if (!(api_starts(r, "apps/") || api_starts(r, "policy/") || api_starts(r, "autoscaling/") ||
        api_starts(r, "v1")))
    return false;
  return std::find(std::begin(kinds), std::end(kinds), k) != std::end(kinds);
}
/// Any other object of Kubernetes' own API groups (v1, batch/v1,
/// networking.k8s.io/v1, ...) or of the Prometheus Operator (ServiceMonitor):
/// what a rendered chart holds beside its workloads. The Kubernetes reader
/// skips it with a note instead of a "no known format" warning.
bool is_kubernetes_other(const YAML::Node& r) {
  const YAML::Node api = child(r, "apiVersion");
  if (!api.IsDefined() || !api.IsScalar() || kind_of(r).empty()) return false;
  const std::string a = api.Scalar();
  const std::string group = a.find('/') == std::string::npos ? "" : a.substr(0, a.find('/'));
  if (group.empty()) return a == "v1";
  const auto ends_with = [&](const std::string& suffix) {
    return group.size() >= suffix.size() &&
           group.compare(group.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return group.find('.') == std::string::npos || ends_with(".k8s.io") ||
         group == "monitoring.coreos.com";
}
bool is_pagerduty(const YAML::Node& r) {
  for (const char* k : {"schedule", "schedules", "escalation_policy", "escalation_policies",
                        "schedule_layers", "escalation_rules"}) {
    if (child(r, k).IsDefined()) return true;
  }
  // GET /services, /services/{id} and /incidents: objects PagerDuty types.
  for (const char* k : {"service", "services", "incident", "incidents"}) {
    // (A yaml-cpp Node assigned to another writes through: no `n = n[0]`.)
    const YAML::Node n = child(r, k);
    const YAML::Node type = child(n.IsSequence() && n.size() > 0 ? n[0] : n, "type");
    if (type.IsDefined() && type.IsScalar() &&
        (type.Scalar() == "service" || type.Scalar() == "incident"))
      return true;
  }
  return false;
}
bool is_opsgenie(const YAML::Node& r) {
  const YAML::Node d = child(r, "data").IsDefined() ? child(r, "data") : r;
  const auto opsgenie_like = [](const YAML::Node& n) {
    if (child(n, "rotations").IsDefined()) return true;
    const YAML::Node rules = child(n, "rules");
    return rules.IsDefined() && rules.IsSequence() && rules.size() > 0 && rules[0].IsMap() &&
           rules[0]["delay"].IsDefined() && rules[0]["condition"].IsDefined();
  };
  if (d.IsSequence()) return d.size() > 0 && d[0].IsMap() && opsgenie_like(d[0]);
  return opsgenie_like(d);
}
bool is_backstage(const YAML::Node& r) { return api_starts(r, "backstage.io/"); }
bool is_chaos_mesh(const YAML::Node& r) { return api_starts(r, "chaos-mesh.org/"); }
bool is_litmus(const YAML::Node& r) { return api_starts(r, "litmuschaos.io/"); }
bool is_relsim(const YAML::Node& r) { return api_starts(r, "relsim/"); }

struct Detector {
  const char* name;
  bool (*matches)(const YAML::Node&);
};
constexpr Detector kDetectors[] = {
    {"relsim", is_relsim},
    {"sloth", is_sloth},
    {"sloth-windows", is_sloth_windows},
    {"pyrra", is_pyrra},
    {"openslo", is_openslo},
    {"prometheus-rules", is_prometheus_rules},
    {"kubernetes", is_kubernetes},
    {"backstage", is_backstage},
    {"chaos-mesh", is_chaos_mesh},
    {"litmus", is_litmus},
    {"pagerduty", is_pagerduty},
    {"opsgenie", is_opsgenie},
    {"kubernetes", is_kubernetes_other},
};

// The readers of this build: one line per format. A detected format with no
// line here is reported ("no reader in this build") and skipped.
struct Reader {
  const char* name;
  void (*read)(const SourceDocument&, ImportModel&);
};
constexpr Reader kReaders[] = {
    {"sloth", read_sloth},
    {"sloth-windows", read_sloth_windows},
    {"pyrra", read_pyrra},
    {"openslo", read_openslo},
    {"prometheus-rules", read_prometheus_rules},
    {"kubernetes", read_kubernetes},
    {"backstage", read_backstage},
    {"chaos-mesh", read_chaos_mesh},
    {"litmus", read_litmus},
    {"pagerduty", read_pagerduty},
    {"opsgenie", read_opsgenie},
};

std::size_t model_size(const ImportModel& m) {
  return m.services.size() + m.stores.size() + m.slos.size() + m.alerts.size() + m.teams.size() +
         m.experiments.size() + m.zones.size() + m.alert_windows.size() + m.alert_policies.size() +
         m.alert_conditions.size();
}

void note(ImportModel& out, ImportNote::Level level, const std::string& file, int line, int col,
          const std::string& text) {
  out.notes.push_back({level, Origin{file, line, col, ""}, text});
}

/// Line and column (1-based) of byte `pos` in `text`.
std::pair<int, int> position(const std::string& text, std::size_t pos) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

/// Where a Helm or Kustomize template sits in `text` (`{{ .Values... }}`,
/// `{{- if ...}}`), or npos. `{{.window}}` (Sloth queries) and Prometheus
/// annotation templates (`{{ $labels.x }}`, `{{ $value }}`) are not templates
/// of the file itself.
std::size_t template_position(const std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    const std::size_t end = text.find("}}", pos);
    const std::string body = text.substr(pos + 2, end == std::string::npos ? 40 : end - pos - 2);
    std::string t = body;
    t.erase(0, t.find_first_not_of(" \t"));
    const bool helm = body.rfind("-", 0) == 0 || t.rfind(".Values", 0) == 0 ||
                      t.rfind(".Release", 0) == 0 || t.rfind(".Chart", 0) == 0 ||
                      t.rfind(".Capabilities", 0) == 0 || t.rfind("include ", 0) == 0 ||
                      t.rfind("template ", 0) == 0 || t.rfind("toYaml", 0) == 0 ||
                      t.rfind("if ", 0) == 0 || t.rfind("range ", 0) == 0 ||
                      t.rfind("end", 0) == 0 || t.rfind("define ", 0) == 0 ||
                      t.rfind("with ", 0) == 0 || body.find(".Values.") != std::string::npos;
    if (helm) return pos;
    pos += 2;
  }
  return std::string::npos;
}

/// JSON commas before `}` or `]` (outside strings): positions.
std::vector<std::size_t> trailing_commas(const std::string& text) {
  std::vector<std::size_t> out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == ',') {
      std::size_t j = i + 1;
      while (j < text.size() &&
             (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n'))
        ++j;
      if (j < text.size() && (text[j] == '}' || text[j] == ']')) out.push_back(i);
    }
  }
  return out;
}

bool looks_like_json(const std::string& file, const std::string& text) {
  if (file.size() >= 5 && file.compare(file.size() - 5, 5, ".json") == 0) return true;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && (text[first] == '{' || text[first] == '[');
}

std::string formats_list() {
  std::string s;
  for (const Detector& d : kDetectors) {
    if (std::string(d.name) == "relsim") continue;
    s += (s.empty() ? "" : ", ") + std::string(d.name);
  }
  return s;
}

void read_document(const SourceDocument& doc, const ImportOptions& options, ImportModel& out) {
  if (!doc.root.IsDefined() || doc.root.IsNull()) return;  // an empty document (`---` at the end)
  const std::string format = options.from.empty() ? detect_format(doc) : options.from;
  if (format.empty()) {
    const std::string api = child(doc.root, "apiVersion").IsScalar()
                                ? child(doc.root, "apiVersion").Scalar()
                                : std::string();
    const std::string kind = kind_of(doc.root);
    std::string text = "no known format: expected one of " + formats_list() +
                       " (detected from apiVersion/kind or the document's keys; force one with "
                       "--input-format FORMAT)";
    if (!api.empty() || !kind.empty()) {
      text = "apiVersion '" + api + "' kind '" + kind + "' is not a format relsim import reads; " +
             text;
    }
    add_note(out, ImportNote::Level::warning, doc, doc.root, "",
             text + "; the document was skipped");
    return;
  }
  if (format == "relsim") {
    add_note(out, ImportNote::Level::note, doc, doc.root, "",
             "already relsim YAML (apiVersion relsim/...); skipped: use it as it is");
    return;
  }
  for (const Reader& r : kReaders) {
    if (format == r.name) {
      const std::size_t before = model_size(out);
      try {
        r.read(doc, out);
      } catch (const std::exception& e) {
        // A reader notes bad content instead of throwing; this is the net
        // under a node of an unexpected shape (yaml-cpp's InvalidNode).
        add_note(out, ImportNote::Level::error, doc, doc.root, "",
                 std::string("expected a ") + format + " document; reading it failed (" + e.what() +
                     "); the document was skipped");
        return;
      }
      if (model_size(out) > before) ++out.documents_used;
      return;
    }
  }
  add_note(out, ImportNote::Level::warning, doc, doc.root, "",
           "a " + format + " document, but this build of relsim has no " + format +
               " reader; the document was skipped");
}

/// Splits a root into documents: a top-level list of objects (or a Kubernetes
/// `kind: List`, `DeploymentList`, ...) gives one document per item.
void read_root(const std::string& file, int index, const YAML::Node& root,
               const ImportOptions& options, ImportModel& out) {
  if (root.IsSequence() && root.size() > 0 && root[0].IsMap() &&
      (root[0]["apiVersion"].IsDefined() || root[0]["kind"].IsDefined() ||
       root[0]["version"].IsDefined() || root[0]["schedule_layers"].IsDefined() ||
       root[0]["escalation_rules"].IsDefined() || root[0]["groups"].IsDefined())) {
    int k = 0;
    for (const YAML::Node& item : root) read_root(file, index * 1000 + k++, item, options, out);
    return;
  }
  const std::string kind = root.IsMap() ? kind_of(root) : std::string();
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 &&
      child(root, "items").IsSequence()) {
    int k = 0;
    for (const YAML::Node& item : root["items"])
      read_root(file, index * 1000 + k++, item, options, out);
    return;
  }
  read_document(SourceDocument{file, index, root}, options, out);
}

}  // namespace

Origin origin_of(const SourceDocument& doc, const YAML::Node& node, const std::string& field) {
  Origin o{doc.file, 0, 0, field};
  if (node.IsDefined()) {
    const YAML::Mark m = node.Mark();
    if (m.line >= 0 && m.column >= 0 && !m.is_null()) {
      o.line = m.line + 1;
      o.column = m.column + 1;
    }
  }
  return o;
}

std::string detect_format(const SourceDocument& doc) {
  if (!doc.root.IsMap()) return {};
  for (const Detector& d : kDetectors) {
    if (d.matches(doc.root)) return d.name;
  }
  return {};
}

std::vector<std::string> import_format_names() {
  std::vector<std::string> out;
  for (const Detector& d : kDetectors) {
    if (std::string(d.name) != "relsim") out.emplace_back(d.name);
  }
  return out;
}

std::vector<std::string> import_reader_names() {
  std::vector<std::string> out;
  for (const Reader& r : kReaders) out.emplace_back(r.name);
  return out;
}

std::string note_text(const ImportNote& n) {
  std::string where = n.origin.file;
  // Appended piece by piece: `":" + std::to_string(..)` trips GCC 12's
  // -Wrestrict false positive (see cmake/warnings.cmake).
  if (n.origin.line > 0) {
    where += ':';
    where += std::to_string(n.origin.line);
  }
  if (n.origin.line > 0 && n.origin.column > 0) {
    where += ':';
    where += std::to_string(n.origin.column);
  }
  const char* level = n.level == ImportNote::Level::error     ? "error"
                      : n.level == ImportNote::Level::warning ? "warning"
                                                              : "note";
  return models::printable((where.empty() ? std::string() : where + ": ") + level + ": " + n.text);
}

void read_text(const std::string& text, const std::string& file, const ImportOptions& options,
               ImportModel& out) {
  out.files_read.push_back(file);
  const std::size_t tpl = template_position(text);
  if (tpl != std::string::npos) {
    const auto [line, col] = position(text, tpl);
    note(out, ImportNote::Level::error, file, line, col,
         "a Helm or Kustomize template ('{{'), not a manifest: render it first (`helm template "
         "CHART > out.yaml` or `kubectl kustomize DIR > out.yaml`) and import the output; the "
         "file was skipped");
    return;
  }
  std::string parse = text;
  if (looks_like_json(file, text)) {
    for (const std::size_t pos : trailing_commas(text)) {
      const auto [line, col] = position(text, pos);
      note(out, ImportNote::Level::warning, file, line, col,
           "JSON allows no comma before '}' or ']'; read as if the comma were not there");
      parse[pos] = ' ';
    }
    // JSON allows tabs between tokens; YAML does not in every place.
    bool in_string = false;
    for (std::size_t i = 0; i < parse.size(); ++i) {
      if (in_string) {
        if (parse[i] == '\\')
          ++i;
        else if (parse[i] == '"')
          in_string = false;
      } else if (parse[i] == '"') {
        in_string = true;
      } else if (parse[i] == '\t') {
        parse[i] = ' ';
      }
    }
  }
  std::vector<YAML::Node> roots;
  // What yaml-cpp would mis-parse or not survive, said plainly, as the
  // scenario loader says it (docs/security.md).
  if (const auto bad = models::detail::invalid_utf8(parse)) {
    note(out, ImportNote::Level::error, file, static_cast<int>(bad->line),
         static_cast<int>(bad->column),
         "invalid UTF-8 (byte " + hex_byte(bad->byte) + "); the file was skipped");
    return;
  }
  if (const auto bad = models::detail::control_character(parse)) {
    note(out, ImportNote::Level::error, file, static_cast<int>(bad->line),
         static_cast<int>(bad->column),
         "a control character (byte " + hex_byte(bad->byte) +
             ") is not allowed in YAML or JSON text; the file was skipped");
    return;
  }
  if (const auto deep = models::detail::too_deep(parse, models::kMaxNesting)) {
    note(out, ImportNote::Level::error, file, static_cast<int>(deep->line),
         static_cast<int>(deep->column),
         "nesting deeper than " + std::to_string(models::kMaxNesting) +
             " levels (the limit of nesting of YAML collections); the file was skipped");
    return;
  }
  if (const auto runaway = models::detail::yaml_runaway(parse)) {
    note(out, ImportNote::Level::error, file, static_cast<int>(runaway->line),
         static_cast<int>(runaway->column),
         "expected YAML or JSON: the parser runs away on this text (usually a ',' outside [ ] "
         "or { }); the file was skipped");
    return;
  }
  try {
    roots = YAML::LoadAll(parse);
  } catch (const YAML::Exception& e) {
    note(out, ImportNote::Level::error, file, e.mark.is_null() ? 0 : e.mark.line + 1,
         e.mark.is_null() ? 0 : e.mark.column + 1,
         std::string("expected YAML or JSON: ") + e.msg + "; the file was skipped");
    return;
  }
  int index = 0;
  for (const YAML::Node& root : roots) read_root(file, index++, root, options, out);
}

ImportModel read_inputs(const std::vector<std::string>& paths, const ImportOptions& options) {
  if (!options.from.empty()) {
    const auto names = import_format_names();
    if (std::find(names.begin(), names.end(), options.from) == names.end()) {
      throw std::invalid_argument("--input-format: unknown format '" + options.from +
                                  "'; formats: " + formats_list());
    }
  }
  ImportModel out;
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator
               it(p, fs::directory_options::skip_permission_denied, ec),
           end;
           !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string ext = it->path().extension().string();
        if (ext == ".yaml" || ext == ".yml" || ext == ".json") found.push_back(it->path().string());
      }
      if (ec) note(out, ImportNote::Level::error, p, 0, 0, "cannot list: " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        note(out, ImportNote::Level::warning, p, 0, 0,
             "expected .yaml, .yml or .json files in this directory; none found");
      }
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  for (const std::string& f : files) {
    std::error_code ec;
    // A FIFO or device is named, never opened (so never waited on).
    if (const auto st = fs::status(f, ec); !ec && !fs::is_regular_file(st)) {
      note(out, ImportNote::Level::error, f, 0, 0,
           std::string("'") + f + "' is " +
               (fs::is_fifo(st)                                      ? "a FIFO"
                : fs::is_character_file(st) || fs::is_block_file(st) ? "a device"
                : fs::is_socket(st)                                  ? "a socket"
                                                                     : "not a regular file") +
               ", not a file; the file was skipped");
      continue;
    }
    const std::uintmax_t size = fs::file_size(f, ec);
    if (ec) {
      note(out, ImportNote::Level::error, f, 0, 0, "cannot read: " + ec.message());
      continue;
    }
    if (size > kMaxFileBytes) {
      note(out, ImportNote::Level::error, f, 0, 0,
           "larger than 64 MiB; expected a manifest, spec or export; the file was skipped");
      continue;
    }
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      note(out, ImportNote::Level::error, f, 0, 0, "cannot open the file");
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    read_text(ss.str(), f, options, out);
  }
  return out;
}

}  // namespace relsim::analysis::import
