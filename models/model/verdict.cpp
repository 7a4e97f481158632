#include "crsim/model/verdict.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "crsim/model/number_text.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"

namespace crsim::model {

namespace {

/// The Student-t quantile with n − 1 degrees of freedom.
double t_quantile(double p, std::size_t n) {
    return boost::math::quantile(boost::math::students_t(static_cast<double>(n - 1)), p);
}

TargetCheck check(const TargetResult& t, int week, const VerdictCriterion& criterion) {
    TargetCheck c;
    c.target = t;
    c.week = week;
    const Figure& f = t.value;
    const bool minimum = judged_minimum(t);
    const double goal = judged_goal(t);
    if (std::isnan(f.mean) || f.n < 2) {
        c.bound = std::numeric_limits<double>::quiet_NaN();
        c.clears = false;
        c.shortfall = 1;
        return c;
    }
    // ci95 is the 95% two-sided half-width: back to the standard error, then to the criterion's quantile.
    const double se = std::isnan(f.ci95) ? 0.0 : f.ci95 / t_quantile(0.975, f.n);
    const double p = criterion.two_sided ? (1 + criterion.confidence) / 2 : criterion.confidence;
    const double margin = t_quantile(p, f.n) * se;
    c.bound = minimum ? f.mean - margin : f.mean + margin;
    c.clears = minimum ? c.bound >= goal : c.bound <= goal;
    const double scale = std::max(std::abs(goal), 1e-9);
    c.shortfall = c.clears ? 0.0 : std::max(0.0, minimum ? (goal - c.bound) / scale : (c.bound - goal) / scale);
    return c;
}

/// A target that must hold in every bucket: each bucket checked, the worst (least slack) kept,
/// clearing only when every bucket clears; its shortfall sums those of the buckets that miss.
TargetCheck check_every_bucket(const TargetResult& t, const VerdictCriterion& criterion) {
    std::optional<TargetCheck> worst;
    std::size_t failed = 0;
    double shortfall = 0;
    const bool minimum = target_metric(t.metric).minimum;
    const auto slack = [&](const TargetCheck& x) { return minimum ? x.bound - t.goal : t.goal - x.bound; };
    for (const BucketResult& b : t.buckets) {
        TargetResult bucket = t;
        bucket.value = b.value;
        bucket.met = b.met;
        bucket.p_met = b.p_met;
        bucket.confident = b.confident;
        TargetCheck bc = check(bucket, 0, criterion);
        bc.bucket = b.index + 1;
        if (!bc.clears) {
            ++failed;
            shortfall += bc.shortfall;
        }
        // NaN slack (no bound) is worse than any number.
        if (!worst || !(slack(bc) >= slack(*worst))) worst = std::move(bc);
    }
    if (!worst) return check(t, 0, criterion);  // no bucket with calls: undefined, does not clear
    // The target as summarised (its verdict over all buckets), with the figure of the bucket judged.
    worst->target = t;
    for (const BucketResult& b : t.buckets)
        if (b.index + 1 == worst->bucket) worst->target.value = b.value;
    worst->clears = failed == 0;
    worst->buckets_failed = failed;
    worst->shortfall = shortfall;
    return *worst;
}

}  // namespace

std::vector<TargetCheck> judge_targets(const ScenarioSpec& spec, const Summary& summary,
                                       const VerdictCriterion& criterion) {
    std::vector<TargetCheck> checks;
    for (const TargetResult& t : summary.targets) {
        // A target with buckets is judged on them; every_week does not apply to it.
        if (t.by != TargetSpec::Period::window && !is_chance_target(t)) {
            checks.push_back(check_every_bucket(t, criterion));
            continue;
        }
        checks.push_back(check(t, 0, criterion));
        if (!criterion.every_week || t.by != TargetSpec::Period::window) continue;
        const bool minimum = target_metric(t.metric).minimum;
        // Every week of the window: keep the worst week of each target.
        std::optional<TargetCheck> worst;
        const auto& weeks = summary.weeks.classes[t.class_index];
        const ClassSpec& c = spec.classes[t.class_index];
        const auto slack = [&](const TargetCheck& x) { return minimum ? x.bound - t.goal : t.goal - x.bound; };
        for (std::size_t w = 0; w < weeks.size(); ++w) {
            const Figure* f = target_metric(t.metric).period_figure(weeks[w], c.thresholds_s, t);
            if (f == nullptr) break;  // not measured per week: judged overall only
            TargetResult weekly = t;
            weekly.value = *f;
            if (weekly.value.n == 0) continue;  // a week outside the window
            weekly.met = minimum ? weekly.value.mean >= t.goal : weekly.value.mean <= t.goal;
            const TargetCheck wc = check(weekly, static_cast<int>(w) + 1, criterion);
            if (!worst || !(slack(wc) >= slack(*worst))) worst = wc;
        }
        if (worst) checks.push_back(*worst);
    }
    for (std::size_t d = 0; d < summary.deferrables.size(); ++d)
        if (const auto t = backlog_target(summary, d)) checks.push_back(check(*t, 0, criterion));
    return checks;
}

std::vector<TargetResult> every_target(const Summary& summary) {
    std::vector<TargetResult> targets = summary.targets;
    for (std::size_t d = 0; d < summary.deferrables.size(); ++d)
        if (auto t = backlog_target(summary, d)) targets.push_back(std::move(*t));
    return targets;
}

std::optional<TargetResult> backlog_target(const Summary& summary, std::size_t index) {
    const DeferrableSummary& backlog = summary.deferrables.at(index);
    if (!std::isfinite(backlog.target_within_s)) return std::nullopt;
    TargetResult t;
    t.metric = TargetSpec::Metric::service_level;
    t.threshold_s = backlog.target_within_s;
    t.goal = backlog.target_goal;
    t.class_index = index;
    t.class_name = backlog.name;
    t.backlog = true;
    std::vector<double> shares;
    for (const ReplicationFigures& rf : summary.per_replication)
        shares.push_back(rf.deferrables.at(index).within_target_share);
    judge_target(t, shares);
    return t;
}

bool all_clear(const std::vector<TargetCheck>& checks) {
    for (const TargetCheck& c : checks)
        if (!c.clears) return false;
    return true;
}

std::string_view verdict_word(const TargetCheck& check) { return check.clears ? "met" : "NOT MET"; }

std::string judged_on(const TargetCheck& check) {
    if (check.week > 0) return std::to_string(check.week);
    if (check.bucket > 0) return bucket_label(check.target.by, check.bucket - 1);
    return "all";
}

std::string describe(const VerdictCriterion& criterion) {
    return std::string(criterion.two_sided ? "two-sided " : "one-sided ") + format_number(100 * criterion.confidence) +
           "%" + (criterion.every_week ? " in every week" : "");
}

}  // namespace crsim::model
