// Proportional-hazards biasing of the failure processes (failure_bias.hpp).
#include "models/failure_bias.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace relsim::models {

void FailureBias::configure(const CompiledModel& model, std::vector<double> theta) {
  const std::size_t rows = model.failures.size();
  if (theta.size() == rows) {  // both classes alike
    std::vector<double> both(rows * kBiasClasses);
    for (std::size_t j = 0; j < rows; ++j)
      for (int c = 0; c < kBiasClasses; ++c) both[j * kBiasClasses + c] = theta[j];
    theta = std::move(both);
  }
  if (theta.size() != rows * kBiasClasses) {
    throw std::invalid_argument("failure bias: " + std::to_string(theta.size()) + " factors for " +
                                std::to_string(rows) + " failure processes");
  }
  for (std::size_t i = 0; i < theta.size(); ++i) {
    if (!(theta[i] > 0.0) || !std::isfinite(theta[i])) {
      throw std::invalid_argument("failure bias: factor " + std::to_string(theta[i]) +
                                  " of failure process " + std::to_string(i / kBiasClasses) +
                                  " is not a positive number");
    }
    if (!model.failures[i / kBiasClasses].every.has_hazard()) theta[i] = 1.0;
  }
  // Tallies (failures and exposure) are kept whenever a bias is configured,
  // also at θ = 1: the cross-entropy pilot's first stage is nominal.
  model_ = &model;
  active_ = true;
  theta_ = std::move(theta);
  log_theta_.resize(theta_.size());
  for (std::size_t i = 0; i < theta_.size(); ++i) log_theta_[i] = std::log(theta_[i]);
  clocks_.assign(model.failure_streams.size(), Clock{});
  open_.clear();
  open_.reserve(clocks_.size());
  tally_.failures.assign(theta_.size(), 0.0);
  tally_.exposure.assign(theta_.size(), 0.0);
  tally_.log_lr = 0.0;
}

void FailureBias::clear() {
  active_ = false;
  model_ = nullptr;
  theta_.clear();
  log_theta_.clear();
  clocks_.clear();
  open_.clear();
  tally_ = BiasTally{};
}

void FailureBias::reset() {
  if (!active_) return;
  for (const Index c : open_) clocks_[c] = Clock{};
  open_.clear();
  std::fill(tally_.failures.begin(), tally_.failures.end(), 0.0);
  std::fill(tally_.exposure.begin(), tally_.exposure.end(), 0.0);
  tally_.log_lr = 0.0;
}

namespace {

/// The age at which the nominal cumulative hazard of `d` is y.
double age_at(const sim::Distribution& d, double y) {
  return d.has_hazard() ? d.inverse_cumulative_hazard(y) : y;
}

}  // namespace

double FailureBias::biased(const FailureRow& fr, Index row, Index clock, double x0,
                           sim::Duration now, int cls) {
  const sim::Distribution& d = fr.every;
  const double theta = theta_[row * kBiasClasses + cls];
  Clock& c = clocks_[clock];
  if (!c.listed) {
    c.listed = true;
    open_.push_back(clock);
  }
  c.row = row;
  c.cls = cls;
  c.start = now;
  c.spent = 0.0;
  c.seg_h = 0.0;
  if (!d.has_hazard()) {  // never biased: no hazard to keep
    c.target = 0.0;
    c.x = x0;
    return x0;
  }
  if (d.kind() == sim::DistributionKind::exponential) {
    c.target = x0 / d.mean();
    c.x = theta == 1.0 ? x0 : x0 / theta;  // as below, without rounding
  } else {
    c.target = d.cumulative_hazard(x0);
    c.x = theta == 1.0 ? x0 : age_at(d, c.target / theta);
  }
  return c.x;
}

void FailureBias::end_segment(Index clock, double h) {
  Clock& c = clocks_[clock];
  const std::size_t k = c.row * kBiasClasses + static_cast<std::size_t>(c.cls);
  const double dh = std::max(0.0, h - c.seg_h);
  c.spent += theta_[k] * dh;
  tally_.exposure[k] += dh;
  tally_.log_lr += (theta_[k] - 1.0) * dh;
  c.seg_h = std::max(h, c.seg_h);
}

std::optional<sim::Duration> FailureBias::rebias(Index clock, int cls, sim::Duration now) {
  if (!active_) return std::nullopt;
  Clock& c = clocks_[clock];
  if (c.row == kNoIndex) return std::nullopt;
  const sim::Distribution& d = model_->failures[c.row].every;
  if (!d.has_hazard() || c.cls == cls) return c.start + sim::Duration::from_seconds(c.x);
  const double age = std::min(c.x, (now - c.start).to_seconds());
  end_segment(clock, d.cumulative_hazard(std::max(age, 0.0)));
  c.cls = cls;
  const double theta = theta_[c.row * kBiasClasses + static_cast<std::size_t>(cls)];
  const double remaining = std::max(0.0, c.target - c.spent);
  c.x = std::max(age, age_at(d, c.seg_h + remaining / theta));
  return c.start + sim::Duration::from_seconds(c.x);
}

void FailureBias::close(Index clock, bool fired, sim::Duration now) {
  Clock& c = clocks_[clock];
  if (c.row == kNoIndex) return;
  const sim::Distribution& d = model_->failures[c.row].every;
  const std::size_t k = c.row * kBiasClasses + static_cast<std::size_t>(c.cls);
  if (d.has_hazard()) {
    const double age = fired ? c.x : std::min(c.x, (now - c.start).to_seconds());
    end_segment(clock, d.cumulative_hazard(std::max(age, 0.0)));
  }
  if (fired) {
    tally_.failures[k] += 1.0;
    tally_.log_lr -= log_theta_[k];
  }
  c.row = kNoIndex;
}

void FailureBias::finish(sim::Duration horizon) {
  if (!active_) return;
  for (const Index c : open_) close(c, false, horizon);
}

}  // namespace relsim::models
