// Proportional-hazards biasing of the failure processes (failure_bias.hpp).
#include "models/failure_bias.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace relsim::models {

void FailureBias::configure(const CompiledModel& model, std::vector<double> theta) {
  if (theta.size() != model.failures.size()) {
    throw std::invalid_argument("failure bias: " + std::to_string(theta.size()) + " factors for " +
                                std::to_string(model.failures.size()) + " failure processes");
  }
  model_ = &model;
  active_ = false;
  for (std::size_t j = 0; j < theta.size(); ++j) {
    if (!(theta[j] > 0.0) || !std::isfinite(theta[j])) {
      throw std::invalid_argument("failure bias: factor " + std::to_string(theta[j]) +
                                  " of failure process " + std::to_string(j) +
                                  " is not a positive number");
    }
    if (!model.failures[j].every.has_hazard()) theta[j] = 1.0;
  }
  // Tallies (failures and exposure) are kept whenever a bias is configured,
  // also at θ = 1: the cross-entropy pilot's first stage is nominal.
  active_ = true;
  theta_ = std::move(theta);
  log_theta_.resize(theta_.size());
  for (std::size_t j = 0; j < theta_.size(); ++j) log_theta_[j] = std::log(theta_[j]);
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

double FailureBias::biased(const FailureRow& fr, Index row, Index clock, double x0,
                           sim::Duration now) {
  const double theta = theta_[row];
  double x = x0;
  if (theta != 1.0) {
    if (fr.every.kind() == sim::DistributionKind::exponential) {
      x = x0 / theta;  // H(x) = x / mean: the same as below, without rounding
    } else {
      x = fr.every.inverse_cumulative_hazard(fr.every.cumulative_hazard(x0) / theta);
    }
  }
  Clock& c = clocks_[clock];
  if (!c.listed) {
    c.listed = true;
    open_.push_back(clock);
  }
  c.row = row;
  c.start = now;
  c.x = x;
  return x;
}

void FailureBias::close(Index clock, bool fired, sim::Duration now) {
  Clock& c = clocks_[clock];
  if (c.row == kNoIndex) return;
  const Index row = c.row;
  c.row = kNoIndex;
  const sim::Distribution& d = model_->failures[row].every;
  const bool hazard = d.has_hazard();
  const double at = fired ? c.x : std::min(c.x, (now - c.start).to_seconds());
  const double h = hazard ? d.cumulative_hazard(std::max(at, 0.0)) : 0.0;
  if (fired) {
    tally_.failures[row] += 1.0;
    tally_.log_lr -= log_theta_[row];
  }
  tally_.exposure[row] += h;
  tally_.log_lr += (theta_[row] - 1.0) * h;
}

void FailureBias::finish(sim::Duration horizon) {
  if (!active_) return;
  for (const Index c : open_) close(c, false, horizon);
}

}  // namespace relsim::models
