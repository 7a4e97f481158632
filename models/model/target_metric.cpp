#include "crsim/model/target_metric.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "crsim/model/number_text.hpp"
#include "crsim/model/target_periods.hpp"

namespace crsim::model {

namespace {

using figure_math::undefined;

/// The service level at the target's threshold among `levels` (one per threshold), if there is one.
template <class V>
const V* at_threshold(const std::vector<V>& levels, std::span<const double> thresholds_s, double threshold_s) {
    for (std::size_t i = 0; i < thresholds_s.size() && i < levels.size(); ++i)
        if (thresholds_s[i] == threshold_s) return &levels[i];
    return nullptr;
}

constexpr TargetParameter none{"", nullptr, TargetUnit::seconds, ""};

const TargetMetric rows[] = {
    {TargetSpec::Metric::service_level, "service_level", "service_level", "SL", TargetUnit::share, true, "goal",
     TargetParameter{"within", &TargetSpec::threshold_s, TargetUnit::seconds, "threshold_s"}, true,
     [](const ClassResult&, const ClassFigures<double>& f, std::span<const double> thresholds, const TargetSpec& t) {
         const double* v = at_threshold(f.service_level, thresholds, t.threshold_s);
         return v ? *v : undefined;
     },
     [](const CallFigures<Figure>& f, std::span<const double> thresholds, const TargetSpec& t) {
         return at_threshold(f.service_level, thresholds, t.threshold_s);
     },
     [](const CallFigures<double>& f, std::span<const double> thresholds, const TargetSpec& t) {
         const double* v = at_threshold(f.service_level, thresholds, t.threshold_s);
         return v ? *v : undefined;
     },
     [](const ErlangWaits& e, const TargetSpec& t) {
         return e.answered_within(std::max(0.0, t.threshold_s - e.connection_s));
     },
     [](const TargetSpec& t, bool) { return t.goal; }, "answered within {} (%)"},
    {TargetSpec::Metric::abandoned_pct, "abandoned_pct", "abandoned_pct", "aband%", TargetUnit::percent, false, "max",
     none, true,
     [](const ClassResult&, const ClassFigures<double>& f, std::span<const double>, const TargetSpec&) {
         return f.abandoned_pct;
     },
     [](const CallFigures<Figure>& f, std::span<const double>, const TargetSpec&) { return &f.abandoned_pct; },
     [](const CallFigures<double>& f, std::span<const double>, const TargetSpec&) { return f.abandoned_pct; },
     [](const ErlangWaits& e, const TargetSpec&) { return 100 * e.abandoned_share; },
     [](const TargetSpec& t, bool) { return 1 - t.goal / 100; }, "abandoned (%)"},
    {TargetSpec::Metric::asa, "asa_s", "asa", "ASA s", TargetUnit::seconds, false, "max", none, true,
     [](const ClassResult&, const ClassFigures<double>& f, std::span<const double>, const TargetSpec&) {
         return f.asa_s;
     },
     [](const CallFigures<Figure>& f, std::span<const double>, const TargetSpec&) { return &f.asa_s; },
     [](const CallFigures<double>& f, std::span<const double>, const TargetSpec&) { return f.asa_s; },
     [](const ErlangWaits& e, const TargetSpec&) { return e.asa_s; },
     // Without abandonment every call is answered; with it, the ASA alone asks no share.
     [](const TargetSpec&, bool abandons) { return abandons ? 0.0 : 1.0; }, "average wait of answered calls (s)"},
    {TargetSpec::Metric::wait_quantile, "wait_quantile", "wait_quantile", "Wq", TargetUnit::seconds, false, "max",
     TargetParameter{"q", &TargetSpec::q, TargetUnit::share, "q"}, false,
     // The recorder keeps the quantile of each such target; undefined when nothing was answered.
     [](const ClassResult& r, const ClassFigures<double>&, std::span<const double>, const TargetSpec& t) {
         if (r.counts.answered == 0) return undefined;
         for (const auto& [q, wait_s] : r.target_quantiles_s)
             if (q == t.q) return wait_s;
         return undefined;
     },
     // Not measured per period (a quantile is not a sum of counts).
     [](const CallFigures<Figure>&, std::span<const double>, const TargetSpec&) -> const Figure* { return nullptr; },
     [](const CallFigures<double>&, std::span<const double>, const TargetSpec&) { return undefined; },
     // Erlang's answered calls wait at most the goal with probability q exactly when the
     // q-quantile meets it: the goal itself stands for the quantile then, and +inf otherwise.
     [](const ErlangWaits& e, const TargetSpec& t) {
         const double answered = 1 - e.abandoned_share;
         const bool within =
             answered > 0 && e.answered_within(std::max(0.0, t.goal - e.connection_s)) >= t.q * answered;
         return within ? t.goal : std::numeric_limits<double>::infinity();
     },
     [](const TargetSpec&, bool abandons) { return abandons ? 0.0 : 1.0; }, "{} of answered calls waited at most (s)"},
};

}  // namespace

std::span<const TargetMetric> target_metrics() { return rows; }

const TargetMetric& target_metric(TargetSpec::Metric metric) {
    for (const TargetMetric& row : rows)
        if (row.metric == metric) return row;
    throw std::logic_error("target_metric: a metric without its row");
}

const TargetMetric* find_target_metric(std::string_view name) {
    for (const TargetMetric& row : rows)
        if (row.name == name) return &row;
    return nullptr;
}

std::string_view metric_name(TargetSpec::Metric metric) { return target_metric(metric).name; }

double target_parameter(const TargetSpec& target) {
    const TargetParameter& p = target_metric(target.metric).parameter;
    return p.member ? target.*p.member : undefined;
}

std::pair<std::string_view, double> extra_parameter(const TargetSpec& target) {
    const TargetParameter& p = target_metric(target.metric).parameter;
    if (!p.member || p.member == &TargetSpec::threshold_s) return {"", undefined};
    return {p.output_key, target.*p.member};
}

bool same_measure(const TargetSpec& a, const TargetSpec& b) {
    if (a.metric != b.metric) return false;
    if (a.by != b.by || !(a.periods_met == b.periods_met || (std::isnan(a.periods_met) && std::isnan(b.periods_met))))
        return false;
    const double x = target_parameter(a), y = target_parameter(b);
    return x == y || (std::isnan(x) && std::isnan(y));
}

std::string measure_label(const TargetSpec& target) {
    const TargetMetric& row = target_metric(target.metric);
    std::string text(row.name);
    if (row.parameter.member) {
        const double p = target.*row.parameter.member;
        text += ' ';
        text += row.parameter.unit == TargetUnit::seconds ? threshold_label(p) : format_number(p);
    }
    return text;
}

std::string plain_label(const TargetSpec& target) {
    const TargetMetric& row = target_metric(target.metric);
    std::string text(row.words);
    if (const auto at = text.find("{}"); at != std::string::npos && row.parameter.member) {
        const double p = target.*row.parameter.member;
        text.replace(
            at, 2, row.parameter.unit == TargetUnit::seconds ? format_number(p) + " s" : format_number(100 * p) + "%");
    }
    return text;
}

double report_scale(const TargetSpec& target) {
    return target_metric(target.metric).unit == TargetUnit::share ? 100.0 : 1.0;
}

std::string goal_label(const TargetSpec& target) {
    std::string text = measure_label(target);
    text += target_metric(target.metric).minimum ? " >= " : " <= ";
    text += format_number(target.goal);
    if (target.by != TargetSpec::Period::window) text.append(" by ").append(target_period(target.by).name);
    if (is_chance_target(target)) text.append(", periods_met ").append(format_number(target.periods_met));
    return text;
}

bool meets(TargetSpec::Metric metric, double value, double goal) {
    // NaN compares false both ways, so an undefined value never meets a goal.
    return target_metric(metric).minimum ? value >= goal : value <= goal;
}

}  // namespace crsim::model
