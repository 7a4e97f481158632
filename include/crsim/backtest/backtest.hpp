#pragma once
/// \file
/// `crsim backtest`: a scenario simulated over exactly a call log's dates, and what happened set
/// beside what the simulation predicts, per class, overall and by hour of day.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::backtest {

/// A problem that stops a backtest (a period the scenario cannot cover, no call in it).
struct BacktestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One figure: observed in the log, and over the replications.
struct Comparison {
    double observed = 0;             ///< NaN when undefined in the log (e.g. ASA with nothing answered)
    double mean = 0;                 ///< mean over the replications where the figure is defined
    double ci95 = 0;                 ///< Student-t half-width of the mean (NaN with fewer than 2 values)
    double pi_low = 0, pi_high = 0;  ///< 95% prediction interval for one replication (NaN below 2 values)
    std::size_t n = 0;               ///< replications where the figure is defined
    /// observed inside [pi_low, pi_high]; nothing when either side is undefined.
    std::optional<bool> inside() const;
};

/// Figures of one scope (a class, or all classes) in the order of BacktestResult::metrics.
using Figures = std::vector<Comparison>;

/// Everything a backtest reports.
struct BacktestResult {
    std::string scenario, log;
    std::int64_t first_day = 0, last_day = 0;  ///< the period, inclusive day numbers
    std::size_t replications = 0;
    std::uint64_t seed = 0;
    /// offered, answered, abandoned_pct, asa_s, then service_level_<T> for each threshold of the
    /// scenario's targets (a class without that threshold has no such figure: NaN).
    std::vector<std::string> metrics;
    std::vector<double> thresholds_s;
    std::vector<std::string> classes;
    std::vector<Figures> by_class;  ///< [class]
    Figures overall;
    std::vector<std::vector<Figures>> by_hour;  ///< [hour 0-23][class]
    std::vector<Figures> by_hour_overall;       ///< [hour 0-23]
    /// Over the hours of day with at least hourly_min_calls observed calls, for abandoned_pct, asa_s
    /// and each service level (metric index >= 2): the mean absolute difference between observed and
    /// simulated mean (NaN for the volumes), and how many of those hourly figures lie inside their PI.
    std::vector<double> hourly_mae;
    std::size_t hourly_inside = 0, hourly_total = 0;
    /// Erlang A hour by hour from the same inputs (with inputs from the log): per hour of day the
    /// figures it predicts (by metric index; NaN for the volumes), and their MAE as hourly_mae's.
    bool has_erlang_a = false;
    std::vector<std::vector<double>> erlang_a_by_hour;  ///< [hour 0-23][metric]
    std::vector<double> erlang_a_mae;
    std::vector<std::int64_t> missing_days;  ///< days of the period missing from the log: left out of both sides
    std::vector<std::string> warnings;       ///< log classes not in the scenario, a changed horizon
};

/// How to run a backtest.
struct BacktestOptions {
    std::optional<std::int64_t> from_day, to_day;  ///< default: the log's first and last day
    std::size_t replications = 0;                  ///< 0: the scenario's
    std::optional<std::uint64_t> seed;             ///< default: the scenario's
    unsigned threads = 0;                          ///< 0: all cores
    /// The period's arrivals, staffing and handle times from the log (inputs_from_log.hpp).
    bool inputs_from_log = false;
};

/// A backtest before it runs: the period, and the scenario as it will be simulated over it, so
/// that the work limits can be checked first.
struct BacktestPlan {
    model::ScenarioSpec spec;  ///< warm-up and horizon set to the period
    /// With inputs from the log: people on duty [day of the period][hour], for the Erlang-A baseline.
    std::vector<std::vector<double>> people;
    std::int64_t first_day = 0, last_day = 0;
    std::size_t replications = 0;
    std::vector<std::string> warnings;
};

/// Hours of day with fewer observed calls than this are left out of the hourly summaries.
inline constexpr double hourly_min_calls = 50;

/// The plan of a backtest of `spec` against `log`. Throws BacktestError for a log without calls, a
/// period that is empty, starts before the scenario's start_date, makes a run longer than a
/// scenario may last, or holds no call of the scenario's classes.
BacktestPlan plan_backtest(model::ScenarioSpec spec, const calllog::CallLog& log, const BacktestOptions& options);

/// Runs a plan and compares.
BacktestResult run_backtest(const BacktestPlan& plan, const calllog::CallLog& log, const std::string& log_name,
                            const BacktestOptions& options);

/// Simulates `spec` over the log's period and compares. When the scenario has a start_date the
/// run starts there and the days before the period are a warm-up (the period must not start before
/// it); without one, t = 0 is the period's first midnight. The horizon ends with the period.
BacktestResult run_backtest(model::ScenarioSpec spec, const calllog::CallLog& log, const std::string& log_name,
                            const BacktestOptions& options);

/// The JSON report: {"scenario", "log", "from", "to", "replications", "seed", "classes": {CLASS:
/// {METRIC: {"observed", "simulated": {"mean", "ci95"}, "pi95": [lo, hi], "inside"}}}, "overall":
/// {METRIC: ...}, "by_hour": [{"hour", "classes": {...}, "overall": {...}}, ...]}.
std::string backtest_json(const BacktestResult& result);

/// The same as CSV rows: scope,class,hour,metric,observed,mean,ci95,pi_low,pi_high,inside.
std::string backtest_csv(const BacktestResult& result);

/// A readable table: each class and overall, then by hour of day (all classes).
void write_backtest_table(std::ostream& out, const BacktestResult& result);

}  // namespace crsim::backtest
