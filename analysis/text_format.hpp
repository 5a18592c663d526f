// Machine text shared by the CSV exporter and the printed summaries: every
// number is written so that reading it back gives the same double (shortest
// round-trip text), as models::JsonNode writes JSON numbers, which is what
// lets HDF5, CSV and JSON carry exactly the same figures. Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "sim/time.hpp"

namespace relsim::analysis {

/// The shortest text that reads back as `v` (std::to_chars): `0.95`,
/// `1e-05`, `236.49524834361907`. NaN and infinities give `nan`, `inf`, `-inf`.
std::string shortest(double v);

/// As `shortest`, but a value that is exactly a float (a remaining-budget
/// sample) is written as the shortest float text (`0.9999` rather than
/// `0.99989998340606689`); reading it as a float gives the same bits.
std::string shortest_sample(double v);

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);

/// A CSV number: `shortest`, empty for NaN (pandas reads it as NaN).
std::string csv_number(double v);

/// `30d` for whole days, else sim::format_duration (`12h`, `1h30m`).
std::string horizon_text(sim::Duration d);

}  // namespace relsim::analysis
