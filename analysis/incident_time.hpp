// Instants of incident exports: ISO-8601 with or without a UTC offset, or
// epoch numbers, read into Unix seconds (double, UTC), and written back as
// UTC ISO-8601. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace relsim::analysis {

/// 9999-12-31T23:59:59Z in Unix seconds: the last time a four-digit year
/// writes, so the last instant an incident table can hold.
inline constexpr double kLastIsoSecond = 253402300799.0;

/// A time as ISO-8601 (`2026-03-02T14:05:00Z`, `2026-03-02 14:05:00+01:00`,
/// fractions of a second and `±hhmm` too) or as epoch seconds (an unsigned
/// decimal number, at most 9999-12-31T23:59:59Z) times `epoch_unit` (1e-3
/// for milliseconds). Sets
/// `had_offset` false for an ISO time with no zone (read as UTC). Nullopt
/// when the text is neither.
std::optional<double> parse_timestamp(std::string_view text, double epoch_unit,
                                      bool* had_offset = nullptr);

/// Unix seconds as `YYYY-MM-DDThh:mm:ss[.fff]Z`.
std::string format_timestamp(double unix_seconds);

/// An unsigned decimal number (`90`, `4.5`; no sign, exponent or spaces); nullopt otherwise.
std::optional<double> parse_decimal(std::string_view text);

}  // namespace relsim::analysis
