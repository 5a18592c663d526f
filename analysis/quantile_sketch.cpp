// The streamed quantile sketch (see quantile_sketch.hpp).
#include "analysis/quantile_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/estimators.hpp"

namespace relsim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const double kGamma = (1.0 + QuantileSketch::kAlpha) / (1.0 - QuantileSketch::kAlpha);
const double kLogGamma = std::log(kGamma);
/// |x| below this counts as 0.
constexpr double kZero = 1e-9;
/// Bucket k of a positive value has key k + kOffset (>= 1 for |x| >= 1e-9);
/// keys are capped at ±QuantileSketch::kMaxKey.
constexpr std::int32_t kOffset = 12000;

/// ⌈n·p⌉ clamped to [1, n] (as run_summary.cpp's quantile_rank).
std::uint64_t rank_of(std::uint64_t n, double p) {
  const double np = static_cast<double>(n) * p;
  const auto rank = static_cast<std::uint64_t>(std::ceil(np - 1e-12 * np));
  return std::clamp<std::uint64_t>(rank, 1, n);
}

/// Bucket edges of a key: (low, high] for positive keys.
double edge(std::int32_t k) { return std::pow(kGamma, static_cast<double>(k)); }

}  // namespace

std::int32_t QuantileSketch::key_of(double x) {
  const double a = std::fabs(x);
  if (!(a >= kZero)) return 0;  // also NaN, which callers never pass
  const double k = std::ceil(std::log(a) / kLogGamma) + kOffset;
  const auto key = static_cast<std::int32_t>(std::clamp(k, 1.0, static_cast<double>(kMaxKey)));
  return x > 0 ? key : -key;
}

QuantileSketch::Cell& QuantileSketch::cell(std::int32_t key) {
  const std::int32_t index = key + kMaxKey;  // 0 ... 2 kMaxKey, ascending with the value
  const std::int32_t page = index >> kPageBits;
  if (pages_.empty()) {
    first_page_ = page;
    pages_.resize(1);
  } else if (page < first_page_) {
    const auto shift = static_cast<std::size_t>(first_page_ - page);
    std::vector<std::unique_ptr<Page>> wider(pages_.size() + shift);
    std::move(pages_.begin(), pages_.end(), wider.begin() + static_cast<std::ptrdiff_t>(shift));
    pages_.swap(wider);
    first_page_ = page;
  } else if (static_cast<std::size_t>(page - first_page_) >= pages_.size()) {
    pages_.resize(static_cast<std::size_t>(page - first_page_) + 1);
  }
  std::unique_ptr<Page>& p = pages_[static_cast<std::size_t>(page - first_page_)];
  if (!p) p = std::make_unique<Page>();
  return (*p)[static_cast<std::size_t>(index & (kPageCells - 1))];
}

template <class F>
void QuantileSketch::visit(F&& f) const {
  for (std::size_t p = 0; p < pages_.size(); ++p) {
    if (!pages_[p]) continue;
    const std::int32_t base = (first_page_ + static_cast<std::int32_t>(p)) * kPageCells - kMaxKey;
    for (std::int32_t c = 0; c < kPageCells; ++c) {
      const Cell& cell = (*pages_[p])[static_cast<std::size_t>(c)];
      if (cell.count > 0 && f(base + c, cell)) return;
    }
  }
}

std::size_t QuantileSketch::heap_bytes() const {
  std::size_t bytes = pages_.capacity() * sizeof(pages_[0]) + exact_.capacity() * sizeof(double) +
                      exact_keys_.capacity() * sizeof(exact_keys_[0]) +
                      trial_ends_.capacity() * sizeof(trial_ends_[0]) +
                      keys_.capacity() * sizeof(keys_[0]);
  for (const auto& p : pages_) bytes += p ? sizeof(Page) : 0;
  return bytes;
}

void QuantileSketch::add(double x) {
  const std::int32_t key = key_of(x);
  add_sorted(&key, 1, [x](std::size_t) { return x; });
}

void QuantileSketch::add_trial(std::span<const double> values) {
  keys_.clear();
  for (const double x : values) keys_.push_back(key_of(x));
  std::sort(keys_.begin(), keys_.end());
  add_sorted(keys_.data(), keys_.size(), [values](std::size_t j) { return values[j]; });
}

void QuantileSketch::add_trial(std::span<const Keyed> values) {
  const auto value_at = [values](std::size_t j) { return values[j].value; };
  if (values.size() == 1) {  // most trials of most figures
    add_sorted(&values[0].key, 1, value_at);
    return;
  }
  keys_.clear();
  for (const Keyed& v : values) keys_.push_back(v.key);
  std::sort(keys_.begin(), keys_.end());
  add_sorted(keys_.data(), keys_.size(), value_at);
}

template <class ValueAt>
void QuantileSketch::add_sorted(const std::int32_t* keys, std::size_t count, ValueAt&& value_at) {
  ++trials_;
  if (count == 0) return;
  ++trials_with_values_;
  const std::uint64_t before = n_;
  const std::uint64_t ni = count;
  n_ += ni;
  sum_nn_ += ni * ni;
  if (n_ <= kExactValues) {
    for (std::size_t j = 0; j < count; ++j) exact_.push_back(value_at(j));
    exact_keys_.insert(exact_keys_.end(), keys, keys + count);
    trial_ends_.push_back(static_cast<std::uint32_t>(exact_keys_.size()));
    return;
  }
  if (before <= kExactValues) {
    // Just passed kExactValues: the pages from the trials held so far, and
    // the values are no longer used.
    std::uint32_t begin = 0;
    for (const std::uint32_t end : trial_ends_) {
      add_cells(exact_keys_.data() + begin, end - begin);
      begin = end;
    }
    std::vector<double>().swap(exact_);
    std::vector<std::int32_t>().swap(exact_keys_);
    std::vector<std::uint32_t>().swap(trial_ends_);
  }
  add_cells(keys, count);
}

void QuantileSketch::add_cells(const std::int32_t* keys, std::size_t count) {
  const std::uint64_t ni = count;
  // aᵢ(b) steps up at each distinct key: add its count there and the
  // increments of aᵢ² and aᵢ·nᵢ (one cell lookup per distinct key).
  std::uint64_t before = 0;
  for (std::size_t j = 0; j < count;) {
    std::size_t end = j;
    while (end < count && keys[end] == keys[j]) ++end;
    const std::uint64_t after = before + (end - j);
    Cell& c = cell(keys[j]);
    c.count += end - j;
    c.sq += after * after - before * before;
    c.an += ni * (after - before);
    before = after;
    j = end;
  }
}

void QuantileSketch::exact_sums(std::int32_t b, std::uint64_t& cum, std::uint64_t& sq,
                                std::uint64_t& an) const {
  // Each trial's aᵢ(b): its keys up to b.
  cum = sq = an = 0;
  std::uint32_t begin = 0;
  for (const std::uint32_t end : trial_ends_) {
    const std::int32_t* first = exact_keys_.data() + begin;
    const std::int32_t* last = exact_keys_.data() + end;
    const auto a = static_cast<std::uint64_t>(std::upper_bound(first, last, b) - first);
    cum += a;
    sq += a * a;
    an += a * (end - begin);
    begin = end;
  }
}

double QuantileSketch::value_at(std::uint64_t rank, int side,
                                const std::vector<double>& sorted) const {
  if (rank == 0) return -kInf;
  if (rank > n_) return kInf;
  if (exact()) return sorted[rank - 1];
  std::uint64_t cum = 0;
  std::int32_t key = 0;
  visit([&](std::int32_t k, const Cell& c) {
    cum += c.count;
    key = k;
    return cum >= rank;
  });
  if (key == 0) return 0.0;
  const double sign = key > 0 ? 1.0 : -1.0;
  const std::int32_t k = std::abs(key) - kOffset;
  const double lo = edge(k - 1), hi = edge(k);
  double v = 0.0;
  if (side == 0) {
    v = 2.0 * hi / (kGamma + 1.0);  // within α of every value of the bucket
  } else {
    v = (side > 0) == (sign > 0) ? hi : lo;
  }
  return sign * v;
}

QuantileSketch::Sorted QuantileSketch::sorted() const {
  Sorted out;
  if (exact()) {
    out.values = exact_;
    std::sort(out.values.begin(), out.values.end());
    out.keys = exact_keys_;
    std::sort(out.keys.begin(), out.keys.end());
  }
  return out;
}

QuantileInterval QuantileSketch::from_ranks(double p, std::uint64_t lower, std::uint64_t upper,
                                            double coverage, double lower_bound,
                                            const std::vector<double>& sorted) const {
  QuantileInterval q;
  q.lower_rank = lower;
  q.upper_rank = upper;
  q.coverage = coverage;
  q.estimate = value_at(rank_of(n_, p), 0, sorted);
  q.low = std::max(value_at(lower, -1, sorted), lower_bound);
  q.high = value_at(upper, +1, sorted);
  q.low = std::min(q.low, q.estimate);
  q.high = std::max(q.high, q.estimate);
  return q;
}

QuantileInterval QuantileSketch::iid_interval(double p, double confidence,
                                              double lower_bound) const {
  if (n_ == 0) return {kNaN, -kInf, kInf, 0, 1, 1.0};
  const RankInterval r = order_statistic_ranks(n_, p, confidence);
  return from_ranks(p, r.lower, r.upper, r.coverage, lower_bound, sorted().values);
}

QuantileInterval QuantileSketch::clustered_interval(double p, double confidence,
                                                    double lower_bound) const {
  return clustered_interval(p, confidence, lower_bound, sorted());
}

std::vector<QuantileInterval> QuantileSketch::clustered_intervals(std::span<const double> ps,
                                                                  double confidence,
                                                                  double lower_bound) const {
  const Sorted held = sorted();
  std::vector<QuantileInterval> out;
  out.reserve(ps.size());
  for (const double p : ps) out.push_back(clustered_interval(p, confidence, lower_bound, held));
  return out;
}

QuantileInterval QuantileSketch::clustered_interval(double p, double confidence, double lower_bound,
                                                    const Sorted& held) const {
  if (n_ == 0) return {kNaN, kNaN, kNaN, 0, 0, 0.0};
  if (n_ < kMinPooledObservations || trials_with_values_ < kMinPooledTrials || trials_ < 2) {
    QuantileInterval q = from_ranks(p, 0, n_ + 1, 0.0, lower_bound, held.values);
    q.low = q.high = kNaN;
    return q;
  }
  // The bucket holding the estimate, and the sums of aᵢ(b)², aᵢ(b)nᵢ up to it.
  const std::uint64_t rank = rank_of(n_, p);
  std::uint64_t cum = 0, sq = 0, an = 0;
  if (exact()) {
    exact_sums(held.keys[rank - 1], cum, sq, an);
  } else {
    visit([&](std::int32_t, const Cell& c) {
      cum += c.count;
      sq += c.sq;
      an += c.an;
      return cum >= rank;
    });
  }
  const double n = static_cast<double>(n_);
  // Σ (aᵢ − p nᵢ)² and the by-trial variance of F̂ at the estimate.
  const long double ss = static_cast<long double>(sq) - 2.0L * p * static_cast<long double>(an) +
                         static_cast<long double>(p) * p * static_cast<long double>(sum_nn_);
  // The design effect Σ(aᵢ − p nᵢ)² / (n p (1 − p)) (its by-trial variance
  // ss · T / ((T − 1) n²) over the binomial p(1 − p)/n, with the same T/(T − 1)):
  // about 1 for independent values, floored at 1.
  const double binomial = n * p * (1.0 - p);
  const double var = std::max(0.0, static_cast<double>(ss));
  const double deff = var > binomial * (1.0 + 1e-9) ? var / binomial : 1.0;  // rounding: 1
  const auto m = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::floor(n / deff)));
  const RankInterval r = order_statistic_ranks(m, p, confidence);
  const double scale = n / static_cast<double>(m);
  const std::uint64_t lower =
      r.lower == 0
          ? 0
          : std::min(rank,
                     static_cast<std::uint64_t>(std::floor(static_cast<double>(r.lower) * scale)));
  const std::uint64_t upper =
      r.upper > m ? n_ + 1
                  : std::clamp<std::uint64_t>(
                        static_cast<std::uint64_t>(std::ceil(static_cast<double>(r.upper) * scale)),
                        rank, n_);
  return from_ranks(p, lower, upper, r.coverage, lower_bound, held.values);
}

}  // namespace relsim::analysis
