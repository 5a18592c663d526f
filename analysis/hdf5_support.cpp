// HDF5 types and attribute helpers of the results layout (see hdf5_support.hpp).
#include "analysis/hdf5_support.hpp"

#include <cstring>
#include <stdexcept>

namespace relsim::analysis::h5 {

namespace {

// Field sizes of the packed row; the order below is the order of
// TrialLayout::columns().
constexpr std::size_t kU64 = sizeof(std::uint64_t);
constexpr std::size_t kF64 = sizeof(double);
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
  std::size_t size = 2 * kU64;
  size += layout.slos.size() * (5 * kF64 + kU8 + layout.tiers.size() * kF64);
  size += layout.services.size() * 3 * kF64;
  H5::CompType type(size);
  std::size_t offset = 0;
  std::size_t i = 0;
  auto add = [&](const H5::PredType& t, std::size_t bytes) {
    type.insertMember(names[i++], offset, t);
    offset += bytes;
  };
  add(H5::PredType::NATIVE_UINT64, kU64);
  add(H5::PredType::NATIVE_UINT64, kU64);
  for (std::size_t s = 0; s < layout.slos.size(); ++s) {
    for (int f = 0; f < 3; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
    add(H5::PredType::NATIVE_UINT8, kU8);
    for (int f = 0; f < 2; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
    for (std::size_t t = 0; t < layout.tiers.size(); ++t) add(H5::PredType::NATIVE_DOUBLE, kF64);
  }
  for (std::size_t v = 0; v < layout.services.size(); ++v) {
    for (int f = 0; f < 3; ++f) add(H5::PredType::NATIVE_DOUBLE, kF64);
  }
  return type;
}

void pack_row(const TrialRow& row, unsigned char* p) {
  put(p, row.trial);
  put(p, row.events);
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
}

TrialRow unpack_row(const TrialLayout& layout, const unsigned char* p) {
  TrialRow row;
  row.trial = get<std::uint64_t>(p);
  row.events = get<std::uint64_t>(p);
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
  return row;
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

H5::DSetCreatPropList chunked(const std::vector<hsize_t>& chunk) {
  H5::DSetCreatPropList p;
  p.setChunk(static_cast<int>(chunk.size()), chunk.data());
  unsigned config = 0;
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
      H5Zget_filter_info(H5Z_FILTER_DEFLATE, &config) >= 0 &&
      (config & H5Z_FILTER_CONFIG_ENCODE_ENABLED) != 0) {
    p.setShuffle();
    p.setDeflate(4);
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
