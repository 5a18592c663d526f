#include "cli/report_format.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace relsim::cli {

namespace {

/// Decimals (of the value × 100) that show the interval's half-width with
/// two significant digits, within [1, 6].
int decimals_for(const analysis::Interval& iv, double scale = 100.0) {
  const double hw = iv.half_width() * scale;
  if (!std::isfinite(hw) || hw <= 0.0) return 2;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(hw))), 1, 6);
}

std::string with_interval(const analysis::Interval& iv, const char* unit, bool sign,
                          double scale = 100.0) {
  if (std::isnan(iv.estimate)) return "n/a";
  const int d = decimals_for(iv, scale);
  const char* fmt = sign ? "%+.*f%s" : "%.*f%s";
  std::string out = printf_text(fmt, d, iv.estimate * scale, unit);
  if (std::isfinite(iv.low) && std::isfinite(iv.high)) {
    out = printf_text("%-14s [%.*f, %.*f]", out.c_str(), d, iv.low * scale, d, iv.high * scale);
  }
  return out;
}

}  // namespace

std::string figure_label(const std::string& figure) {
  if (figure == "attainment") return "attainment (mean)";
  if (figure == "pMet") return "P(SLO met)";
  if (figure == "budgetConsumed") return "error budget consumed (mean)";
  if (figure == "availability") return "availability (mean)";
  if (figure == "incidents") return "incidents per trial";
  if (figure == "mttr") return "time to resolve (mean of the trial's incidents)";
  if (figure == "ttd") return "time to detect (mean of the trial's incidents)";
  if (figure == "pages") return "pages per trial";
  if (figure == "nightPages") return "pages at night per trial";
  if (figure == "noisePages") return "noise pages per trial";
  if (figure == "tickets") return "tickets per trial";
  return figure;
}

std::string value_with_interval(const analysis::Interval& iv, int unit) {
  if (unit == 0) return with_interval(iv, " %", false);
  return with_interval(iv, unit == 2 ? " min" : "", false, 1.0);
}

std::string difference_with_interval(const analysis::Interval& iv, int unit) {
  if (no_change(iv)) return "no change";
  if (unit == 0) return with_interval(iv, " pp", true);
  return with_interval(iv, unit == 2 ? " min" : "", true, 1.0);
}

std::string fraction_with_interval(const analysis::Interval& iv) {
  return with_interval(iv, " %", false);
}

std::string points_with_interval(const analysis::Interval& iv) {
  if (no_change(iv)) return "no change";
  return with_interval(iv, " pp", true);
}

void check_confidence(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("--confidence must be in (0, 1) (got " +
                                analysis::shortest(confidence) + ")");
  }
}

}  // namespace relsim::cli
