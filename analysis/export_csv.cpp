// The CSV export (see export_csv.hpp and docs/export.md).
#include "analysis/export_csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "analysis/summary_figures.hpp"
#include "analysis/text_format.hpp"
#include "models/slo_ledger.hpp"

namespace relsim::analysis {

namespace {

std::string csv_value(double v) { return csv_number(v); }
std::string csv_value(bool v) { return v ? "1" : "0"; }
std::string csv_value(std::uint32_t v) { return std::to_string(v); }

/// Text is written in pieces of about this size, so a block of a big system
/// never becomes one string of every row.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

}  // namespace

std::string csv_header(const TrialLayout& layout, const std::string& file) {
  std::string out;
  auto field = [&](const std::string& name, auto) { out += "," + csv_field(name); };
  if (file == "trials.csv") return "trial,events,incidents,pages,deploys";
  if (file == "slos.csv") {
    out = "trial,slo";
    for_each_slo_field(layout, field);
    return out;
  }
  if (file == "services.csv") {
    out = "trial,service";
    for_each_service_field(field);
    return out;
  }
  if (file == "teams.csv") {
    out = "trial,team";
    for_each_team_field(field);
    return out;
  }
  if (file == "incidents.csv") {
    return "trial,id,service,service_name,cause,cause_name,cause_index,severity,start_s,"
           "detected_s,paged_s,acked_s,mitigated_s,resolved_s,responding_s,escalations,team,team_"
           "name,"
           "steps_tried,requests_failed,budget_consumed,human_needed,cause_component,cause_"
           "component_name,cause_zone,cause_zone_name,runbook,runbook_name,impacts,slo_costs";
  }
  if (file == "incident_services.csv") {
    return "trial,incident,service,service_name,impaired_s,recovered_s,requests_failed";
  }
  if (file == "incident_slos.csv")
    return "trial,incident,slo,slo_name,bad_requests,budget_consumed";
  if (file == "budget.csv") return "trial,slo,sample,time_s,remaining_budget";
  if (file == "envelope.csv") return "slo,sample,time_s,mean,p05,p95";
  if (file == "summary.csv") return "figure,estimate,low,high,confidence,method,unit,n";
  throw std::invalid_argument("no CSV file '" + file + "' in a results directory");
}

CsvResultsWriter::CsvResultsWriter(const std::string& dir, const models::CompiledModel& model)
    : dir_(dir), model_(model), layout_(trial_layout(model)) {
  std::error_code ec;
  // The directory may exist already, empty: the unique temporary that
  // analysis::AtomicFile made for it.
  const bool made = std::filesystem::create_directory(dir, ec);
  if (ec || (!made && !std::filesystem::is_empty(dir, ec))) {
    throw std::runtime_error("cannot write '" + dir +
                             "': " + (ec ? ec.message() : std::string("it already exists")));
  }
  open(trials_, "trials.csv", csv_header(layout_, "trials.csv"));
  open(slos_, "slos.csv", csv_header(layout_, "slos.csv"));
  open(services_, "services.csv", csv_header(layout_, "services.csv"));
  open(teams_, "teams.csv", csv_header(layout_, "teams.csv"));
  open(incidents_, "incidents.csv", csv_header(layout_, "incidents.csv"));
  open(impacts_, "incident_services.csv", csv_header(layout_, "incident_services.csv"));
  open(incident_slos_, "incident_slos.csv", csv_header(layout_, "incident_slos.csv"));
  open(budget_, "budget.csv", csv_header(layout_, "budget.csv"));
}

void CsvResultsWriter::open(std::ofstream& out, const std::string& file,
                            const std::string& header) {
  out.open(dir_ + "/" + file, std::ios::binary | std::ios::trunc);
  out << header << "\n";
  check(out, file);
}

void CsvResultsWriter::check(std::ofstream& out, const std::string& file) {
  if (!out) {
    throw std::runtime_error("cannot write '" + dir_ + "/" + file + "': " + std::strerror(errno));
  }
}

void CsvResultsWriter::append(const TrialBlock& block) {
  std::string text;
  for (const auto& r : block.rows) {
    text += std::to_string(r.trial) + "," + std::to_string(r.events) + "," +
            std::to_string(r.incidents) + "," + std::to_string(r.pages) + "," +
            std::to_string(r.deploys) + "\n";
  }
  trials_ << text;
  check(trials_, "trials.csv");
  // One row per trial and entity, `trial,name,figures...` (the long form).
  auto entity_rows = [&](std::ofstream& out, const char* file,
                         const std::vector<std::string>& names, auto member,
                         auto&& for_each_field) {
    std::string t;
    for (const auto& r : block.rows) {
      const std::string trial = std::to_string(r.trial) + ",";
      const auto& entities = r.*member;
      for (std::size_t j = 0; j < entities.size(); ++j) {
        t += trial + csv_field(names[j]);
        for_each_field(
            [&](const std::string&, auto field) { t += "," + csv_value(field(entities[j])); });
        t += "\n";
      }
      if (t.size() > kFlushBytes) {
        out << t;
        t.clear();
      }
    }
    out << t;
    check(out, file);
  };
  entity_rows(slos_, "slos.csv", layout_.slos, &TrialRow::slos,
              [&](auto&& visit) { for_each_slo_field(layout_, visit); });
  entity_rows(services_, "services.csv", layout_.services, &TrialRow::services,
              [&](auto&& visit) { for_each_service_field(visit); });
  entity_rows(teams_, "teams.csv", layout_.teams, &TrialRow::teams,
              [&](auto&& visit) { for_each_team_field(visit); });

  std::string inc;
  auto name_of = [](const std::vector<std::string>& names, std::uint32_t i) {
    return i < names.size() ? csv_field(names[i]) : std::string();
  };
  for (const auto& i : block.incidents) {
    inc += std::to_string(i.trial) + "," + std::to_string(i.id) + "," + std::to_string(i.service) +
           "," + name_of(model_.names.components, i.service) + "," + std::to_string(i.cause) + "," +
           incident_cause_name(i.cause) + "," + std::to_string(i.cause_index) + "," +
           std::to_string(i.severity) + "," + csv_number(i.start_s) + "," +
           csv_number(i.detected_s) + "," + csv_number(i.paged_s) + "," + csv_number(i.acked_s) +
           "," + csv_number(i.mitigated_s) + "," + csv_number(i.resolved_s) + "," +
           csv_number(i.responding_s) + "," + std::to_string(i.escalations) + "," +
           std::to_string(i.team) + "," + name_of(model_.names.teams, i.team) + "," +
           std::to_string(i.steps_tried) + "," + csv_number(i.requests_failed) + "," +
           csv_number(i.budget_consumed) + "," + std::to_string(i.human_needed) + "," +
           std::to_string(i.cause_component) + "," +
           name_of(model_.names.components, i.cause_component) + "," +
           std::to_string(i.cause_zone) + "," + name_of(model_.names.zones, i.cause_zone) + "," +
           std::to_string(i.runbook) + "," + name_of(model_.names.runbooks, i.runbook) + "," +
           std::to_string(i.impacts) + "," + std::to_string(i.slo_costs) + "\n";
  }
  incidents_ << inc;
  check(incidents_, "incidents.csv");
  std::string imp;
  for (const auto& v : block.impacts) {
    imp += std::to_string(v.trial) + "," + std::to_string(v.incident) + "," +
           std::to_string(v.service) + "," + name_of(model_.names.components, v.service) + "," +
           csv_number(v.impaired_s) + "," + csv_number(v.recovered_s) + "," +
           csv_number(v.requests_failed) + "\n";
  }
  impacts_ << imp;
  check(impacts_, "incident_services.csv");
  std::string cost;
  for (const auto& c : block.incident_slos) {
    cost += std::to_string(c.trial) + "," + std::to_string(c.incident) + "," +
            std::to_string(c.slo) + "," + name_of(model_.names.slos, c.slo) + "," +
            csv_number(c.bad_requests) + "," + csv_number(c.budget_consumed) + "\n";
  }
  incident_slos_ << cost;
  check(incident_slos_, "incident_slos.csv");

  const std::uint64_t n = block.rows.size();
  const std::uint64_t keep = rows_ < kCsvBudgetTrials ? std::min(n, kCsvBudgetTrials - rows_) : 0;
  std::string b;
  for (std::uint64_t i = 0; i < keep; ++i) {
    const std::string trial = std::to_string(block.rows[i].trial) + ",";
    for (std::size_t s = 0; s < layout_.slos.size(); ++s) {
      const std::size_t length = block.series[s].size() / n;
      const SloWindow w = slo_window(model_, static_cast<models::Index>(s));
      const sim::Duration step = models::budget_series_step(w.length);
      const sim::Duration end = w.start + w.length;
      const std::string prefix = trial + csv_field(layout_.slos[s]) + ",";
      for (std::size_t j = 0; j < length; ++j) {
        const auto t = std::min(w.start + step * static_cast<std::int64_t>(j), end);
        b += prefix + std::to_string(j) + "," + shortest(t.to_seconds()) + "," +
             shortest_sample(static_cast<double>(block.series[s][i * length + j])) + "\n";
      }
      if (b.size() > kFlushBytes) {
        budget_ << b;
        b.clear();
      }
    }
  }
  budget_ << b;
  check(budget_, "budget.csv");
  rows_ += n;
}

void CsvResultsWriter::finish(const RunSummary& summary, const RunMeta& meta) {
  auto write = [&](const std::string& file, const std::string& text) {
    std::ofstream out(dir_ + "/" + file, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    check(out, file);
  };
  std::string s = csv_header(layout_, "summary.csv") + "\n";
  for (const auto& f : summary_figures(model_, summary)) {
    s += csv_field(f.figure) + "," + csv_number(f.estimate) + "," + csv_number(f.low) + "," +
         csv_number(f.high) + "," + csv_number(f.confidence) + "," + f.method + "," + f.unit + "," +
         std::to_string(f.n) + "\n";
  }
  write("summary.csv", s);
  std::string e = csv_header(layout_, "envelope.csv") + "\n";
  for (std::size_t k = 0; k < summary.slos.size(); ++k) {
    const auto& rb = summary.slos[k].remaining_budget;
    const auto end = summary.slos[k].window.start + summary.slos[k].window.length;
    const std::string slo = csv_field(layout_.slos[k]) + ",";
    for (std::size_t j = 0; j < rb.mean.size(); ++j) {
      const auto t = std::min(rb.start + rb.step * static_cast<std::int64_t>(j), end);
      e += slo + std::to_string(j) + "," + shortest(t.to_seconds()) + "," + csv_number(rb.mean[j]) +
           "," + csv_number(rb.p05[j]) + "," + csv_number(rb.p95[j]) + "\n";
    }
  }
  write("envelope.csv", e);
  write("meta.json", meta_json(meta));
  const std::pair<std::ofstream*, const char*> files[] = {{&trials_, "trials.csv"},
                                                          {&slos_, "slos.csv"},
                                                          {&services_, "services.csv"},
                                                          {&teams_, "teams.csv"},
                                                          {&incidents_, "incidents.csv"},
                                                          {&budget_, "budget.csv"},
                                                          {&impacts_, "incident_services.csv"},
                                                          {&incident_slos_, "incident_slos.csv"}};
  for (const auto& [out, file] : files) {
    out->close();
    check(*out, file);
  }
}

}  // namespace relsim::analysis
