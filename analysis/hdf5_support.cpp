// HDF5 types and attribute helpers of the results layout (see hdf5_support.hpp).
#include "analysis/hdf5_support.hpp"

#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace relsim::analysis::h5 {

namespace {

// Field sizes of the packed row; the order below is the order of
// TrialLayout::columns().
constexpr std::size_t kU64 = sizeof(std::uint64_t);
constexpr std::size_t kF64 = sizeof(double);
constexpr std::size_t kU32 = sizeof(std::uint32_t);
constexpr std::size_t kU8 = 1;

template <class T>
void put(unsigned char*& p, T v) {
  std::memcpy(p, &v, sizeof v);
  p += sizeof v;
}

template <class T>
T get(const unsigned char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

H5::Attribute create(H5::H5Object& obj, const std::string& name, const H5::DataType& type,
                     const H5::DataSpace& space) {
  if (obj.attrExists(name)) obj.removeAttr(name);
  return obj.createAttribute(name, type, space);
}

H5::Attribute open(const H5::H5Object& obj, const std::string& name) {
  if (!obj.attrExists(name)) throw std::runtime_error("missing attribute '" + name + "'");
  return obj.openAttribute(name);
}

}  // namespace

H5::CompType trial_row_type(const TrialLayout& layout) {
  const auto names = layout.columns();
  std::size_t size = 2 * kU64 + 2 * kU32;
  size += layout.slos.size() * (5 * kF64 + kU8 + layout.tiers.size() * kF64);
  size += layout.services.size() * 3 * kF64;
  size += layout.teams.size() * (4 * kU32 + kF64);
  H5::CompType type(size);
  std::size_t offset = 0;
  std::size_t i = 0;
  auto add = [&](const H5::PredType& t, std::size_t bytes) {
    type.insertMember(names[i++], offset, t);
    offset += bytes;
  };
  add(H5::PredType::NATIVE_UINT64, kU64);
  add(H5::PredType::NATIVE_UINT64, kU64);
  add(H5::PredType::NATIVE_UINT32, kU32);
  add(H5::PredType::NATIVE_UINT32, kU32);
  for (std::size_t s = 0; s < layout.slos.size(); ++s) {
    for (int f = 0; f < 3; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
    add(H5::PredType::NATIVE_UINT8, kU8);
    for (int f = 0; f < 2; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
    for (std::size_t t = 0; t < layout.tiers.size(); ++t) add(H5::PredType::NATIVE_DOUBLE, kF64);
  }
  for (std::size_t v = 0; v < layout.services.size(); ++v) {
    for (int f = 0; f < 3; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
  }
  for (std::size_t t = 0; t < layout.teams.size(); ++t) {
    for (int f = 0; f < 4; ++f) add(H5::PredType::NATIVE_UINT32, kU32);
    add(H5::PredType::NATIVE_DOUBLE, kF64);
  }
  return type;
}

void pack_row(const TrialRow& row, unsigned char* p) {
  put(p, row.trial);
  put(p, row.events);
  put(p, row.incidents);
  put(p, row.pages);
  for (const auto& s : row.slos) {
    put(p, s.good);
    put(p, s.total);
    put(p, s.attainment);
    put(p, static_cast<std::uint8_t>(s.met ? 1 : 0));
    put(p, s.budget_consumed);
    put(p, s.budget_minutes);
    for (const double t : s.tier_reached_s) put(p, t);
  }
  for (const auto& v : row.services) {
    put(p, v.good);
    put(p, v.total);
    put(p, v.availability);
  }
  for (const auto& t : row.teams) {
    put(p, t.pages);
    put(p, t.pages_at_night);
    put(p, t.noise_pages);
    put(p, t.tickets);
    put(p, t.shifts);
  }
}

TrialRow unpack_row(const TrialLayout& layout, const unsigned char* p) {
  TrialRow row;
  row.trial = get<std::uint64_t>(p);
  row.events = get<std::uint64_t>(p);
  row.incidents = get<std::uint32_t>(p);
  row.pages = get<std::uint32_t>(p);
  row.slos.resize(layout.slos.size());
  for (auto& s : row.slos) {
    s.good = get<double>(p);
    s.total = get<double>(p);
    s.attainment = get<double>(p);
    s.met = get<std::uint8_t>(p) != 0;
    s.budget_consumed = get<double>(p);
    s.budget_minutes = get<double>(p);
    s.tier_reached_s.resize(layout.tiers.size());
    for (double& t : s.tier_reached_s) t = get<double>(p);
  }
  row.services.resize(layout.services.size());
  for (auto& v : row.services) {
    v.good = get<double>(p);
    v.total = get<double>(p);
    v.availability = get<double>(p);
  }
  row.teams.resize(layout.teams.size());
  for (auto& t : row.teams) {
    t.pages = get<std::uint32_t>(p);
    t.pages_at_night = get<std::uint32_t>(p);
    t.noise_pages = get<std::uint32_t>(p);
    t.tickets = get<std::uint32_t>(p);
    t.shifts = get<double>(p);
  }
  return row;
}

H5::CompType incident_type() {
  H5::CompType t(sizeof(IncidentRecord));
  auto u = [&](const char* name, std::size_t offset, const H5::PredType& type) {
    t.insertMember(name, offset, type);
  };
  const auto& u64 = H5::PredType::NATIVE_UINT64;
  const auto& u32 = H5::PredType::NATIVE_UINT32;
  const auto& u16 = H5::PredType::NATIVE_UINT16;
  const auto& u8 = H5::PredType::NATIVE_UINT8;
  const auto& f64 = H5::PredType::NATIVE_DOUBLE;
  u("trial", offsetof(IncidentRecord, trial), u64);
  u("id", offsetof(IncidentRecord, id), u32);
  u("service", offsetof(IncidentRecord, service), u32);
  u("cause", offsetof(IncidentRecord, cause), u8);
  u("cause_index", offsetof(IncidentRecord, cause_index), u32);
  u("severity", offsetof(IncidentRecord, severity), u8);
  u("start_s", offsetof(IncidentRecord, start_s), f64);
  u("detected_s", offsetof(IncidentRecord, detected_s), f64);
  u("paged_s", offsetof(IncidentRecord, paged_s), f64);
  u("acked_s", offsetof(IncidentRecord, acked_s), f64);
  u("mitigated_s", offsetof(IncidentRecord, mitigated_s), f64);
  u("resolved_s", offsetof(IncidentRecord, resolved_s), f64);
  u("escalations", offsetof(IncidentRecord, escalations), u16);
  u("team", offsetof(IncidentRecord, team), u32);
  u("steps_tried", offsetof(IncidentRecord, steps_tried), u16);
  u("requests_failed", offsetof(IncidentRecord, requests_failed), f64);
  u("budget_consumed", offsetof(IncidentRecord, budget_consumed), f64);
  u("human_needed", offsetof(IncidentRecord, human_needed), u8);
  return t;
}

H5::StrType string_type() {
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  t.setCset(H5T_CSET_UTF8);
  return t;
}

void write_string(H5::H5Object& obj, const std::string& name, const std::string& value) {
  const auto t = string_type();
  create(obj, name, t, H5::DataSpace(H5S_SCALAR)).write(t, value);
}

void write_strings(H5::H5Object& obj, const std::string& name,
                   const std::vector<std::string>& values) {
  const auto t = string_type();
  const hsize_t n = values.size();
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  auto a = create(obj, name, t, H5::DataSpace(1, &n));
  if (n > 0) a.write(t, ptrs.data());
}

void write_u64(H5::H5Object& obj, const std::string& name, std::uint64_t value) {
  create(obj, name, H5::PredType::NATIVE_UINT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_UINT64, &value);
}

void write_f64(H5::H5Object& obj, const std::string& name, double value) {
  create(obj, name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_DOUBLE, &value);
}

std::string read_string(const H5::H5Object& obj, const std::string& name) {
  auto a = open(obj, name);
  std::string out;
  a.read(a.getStrType(), out);
  return out;
}

std::vector<std::string> read_strings(const H5::H5Object& obj, const std::string& name) {
  auto a = open(obj, name);
  const auto space = a.getSpace();
  const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  std::vector<char*> ptrs(n, nullptr);
  const auto t = string_type();
  if (n > 0) a.read(t, ptrs.data());
  std::vector<std::string> out;
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(t.getId(), space.getId(), H5P_DEFAULT, ptrs.data());
  return out;
}

std::uint64_t read_u64(const H5::H5Object& obj, const std::string& name) {
  std::uint64_t v = 0;
  open(obj, name).read(H5::PredType::NATIVE_UINT64, &v);
  return v;
}

double read_f64(const H5::H5Object& obj, const std::string& name) {
  double v = 0.0;
  open(obj, name).read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

void write_run_meta(H5::Group& g, const RunMeta& m) {
  write_u64(g, "format_version", kResultsFormatVersion);
  write_string(g, "relsim_version", m.relsim_version);
  write_string(g, "scenario", m.scenario_name);
  write_string(g, "system", m.system_name);
  write_string(g, "scenario_file", m.scenario_file);
  write_string(g, "system_file", m.system_file);
  write_string(g, "scenario_text", m.scenario_text);
  write_string(g, "system_text", m.system_text);
  write_strings(g, "overrides", m.overrides);
  write_u64(g, "seed", m.seed);
  write_u64(g, "trials", m.trials);
  write_u64(g, "shard_index", m.shard_index);
  write_u64(g, "shard_count", m.shard_count);
  write_u64(g, "first_trial", m.first_trial);
  write_u64(g, "trial_count", m.trial_count);
  write_f64(g, "confidence", m.confidence);
  write_string(g, "command_line", m.command_line);
  write_string(g, "start_time", m.start_time);
  write_strings(g, "merged_from", m.merged_from);
}

H5::DSetCreatPropList chunked(const std::vector<hsize_t>& chunk, bool compress) {
  H5::DSetCreatPropList p;
  p.setChunk(static_cast<int>(chunk.size()), chunk.data());
  unsigned config = 0;
  if (compress && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
      H5Zget_filter_info(H5Z_FILTER_DEFLATE, &config) >= 0 &&
      (config & H5Z_FILTER_CONFIG_ENCODE_ENABLED) != 0) {
    p.setShuffle();
    p.setDeflate(1);
  }
  return p;
}

std::string object_name(const std::string& name) {
  if (name == ".") return "_.";
  std::string out = name;
  for (char& c : out) {
    if (c == '/') c = '_';
  }
  return out;
}

}  // namespace relsim::analysis::h5
