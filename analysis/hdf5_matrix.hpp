// Internal to analysis/ (export_hdf5.cpp, import_hdf5.cpp): the per-figure
// 2-D datasets of a results file — `/slo/<field>` (trials × SLOs),
// `/service/<field>` (trials × services), `/team/<field>` (trials × teams) —
// as one list that the writer and the reader walk in the same order, and the
// copies between a block of TrialRows and a dataset's rows. Includes H5Cpp.h
// (through hdf5_support.hpp). Not thread-safe (HDF5 is not).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "analysis/hdf5_support.hpp"
#include "analysis/trial_row.hpp"

namespace relsim::analysis::h5 {

/// How a figure of C++ type T is stored: bool as uint8, the rest as itself.
template <class T>
using Stored = std::conditional_t<std::is_same_v<T, bool>, std::uint8_t, T>;

/// The HDF5 memory type of a stored figure.
template <class S>
const H5::PredType& native_type() {
  if constexpr (std::is_same_v<S, double>) {
    return H5::PredType::NATIVE_DOUBLE;
  } else if constexpr (std::is_same_v<S, std::uint32_t>) {
    return H5::PredType::NATIVE_UINT32;
  } else {
    static_assert(std::is_same_v<S, std::uint8_t>);
    return H5::PredType::NATIVE_UINT8;
  }
}

/// Calls `visit(group, names, name, width, member, field)` for every 2-D
/// figure dataset of `layout`, in file order: `group` is `slo`, `service` or
/// `team`; `names` the `/names` dataset of its columns (`slos`, `services`,
/// `teams`) and `width` their number; `member` the TrialRow vector the
/// figure comes from; `field` maps one entry of it to the figure (see
/// for_each_slo_field).
template <class Visit>
void for_each_figure_dataset(const TrialLayout& layout, Visit&& visit) {
  for_each_slo_field(layout, [&](const std::string& name, auto field) {
    visit("slo", "slos", name, layout.slos.size(), &TrialRow::slos, field);
  });
  for_each_service_field([&](const std::string& name, auto field) {
    visit("service", "services", name, layout.services.size(), &TrialRow::services, field);
  });
  for_each_team_field([&](const std::string& name, auto field) {
    visit("team", "teams", name, layout.teams.size(), &TrialRow::teams, field);
  });
}

/// The entity type of a TrialRow member pointer (SloTrialRow, ...).
template <class Member>
struct EntityOf;
template <class Entity>
struct EntityOf<std::vector<Entity> TrialRow::*> {
  using type = Entity;
};

/// The figure type of `field` applied to an `Entity`.
template <class Entity, class Field>
using FigureType = std::remove_cvref_t<decltype(std::declval<Field>()(std::declval<Entity&>()))>;

/// The rows × width matrix of one figure of `rows`, row-major, as bytes of
/// its stored type (into `out`, resized).
template <class Entity, class Field>
void gather(const std::vector<TrialRow>& rows, std::vector<Entity> TrialRow::*member,
            const Field& field, std::size_t width, std::vector<unsigned char>& out) {
  using S = Stored<FigureType<Entity, Field>>;
  out.resize(rows.size() * width * sizeof(S));
  unsigned char* p = out.data();
  for (const TrialRow& row : rows) {
    const auto& entities = row.*member;
    for (std::size_t j = 0; j < width; ++j) {
      const S v = static_cast<S>(field(entities[j]));
      std::memcpy(p, &v, sizeof v);
      p += sizeof v;
    }
  }
}

/// The inverse of gather: sets the figure of every entity of `rows` (which
/// already have `width` entities each) from `in`.
template <class Entity, class Field>
void scatter(std::vector<TrialRow>& rows, std::vector<Entity> TrialRow::*member, const Field& field,
             std::size_t width, const std::vector<unsigned char>& in) {
  using T = FigureType<Entity, Field>;
  using S = Stored<T>;
  const unsigned char* p = in.data();
  for (TrialRow& row : rows) {
    auto& entities = row.*member;
    for (std::size_t j = 0; j < width; ++j) {
      S v;
      std::memcpy(&v, p, sizeof v);
      p += sizeof v;
      if constexpr (std::is_same_v<T, bool>) {
        field(entities[j]) = v != 0;
      } else {
        field(entities[j]) = v;
      }
    }
  }
}

/// Chunk shape of a trials × `width` dataset of `element` bytes whose rows
/// are written `rows` at a time: all of a block's rows, and as many columns
/// as keep a chunk near 256 KiB (at least 1).
inline std::vector<hsize_t> matrix_chunk(hsize_t rows, std::size_t width, std::size_t element) {
  constexpr hsize_t kChunkBytes = hsize_t{256} << 10;
  hsize_t cols = kChunkBytes / (rows * element);
  if (cols < 1) cols = 1;
  if (width > 0 && cols > width) cols = width;
  return {rows, cols};
}

}  // namespace relsim::analysis::h5
