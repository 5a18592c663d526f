// Kubernetes manifests as relsim services: apps/v1 Deployment and
// StatefulSet (replicas, rollout, pod template: zone spread, zone affinity,
// eviction tolerations, probes), policy/v1 PodDisruptionBudget,
// autoscaling/v1 and v2 HorizontalPodAutoscaler, Node zone labels; a
// `kind: List` (or `*List`) is read item by item. The field table is in
// docs/import.md.
#include <cmath>
#include <string>

#include "analysis/import/reader_fields.hpp"

namespace relsim::analysis::import {

namespace {

using Level = ImportNote::Level;

constexpr const char* kZoneKey = "topology.kubernetes.io/zone";
constexpr const char* kOldZoneKey = "failure-domain.beta.kubernetes.io/zone";
/// Kubernetes' DefaultTolerationSeconds admission plugin adds this to every
/// pod that does not tolerate unreachable/not-ready itself.
constexpr double kDefaultTolerationSeconds = 300.0;

bool is_zone_key(const std::string& key) { return key == kZoneKey || key == kOldZoneKey; }

std::string str(const YAML::Node& n) { return n.IsDefined() && n.IsScalar() ? n.Scalar() : ""; }

class KubernetesReader {
 public:
  KubernetesReader(const SourceDocument& doc, ImportModel& out) : r_{doc, out} {}

  void object(const YAML::Node& node, const std::string& prefix) {
    if (!node.IsMap()) {
      r_.warn(node, prefix.empty() ? "(document)" : prefix,
              "expected a Kubernetes object (a map with apiVersion and kind): skipped");
      return;
    }
    const std::string kind = r_.text(node, "kind", P(prefix, "kind")).value_or("");
    if (kind == "List" || (kind.size() > 4 && kind.ends_with("List"))) {
      const YAML::Node items = r_.list(node, "items", P(prefix, "items"));
      if (!items.IsDefined()) return;
      for (std::size_t i = 0; i < items.size(); ++i) {
        object(items[i], P(prefix, "items[" + std::to_string(i) + "]"));
      }
      return;
    }
    if (kind == "Deployment" || kind == "StatefulSet") {
      workload(node, prefix, kind);
    } else if (kind == "PodDisruptionBudget") {
      pdb(node, prefix);
    } else if (kind == "HorizontalPodAutoscaler") {
      hpa(node, prefix);
    } else if (kind == "Node") {
      node_zone(node, prefix);
    } else {
      r_.note(Level::note, node, P(prefix, "kind"),
              "kind " + (kind.empty() ? std::string("(none)") : kind) +
                  " holds nothing relsim reads (Deployment, StatefulSet, PodDisruptionBudget, "
                  "HorizontalPodAutoscaler, Node): skipped");
    }
  }

 private:
  FieldReader r_;

  static std::string P(const std::string& prefix, const std::string& key) {
    return FieldReader::path(prefix, key);
  }
  static YAML::Node C(const YAML::Node& n, const std::string& key) {
    return FieldReader::child(n, key);
  }
  Origin at(const YAML::Node& n, const std::string& field) const { return r_.origin(n, field); }

  std::optional<CountOrPercent> count_or_percent(const YAML::Node& parent, const std::string& key,
                                                 const std::string& field) {
    const YAML::Node n = C(parent, key);
    if (!n.IsDefined() || n.IsNull()) return std::nullopt;
    const auto v = n.IsScalar() ? parse_count_or_percent(n.Scalar()) : std::nullopt;
    if (!v) {
      r_.warn(n, field,
              "expected a count (3) or a percentage (\"25%\"), got " +
                  (n.IsScalar() ? "'" + n.Scalar() + "'" : std::string("a non-scalar")) +
                  ": skipped");
    }
    return v;
  }

  void add_zones(ImportedService& s, const std::vector<std::string>& zones, const Origin& o) {
    if (zones.empty()) return;
    if (!s.zones) s.zones = Sourced<std::vector<std::string>>{{}, o};
    for (const auto& z : zones) {
      add_unique(s.zones->value, z);
      add_unique(r_.out.zones, z);
    }
  }

  // ------------------------------------------------------------ Deployment

  void workload(const YAML::Node& node, const std::string& prefix, const std::string& kind) {
    const std::string name = r_.metadata_name(node, prefix, "a " + kind);
    if (name.empty()) return;
    ImportedService s;
    s.name = name;
    s.origin = at(C(C(node, "metadata"), "name"), P(prefix, "metadata.name"));
    const YAML::Node meta = C(node, "metadata");
    const YAML::Node spec = r_.map(node, "spec", P(prefix, "spec"));
    const std::string sp = P(prefix, "spec");
    for (const auto& a : app_labels(C(meta, "labels"))) add_alias(s, a);
    for (const auto& a : app_labels(C(C(spec, "selector"), "matchLabels"))) add_alias(s, a);
    for (const auto& a : app_labels(C(C(C(spec, "template"), "metadata"), "labels")))
      add_alias(s, a);

    if (const auto n = r_.integer(spec, "replicas", P(sp, "replicas"))) {
      s.replicas = Sourced<int>{static_cast<int>(*n), at(C(spec, "replicas"), P(sp, "replicas"))};
    } else if (!C(spec, "replicas").IsDefined()) {
      r_.note(Level::note, spec.IsDefined() ? spec : node, P(sp, "replicas"),
              "no replicas: Kubernetes runs 1 unless an autoscaler sets the count; 1 is taken "
              "unless an autoscaler's minReplicas gives the count");
      s.default_replicas =
          Sourced<int>{1, at(spec.IsDefined() ? spec : node,
                             P(sp, "replicas") + " (absent: Kubernetes runs 1 pod)")};
    }
    if (const auto n = r_.integer(spec, "minReadySeconds", P(sp, "minReadySeconds"))) {
      s.min_ready_s = Sourced<double>{static_cast<double>(*n),
                                      at(C(spec, "minReadySeconds"), P(sp, "minReadySeconds"))};
    }
    if (kind == "Deployment") {
      rollout(s, P(sp, "strategy"), C(spec, "strategy"));
    } else {
      rollout(s, P(sp, "updateStrategy"), C(spec, "updateStrategy"));
    }
    const YAML::Node tmpl = r_.map(spec, "template", P(sp, "template"));
    const YAML::Node pod = r_.map(tmpl, "spec", P(sp, "template.spec"));
    if (!pod.IsDefined()) {
      r_.warn(spec.IsDefined() ? spec : node, P(sp, "template.spec"),
              "a " + kind +
                  " without a pod template: its pods' zones, probes and tolerations "
                  "are not known");
    } else {
      pod_spec(s, pod, P(sp, "template.spec"));
    }
    r_.out.services.push_back(std::move(s));
  }

  void add_alias(ImportedService& s, const std::string& a) {
    if (a != s.name) add_unique(s.aliases, a);
  }

  void rollout(ImportedService& s, const std::string& field, const YAML::Node& strategy) {
    if (!strategy.IsDefined()) return;
    if (!strategy.IsMap()) {
      r_.warn(strategy, field, "expected a map: skipped");
      return;
    }
    const std::string type = r_.text(strategy, "type", P(field, "type")).value_or("");
    if (type == "Recreate") {
      // Every pod stops before the new ones start.
      if (s.replicas) {
        s.max_unavailable =
            Sourced<int>{s.replicas->value, at(C(strategy, "type"), P(field, "type"))};
      }
      s.max_unavailable_fraction = Sourced<double>{1.0, at(C(strategy, "type"), P(field, "type"))};
      return;
    }
    if (type == "OnDelete") {
      r_.note(Level::note, C(strategy, "type"), P(field, "type"),
              "OnDelete: pods are replaced only when deleted by hand; no rollout limit read");
      return;
    }
    const YAML::Node ru = r_.map(strategy, "rollingUpdate", P(field, "rollingUpdate"));
    const std::string rf = P(field, "rollingUpdate");
    if (const auto v = count_or_percent(ru, "maxUnavailable", P(rf, "maxUnavailable"))) {
      const Origin o = at(C(ru, "maxUnavailable"), P(rf, "maxUnavailable"));
      if (v->percent) {
        s.max_unavailable_fraction = Sourced<double>{v->value, o};
        // Kubernetes rounds maxUnavailable down.
        if (s.replicas) {
          s.max_unavailable =
              Sourced<int>{static_cast<int>(std::floor(v->value * s.replicas->value + 1e-9)), o};
        }
      } else {
        s.max_unavailable = Sourced<int>{static_cast<int>(v->value), o};
      }
    }
    if (const auto v = count_or_percent(ru, "maxSurge", P(rf, "maxSurge"))) {
      const Origin o = at(C(ru, "maxSurge"), P(rf, "maxSurge"));
      if (v->percent) {
        s.max_surge_fraction = Sourced<double>{v->value, o};
        // ... and maxSurge up.
        if (s.replicas) {
          s.max_surge =
              Sourced<int>{static_cast<int>(std::ceil(v->value * s.replicas->value - 1e-9)), o};
        }
      } else {
        s.max_surge = Sourced<int>{static_cast<int>(v->value), o};
      }
    }
  }

  void pod_spec(ImportedService& s, const YAML::Node& pod, const std::string& pf) {
    // Zone spread: a topology spread constraint, or required pod
    // anti-affinity, on the zone key.
    const YAML::Node tsc =
        r_.list(pod, "topologySpreadConstraints", P(pf, "topologySpreadConstraints"));
    for (std::size_t i = 0; tsc.IsDefined() && i < tsc.size(); ++i) {
      const std::string f = P(pf, "topologySpreadConstraints[" + std::to_string(i) + "]");
      const auto key = r_.text(tsc[i], "topologyKey", P(f, "topologyKey"));
      if (!key || !is_zone_key(*key)) continue;
      s.topology_spread = Sourced<bool>{true, at(C(tsc[i], "topologyKey"), P(f, "topologyKey"))};
      const auto when = r_.text(tsc[i], "whenUnsatisfiable", P(f, "whenUnsatisfiable"));
      if (when && *when == "ScheduleAnyway") {
        r_.note(Level::note, C(tsc[i], "whenUnsatisfiable"), P(f, "whenUnsatisfiable"),
                "ScheduleAnyway is a preference: read as topology spread on (the scheduler "
                "spreads when it can)");
      }
    }
    const YAML::Node anti = C(C(pod, "affinity"), "podAntiAffinity");
    const YAML::Node req = C(anti, "requiredDuringSchedulingIgnoredDuringExecution");
    for (std::size_t i = 0; req.IsSequence() && i < req.size(); ++i) {
      const std::string f =
          P(pf, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[" +
                    std::to_string(i) + "].topologyKey");
      const YAML::Node key = C(req[i], "topologyKey");
      if (is_zone_key(str(key)) && !s.topology_spread) {
        s.topology_spread = Sourced<bool>{true, at(key, f)};
      }
    }

    // Zones: nodeSelector and required node affinity on the zone key.
    const YAML::Node sel = r_.map(pod, "nodeSelector", P(pf, "nodeSelector"));
    for (const char* key : {kZoneKey, kOldZoneKey}) {
      const YAML::Node z = C(sel, key);
      if (z.IsDefined() && z.IsScalar()) {
        add_zones(s, {z.Scalar()}, at(z, P(pf, std::string("nodeSelector.") + key)));
      }
    }
    const YAML::Node node_aff = C(C(pod, "affinity"), "nodeAffinity");
    const std::string naf =
        P(pf, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
    const YAML::Node terms =
        C(C(node_aff, "requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
    for (std::size_t t = 0; terms.IsSequence() && t < terms.size(); ++t) {
      const YAML::Node exprs = C(terms[t], "matchExpressions");
      for (std::size_t e = 0; exprs.IsSequence() && e < exprs.size(); ++e) {
        const std::string f = P(naf, "nodeSelectorTerms[" + std::to_string(t) +
                                         "].matchExpressions[" + std::to_string(e) + "]");
        if (!is_zone_key(str(C(exprs[e], "key")))) continue;
        const std::string op = str(C(exprs[e], "operator"));
        const YAML::Node values = C(exprs[e], "values");
        if (op != "In" || !values.IsSequence()) {
          r_.note(Level::note, exprs[e], f,
                  "only `operator: In` with a list of values names zones; " +
                      (op.empty() ? std::string("no operator") : "operator " + op) + ": skipped");
          continue;
        }
        std::vector<std::string> zones;
        for (const auto& v : values) {
          if (v.IsScalar()) zones.push_back(v.Scalar());
        }
        add_zones(s, zones, at(values, P(f, "values")));
      }
    }

    tolerations(s, pod, pf);
    probes(s, pod, pf);
  }

  void tolerations(ImportedService& s, const YAML::Node& pod, const std::string& pf) {
    const YAML::Node tol = r_.list(pod, "tolerations", P(pf, "tolerations"));
    std::optional<Sourced<double>> unreachable, not_ready;
    for (std::size_t i = 0; tol.IsDefined() && i < tol.size(); ++i) {
      const std::string f = P(pf, "tolerations[" + std::to_string(i) + "]");
      const std::string key = str(C(tol[i], "key"));
      const std::string op = str(C(tol[i], "operator"));
      const std::string effect = str(C(tol[i], "effect"));
      if (!effect.empty() && effect != "NoExecute") continue;
      const bool all = key.empty() && op == "Exists";
      if (!all && key != "node.kubernetes.io/unreachable" &&
          key != "node.kubernetes.io/not-ready") {
        continue;
      }
      const auto secs = r_.integer(tol[i], "tolerationSeconds", P(f, "tolerationSeconds"), 0);
      if (!secs) {
        if (!C(tol[i], "tolerationSeconds").IsDefined()) {
          r_.warn(tol[i], f,
                  std::string(all ? "tolerates every taint" : "tolerates " + key) +
                      " forever (no tolerationSeconds): its pods are never moved off a failed "
                      "node; no reschedule delay read");
        }
        continue;
      }
      Sourced<double> v{static_cast<double>(*secs),
                        at(C(tol[i], "tolerationSeconds"), P(f, "tolerationSeconds"))};
      if (all || key == "node.kubernetes.io/unreachable") unreachable = v;
      if (all || key == "node.kubernetes.io/not-ready") not_ready = v;
    }
    // A failed node goes unreachable (its kubelet stops reporting); a node
    // whose kubelet reports not ready goes not-ready. relsim's replica
    // failure is the first.
    if (unreachable) {
      s.reschedule_s = unreachable;
    } else if (not_ready) {
      s.reschedule_s = not_ready;
    } else {
      s.reschedule_s =
          Sourced<double>{kDefaultTolerationSeconds,
                          at(tol.IsDefined() ? tol : pod,
                             P(pf, "tolerations") +
                                 " (none for node.kubernetes.io/unreachable: Kubernetes' default "
                                 "tolerationSeconds 300)")};
    }
  }

  /// A probe's detection delay: periodSeconds × failureThreshold +
  /// timeoutSeconds, with Kubernetes' defaults 10, 3 and 1.
  std::optional<Sourced<double>> probe(const YAML::Node& container, const std::string& key,
                                       const std::string& cf) {
    const YAML::Node p = r_.map(container, key, P(cf, key));
    if (!p.IsDefined()) return std::nullopt;
    const std::string f = P(cf, key);
    const double period =
        static_cast<double>(r_.integer(p, "periodSeconds", P(f, "periodSeconds"), 1).value_or(10));
    const double threshold = static_cast<double>(
        r_.integer(p, "failureThreshold", P(f, "failureThreshold"), 1).value_or(3));
    const double timeout =
        static_cast<double>(r_.integer(p, "timeoutSeconds", P(f, "timeoutSeconds"), 1).value_or(1));
    return Sourced<double>{period * threshold + timeout,
                           at(p, f + " (periodSeconds × failureThreshold + timeoutSeconds)")};
  }

  void probes(ImportedService& s, const YAML::Node& pod, const std::string& pf) {
    const YAML::Node containers = r_.list(pod, "containers", P(pf, "containers"));
    for (std::size_t i = 0; containers.IsDefined() && i < containers.size(); ++i) {
      const std::string cf = P(pf, "containers[" + std::to_string(i) + "]");
      // The first container that has a probe speaks for the pod (the
      // application's; sidecars usually come after it).
      if (!s.health_check_s) s.health_check_s = probe(containers[i], "readinessProbe", cf);
      if (!s.liveness_s) s.liveness_s = probe(containers[i], "livenessProbe", cf);
    }
    if (!s.health_check_s && s.liveness_s) {
      // Without a readiness probe a pod stays in its Service's endpoints
      // until the liveness probe restarts it.
      s.health_check_s = s.liveness_s;
    }
  }

  // ------------------------------------------------------------ PDB, HPA, Node

  /// The service a PDB or HPA is about: a service entry named by `name` with
  /// `alias` as an alias.
  ImportedService about(const std::string& name, const Origin& o, const std::string& alias) {
    ImportedService s;
    s.name = name;
    s.origin = o;
    if (alias != name) add_unique(s.aliases, alias);
    return s;
  }

  void pdb(const YAML::Node& node, const std::string& prefix) {
    const std::string own = r_.metadata_name(node, prefix, "a PodDisruptionBudget");
    if (own.empty()) return;
    const YAML::Node spec = r_.map(node, "spec", P(prefix, "spec"));
    const std::string sp = P(prefix, "spec");
    const YAML::Node labels = C(C(spec, "selector"), "matchLabels");
    const auto apps = app_labels(labels);
    std::string name = own;
    if (apps.empty()) {
      r_.note(Level::note, spec.IsDefined() ? spec : node, P(sp, "selector.matchLabels"),
              "no app or app.kubernetes.io/name label in the selector: the budget is taken to "
              "guard a service named after it, '" +
                  own + "'");
    } else {
      name = apps.front();
    }
    ImportedService s =
        about(name, at(C(C(node, "metadata"), "name"), P(prefix, "metadata.name")), own);
    for (const auto& a : apps) {
      if (a != name) add_unique(s.aliases, a);
    }
    const auto min_av = count_or_percent(spec, "minAvailable", P(sp, "minAvailable"));
    const auto max_un = count_or_percent(spec, "maxUnavailable", P(sp, "maxUnavailable"));
    if (min_av && max_un) {
      r_.warn(C(spec, "maxUnavailable"), P(sp, "maxUnavailable"),
              "a PodDisruptionBudget gives minAvailable or maxUnavailable, not both: took "
              "minAvailable");
    }
    if (min_av) {
      const Origin o = at(C(spec, "minAvailable"), P(sp, "minAvailable"));
      if (min_av->percent) {
        s.pdb_min_available_fraction = Sourced<double>{min_av->value, o};
      } else {
        s.pdb_min_available = Sourced<int>{static_cast<int>(min_av->value), o};
      }
    } else if (max_un) {
      const Origin o = at(C(spec, "maxUnavailable"), P(sp, "maxUnavailable"));
      if (max_un->percent) {
        s.pdb_max_unavailable_fraction = Sourced<double>{max_un->value, o};
      } else {
        s.pdb_max_unavailable = Sourced<int>{static_cast<int>(max_un->value), o};
      }
    } else {
      r_.warn(spec.IsDefined() ? spec : node, sp,
              "a PodDisruptionBudget without minAvailable or maxUnavailable guards nothing: "
              "skipped");
      return;
    }
    r_.out.services.push_back(std::move(s));
  }

  void hpa(const YAML::Node& node, const std::string& prefix) {
    const std::string own = r_.metadata_name(node, prefix, "a HorizontalPodAutoscaler");
    if (own.empty()) return;
    const YAML::Node spec = r_.map(node, "spec", P(prefix, "spec"));
    const std::string sp = P(prefix, "spec");
    const YAML::Node ref = r_.map(spec, "scaleTargetRef", P(sp, "scaleTargetRef"));
    const auto target = r_.text(ref, "name", P(sp, "scaleTargetRef.name"));
    if (!target || target->empty()) {
      r_.warn(spec.IsDefined() ? spec : node, P(sp, "scaleTargetRef.name"),
              "an autoscaler needs scaleTargetRef.name (the Deployment it scales): skipped");
      return;
    }
    ImportedService s = about(*target, at(C(ref, "name"), P(sp, "scaleTargetRef.name")), own);
    if (const auto n = r_.integer(spec, "minReplicas", P(sp, "minReplicas"), 1)) {
      s.hpa_min =
          Sourced<int>{static_cast<int>(*n), at(C(spec, "minReplicas"), P(sp, "minReplicas"))};
    }
    if (const auto n = r_.integer(spec, "maxReplicas", P(sp, "maxReplicas"), 1)) {
      s.hpa_max =
          Sourced<int>{static_cast<int>(*n), at(C(spec, "maxReplicas"), P(sp, "maxReplicas"))};
    } else if (!C(spec, "maxReplicas").IsDefined()) {
      r_.warn(spec.IsDefined() ? spec : node, P(sp, "maxReplicas"),
              "an autoscaler needs maxReplicas: the upper limit is not known");
    }
    // autoscaling/v1: one CPU target.
    if (const auto pct = r_.number(spec, "targetCPUUtilizationPercentage",
                                   P(sp, "targetCPUUtilizationPercentage"))) {
      s.hpa_target_utilization = Sourced<double>{
          *pct / 100.0,
          at(C(spec, "targetCPUUtilizationPercentage"), P(sp, "targetCPUUtilizationPercentage"))};
    }
    // autoscaling/v2 (and v2beta1/v2beta2): metrics[]; the CPU resource
    // target speaks for relsim's utilisation, else the first resource one.
    const YAML::Node metrics = r_.list(spec, "metrics", P(sp, "metrics"));
    bool have_cpu = s.hpa_target_utilization.has_value();
    for (std::size_t i = 0; metrics.IsDefined() && i < metrics.size(); ++i) {
      const std::string mf = P(sp, "metrics[" + std::to_string(i) + "]");
      const YAML::Node m = metrics[i];
      const std::string type = str(C(m, "type"));
      if (type != "Resource") {
        r_.note(Level::note, m, P(mf, "type"),
                "a " + (type.empty() ? std::string("untyped") : type) +
                    " metric: relsim scales on utilisation of capacity only; skipped");
        continue;
      }
      const YAML::Node res = C(m, "resource");
      const std::string rname = str(C(res, "name"));
      std::optional<double> pct;
      YAML::Node where;
      std::string wf;
      if (C(C(res, "target"), "averageUtilization").IsDefined()) {
        where = C(C(res, "target"), "averageUtilization");
        wf = P(mf, "resource.target.averageUtilization");
        pct = r_.number(C(res, "target"), "averageUtilization", wf);
      } else if (C(res, "targetAverageUtilization").IsDefined()) {  // v2beta1
        where = C(res, "targetAverageUtilization");
        wf = P(mf, "resource.targetAverageUtilization");
        pct = r_.number(res, "targetAverageUtilization", wf);
      } else {
        r_.note(Level::note, m, P(mf, "resource.target"),
                "only a Utilization target is a fraction of capacity; skipped");
        continue;
      }
      if (!pct) continue;
      if (!s.hpa_target_utilization || (rname == "cpu" && !have_cpu)) {
        s.hpa_target_utilization = Sourced<double>{*pct / 100.0, at(where, wf)};
        have_cpu = rname == "cpu";
      }
    }
    const YAML::Node up = C(C(spec, "behavior"), "scaleUp");
    if (up.IsDefined()) {
      const std::string uf = P(sp, "behavior.scaleUp.stabilizationWindowSeconds");
      if (const auto w = r_.integer(up, "stabilizationWindowSeconds", uf, 0)) {
        s.hpa_reaction_s =
            Sourced<double>{static_cast<double>(*w), at(C(up, "stabilizationWindowSeconds"), uf)};
      }
    }
    r_.out.services.push_back(std::move(s));
  }

  void node_zone(const YAML::Node& node, const std::string& prefix) {
    const YAML::Node labels = C(C(node, "metadata"), "labels");
    for (const char* key : {kZoneKey, kOldZoneKey}) {
      const YAML::Node z = C(labels, key);
      if (z.IsDefined() && z.IsScalar()) {
        add_unique(r_.out.zones, z.Scalar());
        return;
      }
    }
    r_.note(Level::note, node, P(prefix, "metadata.labels"),
            std::string("a Node without a ") + kZoneKey + " label: no zone read");
  }
};

}  // namespace

void read_kubernetes(const SourceDocument& doc, ImportModel& out) {
  try {
    KubernetesReader(doc, out).object(doc.root, "");
  } catch (const YAML::Exception& e) {
    note_stopped(doc, out, e, "Kubernetes");
  }
}

}  // namespace relsim::analysis::import
