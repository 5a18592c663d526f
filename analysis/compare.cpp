#include "analysis/compare.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace relsim::analysis {

PairedComparison compare_paired(std::span<const double> baseline, std::span<const double> variant,
                                double confidence) {
  if (baseline.size() != variant.size()) {
    throw std::invalid_argument("compare_paired: the runs have different trial counts");
  }
  MeanAccumulator b, v, d;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    b.add(baseline[i]);
    v.add(variant[i]);
    d.add(variant[i] - baseline[i]);
  }
  PairedComparison out;
  out.baseline = b.interval(confidence);
  out.variant = v.interval(confidence);
  out.difference = d.interval(confidence);

  const double n = static_cast<double>(baseline.size());
  const double sb = b.variance() / n;
  const double sv = v.variance() / n;
  const double se = std::sqrt(sb + sv);
  if (se > 0.0) {
    // Welch–Satterthwaite degrees of freedom.
    const double dof = (sb + sv) * (sb + sv) / (sb * sb / (n - 1.0) + sv * sv / (n - 1.0));
    out.unpaired_half_width = student_t_quantile(0.5 + confidence / 2.0, dof) * se;
  } else {
    out.unpaired_half_width = baseline.size() >= 2 ? 0.0 : std::numeric_limits<double>::infinity();
  }
  const double unpaired = b.variance() + v.variance();
  const double paired = d.variance();
  out.variance_reduction = paired > 0.0     ? unpaired / paired
                           : unpaired > 0.0 ? std::numeric_limits<double>::infinity()
                                            : std::numeric_limits<double>::quiet_NaN();
  return out;
}

LocalLinearFit fit_local_linear(const std::vector<double>& design, std::size_t parameters,
                                const std::vector<std::vector<double>>& responses,
                                double confidence) {
  const std::size_t points = responses.size();
  if (design.size() != points * parameters) {
    throw std::invalid_argument("fit_local_linear: design and responses disagree in size");
  }
  if (points < parameters + 1) {
    throw std::invalid_argument("fit_local_linear: fewer design points than coefficients");
  }
  const std::size_t trials = points > 0 ? responses[0].size() : 0;
  for (const auto& r : responses) {
    if (r.size() != trials) throw std::invalid_argument("fit_local_linear: unequal trial counts");
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(parameters + 1));
  for (std::size_t i = 0; i < points; ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    x(row, 0) = 1.0;
    for (std::size_t p = 0; p < parameters; ++p) {
      x(row, static_cast<Eigen::Index>(p + 1)) = design[i * parameters + p];
    }
  }
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
  if (qr.rank() < static_cast<Eigen::Index>(parameters + 1)) {
    throw std::invalid_argument(
        "fit_local_linear: the design does not separate the parameters (rank deficient)");
  }
  // The least-squares map from responses to coefficients, applied trial by trial.
  const Eigen::MatrixXd map = qr.solve(Eigen::MatrixXd::Identity(
      static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(points)));
  std::vector<MeanAccumulator> acc(parameters + 1);
  Eigen::VectorXd y(static_cast<Eigen::Index>(points));
  for (std::size_t t = 0; t < trials; ++t) {
    for (std::size_t i = 0; i < points; ++i) y(static_cast<Eigen::Index>(i)) = responses[i][t];
    const Eigen::VectorXd b = map * y;
    for (std::size_t p = 0; p <= parameters; ++p) acc[p].add(b(static_cast<Eigen::Index>(p)));
  }
  LocalLinearFit out;
  for (const auto& a : acc) out.coefficients.push_back(a.interval(confidence));
  return out;
}

}  // namespace relsim::analysis
