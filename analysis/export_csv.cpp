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

std::string join_header(const std::vector<std::string>& columns) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + csv_field(columns[i]);
  return out + "\n";
}

}  // namespace

std::string file_safe(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) c = '_';
  }
  return out;
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
  trials_.open(dir + "/trials.csv", std::ios::binary | std::ios::trunc);
  trials_ << join_header(layout_.columns());
  check(trials_, "trials.csv");
  incidents_.open(dir + "/incidents.csv", std::ios::binary | std::ios::trunc);
  incidents_ << "trial,id,service,service_name,cause,cause_name,cause_index,severity,start_s,"
                "detected_s,paged_s,acked_s,mitigated_s,resolved_s,escalations,team,team_name,"
                "steps_tried,requests_failed,budget_consumed,human_needed\n";
  check(incidents_, "incidents.csv");
  for (std::size_t k = 0; k < layout_.slos.size(); ++k) {
    budget_files_.push_back("budget_" + slo_file_name(k) + ".csv");
    budget_.emplace_back(dir + "/" + budget_files_.back(), std::ios::binary | std::ios::trunc);
    budget_.back() << "trial,sample,time_s,remaining_budget\n";
    check(budget_.back(), budget_files_.back());
  }
}

std::string CsvResultsWriter::slo_file_name(std::size_t k) const {
  // Two names that differ only in unsafe characters get the later one's index.
  const std::string safe = file_safe(layout_.slos[k]);
  for (std::size_t i = 0; i < k; ++i) {
    if (file_safe(layout_.slos[i]) == safe) return safe + "_" + std::to_string(k);
  }
  return safe;
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
            std::to_string(r.incidents) + "," + std::to_string(r.pages);
    for (const auto& s : r.slos) {
      text += "," + csv_number(s.good) + "," + csv_number(s.total) + "," +
              csv_number(s.attainment) + "," + (s.met ? "1" : "0") + "," +
              csv_number(s.budget_consumed) + "," + csv_number(s.budget_minutes);
      for (const double t : s.tier_reached_s) text += "," + csv_number(t);
    }
    for (const auto& v : r.services) {
      text +=
          "," + csv_number(v.good) + "," + csv_number(v.total) + "," + csv_number(v.availability);
    }
    for (const auto& t : r.teams) {
      text += "," + std::to_string(t.pages) + "," + std::to_string(t.pages_at_night) + "," +
              std::to_string(t.noise_pages) + "," + std::to_string(t.tickets) + "," +
              csv_number(t.shifts);
    }
    text += "\n";
  }
  trials_ << text;
  check(trials_, "trials.csv");

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
           std::to_string(i.escalations) + "," + std::to_string(i.team) + "," +
           name_of(model_.names.teams, i.team) + "," + std::to_string(i.steps_tried) + "," +
           csv_number(i.requests_failed) + "," + csv_number(i.budget_consumed) + "," +
           std::to_string(i.human_needed) + "\n";
  }
  incidents_ << inc;
  check(incidents_, "incidents.csv");

  const std::uint64_t n = block.rows.size();
  const std::uint64_t keep = rows_ < kCsvBudgetTrials ? std::min(n, kCsvBudgetTrials - rows_) : 0;
  for (std::size_t s = 0; s < budget_.size() && keep > 0; ++s) {
    const std::size_t length = n ? block.series[s].size() / n : 0;
    const SloWindow w = slo_window(model_, static_cast<models::Index>(s));
    const sim::Duration step = models::budget_series_step(w.length);
    const sim::Duration end = w.start + w.length;
    std::string b;
    for (std::uint64_t i = 0; i < keep; ++i) {
      const std::string trial = std::to_string(block.rows[i].trial) + ",";
      for (std::size_t j = 0; j < length; ++j) {
        const auto t = std::min(w.start + step * static_cast<std::int64_t>(j), end);
        b += trial + std::to_string(j) + "," + shortest(t.to_seconds()) + "," +
             shortest_sample(static_cast<double>(block.series[s][i * length + j])) + "\n";
      }
    }
    budget_[s] << b;
    check(budget_[s], budget_files_[s]);
  }
  rows_ += n;
}

void CsvResultsWriter::finish(const RunSummary& summary, const RunMeta& meta) {
  auto write = [&](const std::string& file, const std::string& text) {
    std::ofstream out(dir_ + "/" + file, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    check(out, file);
  };
  std::string s = "figure,estimate,low,high,confidence,method,unit,n\n";
  for (const auto& f : summary_figures(model_, summary)) {
    s += csv_field(f.figure) + "," + csv_number(f.estimate) + "," + csv_number(f.low) + "," +
         csv_number(f.high) + "," + csv_number(f.confidence) + "," + f.method + "," + f.unit + "," +
         std::to_string(f.n) + "\n";
  }
  write("summary.csv", s);
  for (std::size_t k = 0; k < summary.slos.size(); ++k) {
    const auto& rb = summary.slos[k].remaining_budget;
    const auto end = summary.slos[k].window.start + summary.slos[k].window.length;
    std::string e = "sample,time_s,mean,p05,p95\n";
    for (std::size_t j = 0; j < rb.mean.size(); ++j) {
      const auto t = std::min(rb.start + rb.step * static_cast<std::int64_t>(j), end);
      e += std::to_string(j) + "," + shortest(t.to_seconds()) + "," + csv_number(rb.mean[j]) + "," +
           csv_number(rb.p05[j]) + "," + csv_number(rb.p95[j]) + "\n";
    }
    write("envelope_" + slo_file_name(k) + ".csv", e);
  }
  write("meta.json", meta_json(meta, 0) + "\n");
  trials_.close();
  check(trials_, "trials.csv");
  incidents_.close();
  check(incidents_, "incidents.csv");
  for (std::size_t k = 0; k < budget_.size(); ++k) {
    budget_[k].close();
    check(budget_[k], budget_files_[k]);
  }
}

}  // namespace relsim::analysis
