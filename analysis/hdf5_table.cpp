// Column-wise compound tables (see hdf5_table.hpp).
#include "analysis/hdf5_table.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "analysis/hdf5_support.hpp"

namespace relsim::analysis::h5 {

void TableBuilder::add(Column c, std::size_t size) {
  if (size != rows_) {
    throw std::logic_error("column '" + c.name + "' has " + std::to_string(size) +
                           " values for a table of " + std::to_string(rows_) + " rows");
  }
  columns_.push_back(std::move(c));
}

void TableBuilder::f64(const std::string& name, std::vector<double> values) {
  const std::size_t n = values.size();
  add({name, Kind::f64, std::move(values), {}, {}}, n);
}

void TableBuilder::u64(const std::string& name, std::vector<std::uint64_t> values) {
  const std::size_t n = values.size();
  add({name, Kind::u64, {}, std::move(values), {}}, n);
}

void TableBuilder::u32(const std::string& name, std::vector<std::uint32_t> values) {
  add({name, Kind::u32, {}, {values.begin(), values.end()}, {}}, values.size());
}

void TableBuilder::u8(const std::string& name, std::vector<std::uint8_t> values) {
  add({name, Kind::u8, {}, {values.begin(), values.end()}, {}}, values.size());
}

void TableBuilder::str(const std::string& name, std::vector<std::string> values) {
  const std::size_t n = values.size();
  add({name, Kind::str, {}, {}, std::move(values)}, n);
}

H5::DataSet TableBuilder::write(H5::Group& parent, const std::string& name, bool compress) const {
  auto bytes = [](Kind k) -> std::size_t {
    switch (k) {
      case Kind::f64:
      case Kind::u64:
        return 8;
      case Kind::u32:
        return 4;
      case Kind::u8:
        return 1;
      case Kind::str:
        return sizeof(const char*);
    }
    return 0;
  };
  std::size_t size = 0;
  for (const auto& c : columns_) size += bytes(c.kind);
  H5::CompType type(std::max<std::size_t>(size, 1));
  const H5::StrType str = string_type();
  std::size_t offset = 0;
  std::vector<std::size_t> offsets;
  for (const auto& c : columns_) {
    offsets.push_back(offset);
    switch (c.kind) {
      case Kind::f64:
        type.insertMember(c.name, offset, H5::PredType::NATIVE_DOUBLE);
        break;
      case Kind::u64:
        type.insertMember(c.name, offset, H5::PredType::NATIVE_UINT64);
        break;
      case Kind::u32:
        type.insertMember(c.name, offset, H5::PredType::NATIVE_UINT32);
        break;
      case Kind::u8:
        type.insertMember(c.name, offset, H5::PredType::NATIVE_UINT8);
        break;
      case Kind::str:
        type.insertMember(c.name, offset, str);
        break;
    }
    offset += bytes(c.kind);
  }
  std::vector<unsigned char> buf(rows_ * size);
  for (std::size_t i = 0; i < rows_; ++i) {
    unsigned char* row = buf.data() + i * size;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      const Column& c = columns_[k];
      unsigned char* p = row + offsets[k];
      switch (c.kind) {
        case Kind::f64:
          std::memcpy(p, &c.f[i], 8);
          break;
        case Kind::u64:
          std::memcpy(p, &c.u[i], 8);
          break;
        case Kind::u32: {
          const auto v = static_cast<std::uint32_t>(c.u[i]);
          std::memcpy(p, &v, 4);
          break;
        }
        case Kind::u8:
          *p = static_cast<std::uint8_t>(c.u[i]);
          break;
        case Kind::str: {
          const char* s = c.s[i].c_str();
          std::memcpy(p, &s, sizeof s);
          break;
        }
      }
    }
  }
  const hsize_t n = rows_;
  H5::DSetCreatPropList props;
  if (compress && n > 0) props = chunked({std::min<hsize_t>(n, 1024)}, true);
  H5::DataSet ds = parent.createDataSet(name, type, H5::DataSpace(1, &n), props);
  if (n > 0) ds.write(buf.data(), type);
  return ds;
}

bool has_member(const H5::DataSet& ds, const std::string& name) {
  if (ds.getTypeClass() != H5T_COMPOUND) return false;
  return H5Tget_member_index(ds.getCompType().getId(), name.c_str()) >= 0;
}

namespace {

template <class T>
std::vector<T> read_numeric(const H5::DataSet& ds, const std::string& name,
                            const H5::PredType& native) {
  if (!has_member(ds, name)) throw std::runtime_error("no column '" + name + "'");
  const auto n = static_cast<std::size_t>(ds.getSpace().getSimpleExtentNpoints());
  std::vector<T> out(n);
  H5::CompType t(sizeof(T));
  t.insertMember(name, 0, native);
  if (n > 0) ds.read(out.data(), t);
  return out;
}

}  // namespace

std::vector<double> read_f64_column(const H5::DataSet& ds, const std::string& name) {
  return read_numeric<double>(ds, name, H5::PredType::NATIVE_DOUBLE);
}

std::vector<std::uint64_t> read_u64_column(const H5::DataSet& ds, const std::string& name) {
  return read_numeric<std::uint64_t>(ds, name, H5::PredType::NATIVE_UINT64);
}

std::vector<std::string> read_string_column(const H5::DataSet& ds, const std::string& name) {
  if (!has_member(ds, name)) throw std::runtime_error("no column '" + name + "'");
  const H5::DataSpace space = ds.getSpace();
  const auto n = static_cast<std::size_t>(space.getSimpleExtentNpoints());
  std::vector<char*> ptrs(n, nullptr);
  H5::CompType t(sizeof(char*));
  t.insertMember(name, 0, string_type());
  if (n > 0) ds.read(ptrs.data(), t);
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(t.getId(), space.getId(), H5P_DEFAULT, ptrs.data());
  return out;
}

}  // namespace relsim::analysis::h5
