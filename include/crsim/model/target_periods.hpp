#pragma once
/// \file
/// Targets per period: a target with `by` holds in each bucket of the window (each hour of the day,
/// hour of the week, day or week), each bucket's figure pooled over the window in a replication
/// (the calls arriving between 09:00 and 10:00 on every day of it, for an hour of the day), and
/// buckets without calls are skipped. Without `periods_met` every bucket must meet the goal; with
/// it (a chance target) the share of the buckets meeting the goal, a figure of each replication,
/// must be at least periods_met. The buckets are cut from the counts the recorder keeps per day,
/// week and hour of the week, so they cost the simulation nothing.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/summary.hpp"

namespace crsim::model {

/// One way of cutting the window into buckets (a target's `by:`).
struct TargetPeriod {
    TargetSpec::Period period;
    std::string_view name;    ///< in a scenario and in every output: "hour_of_day"
    std::string_view plural;  ///< in words: "hours of the day"
};

/// Every period a target may be judged by, the whole window first.
std::span<const TargetPeriod> target_periods();

/// The row of `period`.
const TargetPeriod& target_period(TargetSpec::Period period);

/// A bucket in words: "09:00–10:00" (hour of the day), "Mon 09:00–10:00" (hour of the week),
/// "day 3", "week 14" (counted from the start of the run, as periods.csv counts them); `index` from 0.
std::string bucket_label(TargetSpec::Period period, std::size_t index);

/// The goal the target's judged figure is held to: periods_met for a chance target, else the goal.
double judged_goal(const TargetSpec& target);

/// The judged figure's goal is a minimum: a chance target's always is.
bool judged_minimum(const TargetSpec& target);

/// A chance target: `by` with `periods_met`.
bool is_chance_target(const TargetSpec& target);

/// The first `n` of a target's buckets, worst first by the mean (the lowest for a minimum), equals in
/// bucket order: what every table and report names.
std::vector<const BucketResult*> worst_buckets(const TargetResult& target, std::size_t n);

/// How many of a target's buckets meet the goal on the mean.
std::size_t buckets_met(const TargetResult& target);

/// The target's figure in one bucket in each replication (NaN where it had no calls).
struct BucketSeries {
    std::size_t index = 0;       ///< the bucket, from 0
    std::vector<double> values;  ///< per replication
};

/// The buckets of `target` (by other than the window) of class `cls`, those with a call in some
/// replication: days and weeks overlapping the measured window ([window) under --window, else
/// [warm-up, horizon)); hours of the day and of the week pooled over the same window.
std::vector<BucketSeries> bucket_series(const ScenarioSpec& spec, std::span<const ReplicationResult> results,
                                        std::size_t cls, const TargetSpec& target);

/// Judges target `t` (with `by`) from its buckets: sets buckets, worst_bucket, value, met, p_met and
/// confident (see TargetResult), and returns the judged figure in each replication (the worst
/// bucket's value, or the share of buckets met) for replications.csv.
std::vector<double> judge_bucketed_target(TargetResult& t, std::span<const BucketSeries> buckets,
                                          std::size_t replications);

}  // namespace crsim::model
