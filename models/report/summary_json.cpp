// summary.json.
#include <cmath>
#include <nlohmann/json.hpp>

#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/summary_writers.hpp"

namespace crsim::report {

using namespace crsim::model;

using nlohmann::ordered_json;

namespace {

/// {"mean": …, "ci95": …}; nlohmann writes NaN and infinities as null.
ordered_json figure(const Figure& f) { return ordered_json{{"mean", f.mean}, {"ci95", f.ci95}}; }

/// One bound of the Erlang estimates beside a class's figures.
ordered_json analytic_bound(const ClassSummary& c, const AnalyticFigures& a) {
    ordered_json service_level = ordered_json::object();
    for (std::size_t i = 0; i < c.thresholds_s.size() && i < a.service_level.size(); ++i)
        service_level[threshold_label(c.thresholds_s[i])] = a.service_level[i];
    return ordered_json{{"service_level", std::move(service_level)},
                        {"asa_s", a.asa_s},
                        {"abandoned_pct", a.abandoned_pct},
                        {"mean_queue_s", a.mean_queue_s},
                        {"overloaded_intervals", a.overloaded_intervals}};
}

/// The Erlang estimates beside a class's figures (`crsim run --analytic`): both bounds.
ordered_json analytic(const ClassSummary& c) {
    const AnalyticBounds& a = *c.analytic;
    return ordered_json{{"model", a.pooled.erlang_a ? "erlang_a" : "erlang_c"},
                        {"intervals", a.pooled.intervals},
                        {"rooms_separate", analytic_bound(c, a.separate)},
                        {"pooled", analytic_bound(c, a.pooled)}};
}

/// A class's figures: each by name, the service levels in one object keyed by threshold (empty
/// for a class without thresholds, so every class has the same keys).
ordered_json class_figures_json(const ClassSummary& c) {
    ordered_json out = ordered_json::object();
    call_figure_rows(detail::RowVisitor{[&](std::string_view name, auto place, auto) {
                                            if (c.may_be_blocked || !is_blocking_figure(name))
                                                out[std::string(name)] = figure(place(c.figures));
                                        },
                                        [&](std::string_view name, auto place, auto) {
                                            ordered_json by_threshold = ordered_json::object();
                                            const auto& values = place(c.figures);
                                            for (std::size_t i = 0; i < values.size(); ++i)
                                                by_threshold[threshold_label(c.thresholds_s[i])] = figure(values[i]);
                                            out[std::string(name)] = std::move(by_threshold);
                                        }});
    class_only_figure_rows(
        [&](std::string_view name, auto place, auto) { out[std::string(name)] = figure(place(c.figures)); });
    if (c.analytic) out["analytic"] = analytic(c);
    if (c.callbacks) {
        ordered_json callbacks = ordered_json::object();
        for_each_callback_figure(
            *c.callbacks, [&](std::string_view name, const Figure& f) { callbacks[std::string(name)] = figure(f); });
        out["callbacks"] = std::move(callbacks);
    }
    return out;
}

/// The rostered cost of the window per week and per year, beside the window's figure.
void add_cost_per_period(ordered_json& out, const Figure& rostered_cost, const WindowSpan& span) {
    out["cost_per_week"] = figure(scaled(rostered_cost, span.per_week(1)));
    out["cost_per_year"] = figure(scaled(rostered_cost, span.per_year(1)));
}

/// Groups or rooms by name; `fte` per group (empty for rooms).
ordered_json staff_json(const std::vector<StaffSummary>& list, const WindowSpan& span, std::span<const double> fte) {
    ordered_json out = ordered_json::object();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const StaffSummary& s = list[i];
        ordered_json figures = ordered_json::object();
        for_each_staff_figure(
            s.figures, [&](std::string_view name, double, const Figure& f) { figures[std::string(name)] = figure(f); });
        add_cost_per_period(figures, s.figures.rostered_cost, span);
        if (i < fte.size()) figures["fte"] = fte[i];
        out[s.name] = std::move(figures);
    }
    return out;
}

}  // namespace

ordered_json target_json(const TargetResult& t) {
    ordered_json out{{"class", t.class_name}, {"metric", metric_name(t.metric)}, {"threshold_s", t.threshold_s}};
    if (const auto [key, value] = extra_parameter(t); !key.empty()) out[std::string(key)] = value;
    out.update(ordered_json{{"goal", t.goal},
                            {"mean", t.value.mean},
                            {"ci95", t.value.ci95},
                            {"met", t.met},
                            {"p_met", t.p_met},
                            {"confident", t.confident}});
    if (t.backlog) out["backlog"] = true;  // a backlog's response-time target: "class" names the backlog
    // Only for a target with buckets (target_periods.hpp): the others keep their keys.
    if (t.by != TargetSpec::Period::window) {
        out["by"] = target_period(t.by).name;
        out["periods_met"] = is_chance_target(t) ? ordered_json(t.periods_met) : ordered_json(nullptr);
        out["worst_bucket"] =
            ordered_json{{"index", t.worst_bucket + 1}, {"label", bucket_label(t.by, t.worst_bucket)}};
        ordered_json buckets = ordered_json::array();
        for (const BucketResult& b : t.buckets)
            buckets.push_back(ordered_json{{"index", b.index + 1},
                                           {"label", bucket_label(t.by, b.index)},
                                           {"mean", b.value.mean},
                                           {"ci95", b.value.ci95},
                                           {"met", b.met},
                                           {"p_met", b.p_met},
                                           {"confident", b.confident}});
        out["buckets"] = std::move(buckets);
    }
    return out;
}

ordered_json window_json(const std::optional<ReportWindow>& w) {
    if (!w) return nullptr;
    const std::string unit = w->unit == ReportWindow::Unit::week ? "week" : "day";
    return ordered_json{{"from_" + unit, w->from}, {"to_" + unit, w->to}};
}

ordered_json summary_json(const Summary& s) {
    ordered_json out;
    out["scenario"] = s.scenario;
    out["description"] = s.description;
    out["currency"] = s.currency.empty() ? ordered_json(nullptr) : ordered_json(s.currency);
    out["crsim_version"] = s.crsim_version;
    out["scenario_sha256"] = s.scenario_sha256;
    out["seed"] = s.seed;
    out["replications"] = s.replications;
    out["window"] = window_json(s.window);
    ordered_json classes = ordered_json::object();
    for (const ClassSummary& c : s.classes) classes[c.name] = class_figures_json(c);
    out["classes"] = std::move(classes);
    if (!s.deferrables.empty()) {
        ordered_json backlogs = ordered_json::object();
        for (const DeferrableSummary& d : s.deferrables) {
            ordered_json figures = ordered_json::object();
            for_each_deferrable_figure(
                d.figures, [&](std::string_view name, const Figure& f) { figures[std::string(name)] = figure(f); });
            if (std::isfinite(d.target_within_s))
                figures["target"] = {{"within_s", d.target_within_s}, {"goal", d.target_goal}, {"met", d.target_met}};
            backlogs[d.name] = std::move(figures);
        }
        out["deferrable"] = std::move(backlogs);
    }
    out["groups"] = staff_json(s.groups, s.span, s.fte);
    out["rooms"] = staff_json(s.rooms, s.span, {});
    ordered_json total = ordered_json::object();
    for_each_total_figure(
        s.total, [&](std::string_view name, double, const Figure& f) { total[std::string(name)] = figure(f); });
    add_cost_per_period(total, s.total.rostered_cost, s.span);
    double fte = 0;
    for (const double f : s.fte) fte += f;
    total["fte"] = fte;
    out["total"] = std::move(total);
    ordered_json targets = ordered_json::array();
    for (const TargetResult& t : s.targets) targets.push_back(target_json(t));
    out["targets"] = std::move(targets);
    // Only for a scenario with a `verified:` block (staffed.yaml): the others keep their keys.
    if (s.verified) {
        const VerifiedSpec& r = s.verified->recorded;
        ordered_json checks = ordered_json::array();
        for (const TargetCheck& c : s.verified->targets) {
            ordered_json check = target_json(c.target);
            check.update(ordered_json{{"bound", c.bound}, {"clears", c.clears}, {"verdict", verdict_word(c)}});
            if (c.week > 0) check["week"] = c.week;
            if (c.bucket > 0) {
                check.erase("buckets");
                check["bucket"] = ordered_json{{"index", c.bucket}, {"label", bucket_label(c.target.by, c.bucket - 1)}};
                check["buckets_failed"] = c.buckets_failed;
            }
            checks.push_back(std::move(check));
        }
        out["verified"] = ordered_json{{"confidence", r.criterion.confidence},
                                       {"sided", r.criterion.two_sided ? "two" : "one"},
                                       {"every_week", r.criterion.every_week},
                                       {"from_s", r.from_s},
                                       {"to_s", r.to_s},
                                       {"seed", r.seed},
                                       {"replications", r.replications},
                                       {"met", s.verified->met},
                                       {"targets", std::move(checks)}};
    }
    // Only for a scenario with demand keys (triage, channel shift, surges): the others keep their keys.
    if (!s.demand.empty()) {
        ordered_json demand = ordered_json::object();
        for (const DemandSummary& d : s.demand) {
            ordered_json figures = ordered_json::object();
            for_each_demand_figure(d.figures, [&](std::string_view name, double, const Figure& f) {
                figures[std::string(name)] = figure(f);
            });
            demand[d.name] = std::move(figures);
        }
        out["demand"] = std::move(demand);
        ordered_json surges = ordered_json::array();
        for (const ScheduledSurgeSpec& g : s.surges) {
            ordered_json multipliers = ordered_json::object();
            for (std::size_t c = 0; c < g.multipliers.size() && c < s.classes.size(); ++c)
                if (g.multipliers[c] != 1.0) multipliers[s.classes[c].name] = g.multipliers[c];
            surges.push_back(
                ordered_json{{"from_s", g.from_s}, {"to_s", g.to_s}, {"multipliers", std::move(multipliers)}});
        }
        out["surges"] = std::move(surges);
    }
    return out;
}

void write_summary_json(std::ostream& out, const Summary& s) { out << summary_json(s).dump(2) << '\n'; }

}  // namespace crsim::report
