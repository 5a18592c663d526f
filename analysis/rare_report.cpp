// The report of a rare-event run (see rare_report.hpp).
#include "analysis/rare_report.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "analysis/format.hpp"
#include "analysis/text_format.hpp"
#include "models/failure_bias.hpp"

namespace relsim::analysis {

namespace {

std::string sci(double v) { return std::isfinite(v) ? printf_text("%.3g", v) : "n/a"; }

std::string fixed1(double v) { return printf_text("%.1f", v); }

}  // namespace

// ---------------------------------------------------------------- output

std::string rare_text(const models::CompiledModel& m, const RareOutcome& o,
                      const std::string& scenario_file) {
  const RareEstimate& e = o.estimate;
  std::string out;
  out += "Scenario: " + m.names.scenario + " (" + scenario_file + ")\n";
  out += "Rare event: " + o.target.description + "\n";
  out +=
      "Method: importance sampling, proportional-hazards failure biasing (docs/results.md, "
      "\"Rare events\")\n";
  out += "Seed " + std::to_string(o.master_seed) + ", " + std::to_string(e.trials) + " trials";
  if (o.shard.count > 1) {
    out += " (shard " + std::to_string(o.shard.index) + "/" + std::to_string(o.shard.count) +
           " of " + std::to_string(o.total_trials) + ")";
  }
  out += ", " + std::to_string(o.timing.threads) + " thread" + (o.timing.threads == 1 ? "" : "s") +
         ", pilot " + std::to_string(o.plan.pilot_trials) + " trials in " +
         std::to_string(o.plan.stages.size()) + " stage" + (o.plan.stages.size() == 1 ? "" : "s") +
         "\n\n";
  const std::string conf = shortest(e.confidence * 100.0) + " %";
  out += "  estimate             " + sci(e.estimate) + "  [" + sci(e.low) + ", " + sci(e.high) +
         "] at " + conf;
  if (std::isfinite(e.relative_half_width)) {
    out += " (relative half-width " + fixed1(100.0 * e.relative_half_width) + " %)";
  }
  out += "\n";
  out +=
      "  trials that hit      " + std::to_string(e.hits) + " of " + std::to_string(e.trials) + "\n";
  out += "  effective samples    " + fixed1(e.ess) + " (of the hits' weights)\n";
  out += "  mean weight          " + sci(e.mean_weight) + " (1 expected)\n";
  if (std::isfinite(e.variance_ratio)) {
    out += "  variance ratio       " + sci(e.variance_ratio) + " (plain Monte Carlo would need ~" +
           sci(e.variance_ratio * static_cast<double>(e.trials)) + " trials for this interval)\n";
  }
  out += "  bias θ               ";
  const std::vector<std::string> names = failure_process_names(m);
  const std::vector<std::uint8_t> biasable = biasable_factors(m);
  bool first = true;
  for (std::size_t k = 0; k < o.plan.theta.size(); ++k) {
    if (!biasable[k]) continue;
    out += std::string(first ? "" : "\n                       ") + names[k / models::kBiasClasses] +
           (k % models::kBiasClasses == models::kBiasDegraded ? " (degraded)" : "") + " ×" +
           sci(o.plan.theta[k]);
    first = false;
  }
  if (first) out += "none";
  out += "\n";
  for (const std::string& w : e.warnings) out += "warning: " + w + "\n";
  char timing[96];
  std::snprintf(timing, sizeof timing, "\nWall time: pilot %.2f s, trials %.2f s\n",
                o.pilot_seconds, o.timing.wall_seconds);
  out += timing;
  return out;
}

models::JsonNode rare_json(const models::CompiledModel& m, const RareOutcome& o) {
  using models::JsonNode;
  const RareEstimate& e = o.estimate;
  JsonNode r;
  r.set("target", o.target.spec);
  r.set("description", o.target.description);
  r.set("method", "importanceSampling");
  r.set("estimate", e.estimate);
  r.set("low", e.low);
  r.set("high", e.high);
  r.set("confidence", e.confidence);
  r.set("relativeHalfWidth", e.relative_half_width);
  r.set("trials", static_cast<std::int64_t>(e.trials));
  r.set("hits", static_cast<std::int64_t>(e.hits));
  r.set("effectiveSampleSize", e.ess);
  r.set("meanWeight", e.mean_weight);
  r.set("varianceRatio", e.variance_ratio);
  r.set("largestShare", e.largest_share);
  JsonNode::Array bias;
  const std::vector<std::string> names = failure_process_names(m);
  const std::vector<std::uint8_t> biasable = biasable_factors(m);
  for (std::size_t k = 0; k < o.plan.theta.size(); ++k) {
    if (!biasable[k]) continue;
    JsonNode b;
    b.set("process", names[k / models::kBiasClasses]);
    b.set("state", k % models::kBiasClasses == models::kBiasDegraded ? "degraded" : "up");
    b.set("theta", o.plan.theta[k]);
    bias.emplace_back(std::move(b));
  }
  r.set("bias", JsonNode(std::move(bias)));
  JsonNode pilot;
  pilot.set("trials", static_cast<std::int64_t>(o.plan.pilot_trials));
  pilot.set("reached", o.plan.reached);
  JsonNode::Array stages;
  for (const RareStage& s : o.plan.stages) {
    JsonNode st;
    st.set("level", s.level);
    st.set("elite", static_cast<std::int64_t>(s.elite));
    st.set("hits", static_cast<std::int64_t>(s.hits));
    st.set("boosted", s.boosted);
    st.set("meanTheta", s.mean_theta);
    stages.emplace_back(std::move(st));
  }
  pilot.set("stages", JsonNode(std::move(stages)));
  r.set("pilot", std::move(pilot));
  std::vector<std::string> warnings = e.warnings;
  r.set("warnings", JsonNode::strings(warnings));
  return r;
}

std::string rare_document_json(const models::CompiledModel& m, const RareOutcome& o,
                               const std::string& scenario_file) {
  using models::JsonNode;
  JsonNode doc;
  doc.set("scenario", m.names.scenario);
  doc.set("scenarioFile", scenario_file);
  doc.set("system", m.names.system);
  if (o.master_seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    doc.set("seed", static_cast<std::int64_t>(o.master_seed));
  } else {
    doc.set("seed", std::to_string(o.master_seed));
  }
  doc.set("trials", static_cast<std::int64_t>(o.total_trials));
  doc.set("firstTrial", static_cast<std::int64_t>(o.first_trial));
  doc.set("horizonSeconds", m.horizon.to_seconds());
  doc.set("rare", rare_json(m, o));
  JsonNode timing;
  timing.set("pilotSeconds", o.pilot_seconds);
  timing.set("wallSeconds", o.timing.wall_seconds);
  timing.set("threads", static_cast<std::int64_t>(o.timing.threads));
  doc.set("timing", std::move(timing));
  std::string out;
  doc.write(out);
  return out + "\n";
}

}  // namespace relsim::analysis
