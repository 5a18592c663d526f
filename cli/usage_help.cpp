// Help that helps: an example under every subcommand's --help (a CLI11
// footer, kept here in one table so the examples read as a set and a test
// can check that every subcommand has one), and "did you mean" hints for an
// unknown subcommand or flag, by edit distance. See cli/commands.hpp.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace relsim::cli {

namespace {

/// Examples per subcommand path (`run`, `incidents fit`). Each runs as
/// written from the repository root.
const std::map<std::string, std::string>& examples() {
  static const std::map<std::string, std::string> table = {
      {"run",
       "  relsim run scenarios/payments/az-outage.yaml --trials 2000\n"
       "  relsim run scenarios/payments/baseline.yaml --set services.payment-api.replicas=8 "
       "--out results.h5"},
      {"merge",
       "  relsim run scenarios/payments/baseline.yaml --shard 0/2 --out part0.h5\n"
       "  relsim run scenarios/payments/baseline.yaml --shard 1/2 --out part1.h5\n"
       "  relsim merge part0.h5 part1.h5 --out all.h5"},
      {"analyze", "  relsim analyze scenarios/guide/first-system.yaml"},
      {"compare",
       "  relsim compare scenarios/payments/az-outage.yaml "
       "scenarios/payments/az-outage-no-spread.yaml --trials 500\n"
       "  relsim compare scenarios/payments/baseline.yaml --sweep "
       "services.payment-api.replicas=4..8 --trials 200\n"
       "  relsim compare scenarios/payments/baseline.yaml --sweep "
       "services.payment-api.replicas=4,8 --trials 200 -q --out sweep.h5"},
      {"sensitivity",
       "  relsim sensitivity scenarios/payments/baseline.yaml --param "
       "services.payment-api.replicas --param teams.payments-oncall.members --trials 300"},
      {"incidents",
       "  relsim incidents fit scenarios/incidents/incidents.csv --column ttr\n"
       "  relsim incidents power --lognormal 7.5,1.2 --improvement 10% --incidents 100"},
      {"incidents import",
       "  relsim incidents import scenarios/incidents/pagerduty.csv --input-format pagerduty "
       "--out incidents.csv"},
      {"incidents fit",
       "  relsim incidents fit scenarios/incidents/incidents.csv --column ttr --emit yaml"},
      {"incidents power",
       "  relsim incidents power --lognormal 7.5,1.2 --improvement 10% --incidents 100"},
      {"plan",
       "  relsim plan scenarios/gamedays/week2-database-failover.yaml --trials 500\n"
       "  relsim plan scenarios/gamedays/week1-pod-kill.yaml --export chaos-mesh -o exp.yaml"},
      {"validate",
       "  relsim validate scenarios/systems/payments.yaml scenarios/payments/az-outage.yaml\n"
       "  relsim validate --strict scenarios/guide/shop.yaml   # warnings are errors (CI)\n"
       "  relsim validate scenarios/payments/*.yaml --format json -o validation.json"},
      {"graph", "  relsim graph scenarios/systems/payments.yaml | dot -Tsvg > payments.svg"},
      {"schema", "  relsim schema --output relsim.schema.json"},
      {"kernel-demo", "  relsim kernel-demo --machines 10 --crews 2 --mtbf 100h --mttr 10h"},
      {"init",
       "  relsim init --template payments checkout\n"
       "  relsim explain checkout/system.yaml && relsim run checkout/scenario.yaml --trials 200"},
      {"explain",
       "  relsim explain scenarios/systems/payments.yaml\n"
       "  relsim explain scenarios/datastore/failover-90s.yaml"},
      {"report",
       "  relsim run scenarios/payments/az-outage.yaml --trials 2000 --out az.h5\n"
       "  relsim report az.h5 -o az.html"},
      {"alerts",
       "  relsim alerts scenarios/alerting/burn-rate-alerts.yaml --trials 500\n"
       "  relsim alerts scenarios/payments/baseline.yaml --preset system --preset all\n"
       "  relsim alerts scenarios/alerting/burn-rate-alerts.yaml --preset multiwindow "
       "--export prometheus -o rules.yaml\n"
       "  relsim alerts scenarios/payments/baseline.yaml --trials 200 -q --out lab.h5"},
      {"import",
       "  relsim import tests/import/fixtures/team -o system.yaml\n"
       "  relsim explain system.yaml && relsim run system.yaml --trials 200"},
  };
  return table;
}

std::string path_of(const CLI::App& sub) {
  std::string path = sub.get_name();
  for (const CLI::App* p = sub.get_parent(); p && p->get_parent(); p = p->get_parent()) {
    path = p->get_name() + " " + path;
  }
  return path;
}

void add_footers(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    const auto it = examples().find(path_of(*sub));
    if (it != examples().end()) sub->footer("Example:\n" + it->second + "\n");
    add_footers(*sub);
  }
}

/// Every long (`--name`) and short (`-n`) flag of `app` and its parents, as written.
std::vector<std::string> flags_of(const CLI::App* app) {
  std::vector<std::string> out;
  for (; app; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options({})) {
      if (o->get_group().empty()) continue;  // a deprecated spelling: never suggested
      for (const auto& n : o->get_lnames()) out.push_back("--" + n);
      for (const auto& n : o->get_snames()) out.push_back("-" + n);
    }
  }
  return out;
}

const CLI::Option* find_flag(const CLI::App* app, const std::string& flag) {
  for (; app; app = app->get_parent()) {
    for (const CLI::Option* o : app->get_options({})) {
      if (o->check_name(flag)) return o;
    }
  }
  return nullptr;
}

/// The candidate closest to `word`, when close enough to be a typo: at most
/// a third of the word's length (and at least 1, at most 3) edits away.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  return best_d <= limit ? best : std::string();
}

std::string did_you_mean(const std::string& suggestion) {
  return suggestion.empty() ? std::string() : "; did you mean '" + suggestion + "'?";
}

}  // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: insertions, deletions, substitutions and
  // transpositions of two adjacent characters each cost 1.
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

void add_help_examples(CLI::App& app) {
  add_footers(app);
  app.footer(
      "Example:\n"
      "  relsim run scenarios/payments/az-outage.yaml --trials 2000\n"
      "  relsim init --template web-service my-service\n"
      "Run `relsim COMMAND --help` for a command's options and an example; docs/cli.md has "
      "them all.\n");
}

std::string usage_hint(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* current = &app;
  bool chose_subcommand = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      if (arg.size() > 1 && (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.')) {
        continue;  // a negative number, a value
      }
      const std::string flag = arg.substr(0, arg.find('='));
      const bool is_long = flag.rfind("--", 0) == 0;
      // `-abc`: CLI11 reads a cluster of short flags or `-a` with value `bc`.
      const std::string name = is_long ? flag : flag.substr(0, 2);
      const CLI::Option* o = find_flag(current, name);
      if (o == nullptr) {
        std::string where = current == &app ? "relsim" : "relsim " + path_of(*current);
        return "relsim: error: unknown option '" + flag + "' for '" + where + "'" +
               did_you_mean(nearest(flag, flags_of(current))) + " (see '" + where + " --help')";
      }
      // Skip the option's value when it is the next argument.
      if (flag.size() == arg.size() && o->get_type_size_max() > 0 && o->get_expected_max() > 0 &&
          (is_long || arg.size() == 2)) {
        ++i;
      }
      continue;
    }
    const auto subs = current->get_subcommands({});
    if (subs.empty()) continue;  // a positional argument of a leaf command
    const CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (const CLI::App* s : subs) {
      names.push_back(s->get_name());
      if (s->check_name(arg)) next = s;
    }
    if (next) {
      current = next;
      chose_subcommand = true;
      continue;
    }
    if (current->get_require_subcommand_min() > 0 || !chose_subcommand) {
      const std::string where = current == &app ? "" : " of '" + path_of(*current) + "'";
      return "relsim: error: unknown subcommand '" + arg + "'" + where +
             did_you_mean(nearest(arg, names)) + " (see 'relsim" +
             (current == &app ? "" : " " + path_of(*current)) + " --help')";
    }
  }
  return {};
}

}  // namespace relsim::cli
