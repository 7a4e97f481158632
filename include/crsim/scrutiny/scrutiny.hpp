#pragma once
/// \file
/// `crsim scrutiny`: each reported week set against the model's 95% prediction band for one week,
/// a before/after test whose null distribution comes from simulation, and a CUSUM detector on the
/// standardised weekly residuals with its false-alarm rate measured on the simulated weeks.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/scrutiny/weekly_kpis.hpp"

namespace crsim::scrutiny {

/// A problem that stops a scrutiny (a week the scenario cannot place, no week of its classes).
struct ScrutinyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Where each week's demand comes from: the scenario's arrival rates, or the offered calls the week
/// reports (each class's rate in that week scaled so that its mean is the reported figure).
enum class Demand { scenario, reported };

/// The figures judged for every reported row: `offered` (not with reported demand, which then
/// drives the simulation), `abandoned_pct`, `asa_s`, then `service_level_<T>` per threshold.
std::vector<std::string> metric_names(const WeeklyKpis& kpis, Demand demand);

/// The reported weeks placed in the scenario's run, and the scenario as it is simulated over them.
struct WeekPlan {
    model::ScenarioSpec spec;              ///< horizon through the last week; the file's thresholds added
    std::vector<std::size_t> rows;         ///< the rows of the file judged (those of the scenario's classes)
    std::vector<std::size_t> run_week;     ///< per entry of rows: week of the run, 0-based
    std::vector<std::size_t> class_index;  ///< per entry of rows: index into spec.classes
    std::vector<std::string> metrics;      ///< metric_names(kpis, demand)
    std::vector<std::string> warnings;     ///< rows of classes the scenario lacks, a longer horizon
};

/// Places every row of `kpis` in the run of `spec` (week 1 starts on start_date). Throws
/// ScrutinyError when the scenario has no start_date, a week does not start on a week boundary of
/// the run, starts before the end of the warm-up, or no row is of a class of the scenario.
WeekPlan plan_weeks(model::ScenarioSpec spec, const WeeklyKpis& kpis, Demand demand);

/// The figures of `plan.metrics` for one row, observed (NaN where not reported).
std::vector<double> observed_figures(const WeekPlan& plan, const WeeklyKpis& kpis, std::size_t entry);

/// values[entry][metric][r]: the figures of every judged row in replication r (NaN where undefined).
using SimulatedFigures = std::vector<std::vector<std::vector<double>>>;

/// Simulates `replications` replications of plan.spec (streams from (seed, r), so the result does
/// not depend on `threads`) and keeps the figures of the judged rows.
SimulatedFigures simulate_figures(const WeekPlan& plan, std::size_t replications, std::uint64_t seed, unsigned threads);

/// One figure of one reported week against its band.
struct FigureVerdict {
    std::size_t entry = 0;  ///< into WeekPlan::rows
    std::string week_start, cls, metric;
    std::size_t run_week = 0;  ///< 1-based
    double observed = 0;
    double low = 0, high = 0;  ///< the 95% prediction band for one week
    double mean = 0, sd = 0;   ///< of the simulated weeks
    double target = 0;         ///< the scenario's goal for this class and metric; NaN when none
    enum class Verdict { inside, above, below } verdict = Verdict::inside;
};

/// "inside", "above", "below".
const char* verdict_name(FigureVerdict::Verdict v);

/// The before/after test of one figure.
struct ChangeTest {
    std::string cls, metric;
    model::ReportWindow before, after;
    double effect = 0;  ///< mean residual (observed − simulated mean) after, minus before
    double ci_low = 0, ci_high = 0;
    double p_value = 1;  ///< two-sided, from the simulated null distribution
    std::size_t weeks_before = 0, weeks_after = 0;
};

/// An alarm of the detector.
struct Alarm {
    std::string week_start, cls, metric;
    bool upward = false;
};

/// The sequential detector and what it found.
struct Detector {
    double k = 0.5, h = 4;                     ///< CUSUM reference value and decision interval, in sd units
    double false_alarms_per_year = 0;          ///< per figure series, measured on the simulated weeks
    double rate_ci_low = 0, rate_ci_high = 0;  ///< its 95% interval (Poisson)
    double simulated_series_years = 0;         ///< how much simulated time the rate is measured over
    std::vector<Alarm> alarms;
    double series_years = 0;  ///< series × years of the reported weeks (alarms / this: the rate observed)
};

/// How to run a scrutiny.
struct ScrutinyOptions {
    std::size_t replications = 199;     ///< 199: the band's 5th-lowest and 5th-highest of 199 cover 95% exactly
    std::optional<std::uint64_t> seed;  ///< default: the scenario's
    unsigned threads = 0;
    Demand demand = Demand::scenario;
    std::optional<model::ReportWindow> before, after;  ///< both or neither
    std::string test_class, test_metric;               ///< default: the first class's first service level
    double cusum_k = 0.5, cusum_h = 4;
};

/// Everything a scrutiny reports.
struct ScrutinyResult {
    std::string scenario, kpis;
    std::size_t replications = 0;
    std::uint64_t seed = 0;
    Demand demand = Demand::scenario;
    double band_coverage = 0.95;  ///< the band's exact coverage for a week of the scenario itself
    std::vector<FigureVerdict> figures;
    std::optional<ChangeTest> test;
    Detector detector;
    std::vector<std::string> warnings;
    std::size_t flagged() const;
};

/// The band of one figure: the k-th lowest and k-th highest of n simulated values with
/// k = max(1, round(0.025 (n + 1))): a new value of the same distribution falls outside with
/// probability 2k / (n + 1) (exactly 5% for n = 199). NaN values are left out.
std::pair<double, double> prediction_band(std::vector<double> values);

/// Runs a scrutiny of `kpis` (named `kpis_name`) against `spec`.
ScrutinyResult run_scrutiny(const model::ScenarioSpec& spec, const WeeklyKpis& kpis, const std::string& kpis_name,
                            const ScrutinyOptions& options);

/// Two-sided CUSUM on standardised residuals `z` (in order): the indices at which it alarms
/// (restarting from 0 after each), with the direction (true: upward).
std::vector<std::pair<std::size_t, bool>> cusum_alarms(const std::vector<double>& z, double k, double h);

/// The pinned JSON: {"scenario", "kpis", "replications", "seed", "demand", "band_coverage", "weeks":
/// [{"week_start", "class", "metric", "observed", "band": [lo, hi], "verdict", "mean", "target"}, ...],
/// "test": {"class", "metric", "before", "after", "p_value", "effect", "ci95": [lo, hi]} (with
/// --before/--after), "detector": {...}}.
std::string scrutiny_json(const ScrutinyResult& result);

/// CSV rows: week_start,class,metric,observed,band_low,band_high,mean,target,verdict.
std::string scrutiny_csv(const ScrutinyResult& result);

/// A readable table: the flagged figures, the counts, the test and the detector.
void write_scrutiny_table(std::ostream& out, const ScrutinyResult& result);

}  // namespace crsim::scrutiny
