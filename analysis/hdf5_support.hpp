// Internal to analysis/ (results_file_*.cpp): the HDF5 types and attribute
// helpers of the results layout. The only header that includes H5Cpp.h; no
// header outside analysis/ includes it. Not thread-safe (HDF5 is not).
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/run_meta.hpp"
#include "analysis/trial_row.hpp"

namespace relsim::analysis::h5 {

/// The packed compound type of a `/trials` row of `layout`: `trial`,
/// `events` (uint64), `incidents`, `pages` (uint32), per SLO good/total/attainment (float64), met
/// (uint8), budget_consumed/budget_minutes and one `<tier>_reached_s` per tier (float64), per
/// service good/total/availability (float64), per team pages/pages_at_night/noise_pages/tickets
/// (uint32) and shifts (float64).
H5::CompType trial_row_type(const TrialLayout& layout);

/// Writes `row` into `dst` (trial_row_type(layout).getSize() bytes).
void pack_row(const TrialRow& row, unsigned char* dst);
/// Reads a row of `layout` from `src`.
TrialRow unpack_row(const TrialLayout& layout, const unsigned char* src);

/// The compound type of an `/incidents` row (the fields of IncidentRecord,
/// in models::IncidentRow order; `cause` as uint8, see its `causes` attribute).
H5::CompType incident_type();

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

/// Writes the `/meta` attributes of `m` (docs/export.md) into `g`, with
/// `format_version` kResultsFormatVersion.
void write_run_meta(H5::Group& g, const RunMeta& m);

/// Dataset creation properties: chunked with `chunk`; with `compress`,
/// shuffled and deflate-compressed (level 1: most of the gain of higher
/// levels on these tables at a fraction of their time) when the library
/// has deflate.
H5::DSetCreatPropList chunked(const std::vector<hsize_t>& chunk, bool compress);

/// An HDF5 object name for `name` (`/` becomes `_`; `.` alone becomes `_.`).
std::string object_name(const std::string& name);

}  // namespace relsim::analysis::h5
