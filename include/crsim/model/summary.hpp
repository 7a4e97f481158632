#pragma once
/// \file
/// The reported metrics and their summary across replications: what `crsim run` prints and writes.
///
/// Each metric is computed per replication from that replication's counts, then averaged over the
/// replications with a 95% Student-t half-width. A ratio whose denominator is zero in a replication
/// (no call offered, nobody on duty) is undefined there (NaN) and left out of that figure's mean, so
/// Figure::n may be smaller than the number of replications. The writers in report.hpp only format
/// a Summary; every number they print is computed here.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// The level of every confidence interval reported.
constexpr double confidence_level = 0.95;

/// A metric's mean over the replications that define it, with its 95% Student-t half-width.
struct Figure {
    double mean = std::numeric_limits<double>::quiet_NaN();  ///< NaN when no replication defines it
    double ci95 = std::numeric_limits<double>::quiet_NaN();  ///< NaN when fewer than two define it
    std::size_t n = 0;                                       ///< replications that define it
};

/// Mean and 95% half-width of the defined (non-NaN) entries of `values`.
Figure make_figure(std::span<const double> values);

/// Call figures computable from counts alone, hence also per period. V is double (one replication)
/// or Figure (the summary).
template <class V>
struct CallFigures {
    V offered{};
    V first_attempts{};            ///< offered attempts that were a caller's first
    V repeats{};                   ///< offered attempts by callers ringing again after abandoning
    V answered{};
    V abandoned{};
    V abandoned_pct{};             ///< 100 · abandoned / offered
    V callers_lost{};              ///< abandoned attempts after which the caller gave up for good
    std::vector<V> service_level;  ///< per ClassSpec::thresholds_s: answered within it / offered (0–1)
    V asa_s{};                     ///< average speed of answer: wait of answered calls / answered
    V mean_queue_s{};              ///< time in queue of all offered calls, abandoned ones included / offered
};

/// Whole-run figures of a class: the call figures plus the wait quantiles of answered calls.
template <class V>
struct ClassFigures : CallFigures<V> {
    V wait_p50_s{};
    V wait_p90_s{};
    V wait_p95_s{};
    V wait_p99_s{};
    V max_wait_s{};
};

/// Figures of a staff group or a room.
template <class V>
struct StaffFigures {
    V occupancy{};   ///< busy / available person-time (0–1)
    V handled{};     ///< calls answered
    V paid_hours{};  ///< person-hours on duty, breaks included
    V cost{};        ///< paid hours times cost per hour (overtime at its premium)
    V overtime_hours{};  ///< rostered overtime person-hours (part of paid_hours)
    V overtime_cost{};   ///< the part of cost paid for overtime
};

/// Calls f(metric, threshold_s, value) on each call figure in report order; threshold_s is NaN
/// except for service_level, whose entries are named by `thresholds_s`.
template <class Figures, class F>
void for_each_call_figure(Figures& c, std::span<const double> thresholds_s, F&& f) {
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    f(std::string_view("offered"), none, c.offered);
    f(std::string_view("first_attempts"), none, c.first_attempts);
    f(std::string_view("repeats"), none, c.repeats);
    f(std::string_view("answered"), none, c.answered);
    f(std::string_view("abandoned"), none, c.abandoned);
    f(std::string_view("abandoned_pct"), none, c.abandoned_pct);
    f(std::string_view("callers_lost"), none, c.callers_lost);
    for (std::size_t i = 0; i < c.service_level.size(); ++i)
        f(std::string_view("service_level"), thresholds_s[i], c.service_level[i]);
    f(std::string_view("asa_s"), none, c.asa_s);
    f(std::string_view("mean_queue_s"), none, c.mean_queue_s);
}

/// Calls f(metric, threshold_s, value) on each whole-run class figure in report order.
template <class Figures, class F>
void for_each_class_figure(Figures& c, std::span<const double> thresholds_s, F&& f) {
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    for_each_call_figure(c, thresholds_s, f);
    f(std::string_view("wait_p50_s"), none, c.wait_p50_s);
    f(std::string_view("wait_p90_s"), none, c.wait_p90_s);
    f(std::string_view("wait_p95_s"), none, c.wait_p95_s);
    f(std::string_view("wait_p99_s"), none, c.wait_p99_s);
    f(std::string_view("max_wait_s"), none, c.max_wait_s);
}

/// Calls f(metric, threshold_s (always NaN), value) on each staff figure in report order.
template <class Figures, class F>
void for_each_staff_figure(Figures& s, F&& f) {
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    f(std::string_view("occupancy"), none, s.occupancy);
    f(std::string_view("handled"), none, s.handled);
    f(std::string_view("paid_hours"), none, s.paid_hours);
    f(std::string_view("cost"), none, s.cost);
    f(std::string_view("overtime_hours"), none, s.overtime_hours);
    f(std::string_view("overtime_cost"), none, s.overtime_cost);
}

/// One replication's call figures from a span's counts.
CallFigures<double> call_figures(const ClassCounts& counts);

/// One replication's whole-run class figures; the wait quantiles are NaN when nothing was answered.
ClassFigures<double> class_figures(const ClassResult& result);

/// One replication's figures of a staff group or room.
StaffFigures<double> staff_figures(const StaffCounts& counts);

/// An Erlang estimate of a class's whole-run figures (`crsim run --analytic`; see capacity_check.hpp).
/// NaN where undefined, and every figure NaN when some interval is overloaded.
struct AnalyticFigures {
    std::vector<double> service_level;  ///< per ClassSpec::thresholds_s (0–1)
    double asa_s = std::numeric_limits<double>::quiet_NaN();          ///< mean wait of answered calls, connection included
    double abandoned_pct = std::numeric_limits<double>::quiet_NaN();  ///< 0 under Erlang C
    double mean_queue_s = std::numeric_limits<double>::quiet_NaN();   ///< time in queue over offered calls
    bool erlang_a = false;                  ///< Erlang A (the class has a patience) rather than Erlang C
    std::size_t intervals = 0;              ///< intervals with offered calls that were estimated
    std::size_t overloaded_intervals = 0;   ///< of those, intervals where Erlang C is unstable
    std::string first_overloaded;           ///< label of the first overloaded interval ("Sat 23:00–24:00"), or empty
};

/// A call class across replications.
struct ClassSummary {
    std::string name;
    std::vector<double> thresholds_s;  ///< names the entries of figures.service_level
    ClassFigures<Figure> figures;
    std::optional<AnalyticFigures> analytic = std::nullopt;  ///< set by `crsim run --analytic` only
};

/// A staff group or room across replications.
struct StaffSummary {
    std::string name;
    StaffFigures<Figure> figures;
};

/// One kind of period (day, week or hour of the week) across replications. Figures with n == 0
/// are not reported: undefined in every replication, or in a day or week wholly inside the warm-up.
struct PeriodSummary {
    std::vector<std::vector<CallFigures<Figure>>> classes;  ///< [class][period]
    std::vector<std::vector<StaffFigures<Figure>>> groups;  ///< [group][period]
    std::vector<std::vector<StaffFigures<Figure>>> rooms;   ///< [room][period]
};

/// The JSON name of a target's metric: service_level, abandoned_pct or asa_s.
std::string_view metric_name(TargetSpec::Metric metric);

/// One target of a class judged against the summary.
struct TargetResult {
    std::size_t class_index = 0;
    std::string class_name;
    TargetSpec::Metric metric = TargetSpec::Metric::service_level;
    double threshold_s = std::numeric_limits<double>::quiet_NaN();  ///< NaN unless service_level
    double goal = 0;   ///< a minimum for service_level, a maximum otherwise
    Figure value;      ///< the class's figure the goal applies to
    bool met = false;  ///< the mean meets the goal (false when undefined)
    double p_met = std::numeric_limits<double>::quiet_NaN();  ///< share of defining replications meeting it
    bool confident = false;  ///< the whole confidence interval meets the goal (false without one)
};

/// Each replication's own whole-run figures, for replications.csv.
struct ReplicationFigures {
    std::vector<ClassFigures<double>> classes;  ///< per ScenarioSpec::classes
    std::vector<StaffFigures<double>> groups;   ///< per ScenarioSpec::groups
    std::vector<StaffFigures<double>> rooms;    ///< per ScenarioSpec::rooms
};

/// Everything `crsim run` reports about a scenario; classes, groups and rooms in scenario order.
struct Summary {
    std::string scenario;         ///< ScenarioSpec::name
    std::string crsim_version;    ///< the version that produced it
    std::string scenario_sha256;  ///< ScenarioSpec::sha256
    std::uint64_t seed = 0;
    std::size_t replications = 0;
    std::vector<ClassSummary> classes;
    std::vector<StaffSummary> groups;
    std::vector<StaffSummary> rooms;
    std::vector<TargetResult> targets;  ///< each class's targets in scenario order
    PeriodSummary days;                 ///< index 0 = day 1
    PeriodSummary weeks;                ///< index 0 = week 1
    PeriodSummary hours_of_week;        ///< index 0 = Monday 00:00–01:00
    std::vector<ReplicationFigures> per_replication;  ///< index 0 = replication 1
};

/// Judges target `t` (metric and goal set) from its class figure in each replication: sets its
/// value (mean and 95% half-width), met, p_met and confident, as summarise() does.
void judge_target(TargetResult& t, std::span<const double> per_replication);

/// Summarises `results` (replication r at index r) of `spec` run with `seed`. Throws
/// std::invalid_argument when a result's shape does not match the scenario.
Summary summarise(const ScenarioSpec& spec, std::span<const ReplicationResult> results, std::uint64_t seed);

}  // namespace crsim::model
