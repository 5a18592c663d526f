// Small formatting and checking helpers shared by the commands that print
// figures with intervals (compare, sensitivity): percentages with as many
// decimals as their interval needs,
// and the early check of --confidence (--output: run_support.hpp).
#pragma once

#include <string>

#include "analysis/estimators.hpp"
#include "analysis/format.hpp"
#include "analysis/text_format.hpp"

namespace relsim::cli {

using analysis::printf_text;  // printf into a std::string (analysis/format.hpp)

/// `attainment` → `attainment (mean)`, `pMet` → `P(met)`, ...: how a figure reads.
std::string figure_label(const std::string& figure);

/// A fraction as a percentage with its interval, `99.9858 % [99.9857, 99.9859]`,
/// with enough decimals to resolve the interval.
std::string fraction_with_interval(const analysis::Interval& iv);

/// A difference of fractions in percentage points, `-0.0235 pp [-0.0236, -0.0234]`;
/// `no change` for a zero difference (no_change).
std::string points_with_interval(const analysis::Interval& iv);

/// A value in `unit` (0 fraction, 1 count, 2 minutes) with its interval:
/// fractions as percentages, counts and minutes as they are.
std::string value_with_interval(const analysis::Interval& iv, int unit);

using analysis::no_change;  // a zero paired difference, up to rounding (analysis/format.hpp)

/// A difference in `unit`: percentage points for fractions, else as values;
/// `no change` for a zero difference (no_change).
std::string difference_with_interval(const analysis::Interval& iv, int unit);

/// Throws std::invalid_argument unless 0 < confidence < 1.
void check_confidence(double confidence);

}  // namespace relsim::cli
