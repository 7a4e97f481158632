#pragma once
/// \file
/// The weekly KPI format: one row per reported week and call class, as a force publishes its figures
/// to a scrutiny panel (not a call log). CSV with a header; columns found by name in any order
/// (`--map` renames them), extra columns ignored, empty cells (or `NA`) for figures not reported.
/// Read by `crsim scrutiny` and `crsim calibrate`, written by `crsim run --weekly-kpis`. Documented
/// in README.md ("The weekly KPI format").

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::scrutiny {

/// One class's figures of one week; NaN where the file leaves a figure out.
struct WeekRow {
    std::int64_t week_start = 0;  ///< day number (days since 1970-01-01) of the week's first day
    std::string cls;
    double offered = std::numeric_limits<double>::quiet_NaN();
    double answered = std::numeric_limits<double>::quiet_NaN();
    double abandoned = std::numeric_limits<double>::quiet_NaN();
    double asa_s = std::numeric_limits<double>::quiet_NaN();
    /// Per WeeklyKpis::thresholds_s: the share of offered calls answered within it (0–1).
    std::vector<double> service_level;
    std::uint64_t line = 0;  ///< line of the file (1 = the header)
};

/// A whole file, rows in file order.
struct WeeklyKpis {
    std::vector<double> thresholds_s;  ///< ascending, from the answered_within_<T> / service_level_<T> columns
    std::vector<WeekRow> rows;
};

/// Required columns; the others are `answered`, `abandoned`, `asa_s`, `answered_within_<T>` (a
/// count) and `service_level_<T>` (a share, `0.85` or `85%`), T a duration such as `10s` or `3min`.
inline constexpr std::string_view required_kpi_columns[] = {"week_start", "class", "offered"};

/// A problem with the file: `FILE:LINE: error: what` (line 0 for the file as a whole).
struct KpiFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Parses `--map` text `week_start=Week,offered=Calls` into canonical -> header names; throws
/// std::invalid_argument for a name that is not a column of the format.
std::map<std::string, std::string, std::less<>> parse_kpi_column_map(std::string_view text);

/// Reads the format from `in` (`name` in messages). Throws KpiFileError naming the line for a
/// missing column, a bad date, a negative or fractional count, answered or abandoned above offered,
/// answered within T above answered, a share outside 0–1, or two weeks of a class that overlap.
/// `options` gives the column names (--map) and the limits of size of the call-log reader.
WeeklyKpis read_weekly_kpis(std::istream& in, const std::string& name, const calllog::ReadOptions& options = {});

/// Reads the file at `path` (KpiFileError also when it cannot be opened).
WeeklyKpis read_weekly_kpis_file(const std::string& path, const calllog::ReadOptions& options = {});

/// The weeks of one replication in the format: every whole week of the run after the warm-up, each
/// class, with answered_within_<T> for every service-level threshold of the scenario. Needs
/// spec.start_day (std::invalid_argument otherwise).
std::string weekly_kpis_csv(const model::ScenarioSpec& spec, const model::ReplicationResult& run);

/// `10s`, `180s`: how a threshold is named in column and metric names.
std::string threshold_name(double threshold_s);

}  // namespace crsim::scrutiny
