// Files -> documents -> structs: parsing, dispatch by kind, overrides, system
// resolution for scenarios and game days, and the public entry points.
#include "models/loader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <type_traits>

#include "models/limits.hpp"
#include "models/loader_internal.hpp"
#include "models/text_checks.hpp"

namespace relsim::models {

const std::string& standard_input() {
  // Read once: several loads of one command (and the run's metadata) see the same text.
  static const std::string text = [] {
    std::string out;
    char buf[65536];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      out.append(buf, static_cast<std::size_t>(std::cin.gcount()));
      if (out.size() > kMaxInputFileBytes) break;  // parse_text reports the size
    }
    return out;
  }();
  return text;
}

namespace {

using detail::OverrideTarget;
using detail::ParsedOverride;
using detail::Reader;
using detail::Sink;

const std::vector<std::string> kKinds = {"System", "Scenario", "GameDay", "AlertRules"};

struct ParsedDoc {
  std::string file;
  YAML::Node node;
  std::string kind;  // empty: not a usable document (already reported)
  std::shared_ptr<const std::string> text;
  std::size_t index = 0;  // in YAML::LoadAll(*text)
  /// Whether `node` is still as parsed, shared by the copies of this
  /// document: the first private copy asked for is `node` itself.
  std::shared_ptr<bool> unedited;
};

/// A private copy of a document to edit. The first is the parsed node itself
/// (a 1,000-service system file is 0.7 MB of YAML, and parsing it again cost
/// a fifth of loading it); `node` is read after that only for its kind and
/// `metadata.name`, which edits (overrides under `spec`, the readers) leave
/// alone. Later copies are re-parsed rather than YAML::Clone'd: Clone drops
/// the marks that locate errors.
YAML::Node fresh(const ParsedDoc& doc) {
  if (!doc.text) return doc.node;
  if (doc.unedited && *doc.unedited) {
    *doc.unedited = false;
    return doc.node;
  }
  YAML::Node copy = YAML::LoadAll(*doc.text).at(doc.index);
  if (doc.text->find("<<") != std::string::npos) {
    Sink reported;  // the first parse reported any bad merge key
    detail::resolve_merge_keys(copy, doc.file, reported);
  }
  return copy;
}

/// Parses every document of `text`; a YAML syntax error is one located diagnostic.
std::vector<ParsedDoc> parse_text(const std::string& text, const std::string& file, Sink& sink) {
  std::vector<ParsedDoc> out;
  std::vector<YAML::Node> nodes;
  // What yaml-cpp would mis-parse or not survive, said plainly (docs/security.md).
  if (text.size() > kMaxInputFileBytes) {
    sink.add({file, 0, 0}, "the file is " + std::to_string(text.size()) + " bytes, above 32 MiB" +
                               limit_note("bytes of one YAML input file"));
    return out;
  }
  if (const auto bad = detail::invalid_utf8(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(bad->byte));
    sink.add({file, static_cast<int>(bad->line), static_cast<int>(bad->column)},
             std::string("invalid UTF-8 (byte ") + hex + "); relsim reads UTF-8 text");
    return out;
  }
  if (const auto bad = detail::control_character(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(bad->byte));
    sink.add({file, static_cast<int>(bad->line), static_cast<int>(bad->column)},
             std::string("a control character (byte ") + hex +
                 ") is not allowed in YAML text; write it as an escape in a quoted string "
                 "(\"\\x01\")");
    return out;
  }
  if (const auto deep = detail::too_deep(text, kMaxNesting)) {
    sink.add({file, static_cast<int>(deep->line), static_cast<int>(deep->column)},
             "nesting deeper than " + std::to_string(kMaxNesting) + " levels" +
                 limit_note("nesting of YAML collections"));
    return out;
  }
  if (const auto runaway = detail::yaml_runaway(text)) {
    sink.add({file, static_cast<int>(runaway->line), static_cast<int>(runaway->column)},
             "malformed YAML: the parser runs away on this text (usually a ',' outside [ ] or "
             "{ }, where a document's first value belongs)");
    return out;
  }
  auto shared = std::make_shared<const std::string>(text);
  auto malformed = [&](const YAML::Mark& mark, const std::string& msg) {
    // A tab in the indentation is the usual cause of yaml-cpp's vaguer messages.
    const auto line = mark.is_null() ? text.size() : static_cast<std::size_t>(mark.line) + 1;
    if (const auto tab = detail::tab_indentation(text, line)) {
      sink.add({file, static_cast<int>(tab->line), static_cast<int>(tab->column)},
               "malformed YAML: a tab character in the indentation (YAML indents with spaces "
               "only)");
      return;
    }
    sink.add(detail::location_of(file, mark), "malformed YAML: " + msg);
  };
  try {
    nodes = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    malformed(e.mark, e.msg);
    return out;
  } catch (const YAML::Exception& e) {
    malformed(e.mark, e.msg);
    return out;
  }
  if (text.find("<<") != std::string::npos) {
    for (YAML::Node& n : nodes) detail::resolve_merge_keys(n, file, sink);
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const YAML::Node& n = nodes[i];
    if (n.IsNull()) continue;  // an empty document (e.g. a trailing `---`)
    ParsedDoc d{file, n, {}, shared, i, std::make_shared<bool>(true)};
    const auto where = detail::location_of(file, n.Mark());
    if (!n.IsMap()) {
      sink.add(where,
               "a document must be a mapping with apiVersion, kind, metadata and spec, "
               "got " +
                   detail::describe(n));
      out.push_back(d);
      continue;
    }
    const YAML::Node& cn = n;
    const YAML::Node kind = cn["kind"];
    if (!kind.IsDefined()) {
      sink.add(where,
               "missing required key 'kind' in the document; expected " + list_choices(kKinds));
    } else if (!kind.IsScalar()) {
      sink.add(detail::location_of(file, kind.Mark()),
               "kind: expected " + list_choices(kKinds) + ", got " + detail::describe(kind));
    } else if (std::find(kKinds.begin(), kKinds.end(), kind.Scalar()) == kKinds.end()) {
      std::string hint = did_you_mean(kind.Scalar(), kKinds);
      sink.add(
          detail::location_of(file, kind.Mark()),
          "unknown kind '" + kind.Scalar() + "'" + hint + "; expected " + list_choices(kKinds));
    } else {
      d.kind = kind.Scalar();
    }
    out.push_back(d);
  }
  if (out.empty()) sink.add({file, 0, 0}, "no documents in file");
  return out;
}

/// What the file at `st` is, for "is a directory" / "is a FIFO" messages.
const char* file_type(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISFIFO(st.st_mode)) return "a FIFO";
  if (S_ISCHR(st.st_mode)) return "a character device";
  if (S_ISBLK(st.st_mode)) return "a block device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "not a regular file";
}

/// Reads `path` ('-': standard input) whole, or reports why it cannot: not
/// there, a directory, a FIFO or device (never opened, so never waited on),
/// above the size limit.
std::optional<std::string> read_input(const std::string& path, Sink& sink) {
  // `-`, and the name it has in documents (commands load a document again by
  // its location's file): standard input, read once.
  if (path == "-" || path == kStandardInputName) return standard_input();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    sink.add({path, 0, 0}, std::string("cannot open file: ") + std::strerror(errno));
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    sink.add({path, 0, 0}, std::string("'") + path + "' is " + file_type(st) +
                               ", not a file (give a YAML file, or - for standard input)");
    return std::nullopt;
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxInputFileBytes) {
    sink.add({path, 0, 0}, "the file is " + std::to_string(st.st_size) + " bytes, above 32 MiB" +
                               limit_note("bytes of one YAML input file"));
    return std::nullopt;
  }
  if (const DataReader* reader = sink.data_reader()) reader->opening(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    sink.add({path, 0, 0}, std::string("cannot open file: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return text;
}

std::vector<ParsedDoc> parse_file(const std::string& path, Sink& sink) {
  const auto text = read_input(path, sink);
  if (!text) return {};
  return parse_text(*text, path == "-" ? std::string(kStandardInputName) : path, sink);
}

/// The files parsed during one load, by path: a system file that several
/// Scenarios name (and that may be loaded itself) is read and parsed once.
using ParsedFiles = std::map<std::string, std::vector<ParsedDoc>>;

const std::vector<ParsedDoc>& parse_file_once(const std::string& path, Sink& sink,
                                              ParsedFiles& files) {
  auto it = files.find(path);
  if (it == files.end()) it = files.emplace(path, parse_file(path, sink)).first;
  return it->second;
}

/// `metadata.name` of a document, as written (before conversion).
std::string doc_name(const YAML::Node& doc) {
  const YAML::Node& d = doc;
  const YAML::Node md = d["metadata"];
  if (!md.IsDefined() || !md.IsMap()) return {};
  const YAML::Node name = md["name"];
  return name.IsDefined() && name.IsScalar() ? name.Scalar() : std::string();
}

std::vector<ParsedOverride> parse_overrides(const std::vector<std::string>& texts, Sink& sink) {
  std::vector<ParsedOverride> out;
  for (const auto& t : texts) {
    if (auto o = detail::parse_set_option(t, sink)) out.push_back(std::move(*o));
  }
  return out;
}

void apply_all(Reader& r, const YAML::Node& doc, const std::vector<ParsedOverride>& overrides,
               OverrideTarget target) {
  for (const auto& o : overrides) {
    if (o.target == target) detail::apply_override(r, doc, o);
  }
}

/// A Scenario's or GameDay's `spec.overrides`, as overrides of its system.
std::vector<ParsedOverride> spec_overrides(const ParsedDoc& doc, Sink& sink) {
  std::vector<ParsedOverride> out;
  const YAML::Node& d = doc.node;
  const YAML::Node spec = d["spec"];
  if (!spec.IsDefined() || !spec.IsMap()) return out;
  const YAML::Node ov = spec["overrides"];
  if (!ov.IsDefined() || !ov.IsMap()) return out;
  for (auto it = ov.begin(); it != ov.end(); ++it) {
    ParsedOverride o;
    o.path = it->first.Scalar();
    o.value = YAML::Clone(it->second);
    o.location = detail::location_of(doc.file, it->first.Mark());
    o.label = "override '" + o.path + "'";
    if (o.path.rfind("scenario.", 0) == 0 || o.path.rfind("gameDay.", 0) == 0) {
      sink.add(o.location, "spec.overrides can only change the system ('" + o.path + "')");
      continue;
    }
    if (o.path.rfind("system.", 0) == 0) o.path = o.path.substr(7);
    out.push_back(std::move(o));
  }
  return out;
}

/// One document read, and for a Scenario or GameDay the system it names.
template <typename Doc>
struct Converted {
  Doc doc;
  std::optional<System> system;  // nullopt after reporting when it cannot be found
};

/// Reads the document `d` of kind `Doc` (defined below, with DocKind).
template <typename Doc>
Converted<Doc> convert(const ParsedDoc& d, const std::vector<ParsedDoc>& docs,
                       const std::vector<ParsedOverride>& overrides, Sink& sink,
                       ParsedFiles& files);

/// The System document a Scenario or GameDay (`owner`) names, by path or by
/// name among `by_name`, with the overrides that apply to it (the owner's
/// spec.overrides, then the system-targeted `overrides`); nullopt after
/// reporting when it cannot be found.
std::optional<std::pair<ParsedDoc, std::vector<ParsedOverride>>> system_doc_for(
    const ParsedDoc& owner, const NameRef& ref, bool is_path, const std::vector<ParsedDoc>& by_name,
    const std::vector<ParsedOverride>& overrides, Sink& sink, ParsedFiles& files) {
  if (ref.empty()) return std::nullopt;
  std::vector<ParsedOverride> all = spec_overrides(owner, sink);
  for (const auto& o : overrides) {
    if (o.target == OverrideTarget::system) all.push_back(o);
  }
  if (is_path) {
    const std::filesystem::path base = std::filesystem::path(owner.file).parent_path();
    const std::string path = (base / ref.name).lexically_normal().string();
    if (!std::filesystem::exists(path)) {
      sink.add(ref.location,
               "system file '" + ref.name + "' not found (looked for '" + path + "')");
      return std::nullopt;
    }
    for (const auto& d : parse_file_once(path, sink, files)) {
      if (d.kind == "System") return std::pair{d, std::move(all)};
    }
    sink.add(ref.location, "no System document in '" + path + "'");
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& d : by_name) {
    if (d.kind != "System") continue;
    const std::string name = doc_name(d.node);
    if (name == ref.name) return std::pair{d, std::move(all)};
    names.push_back(name);
  }
  std::string hint = did_you_mean(ref.name, names);
  if (hint.empty()) {
    hint = names.empty() ? "; no System document in this file (give a relative path instead)"
                         : "; systems here: " + list_choices(names);
  }
  sink.add(ref.location, "unknown system '" + ref.name + "' in spec.system" + hint);
  return std::nullopt;
}

std::optional<System> system_for(const ParsedDoc& owner, const NameRef& ref, bool is_path,
                                 const std::vector<ParsedDoc>& by_name,
                                 const std::vector<ParsedOverride>& overrides, Sink& sink,
                                 ParsedFiles& files) {
  auto found = system_doc_for(owner, ref, is_path, by_name, overrides, sink, files);
  if (!found) return std::nullopt;
  // A private copy with the owner's and the system-targeted overrides applied.
  return convert<System>(found->first, {}, found->second, sink, files).doc;
}

AlertRules read_alert_rules_doc(Reader& r, const YAML::Node& doc) {
  AlertRules out;
  const YAML::Node spec =
      detail::read_envelope(r, doc, "AlertRulesDocument", out.name, out.description, out.location);
  if (!spec.IsDefined()) {
    r.error(out.location, "missing required key 'spec' in the AlertRules document");
    return out;
  }
  detail::MapReader m(r, spec, "spec", "AlertRulesSpec");
  if (!m.ok()) return out;
  if (!m.has("alerts")) m.error("missing required key 'alerts' in spec");
  System holder;
  detail::read_alerts(m, holder);
  out.alerts = std::move(holder.alerts);
  return out;
}

/// What differs between the kinds of documents for the loader: the kind's
/// name, which overrides address it, how it is read, and (Scenario, GameDay)
/// how it is resolved on the system it names.
template <typename Doc>
struct DocKind;

template <>
struct DocKind<System> {
  // Named like the other kinds; no loader path asks a System's kind name yet.
  [[maybe_unused]] static constexpr const char* name = "System";
  static constexpr OverrideTarget target = OverrideTarget::system;
  static System read(Reader& r, const YAML::Node& doc) { return detail::read_system(r, doc); }
};

template <>
struct DocKind<Scenario> {
  static constexpr const char* name = "Scenario";
  static constexpr OverrideTarget target = OverrideTarget::scenario;
  static Scenario read(Reader& r, const YAML::Node& doc) { return detail::read_scenario(r, doc); }
  static void resolve(const System& s, Scenario& doc, Sink& sink) {
    detail::resolve_scenario(s, doc, sink);
  }
};

template <>
struct DocKind<GameDay> {
  static constexpr const char* name = "GameDay";
  static constexpr OverrideTarget target = OverrideTarget::game_day;
  static GameDay read(Reader& r, const YAML::Node& doc) { return detail::read_game_day(r, doc); }
  static void resolve(const System& s, GameDay& doc, Sink& sink) {
    detail::resolve_game_day(s, doc, sink);
  }
};

/// Rule sets take no overrides; their names resolve against a system only in
/// `relsim alerts --rules` (apply_alert_rules).
template <>
struct DocKind<AlertRules> {
  static constexpr const char* name = "AlertRules";
  static AlertRules read(Reader& r, const YAML::Node& doc) { return read_alert_rules_doc(r, doc); }
};

template <typename Doc>
constexpr bool kNamesSystem = std::is_same_v<Doc, Scenario> || std::is_same_v<Doc, GameDay>;

/// Reads the document `d` of kind `Doc` from a private copy with the overrides
/// of its kind applied; resolves a System, or a Scenario or GameDay on its system.
template <typename Doc>
Converted<Doc> convert(const ParsedDoc& d, const std::vector<ParsedDoc>& docs,
                       const std::vector<ParsedOverride>& overrides, Sink& sink,
                       ParsedFiles& files) {
  Reader r(sink, d.file);
  YAML::Node copy = fresh(d);
  if constexpr (!std::is_same_v<Doc, AlertRules>) {
    apply_all(r, copy, overrides, DocKind<Doc>::target);
  }
  Converted<Doc> out{DocKind<Doc>::read(r, copy), std::nullopt};
  if constexpr (std::is_same_v<Doc, System>) detail::resolve_system(out.doc, sink);
  if constexpr (kNamesSystem<Doc>) {
    const ParsedDoc edited{d.file, copy, d.kind, nullptr, 0, nullptr};
    out.system =
        system_for(edited, out.doc.system, out.doc.system_is_path, docs, overrides, sink, files);
    if (out.system) DocKind<Doc>::resolve(*out.system, out.doc, sink);
  }
  return out;
}

Documents load_all(const std::vector<ParsedDoc>& docs, const std::vector<ParsedOverride>& overrides,
                   Sink& sink, ParsedFiles& files) {
  Documents out;
  for (const auto& d : docs) {
    if (d.kind == "System") {
      out.systems.push_back(convert<System>(d, docs, overrides, sink, files).doc);
    } else if (d.kind == "Scenario") {
      auto c = convert<Scenario>(d, docs, overrides, sink, files);
      out.scenarios.push_back(std::move(c.doc));
      out.scenario_systems.push_back(c.system ? std::move(*c.system) : System{});
    } else if (d.kind == "GameDay") {
      auto c = convert<GameDay>(d, docs, overrides, sink, files);
      out.game_days.push_back(std::move(c.doc));
      out.game_day_systems.push_back(c.system ? std::move(*c.system) : System{});
    } else if (d.kind == "AlertRules") {
      out.alert_rules.push_back(convert<AlertRules>(d, docs, overrides, sink, files).doc);
    }
  }
  sink.throw_if_any();
  return out;
}

/// The first document of `kind` in `path`, or a diagnostic.
const ParsedDoc* first_of(const std::vector<ParsedDoc>& docs, const std::string& kind,
                          const std::string& path, Sink& sink) {
  for (const auto& d : docs) {
    if (d.kind == kind) return &d;
  }
  sink.add({path, 0, 0}, "no " + kind + " document in file");
  return nullptr;
}

/// The first document of kind `Doc` in `path`, with its system for a
/// Scenario or GameDay. Throws InputError with every problem found (also when
/// the file holds no such document).
template <typename Doc>
Converted<Doc> load_first(const std::string& path, const std::vector<std::string>& overrides,
                          const DataReader* data) {
  const std::string kind = DocKind<Doc>::name;
  Sink sink(data);
  const auto parsed = parse_overrides(overrides, sink);
  ParsedFiles files;
  const auto& docs = parse_file_once(path, sink, files);
  const ParsedDoc* doc = docs.empty() ? nullptr : first_of(docs, kind, path, sink);
  if (!doc) {
    sink.throw_if_any();
    throw InputError({path, 0, 0}, "no " + kind + " document in file");
  }
  auto c = convert<Doc>(*doc, docs, parsed, sink, files);
  sink.throw_if_any();
  if constexpr (kNamesSystem<Doc>) {
    if (!c.system) throw InputError(c.doc.location, kind + " names no system");
  }
  return c;
}

}  // namespace

Documents load_files(const std::vector<std::string>& paths,
                     const std::vector<std::string>& overrides, const DataReader* data) {
  Sink sink(data);
  const auto parsed = parse_overrides(overrides, sink);
  ParsedFiles files;
  std::vector<ParsedDoc> docs;
  for (const auto& p : paths) {
    const auto& more = parse_file_once(p, sink, files);
    docs.insert(docs.end(), more.begin(), more.end());
  }
  return load_all(docs, parsed, sink, files);
}

Documents load_string(const std::string& text, const std::string& file_name,
                      const std::vector<std::string>& overrides, const DataReader* data) {
  Sink sink(data);
  const auto parsed = parse_overrides(overrides, sink);
  ParsedFiles files;
  return load_all(parse_text(text, file_name, sink), parsed, sink, files);
}

ResolvedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                               const DataReader* data) {
  auto c = load_first<Scenario>(path, overrides, data);
  return ResolvedScenario{std::move(*c.system), std::move(c.doc)};
}

AlertRules load_alert_rules(const std::string& path) {
  return load_first<AlertRules>(path, {}, nullptr).doc;
}

void apply_alert_rules(System& system, const std::vector<Alert>& alerts) {
  system.alerts = alerts;
  Sink sink;
  detail::resolve_system(system, sink);
  sink.throw_if_any();
}

ResolvedGameDay load_game_day(const std::string& path, const std::vector<std::string>& overrides,
                              const DataReader* data) {
  auto c = load_first<GameDay>(path, overrides, data);
  return ResolvedGameDay{std::move(*c.system), std::move(c.doc)};
}

sim::Distribution parse_distribution(const std::string& text, const std::string& label,
                                     const DataReader* data) {
  Sink sink(data);
  YAML::Node node;
  if (detail::yaml_runaway(text)) {
    throw InputError({label, 0, 0}, "malformed YAML: the parser runs away on '" + text + "'");
  }
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(detail::location_of(label, e.mark), "malformed YAML: " + e.msg);
  }
  Reader r(sink, label);
  auto d = detail::read_distribution(r, node, "distribution");
  sink.throw_if_any();
  if (!d) throw InputError({label, 0, 0}, "not a distribution: '" + text + "'");
  return *d;
}

std::string value_at(const std::string& path, const std::string& key,
                     const std::vector<std::string>& overrides, const DataReader* data) {
  Sink sink(data);
  const auto parsed = parse_overrides(overrides, sink);
  auto probe = detail::parse_set_option(key + "=0", sink);
  if (probe) probe->label = "'" + key + "'";
  ParsedFiles files;
  const auto& docs = parse_file_once(path, sink, files);
  const ParsedDoc* doc = docs.empty() ? nullptr : first_of(docs, "Scenario", path, sink);
  if (!doc || !probe) {
    sink.throw_if_any();
    throw InputError({path, 0, 0}, "no Scenario document in file");
  }
  Reader r(sink, doc->file);
  YAML::Node copy = fresh(*doc);
  apply_all(r, copy, parsed, OverrideTarget::scenario);
  std::optional<std::string> value;
  if (probe->target == OverrideTarget::scenario) {
    value = detail::lookup_scalar(r, copy, *probe);
  } else if (probe->target == OverrideTarget::game_day) {
    sink.add(probe->location, "'" + key + "': a Scenario has no gameDay values");
  } else {
    const Scenario sc = detail::read_scenario(r, copy);
    auto found = system_doc_for(ParsedDoc{doc->file, copy, doc->kind, nullptr, 0, nullptr},
                                sc.system, sc.system_is_path, docs, parsed, sink, files);
    if (found) {
      Reader sr(sink, found->first.file);
      YAML::Node system = fresh(found->first);
      apply_all(sr, system, found->second, OverrideTarget::system);
      value = detail::lookup_scalar(sr, system, *probe);
    }
  }
  sink.throw_if_any();
  if (!value) throw InputError({path, 0, 0}, "no value at '" + key + "'");
  return *value;
}

}  // namespace relsim::models
