#pragma once
/// \file
/// The target metrics: one row each, saying everything any command needs to know about a metric a
/// class's target may name — its name in a scenario and in every output, its unit, whether its goal
/// is a minimum or a maximum, how it is read from a scenario, and how it is measured (in one
/// replication, and in one period when it is measured per period). The loader, the summary,
/// `compare`, `--precision`, `crsim staff`, the sweep store and the reports all ask this table, so
/// a new target metric is one row here plus the counts the recorder keeps for it.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "crsim/model/summary.hpp"

namespace crsim::model {

/// The unit of a target's figure and goal.
enum class TargetUnit {
    share,    ///< 0–1 (a scenario writes 80% or 0.8)
    percent,  ///< 0–100 (a scenario writes 10%)
    seconds,  ///< a duration (a scenario writes 20s, 2min)
};

/// How a target metric's parameter (the service level's threshold) is written in a scenario.
struct TargetParameter {
    std::string_view key;         ///< its key in the scenario's target ("within"), empty: none
    double TargetSpec::*member;   ///< where TargetSpec keeps it
    TargetUnit unit;              ///< how it is read
    std::string_view output_key;  ///< its key in summary.json's targets and in targets.csv
};

/// An Erlang queue's answer-time figures, as the staffing requirements estimate them per hour.
struct ErlangWaits {
    std::function<double(double)> answered_within;  ///< share of offered calls answered within a wait (s)
    double asa_s = 0;                               ///< mean wait of answered calls, connection included
    double abandoned_share = 0;                     ///< 0–1
    double connection_s = 0;                        ///< added to every measured answer time
};

/// One target metric (see the file comment).
struct TargetMetric {
    TargetSpec::Metric metric;
    std::string_view name;           ///< in every output: summary.json, targets.csv, compare, staffing.json
    std::string_view scenario_name;  ///< `metric:` in a scenario's target
    std::string_view column;         ///< short heading of the weekly table ("aband%")
    TargetUnit unit;                 ///< of the figure and its goal
    bool minimum;                    ///< the goal is a minimum (higher is better), else a maximum
    std::string_view goal_key;       ///< the goal's key in a scenario's target ("goal", "max")
    TargetParameter parameter;       ///< its parameter, if any (parameter.key empty: none)
    /// Its figure is one of the class figures every run reports (summary.csv's class rows); else
    /// the sweep store keeps it in a row of its own (metric: name, threshold_s: the parameter).
    bool reported;
    /// The target's figure in one replication (NaN where undefined); `counts` holds what the
    /// recorder kept for it, `figures` the class's whole-run figures computed from them.
    double (*replication_value)(const ClassResult& counts, const ClassFigures<double>& figures,
                                std::span<const double> thresholds_s, const TargetSpec& target);
    /// The target's figure among one period's call figures (days, weeks, hours of the week), or
    /// nullptr where the metric is not measured per period or the period lacks its parameter.
    const Figure* (*period_figure)(const CallFigures<Figure>& figures, std::span<const double> thresholds_s,
                                   const TargetSpec& target);
    /// The same in one replication's period (a bucket of a target with `by`, target_periods.hpp):
    /// NaN where undefined or not measured per period.
    double (*period_value)(const CallFigures<double>& figures, std::span<const double> thresholds_s,
                           const TargetSpec& target);
    /// The target's figure estimated by Erlang C/A (the staffing search's first requirements), or any
    /// figure that meets the goal exactly when that estimate does.
    double (*erlang_figure)(const ErlangWaits& waits, const TargetSpec& target);
    /// The share of a class's calls that must be answered to meet the target, for the fluid lower
    /// bound; `abandons`: the class has a patience.
    double (*answered_share)(const TargetSpec& target, bool abandons);
    /// Plain words for reports, with the unit; "{}" stands for the parameter ("answered within {} (%)").
    std::string_view words;
};

/// Every target metric, in the order a scenario lists them in messages.
std::span<const TargetMetric> target_metrics();

/// The row of `metric`.
const TargetMetric& target_metric(TargetSpec::Metric metric);

/// The row whose output name is `name`, or nullptr.
const TargetMetric* find_target_metric(std::string_view name);

/// The output name of a target's metric: service_level, abandoned_pct, asa_s, ...
std::string_view metric_name(TargetSpec::Metric metric);

/// The target's parameter (NaN when its metric has none).
double target_parameter(const TargetSpec& target);

/// The key and value of a target's parameter in outputs other than `threshold_s` (e.g. `q`), or
/// an empty key when it has none or it is the threshold.
std::pair<std::string_view, double> extra_parameter(const TargetSpec& target);

/// Whether two targets measure the same figure: the same metric with the same parameter, over the
/// same buckets (`by`) with the same chance (periods_met).
bool same_measure(const TargetSpec& a, const TargetSpec& b);

/// "service_level 10s", "asa_s": a target's metric with its parameter, as every table names it.
std::string measure_label(const TargetSpec& target);

/// "answered within 10 s (%)", "average wait (s)": a target's figure in plain words with its unit,
/// for reports; a share is shown as a percentage (report_scale).
std::string plain_label(const TargetSpec& target);

/// What a report multiplies a target's figure and goal by to show them in plain_label's unit:
/// 100 for a share (shown as a percentage), else 1.
double report_scale(const TargetSpec& target);

/// "service_level 10s >= 0.9": the target with its goal, then " by week" and ", periods_met 0.8"
/// for a target with buckets and chance (target_periods.hpp).
std::string goal_label(const TargetSpec& target);

/// Whether `value` meets the goal of a target of `metric`: at least the goal for a minimum, at
/// most it for a maximum. NaN (undefined) never meets a goal.
bool meets(TargetSpec::Metric metric, double value, double goal);

}  // namespace crsim::model
