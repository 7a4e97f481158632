#include "crsim/model/target_periods.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "crsim/model/interval_load.hpp"
#include "crsim/model/target_metric.hpp"

namespace crsim::model {

namespace {

using figure_math::undefined;

const TargetPeriod period_rows[] = {
    {TargetSpec::Period::window, "window", "the window"},
    {TargetSpec::Period::hour_of_day, "hour_of_day", "hours of the day"},
    {TargetSpec::Period::hour_of_week, "hour_of_week", "hours of the week"},
    {TargetSpec::Period::day, "day", "days"},
    {TargetSpec::Period::week, "week", "weeks"},
};

bool meets_judged(const TargetSpec& t, double value) {
    return judged_minimum(t) ? value >= judged_goal(t) : value <= judged_goal(t);
}

/// Sets value, met, p_met and confident of `r` from `values` (one per replication) against the
/// judged goal, as judge_target does for a whole-window target.
template <class Result>
void judge_values(Result& r, const TargetSpec& t, std::span<const double> values) {
    r.value = make_figure(values);
    r.met = meets_judged(t, r.value.mean);
    const double edge = judged_minimum(t) ? r.value.mean - r.value.ci95 : r.value.mean + r.value.ci95;
    r.confident = !std::isnan(r.value.ci95) && meets_judged(t, edge);
    std::size_t defined = 0, meeting = 0;
    for (const double v : values) {
        if (std::isnan(v)) continue;
        ++defined;
        meeting += meets_judged(t, v);
    }
    r.p_met = defined > 0 ? static_cast<double>(meeting) / static_cast<double>(defined) : undefined;
}

}  // namespace

std::span<const TargetPeriod> target_periods() { return period_rows; }

const TargetPeriod& target_period(TargetSpec::Period period) {
    for (const TargetPeriod& row : period_rows)
        if (row.period == period) return row;
    throw std::logic_error("target_period: a period without its row");
}

std::string bucket_label(TargetSpec::Period period, std::size_t index) {
    const double hour = static_cast<double>(index) * seconds_per_hour;
    switch (period) {
        case TargetSpec::Period::window:
            return "window";
        case TargetSpec::Period::hour_of_day:
            return week_span_label(hour, hour + seconds_per_hour).substr(4);  // without the weekday
        case TargetSpec::Period::hour_of_week:
            return week_span_label(hour, hour + seconds_per_hour);
        case TargetSpec::Period::day:
            return "day " + std::to_string(index + 1);
        case TargetSpec::Period::week:
            return "week " + std::to_string(index + 1);
    }
    return {};
}

bool is_chance_target(const TargetSpec& target) {
    return target.by != TargetSpec::Period::window && !std::isnan(target.periods_met);
}

double judged_goal(const TargetSpec& target) { return is_chance_target(target) ? target.periods_met : target.goal; }

bool judged_minimum(const TargetSpec& target) {
    return is_chance_target(target) || target_metric(target.metric).minimum;
}

std::vector<const BucketResult*> worst_buckets(const TargetResult& target, std::size_t n) {
    std::vector<const BucketResult*> order;
    for (const BucketResult& b : target.buckets) order.push_back(&b);
    const bool minimum = target_metric(target.metric).minimum;
    std::stable_sort(order.begin(), order.end(), [&](const BucketResult* a, const BucketResult* b) {
        return minimum ? a->value.mean < b->value.mean : a->value.mean > b->value.mean;
    });
    if (order.size() > n) order.resize(n);
    return order;
}

std::size_t buckets_met(const TargetResult& target) {
    return static_cast<std::size_t>(
        std::count_if(target.buckets.begin(), target.buckets.end(), [](const BucketResult& b) { return b.met; }));
}

std::vector<BucketSeries> bucket_series(const ScenarioSpec& spec, std::span<const ReplicationResult> results,
                                        std::size_t cls, const TargetSpec& target) {
    const TargetMetric& metric = target_metric(target.metric);
    const std::vector<double>& thresholds = spec.classes.at(cls).thresholds_s;
    const double from_s = spec.window ? spec.window->from_s : spec.warmup_s;
    const double to_s = spec.window ? spec.window->to_s : spec.horizon_s;
    // Which series holds the counts, how many buckets there are, and which bucket each period feeds.
    PeriodSeries ReplicationResult::*series = &ReplicationResult::hours_of_week;
    std::size_t buckets = 0;
    double period_s = 0;  // days and weeks: their length, to keep those overlapping the window
    switch (target.by) {
        case TargetSpec::Period::window:
            throw std::invalid_argument("bucket_series: a target over the whole window has no buckets");
        case TargetSpec::Period::hour_of_day:
            buckets = 24;
            break;
        case TargetSpec::Period::hour_of_week:
            buckets = 168;
            break;
        case TargetSpec::Period::day:
            series = &ReplicationResult::days;
            period_s = seconds_per_day;
            break;
        case TargetSpec::Period::week:
            series = &ReplicationResult::weeks;
            period_s = seconds_per_week;
            break;
    }
    if (period_s > 0) buckets = static_cast<std::size_t>(std::ceil(to_s / period_s));
    const auto bucket_of = [&](std::size_t period) -> std::size_t {
        if (period_s == 0) return target.by == TargetSpec::Period::hour_of_day ? period % 24 : period;
        const double start = static_cast<double>(period) * period_s;
        return start < to_s && start + period_s > from_s ? period : buckets;  // buckets: outside the window
    };
    std::vector<BucketSeries> out(buckets);
    for (std::size_t b = 0; b < buckets; ++b) out[b].index = b;
    std::vector<ClassCounts> pooled(buckets);
    for (const ReplicationResult& r : results) {
        for (ClassCounts& c : pooled) {
            c = ClassCounts{};
            c.answered_within.assign(thresholds.size(), 0);
        }
        const auto& periods = r.*series;
        if (cls < periods.classes.size())
            for (std::size_t p = 0; p < periods.classes[cls].size(); ++p)
                if (const std::size_t b = bucket_of(p); b < buckets) pooled[b].add(periods.classes[cls][p]);
        for (std::size_t b = 0; b < buckets; ++b)
            out[b].values.push_back(
                pooled[b].offered > 0 ? metric.period_value(call_figures(pooled[b]), thresholds, target) : undefined);
    }
    std::erase_if(out, [](const BucketSeries& b) {
        return std::all_of(b.values.begin(), b.values.end(), [](double v) { return std::isnan(v); });
    });
    return out;
}

std::vector<double> judge_bucketed_target(TargetResult& t, std::span<const BucketSeries> buckets,
                                          std::size_t replications) {
    t.buckets.clear();
    const bool minimum = target_metric(t.metric).minimum;
    for (const BucketSeries& b : buckets) {
        BucketResult r;
        r.index = b.index;
        TargetSpec plain = t;  // a bucket is judged against the goal itself
        plain.periods_met = undefined;
        judge_values(r, plain, b.values);
        t.buckets.push_back(r);
    }
    // The worst bucket by its mean; the first of equals.
    const BucketResult* worst = nullptr;
    for (const BucketResult& r : t.buckets)
        if (worst == nullptr || (minimum ? r.value.mean < worst->value.mean : r.value.mean > worst->value.mean))
            worst = &r;
    t.worst_bucket = worst ? worst->index : 0;
    std::vector<double> per_replication(replications, undefined);
    if (is_chance_target(t)) {
        // Each replication's share of its buckets (those with calls) that meet the goal.
        for (std::size_t r = 0; r < replications; ++r) {
            std::size_t defined = 0, meeting = 0;
            for (const BucketSeries& b : buckets) {
                const double v = r < b.values.size() ? b.values[r] : undefined;
                if (std::isnan(v)) continue;
                ++defined;
                meeting += meets(t.metric, v, t.goal);
            }
            if (defined > 0) per_replication[r] = static_cast<double>(meeting) / static_cast<double>(defined);
        }
        judge_values(t, t, per_replication);
        return per_replication;
    }
    // Every bucket must meet the goal: the figure is the worst bucket's, met when all are.
    for (const BucketSeries& b : buckets)
        if (worst && b.index == worst->index)
            for (std::size_t r = 0; r < replications && r < b.values.size(); ++r) per_replication[r] = b.values[r];
    t.value = worst ? worst->value : Figure{};
    t.met = !t.buckets.empty() && std::all_of(t.buckets.begin(), t.buckets.end(), [](auto& b) { return b.met; });
    t.confident =
        !t.buckets.empty() && std::all_of(t.buckets.begin(), t.buckets.end(), [](auto& b) { return b.confident; });
    // p_met: the replications in which every bucket with calls meets the goal.
    std::size_t defined = 0, meeting = 0;
    for (std::size_t r = 0; r < replications; ++r) {
        bool any = false, all = true;
        for (const BucketSeries& b : buckets) {
            const double v = r < b.values.size() ? b.values[r] : undefined;
            if (std::isnan(v)) continue;
            any = true;
            all = all && meets(t.metric, v, t.goal);
        }
        defined += any;
        meeting += any && all;
    }
    t.p_met = defined > 0 ? static_cast<double>(meeting) / static_cast<double>(defined) : undefined;
    return per_replication;
}

}  // namespace crsim::model
