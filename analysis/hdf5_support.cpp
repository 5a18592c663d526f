// HDF5 types and attribute helpers of the results layout (see hdf5_support.hpp).
#include "analysis/hdf5_support.hpp"

#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace relsim::analysis::h5 {

namespace {

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

H5::CompType trials_type() {
  H5::CompType t(sizeof(TrialScalars));
  t.insertMember("trial", offsetof(TrialScalars, trial), H5::PredType::NATIVE_UINT64);
  t.insertMember("events", offsetof(TrialScalars, events), H5::PredType::NATIVE_UINT64);
  t.insertMember("incidents", offsetof(TrialScalars, incidents), H5::PredType::NATIVE_UINT32);
  t.insertMember("pages", offsetof(TrialScalars, pages), H5::PredType::NATIVE_UINT32);
  t.insertMember("deploys", offsetof(TrialScalars, deploys), H5::PredType::NATIVE_UINT64);
  return t;
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
  u("responding_s", offsetof(IncidentRecord, responding_s), f64);
  u("escalations", offsetof(IncidentRecord, escalations), u16);
  u("team", offsetof(IncidentRecord, team), u32);
  u("steps_tried", offsetof(IncidentRecord, steps_tried), u16);
  u("requests_failed", offsetof(IncidentRecord, requests_failed), f64);
  u("budget_consumed", offsetof(IncidentRecord, budget_consumed), f64);
  u("human_needed", offsetof(IncidentRecord, human_needed), u8);
  u("cause_component", offsetof(IncidentRecord, cause_component), u32);
  u("cause_zone", offsetof(IncidentRecord, cause_zone), u32);
  u("runbook", offsetof(IncidentRecord, runbook), u32);
  u("impacts", offsetof(IncidentRecord, impacts), u32);
  u("slo_costs", offsetof(IncidentRecord, slo_costs), u32);
  return t;
}

H5::CompType impact_type() {
  H5::CompType t(sizeof(ImpactRecord));
  const auto& f64 = H5::PredType::NATIVE_DOUBLE;
  t.insertMember("trial", offsetof(ImpactRecord, trial), H5::PredType::NATIVE_UINT64);
  t.insertMember("incident", offsetof(ImpactRecord, incident), H5::PredType::NATIVE_UINT32);
  t.insertMember("service", offsetof(ImpactRecord, service), H5::PredType::NATIVE_UINT32);
  t.insertMember("impaired_s", offsetof(ImpactRecord, impaired_s), f64);
  t.insertMember("recovered_s", offsetof(ImpactRecord, recovered_s), f64);
  t.insertMember("requests_failed", offsetof(ImpactRecord, requests_failed), f64);
  return t;
}

H5::CompType incident_slo_type() {
  H5::CompType t(sizeof(IncidentSloRecord));
  const auto& f64 = H5::PredType::NATIVE_DOUBLE;
  t.insertMember("trial", offsetof(IncidentSloRecord, trial), H5::PredType::NATIVE_UINT64);
  t.insertMember("incident", offsetof(IncidentSloRecord, incident), H5::PredType::NATIVE_UINT32);
  t.insertMember("slo", offsetof(IncidentSloRecord, slo), H5::PredType::NATIVE_UINT32);
  t.insertMember("bad_requests", offsetof(IncidentSloRecord, bad_requests), f64);
  t.insertMember("budget_consumed", offsetof(IncidentSloRecord, budget_consumed), f64);
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

void write_string_dataset(H5::Group& parent, const std::string& name,
                          const std::vector<std::string>& values) {
  const auto t = string_type();
  const hsize_t n = values.size();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  H5::DataSet ds = parent.createDataSet(name, t, H5::DataSpace(1, &n));
  if (n > 0) ds.write(ptrs.data(), t);
}

std::vector<std::string> read_string_dataset(const H5::H5Location& parent,
                                             const std::string& name) {
  if (!parent.nameExists(name)) throw std::runtime_error("no /" + name);
  const H5::DataSet ds = parent.openDataSet(name);
  const H5::DataSpace space = ds.getSpace();
  if (space.getSimpleExtentNdims() != 1) throw std::runtime_error("/" + name + " is not 1-D");
  const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  std::vector<char*> ptrs(n, nullptr);
  const auto t = string_type();
  if (n > 0) ds.read(ptrs.data(), t);
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(t.getId(), space.getId(), H5P_DEFAULT, ptrs.data());
  return out;
}

namespace {

/// Writes one metadata field as an attribute (for_each_meta_field).
struct MetaWriter {
  H5::Group& g;
  void operator()(const char* name, const char*, const std::string& v) const {
    write_string(g, name, v);
  }
  void operator()(const char* name, const char*, const std::vector<std::string>& v) const {
    write_strings(g, name, v);
  }
  void operator()(const char* name, const char*, std::uint64_t v) const { write_u64(g, name, v); }
  void operator()(const char* name, const char*, std::uint32_t v) const { write_u64(g, name, v); }
  void operator()(const char* name, const char*, double v) const { write_f64(g, name, v); }
};

/// Reads one metadata field back.
struct MetaReader {
  const H5::Group& g;
  void operator()(const char* name, const char*, std::string& v) const { v = read_string(g, name); }
  void operator()(const char* name, const char*, std::vector<std::string>& v) const {
    v = read_strings(g, name);
  }
  void operator()(const char* name, const char*, std::uint64_t& v) const { v = read_u64(g, name); }
  void operator()(const char* name, const char*, std::uint32_t& v) const {
    const std::uint64_t x = read_u64(g, name);
    if (x > 0xFFFFFFFFu)
      throw std::runtime_error("attribute '" + std::string(name) + "' too large");
    v = static_cast<std::uint32_t>(x);
  }
  void operator()(const char* name, const char*, double& v) const { v = read_f64(g, name); }
};

}  // namespace

void write_run_meta(H5::Group& g, const RunMeta& m) {
  write_u64(g, "format_version", kResultsFormatVersion);
  for_each_meta_field(m, MetaWriter{g});
}

RunMeta read_run_meta(const H5::Group& g) {
  RunMeta m;
  for_each_meta_field(m, MetaReader{g});
  return m;
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
