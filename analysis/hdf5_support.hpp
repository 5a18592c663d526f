// Internal to analysis/: the HDF5 types and attribute helpers of the
// results layout, for the .cpp files of analysis/ that read or write HDF5
// (the results, plan, alert-lab and incident files). It and hdf5_table.hpp
// include H5Cpp.h directly; hdf5_matrix.hpp includes it through this
// header; no header outside analysis/ includes any of the three, so HDF5
// types never reach models/ or cli/. Not thread-safe (HDF5 is not).
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/run_meta.hpp"
#include "analysis/trial_row.hpp"

namespace relsim::analysis::h5 {

/// A trial's scalars, the row of `/trials` (its compound type: trials_type()).
struct TrialScalars {
  std::uint64_t trial = 0;
  std::uint64_t events = 0;
  std::uint32_t incidents = 0;
  std::uint32_t pages = 0;
  std::uint64_t deploys = 0;
};

/// The compound type of a `/trials` row: `trial`, `events` (uint64),
/// `incidents`, `pages` (uint32), `deploys` (uint64).
H5::CompType trials_type();

/// The compound type of an `/incidents` row (the fields of IncidentRecord,
/// in models::IncidentRow order; `cause` as uint8, see its `causes` attribute).
H5::CompType incident_type();
/// The compound types of `/incident_services` (ImpactRecord) and
/// `/incident_slos` (IncidentSloRecord) rows.
H5::CompType impact_type();
H5::CompType incident_slo_type();

/// A UTF-8 variable-length string type.
H5::StrType string_type();

void write_string(H5::H5Object& obj, const std::string& name, const std::string& value);
void write_strings(H5::H5Object& obj, const std::string& name,
                   const std::vector<std::string>& values);
void write_u64(H5::H5Object& obj, const std::string& name, std::uint64_t value);
void write_f64(H5::H5Object& obj, const std::string& name, double value);

/// Attribute readers; throw std::runtime_error("missing attribute NAME") when absent.
std::string read_string(const H5::H5Object& obj, const std::string& name);
std::vector<std::string> read_strings(const H5::H5Object& obj, const std::string& name);
std::uint64_t read_u64(const H5::H5Object& obj, const std::string& name);
double read_f64(const H5::H5Object& obj, const std::string& name);

/// A 1-D dataset `name` in `parent` of UTF-8 variable-length strings: the
/// name lists of `/names` (an attribute's header is limited to 64 KiB, a
/// dataset is not).
void write_string_dataset(H5::Group& parent, const std::string& name,
                          const std::vector<std::string>& values);
/// The strings of a 1-D string dataset; throws std::runtime_error("no /PATH")
/// when `name` is absent.
std::vector<std::string> read_string_dataset(const H5::H5Location& parent, const std::string& name);

/// Writes the `/meta` attributes of `m` (docs/export.md) into `g`, with
/// `format_version` kResultsFormatVersion (the fields of for_each_meta_field).
void write_run_meta(H5::Group& g, const RunMeta& m);
/// Reads them back (without checking the version). Throws
/// std::runtime_error("missing attribute NAME").
RunMeta read_run_meta(const H5::Group& g);

/// Dataset creation properties: chunked with `chunk`; with `compress`,
/// shuffled and deflate-compressed (level 1: most of the gain of higher
/// levels on these tables at a fraction of their time) when the library
/// has deflate.
H5::DSetCreatPropList chunked(const std::vector<hsize_t>& chunk, bool compress);

/// An HDF5 object name for `name` (`/` becomes `_`; `.` alone becomes `_.`).
std::string object_name(const std::string& name);

}  // namespace relsim::analysis::h5
