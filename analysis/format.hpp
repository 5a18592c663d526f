// Text for people: the one place where relsim turns numbers into the words
// and figures its commands, summaries and reports print — units and
// durations, percentages and percentage points, confidence intervals,
// budget-policy tiers, days of a trial, and DOT string literals. Machine
// text (shortest round-trip numbers, JSON and CSV fields, `30d` horizons)
// is text_format.hpp. Pure functions; thread-safe.
//
// Conventions every command shares:
// - a day of a trial is counted as a person counts: day 1 is the first day
//   (the trial's first 24 hours), so 4.88 days from the start is
//   `day 5 21:07`, and a chart's day axis puts the start of day N at N;
// - a probability is a percentage whose decimals resolve its interval
//   (`89.5 % [84.5, 93.0]`, `99.50 % [97.22, 99.91]`), never `1e-17`;
// - a difference of two probabilities is in percentage points (`pp`);
// - an interval left out below its method's minimum n is `n/a (n = 3)`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/estimators.hpp"
#include "models/system.hpp"
#include "sim/time.hpp"

namespace relsim::analysis {

/// printf into a string of any length (the one printf wrapper).
std::string printf_text(const char* format, ...) __attribute__((format(printf, 1, 2)));

/// `v` with 15 significant digits (`%.15g`), so that `1 - 0.9` reads `0.1`:
/// a value a person wrote, given back as written (sweeps, graph labels).
std::string decimal_text(double v);

// ---------------------------------------------------------------- durations

/// Seconds as `45s`, `2.5s`, `2m03s`, `1h05m` or `2.5d` (3 significant
/// digits below a minute and from two days); `never` for an infinity,
/// `n/a` for NaN.
std::string seconds_text(double seconds);

/// Seconds in the unit their size asks for, one decimal: `42.0 s`,
/// `12.3 min` (from 2 min), `4.56 h` (from 3 h); `n/a` for NaN.
std::string seconds_in_unit(double seconds);

/// The day of a trial and the time of day at `since_start`: `day 5 21:00`
/// (day 1 is the first day).
std::string day_clock_text(sim::Duration since_start);

/// A trial time on a chart's day axis: the start of day N is N (elapsed
/// days + 1), so a point lies between the ticks of the day it is on.
double day_axis(sim::Duration since_start);

/// A short duration for a table cell, 3 significant digits, no space:
/// `0s`, `42.3s`, `12.5min` (from 1 min), `3.2h` (from 2 h).
std::string compact_duration_text(double seconds);

/// `1.6 days` (3 significant digits; `1 day` for exactly one).
std::string days_text(double seconds);

// ---------------------------------------------------------------- percentages

/// Decimals for about three significant digits of `x` (0.123, 25.8, 1234);
/// 1 for 0 and non-finite values.
int significant_decimals(double x);

/// A fraction as a percentage with 3 significant digits: `12.5 %`, `0.1 %`.
std::string percent_text(double fraction);

/// A fraction near 1 as a percentage with enough decimals to show the first
/// two significant digits of its shortfall, no space: `99.99812%`,
/// `99.9999901%`, `100%`; `-` for NaN.
std::string shortfall_percent_text(double fraction);

/// True when a paired difference and both ends of its interval are within
/// 1e-12 of 0: the two runs agree in every trial, up to the rounding of
/// sums taken in another order.
bool no_change(const Interval& difference);

/// A difference of two probabilities (or fractions) in percentage points,
/// signed, with its interval: `+1.2 pp [+0.3, +2.1]`; `no change` for
/// no_change. Decimals resolve the interval.
std::string percentage_points_text(const Interval& difference);

/// A budget-policy tier as a person says it: `ship`, `freeze`, `all hands`,
/// `leadership review` (models::to_string gives the key's spelling).
const char* budget_action_text(models::BudgetAction action);

// ---------------------------------------------------------------- intervals

/// `[low, high]` with `decimals` after the point, scaled by `scale`
/// (`[low, inf)` when unbounded above); `[n/a]` when unbounded on both
/// sides; `n/a (n = 3)` when the method left it out below its minimum n
/// (`n` observations: both ends NaN, the estimate not).
std::string interval_bounds(const Interval& iv, int decimals, double scale, std::uint64_t n = 0);

/// Decimals that resolve an interval: at least `decimals`, more while its
/// ends print alike (a narrow interval around 99.99 %), at most `max`.
int resolving_decimals(const Interval& iv, int decimals, double scale, int max);

/// A probability as a percentage padded to `width` columns (none at 0),
/// then its interval: one decimal, two near (not at) 0 or 1, more while
/// the ends print alike: `89.5 %       [84.5, 93.0]`; `n/a` for NaN.
std::string probability_text(const Interval& iv, std::uint64_t n = 0, int width = 12);

/// A fraction near 1 as a percentage with enough digits to show its nines,
/// padded to 12 columns, and its interval: 0.999871 → `99.9871 %    [..]`.
std::string nines_text(const Interval& iv);

/// A value with ~3 significant digits times `scale` and `unit`, padded to
/// 12 columns, and its interval: `2.91 min     [2.76, 3.07]`.
std::string magnitude_text(double estimate, const Interval& iv, double scale, std::string_view unit,
                           std::uint64_t n = 0);

/// Seconds in s (below 2 min), min (below 2 h) or h, as magnitude_text.
std::string duration_interval_text(const Interval& seconds, std::uint64_t n = 0);

// ---------------------------------------------------------------- other languages

/// A DOT (Graphviz) string literal: quotes and backslashes escaped, a line
/// break as `\n`, other control characters as `\u00XX`.
std::string dot_quote(std::string_view text);

}  // namespace relsim::analysis
