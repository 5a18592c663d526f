#include "sim/machine_repair.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace relsim::sim {

MachineRepairModel::MachineRepairModel(MachineRepairParams params) : p_(std::move(params)) {
  failure_rng_.reserve(p_.machines);
  repair_rng_.reserve(p_.machines);
  waiting_.reserve(p_.machines);
}

MachineRepairResult MachineRepairModel::run_trial(std::uint64_t seed) {
  sim_.reset(seed, p_.machines + 1);  // one target per machine + the warm-up marker
  failure_rng_.clear();
  repair_rng_.clear();
  for (std::uint32_t i = 0; i < p_.machines; ++i) {
    const std::string name = "machine-" + std::to_string(i);
    failure_rng_.push_back(sim_.stream(stream_id(name + "/failures")));
    repair_rng_.push_back(sim_.stream(stream_id(name + "/repairs")));
  }
  waiting_.clear();
  waiting_head_ = 0;
  up_ = p_.machines;
  busy_crews_ = 0;
  failures_ = 0;
  up_integral_ = queue_integral_ = 0.0;
  measuring_ = p_.warmup <= Duration::zero();
  last_change_ = Time::zero();

  for (std::uint32_t i = 0; i < p_.machines; ++i) {
    const double ttf = p_.time_to_failure.sample(failure_rng_[i]);
    sim_.schedule_in(Duration::from_seconds(ttf), static_cast<std::uint16_t>(Kind::failure), i);
  }
  if (!measuring_)
    sim_.schedule_at(Time::at(p_.warmup), static_cast<std::uint16_t>(Kind::warmup_end),
                     p_.machines);
  const Time horizon = Time::at(p_.horizon);
  sim_.run_until(horizon, *this);
  accumulate(horizon);

  MachineRepairResult r;
  const double span = (p_.horizon - std::min(p_.warmup, p_.horizon)).to_seconds();
  if (span > 0) {
    r.availability = up_integral_ / (span * p_.machines);
    r.mean_queue = queue_integral_ / span;
  }
  r.failures = failures_;
  r.events = sim_.events_processed();
  return r;
}

void MachineRepairModel::accumulate(Time now) {
  if (measuring_) {
    const double dt = (now - last_change_).to_seconds();
    up_integral_ += dt * up_;
    queue_integral_ += dt * static_cast<double>(waiting_.size() - waiting_head_);
  }
  last_change_ = now;
}

void MachineRepairModel::start_repair(std::uint32_t machine, Simulation& sim) {
  ++busy_crews_;
  const double rt = p_.repair_time.sample(repair_rng_[machine]);
  sim.schedule_in(Duration::from_seconds(rt), static_cast<std::uint16_t>(Kind::repair_done),
                  machine);
}

void MachineRepairModel::handle(const Event& e, Simulation& sim) {
  accumulate(sim.now());
  switch (static_cast<Kind>(e.kind())) {
    case Kind::failure:
      --up_;
      if (measuring_) ++failures_;
      if (busy_crews_ < p_.crews) {
        start_repair(e.target, sim);
      } else {
        waiting_.push_back(e.target);
      }
      break;
    case Kind::repair_done: {
      ++up_;
      --busy_crews_;
      const double ttf = p_.time_to_failure.sample(failure_rng_[e.target]);
      sim.schedule_in(Duration::from_seconds(ttf), static_cast<std::uint16_t>(Kind::failure),
                      e.target);
      if (waiting_head_ < waiting_.size()) {
        start_repair(waiting_[waiting_head_++], sim);
        if (waiting_head_ == waiting_.size()) {
          waiting_.clear();
          waiting_head_ = 0;
        }
      }
      break;
    }
    case Kind::warmup_end:
      measuring_ = true;
      break;
  }
}

MachineRepairExact machine_repair_exact(std::uint32_t machines, std::uint32_t crews,
                                        double mean_time_to_failure, double mean_repair_time) {
  // pi[k]: stationary probability of k machines down. Birth rate (n-k)/mttf,
  // death rate min(k, c)/mttr.
  std::vector<double> pi(machines + 1, 0.0);
  pi[0] = 1.0;
  double total = 1.0;
  for (std::uint32_t k = 1; k <= machines; ++k) {
    const double birth = (machines - k + 1) / mean_time_to_failure;
    const double death = std::min(k, crews) / mean_repair_time;
    pi[k] = pi[k - 1] * birth / death;
    total += pi[k];
  }
  double up = 0.0, queue = 0.0;
  for (std::uint32_t k = 0; k <= machines; ++k) {
    pi[k] /= total;
    up += pi[k] * (machines - k);
    queue += pi[k] * (k > crews ? k - crews : 0);
  }
  return {up / machines, queue};
}

}  // namespace relsim::sim
