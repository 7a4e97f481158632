#pragma once
/// \file
/// `crsim calibrate`: scenario parameters estimated from reported weekly figures by simulation.
///
/// Method: the weekly figures (abandoned_pct, asa_s, service levels, and offered unless demand is
/// reported) are standardised by their simulated sd at the middle of the ranges. Each figure is a
/// quadratic response surface in the parameters (scaled to [0, 1]) fitted by least squares to a
/// central composite design simulated with common random numbers (every point with the same seeds,
/// so differences measure the parameters, not the noise): first over the whole ranges, then over
/// ±10% of each range around the estimate, again until the estimate stays inside its design. The
/// estimate minimises the sum of squared standardised residuals on the surface. Uncertainty: a
/// parametric bootstrap that calibrates again: each replication at the estimate plays a reported
/// history and is calibrated the whole way again (the whole ranges, then the local designs its
/// fits lead to, so that a long or curved valley of the objective is followed on simulated points,
/// not on one quadratic extrapolated), on surfaces fitted again to a resample of the replications;
/// the spread of those fits gives each parameter's 95% interval. Measured coverage: README, "How
/// well it works".

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/scenario/overrides.hpp"
#include "crsim/scrutiny/scrutiny.hpp"

namespace crsim::scrutiny {

/// A problem that stops a calibration (a value of a range the scenario refuses, a bad --vary).
struct CalibrationError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One parameter to estimate: `PATH=LO..HI` (PATH as in --set; LO and HI numbers with the same
/// unit or none: `40%..90%`, `4min..8min`, `0.1..0.3`).
struct VaryParameter {
    std::string path;
    double low = 0, high = 0;
    std::string unit;  ///< the suffix LO and HI share (`%`, `min`, ``)

    /// The YAML value of `x` for --set: `52.31%`.
    std::string text(double x) const;
};

/// Parses `PATH=LO..HI`; throws std::invalid_argument saying what was expected.
VaryParameter parse_vary(std::string_view text);

/// How to calibrate.
struct CalibrationOptions {
    std::size_t replications = 50;
    std::optional<std::uint64_t> seed;
    unsigned threads = 0;
    Demand demand = Demand::scenario;
    int max_iterations = 8;  ///< local designs at most
    std::string cache_dir;   ///< where simulated points are kept (simulation_cache.hpp); empty: nowhere
};

/// A parameter's estimate.
struct Estimate {
    VaryParameter parameter;
    double value = 0, se = 0, ci_low = 0, ci_high = 0;
    double bootstrap_mean = 0;  ///< the mean of the bootstrap fits: value + the estimator's bias there
};

/// Everything a calibration reports.
struct CalibrationResult {
    std::string scenario, kpis;
    std::size_t replications = 0;
    std::uint64_t seed = 0;
    std::vector<Estimate> estimates;
    double objective = 0;                 ///< sum of squared standardised residuals at the estimate
    std::size_t figures = 0;              ///< weekly figures fitted
    std::size_t evaluations = 0;          ///< parameter points simulated (each `replications` replications)
    std::vector<std::string> iterations;  ///< one line per design fitted
    std::vector<std::string> warnings;
    std::vector<scenario::Override> overrides;  ///< the estimate as --set overrides
};

/// Calibrates the parameters of the scenario at `scenario_path` (with `base` overrides first) to
/// `kpis`. Throws CalibrationError for a range the scenario refuses, ScrutinyError for weeks it
/// cannot place.
CalibrationResult calibrate(const std::string& scenario_path, const std::vector<scenario::Override>& base,
                            const WeeklyKpis& kpis, const std::string& kpis_name,
                            const std::vector<VaryParameter>& parameters, const CalibrationOptions& options);

/// The calibrated scenario: `extends:` the input (`extends_path`, as the output file sees it) and
/// each varied parameter's top-level key as calibrated, with the fit in comments.
std::string calibrated_scenario_yaml(const CalibrationResult& result, const std::string& scenario_path,
                                     const std::vector<scenario::Override>& base, const std::string& extends_path);

/// The report of fit as JSON: {"scenario", "kpis", "method", "replications", "seed", "figures",
/// "objective", "evaluations", "parameters": [{"path", "estimate", "se", "ci95": [lo, hi], "range"}],
/// "iterations"}.
std::string calibration_json(const CalibrationResult& result);

/// The same as readable text.
std::string calibration_text(const CalibrationResult& result);

}  // namespace crsim::scrutiny
