#include "analysis/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace relsim::analysis {

using models::JsonNode;

namespace {

std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// JSON inside <script>: `</` would end the element.
std::string script_safe(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += json[i];
    }
  }
  return out;
}

/// Chart values must be finite: NaN and infinities become 0 (callers keep
/// them out; this only guards the page against a stray one).
JsonNode numbers(const std::vector<double>& v) {
  JsonNode::Array a;
  a.reserve(v.size());
  for (const double x : v) a.emplace_back(std::isfinite(x) ? x : 0.0);
  return a;
}

JsonNode axis(const std::string& title, bool begin_at_zero = false) {
  JsonNode t;
  t.set("display", true);
  t.set("text", title);
  JsonNode a;
  a.set("title", std::move(t));
  if (begin_at_zero) a.set("beginAtZero", true);
  return a;
}

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

constexpr const char* kStyle = R"CSS(
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 1.6rem; margin: 0 0 4px; }
header p { color: var(--muted); margin: 0 0 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px;
           font-size: 0.9rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
section { background: #fff; border: 1px solid var(--rule); border-radius: 8px; padding: 16px 20px;
          margin: 20px 0; break-inside: avoid-page; }
section h2 { font-size: 1.2rem; margin: 0 0 8px; }
section > p { margin: 0 0 12px; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; }
figure .frame { position: relative; height: 300px; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 6px; }
figcaption strong { color: var(--ink); display: block; font-size: 0.95rem; }
table { border-collapse: collapse; width: 100%; margin: 12px 0 0; font-size: 0.88rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 8px; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
th { color: var(--muted); font-weight: 600; }
#relsim-errors { background: #fde8e8; color: #8a1c1c; white-space: pre-wrap; padding: 8px; }
footer { color: var(--muted); font-size: 0.8rem; margin-top: 24px; }
@media (max-width: 700px) { .charts { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 12pt 0; }
  .charts { grid-template-columns: 1fr 1fr; }
  figure .frame { height: 220px; }
}
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  var errors = document.getElementById('relsim-errors');
  function fail(message) {
    errors.hidden = false;
    errors.textContent += message + '\n';
    document.body.setAttribute('data-errors', 'true');
  }
  window.addEventListener('error', function (e) { fail(String(e.message)); });
  try {
    var data = JSON.parse(document.getElementById('relsim-data').textContent);
    // What was drawn, for the browser test: each axis's tick labels and the legend.
    var drawn = { id: 'relsimDrawn', afterRender: function (chart) {
      var c = chart.canvas;
      Object.keys(chart.scales).forEach(function (id) {
        c.setAttribute('data-ticks-' + id, chart.scales[id].ticks.map(function (t) {
          return Array.isArray(t.label) ? t.label.join(' ') : String(t.label);
        }).join('|'));
      });
      Object.keys(chart.scales).forEach(function (id) {
        var s = chart.scales[id];
        if (s.relsimWidest === undefined) return;
        // Row labels end at the axis's right edge, less the tick padding.
        var start = s.right - s.options.ticks.padding - s.relsimWidest;
        c.setAttribute('data-labels-fit-' + id, start >= 0 ? 'true' : 'false');
      });
      if (chart.legend && chart.legend.legendItems) {
        c.setAttribute('data-legend', chart.legend.legendItems.map(function (l) {
          return l.text + '=' + l.fillStyle + '/' + l.strokeStyle;
        }).join('|'));
      }
      c.setAttribute('data-drawn', 'true');
    } };
    // A day axis (relsimDays): day 1 is the first day, its start at 1; a tick
    // at a whole day is the day's number, one within a day adds the time.
    // A label axis as wide as its widest label: Chart.js caps an axis's
    // width and would cut long row labels at the canvas's left edge.
    function fitLabels(scale) {
      var ctx = scale.ctx, font = Chart.helpers.toFont(scale.options.ticks.font), widest = 0;
      ctx.save();
      ctx.font = font.string;
      scale.ticks.forEach(function (t) {
        widest = Math.max(widest, ctx.measureText(String(t.label)).width);
      });
      ctx.restore();
      scale.width = Math.max(scale.width, widest + scale.options.ticks.padding + 16);
      scale.relsimWidest = widest;
    }
    function dayText(v) {
      var d = Math.floor(v + 1e-9), m = Math.round((v - d) * 1440);
      if (m >= 1440) { d += 1; m = 0; }
      if (m === 0) return String(d);
      var h = Math.floor(m / 60), mm = m % 60;
      return d + ' ' + (h < 10 ? '0' : '') + h + ':' + (mm < 10 ? '0' : '') + mm;
    }
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.responsive = true;
    // A timeline marker's tooltip names it (e.g. "bad deploy payment-api").
    var baseLabel = Chart.defaults.plugins.tooltip.callbacks.label;
    Chart.defaults.plugins.tooltip.callbacks.label = function (item) {
      if (item.raw && typeof item.raw === 'object' && item.raw.name) {
        var x = item.chart.options.scales.x;
        return item.raw.name + ' at ' + (x && x.relsimDays ? 'day ' + dayText(Number(item.raw.x))
                                                           : Number(item.raw.x).toPrecision(4));
      }
      return baseLabel.call(this, item);
    };
    var canvases = document.querySelectorAll('canvas[data-chart]');
    for (var i = 0; i < canvases.length; ++i) {
      var config = data.charts[Number(canvases[i].getAttribute('data-chart'))];
      config.plugins = [drawn];
      var scales = (config.options && config.options.scales) || {};
      Object.keys(scales).forEach(function (id) {
        if (scales[id].relsimDays) {
          scales[id].ticks = scales[id].ticks || {};
          scales[id].ticks.callback = dayText;
        }
        if (scales[id].relsimFitLabels) scales[id].afterFit = fitLabels;
      });
      new Chart(canvases[i], config);
    }
    document.body.setAttribute('data-rendered', 'true');
  } catch (e) {
    fail(String((e && e.stack) || e));
  }
})();
)JS";

}  // namespace

std::string read_chart_js(const std::string& default_path) {
  const char* env = std::getenv("RELSIM_CHART_JS");
  const std::string path = env != nullptr && *env != '\0' ? env : default_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(
        "the HTML report needs Chart.js at " + path +
        " (Debian package libjs-chart.js; scripts/install-deps.sh installs it)");
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string render_html(const Report& report, const std::string& chart_js) {
  JsonNode::Array charts;
  std::string body;
  for (const ReportSection& section : report.sections) {
    body += "<section>\n<h2>" + escape_html(section.title) + "</h2>\n";
    if (!section.text.empty()) body += "<p>" + escape_html(section.text) + "</p>\n";
    if (!section.charts.empty()) {
      body += "<div class=\"charts\">\n";
      for (const ReportChart& chart : section.charts) {
        body += "<figure><div class=\"frame\"><canvas data-chart=\"" +
                std::to_string(charts.size()) + "\" role=\"img\" aria-label=\"" +
                escape_html(chart.title) + "\"></canvas></div><figcaption><strong>" +
                escape_html(chart.title) + "</strong>" + escape_html(chart.caption) +
                "</figcaption></figure>\n";
        charts.push_back(chart.config);
      }
      body += "</div>\n";
    }
    for (const ReportTable& table : section.tables) {
      body += "<table>\n";
      if (!table.caption.empty()) body += "<caption>" + escape_html(table.caption) + "</caption>\n";
      body += "<thead><tr>";
      for (const std::string& h : table.header) body += "<th>" + escape_html(h) + "</th>";
      body += "</tr></thead>\n<tbody>\n";
      for (const auto& row : table.rows) {
        body += "<tr>";
        for (const std::string& cell : row) body += "<td>" + escape_html(cell) + "</td>";
        body += "</tr>\n";
      }
      body += "</tbody></table>\n";
    }
    body += "</section>\n";
  }
  JsonNode data;
  data.set("charts", std::move(charts));
  std::string json;
  data.write(json);

  std::string facts;
  for (const auto& [label, value] : report.facts) {
    facts += "<dt>" + escape_html(label) + "</dt><dd>" + escape_html(value) + "</dd>";
  }
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + escape_html(report.title) + "</title>\n<style>" + kStyle + "</style>\n";
  out += "</head>\n<body>\n<main>\n<header>\n<h1>" + escape_html(report.title) + "</h1>\n";
  if (!report.subtitle.empty()) out += "<p>" + escape_html(report.subtitle) + "</p>\n";
  if (!facts.empty()) out += "<dl class=\"facts\">" + facts + "</dl>\n";
  out += "</header>\n<div id=\"relsim-errors\" hidden></div>\n" + body;
  out +=
      "<footer>Made by relsim. Intervals are confidence intervals of the Monte Carlo "
      "estimate; see docs/results.md.</footer>\n</main>\n";
  out +=
      "<script type=\"application/json\" id=\"relsim-data\">" + script_safe(json) + "</script>\n";
  out += "<script>" + script_safe(chart_js) + "</script>\n";
  out += std::string("<script>") + kScript + "</script>\n</body>\n</html>\n";
  return out;
}

double day_tick_step(double span_days) {
  static constexpr double kSteps[] = {1.0 / 24, 2.0 / 24, 3.0 / 24, 6.0 / 24, 12.0 / 24,
                                      1.0,      2.0,      7.0,      14.0,     28.0,
                                      56.0,     91.0,     182.0,    364.0};
  for (const double step : kSteps) {
    if (span_days / step <= 12.0) return step;
  }
  return std::ceil(span_days / 12.0 / 364.0) * 364.0;
}

namespace {

/// The x scale of a chart over a trial's days: linear from `from_days` to
/// `to_days` (elapsed days; drawn at +1, day 1 being the first day), ticks
/// at whole days or hours (day_tick_step) labelled by the page's script.
JsonNode day_scale(const std::string& title, double from_days, double to_days) {
  JsonNode x = axis(title);
  x.set("type", "linear");
  x.set("min", from_days + 1.0);
  x.set("max", to_days + 1.0);
  x.set("relsimDays", true);
  JsonNode ticks;
  ticks.set("stepSize", day_tick_step(to_days - from_days));
  ticks.set("includeBounds", false);
  ticks.set("autoSkip", false);
  ticks.set("maxRotation", 0);
  x.set("ticks", std::move(ticks));
  return x;
}

}  // namespace

JsonNode band_chart(const std::string& y_label, double start_days, double step_days,
                    const std::vector<double>& mid, const std::vector<double>& low,
                    const std::vector<double>& high, const std::string& mid_label,
                    const std::vector<BandLevel>& levels) {
  auto points = [&](const std::vector<double>& values) {
    JsonNode::Array a;
    a.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      JsonNode p;
      p.set("x", start_days + step_days * static_cast<double>(i) + 1.0);
      p.set("y", std::isfinite(values[i]) ? values[i] : 0.0);
      a.push_back(std::move(p));
    }
    return JsonNode(std::move(a));
  };
  JsonNode::Array datasets;
  auto line = [&](const std::string& label, JsonNode values, const char* border,
                  const char* background, JsonNode fill, double width) {
    JsonNode d;
    d.set("label", label);
    d.set("data", std::move(values));
    d.set("borderColor", border);
    d.set("backgroundColor", background);
    d.set("fill", std::move(fill));
    d.set("pointRadius", 0);
    d.set("borderWidth", width);
    return d;
  };
  // The band is filled between the two percentile lines; each line has its
  // own colour so the legend tells them apart (95th dark, 5th light).
  datasets.push_back(line("95th percentile", points(high), "#08519c", "#08519c", false, 1.0));
  datasets.push_back(
      line("5th percentile", points(low), "#9ecae1", "rgba(31,119,180,0.2)", "-1", 1.0));
  datasets.push_back(line(mid_label, points(mid), kPalette[0], kPalette[0], false, 2.0));
  const double last =
      start_days + step_days * static_cast<double>(mid.empty() ? 0 : mid.size() - 1);
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const char* color = kPalette[1 + k % 5];
    JsonNode::Array flat;
    for (const double x : {start_days + 1.0, last + 1.0}) {
      JsonNode p;
      p.set("x", x);
      p.set("y", levels[k].value);
      flat.push_back(std::move(p));
    }
    JsonNode d = line(levels[k].label, std::move(flat), color, color, false, 1.5);
    JsonNode::Array dash{JsonNode(6), JsonNode(4)};
    d.set("borderDash", std::move(dash));
    datasets.push_back(std::move(d));
  }
  JsonNode data;
  data.set("datasets", std::move(datasets));
  JsonNode scales;
  scales.set("x", day_scale("day of the trial", start_days, last));
  scales.set("y", axis(y_label));
  JsonNode options;
  options.set("scales", std::move(scales));
  JsonNode interaction;
  interaction.set("mode", "nearest");
  interaction.set("axis", "x");
  interaction.set("intersect", false);
  options.set("interaction", std::move(interaction));
  JsonNode config;
  config.set("type", "line");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

JsonNode interval_chart(const std::string& x_label, const std::vector<std::string>& labels,
                        const std::vector<double>& estimate, const std::vector<double>& low,
                        const std::vector<double>& high) {
  JsonNode::Array ranges;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double lo = std::isfinite(low[i]) ? low[i] : estimate[i];
    const double hi = std::isfinite(high[i]) ? high[i] : estimate[i];
    ranges.push_back(JsonNode::Array{JsonNode(lo), JsonNode(hi)});
  }
  JsonNode bars;
  bars.set("type", "bar");
  bars.set("label", "confidence interval");
  bars.set("data", std::move(ranges));
  bars.set("backgroundColor", "rgba(31,119,180,0.35)");
  bars.set("borderColor", kPalette[0]);
  bars.set("borderWidth", 1);
  bars.set("barPercentage", 0.5);
  JsonNode points;
  points.set("type", "line");
  points.set("label", "estimate");
  points.set("data", numbers(estimate));
  points.set("showLine", false);
  points.set("pointRadius", 5);
  points.set("pointStyle", "rectRot");
  points.set("borderColor", kPalette[1]);
  points.set("backgroundColor", kPalette[1]);
  points.set("indexAxis", "y");
  JsonNode data;
  data.set("labels", JsonNode::strings(labels));
  data.set("datasets", JsonNode::Array{std::move(bars), std::move(points)});
  JsonNode scales;
  JsonNode x = axis(x_label);
  x.set("beginAtZero", false);  // values near 99.99 % must not be squeezed against 0
  // The range is the intervals' with a margin: Chart.js's own nice range
  // (75–100 % for availabilities of 99.98 %) would shrink them to a line.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (const double v : {estimate[i], low[i], high[i]}) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (lo <= hi) {
    const double margin = hi > lo ? (hi - lo) * 0.1 : std::max(std::fabs(hi) * 1e-3, 1e-9);
    // A count or a share that cannot be negative keeps its axis at 0 or above.
    x.set("min", lo >= 0.0 ? std::max(0.0, lo - margin) : lo - margin);
    x.set("max", hi + margin);
    JsonNode ticks;
    ticks.set("includeBounds", false);  // no tick at the margin's odd ends (-0.4, 4.5)
    x.set("ticks", std::move(ticks));
  }
  scales.set("x", std::move(x));
  JsonNode options;
  options.set("indexAxis", "y");
  options.set("scales", std::move(scales));
  JsonNode config;
  config.set("type", "bar");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

JsonNode bar_chart(const std::string& x_label, const std::string& y_label,
                   const std::vector<std::string>& labels, const std::vector<double>& values) {
  JsonNode d;
  d.set("label", y_label);
  d.set("data", numbers(values));
  d.set("backgroundColor", kPalette[0]);
  JsonNode data;
  data.set("labels", JsonNode::strings(labels));
  data.set("datasets", JsonNode::Array{std::move(d)});
  JsonNode scales;
  scales.set("x", axis(x_label));
  scales.set("y", axis(y_label, true));
  JsonNode options;
  options.set("scales", std::move(scales));
  JsonNode config;
  config.set("type", "bar");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

JsonNode grouped_bar_chart(const std::string& x_label, const std::string& y_label,
                           const std::vector<std::string>& labels,
                           const std::vector<std::string>& series,
                           const std::vector<std::vector<double>>& values) {
  JsonNode::Array datasets;
  for (std::size_t k = 0; k < series.size(); ++k) {
    JsonNode d;
    d.set("label", series[k]);
    d.set("data", numbers(values[k]));
    d.set("backgroundColor", kPalette[k % 6]);
    datasets.push_back(std::move(d));
  }
  JsonNode data;
  data.set("labels", JsonNode::strings(labels));
  data.set("datasets", std::move(datasets));
  JsonNode scales;
  scales.set("x", axis(x_label));
  scales.set("y", axis(y_label, true));
  JsonNode options;
  options.set("scales", std::move(scales));
  JsonNode config;
  config.set("type", "bar");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

JsonNode histogram_chart(const std::string& x_label, const std::vector<double>& values, int bins) {
  std::vector<std::string> labels;
  std::vector<double> counts;
  double lo = 0.0, hi = 0.0;
  bool any = false;
  for (const double v : values) {
    if (!std::isfinite(v)) continue;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  }
  if (any && bins > 0) {
    const double width = hi > lo ? (hi - lo) / bins : 1.0;
    counts.assign(static_cast<std::size_t>(bins), 0.0);
    for (const double v : values) {
      if (!std::isfinite(v)) continue;
      auto b = static_cast<std::size_t>((v - lo) / width);
      if (b >= counts.size()) b = counts.size() - 1;
      counts[b] += 1.0;
    }
    for (int b = 0; b < bins; ++b) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g", lo + width * b);
      labels.emplace_back(buf);
    }
  }
  JsonNode config = bar_chart(x_label, "count", labels, counts);
  return config;
}

JsonNode timeline_chart(const std::string& x_label, const std::vector<std::string>& rows,
                        const std::vector<std::string>& phase_names,
                        const std::vector<std::vector<TimelinePhase>>& phases,
                        const std::vector<TimelineMarker>& markers, std::optional<DayRange> days) {
  std::vector<std::string> labels = rows;
  std::vector<std::string> marker_rows;
  for (const auto& mk : markers) {
    if (std::find(marker_rows.begin(), marker_rows.end(), mk.row) == marker_rows.end()) {
      marker_rows.push_back(mk.row);
    }
  }
  labels.insert(labels.end(), marker_rows.begin(), marker_rows.end());
  const double shift = days ? 1.0 : 0.0;  // a day axis counts from day 1
  JsonNode::Array datasets;
  for (std::size_t k = 0; k < phase_names.size(); ++k) {
    JsonNode::Array data;
    for (std::size_t r = 0; r < labels.size(); ++r) {
      if (r < rows.size() && k < phases[r].size() && phases[r][k].to > phases[r][k].from) {
        data.push_back(JsonNode::Array{JsonNode(phases[r][k].from + shift),
                                       JsonNode(phases[r][k].to + shift)});
      } else {
        data.push_back(JsonNode::Array{JsonNode(0.0), JsonNode(0.0)});
      }
    }
    JsonNode d;
    d.set("label", phase_names[k]);
    d.set("data", std::move(data));
    d.set("backgroundColor", kPalette[k % 6]);
    d.set("barPercentage", 0.6);
    d.set("grouped", false);
    datasets.push_back(std::move(d));
  }
  static constexpr const char* kMarkerStyles[] = {"triangle", "rectRot", "crossRot", "star"};
  for (std::size_t k = 0; k < marker_rows.size(); ++k) {
    JsonNode::Array points;
    for (const auto& mk : markers) {
      if (mk.row != marker_rows[k]) continue;
      JsonNode p;
      p.set("x", (std::isfinite(mk.at) ? mk.at : 0.0) + shift);
      p.set("y", mk.row);
      p.set("name", mk.name);
      points.push_back(std::move(p));
    }
    JsonNode d;
    d.set("type", "scatter");
    d.set("label", marker_rows[k]);
    d.set("data", std::move(points));
    d.set("pointStyle", kMarkerStyles[k % 4]);
    d.set("pointRadius", 6);
    d.set("backgroundColor", k == 0 ? "#000000" : kPalette[(k + 2) % 6]);
    d.set("borderColor", k == 0 ? "#000000" : kPalette[(k + 2) % 6]);
    datasets.push_back(std::move(d));
  }
  JsonNode data;
  data.set("labels", JsonNode::strings(labels));
  data.set("datasets", std::move(datasets));
  JsonNode scales;
  if (days) {
    scales.set("x", day_scale(x_label, days->from_days, days->to_days));
  } else {
    JsonNode x = axis(x_label);
    x.set("type", "linear");
    scales.set("x", std::move(x));
  }
  JsonNode y;
  y.set("type", "category");
  JsonNode yticks;
  yticks.set("autoSkip", false);
  JsonNode font;
  font.set("size", 10);
  yticks.set("font", std::move(font));
  y.set("ticks", std::move(yticks));
  y.set("relsimFitLabels", true);  // the whole row labels (the page's script)
  scales.set("y", std::move(y));
  JsonNode options;
  options.set("indexAxis", "y");
  options.set("scales", std::move(scales));
  JsonNode config;
  config.set("type", "bar");
  config.set("data", std::move(data));
  config.set("options", std::move(options));
  return config;
}

}  // namespace relsim::analysis
