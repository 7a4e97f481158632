#pragma once
/// \file
/// A scenario fitted to a whole call log (`crsim fit`): arrivals, handle times and patience per
/// class, staffing per room, and the YAML scenario that says so with every figure's estimate,
/// standard error and sample size.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "crsim/fit/arrival_fit.hpp"
#include "crsim/fit/duration_fit.hpp"
#include "crsim/fit/handle_by_hour_fit.hpp"
#include "crsim/fit/patience_fit.hpp"
#include "crsim/fit/priority_fit.hpp"
#include "crsim/fit/session_gap_choice.hpp"
#include "crsim/fit/staffing_estimate.hpp"
#include "crsim/fit/staffing_noise_fit.hpp"

namespace crsim::fit {

/// A class whose calls are too few to fit: an error naming it.
struct FitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A service-level target written into the scenario (the log has none).
struct ServiceLevelTarget {
    double within_s = 20;
    double goal = 0.8;
};

/// What to fit and how.
struct FitOptions {
    double interval_s = 3600;                      ///< of the weekly profile; divides a day
    std::vector<std::string> classes;              ///< empty: every class in the log
    std::optional<std::int64_t> from_day, to_day;  ///< inclusive day numbers; default: the log's first and last
    double resolution_s = 1;                       ///< of the log's durations
    /// See estimate_staffing; nothing: chosen from the data (choose_session_gap).
    std::optional<double> session_gap_s;
    std::optional<std::vector<StaffingRow>> staffing;  ///< --staffing: used instead of the agents' activity
    std::vector<std::string> not_agents;               ///< --not-an-agent: agent names that are not people
    std::vector<ServiceLevelTarget> targets{ServiceLevelTarget{}};
    std::size_t min_answered = 10;  ///< fewer answered calls than this in a class is an error
    double small_share = 0.01;      ///< classes with a smaller share of the calls are flagged
    /// The memory the fit may use (the machine's, from the work limits); 0: no limit (--allow-large).
    double max_memory_bytes = 0;
};

/// One class's fit.
struct ClassFit {
    std::string name;
    std::uint64_t calls = 0, answered = 0, abandoned = 0;
    double share = 0;    ///< of all calls fitted
    bool small = false;  ///< share below FitOptions::small_share: kept but flagged
    ArrivalFit arrivals;
    DurationFit handle;
    HandleByHourFit handle_by_hour;   ///< the mean by hour of day of arrival, when the data supports it
    double head_start_s = 0;          ///< mean head start in the queue of its calls that waited (priorities)
    std::optional<DurationFit> wrap;  ///< when the log has wrap_s with at least two distinct values
    double wrap_constant_s = 0;       ///< otherwise the mean wrap-up (0 without wrap_s)
    PatienceFit patience;
    double mean_wait_answered_s = 0;  ///< for the comments
    std::vector<double> room_shares;  ///< per LogFit::rooms
};

/// A roster line as written: `headcount` people of `group` in `room` from `start_s` into day `day`
/// (0 = the first day of the period) for `length_s`.
struct RosterBlock {
    std::size_t room = 0;
    std::string group;
    std::int64_t day = 0;
    double start_s = 0, length_s = 0;
    int headcount = 0;
};

/// The whole fit.
struct LogFit {
    std::string source;                        ///< the log's file name, for the comments
    std::int64_t first_day = 0, last_day = 0;  ///< the fitted period (inclusive day numbers)
    std::uint64_t calls = 0, skipped_rows = 0, outside_period = 0, other_classes = 0;
    std::vector<std::string> rooms;   ///< "centre" when the log has no room column
    std::vector<std::string> groups;  ///< "agents" unless the staffing table names others or skills split them
    /// Per group: the classes it takes; empty: every class (one group, or the staffing table's).
    std::vector<std::vector<std::string>> group_takes;
    /// Per group inferred from the agents: classes it takes as overflow, only while more than one of
    /// its people is idle (written as a reserve of one person for the classes it takes).
    std::vector<std::vector<std::string>> group_overflow;
    std::vector<std::size_t> group_agents;  ///< per group inferred from the agents: how many agents
    /// Classes taken by more than one group: the groups in routing order (most of the class's calls first).
    std::vector<std::pair<std::string, std::vector<std::string>>> routing;
    std::vector<ClassFit> classes;
    PriorityFit priorities;  ///< from the log's priority column (no credits without one)
    std::vector<RosterBlock> roster;
    std::string staffing_method;               ///< how the roster was found, for the comments
    std::optional<StaffingEstimate> estimate;  ///< from the agents' activity (when used)
    double interval_s = 3600;
    double session_gap_s = 1800;       ///< the gap used (given, or chosen from the data) for the first group
    std::vector<GapScore> gap_scores;  ///< each candidate's score when chosen from the data (the first group's)
    std::vector<double> group_gap_s;   ///< per group: its gap (each chosen on the classes it serves first)
    /// The reconstructed staffing's day-to-day uncertainty (from the agents' activity only; a
    /// staffing table is taken as exact): written as `staffing_daily_cv`.
    StaffingNoiseFit staffing_noise;
    std::vector<ServiceLevelTarget> targets;
    std::vector<std::int64_t> missing_days;       ///< days of the period missing from the log: left out
    std::vector<std::string> placeholder_agents;  ///< "agents" that are not people: left out of the staffing
    std::vector<std::string> warnings;            ///< small classes and the like, to print on stderr too
    double fit_seconds = 0;

    std::size_t days() const { return static_cast<std::size_t>(last_day - first_day + 1); }
};

/// Fits `log` (read from `source`). Throws FitError for a class with too few calls, an unknown
/// class in options.classes, a period with no call, or a log without agents and no staffing table.
LogFit fit_call_log(const calllog::CallLog& log, const std::string& source, const FitOptions& options);

/// The fitted scenario as YAML that `crsim validate` accepts, every fitted figure commented.
std::string fitted_scenario_yaml(const LogFit& fit, const std::string& name);

/// `text` as the inside of a double-quoted YAML scalar: quotes and backslashes escaped, control
/// characters and line breaks as escapes (\n, \x1b), a byte that is not UTF-8 as \xNN. The rule for
/// text that `crsim fit` writes into YAML's values.
std::string yaml_escaped(std::string_view text);

/// `text` as the text of a YAML comment: as yaml_escaped, but quotes and backslashes as they are
/// (nothing reads them back), so that a note says "as written" rather than \"as written\".
std::string yaml_comment_text(std::string_view text);

/// Why `name` (of a class, a room or a group) cannot be a name in the fitted scenario (not UTF-8,
/// or too long for a YAML key), said with the name's first characters; nothing when it can.
std::optional<std::string> yaml_name_problem(const std::string& name);

/// Roster lines from people on duty per day and interval (headcount[day][interval]): for each
/// day, each level of headcount that is reached over a run of consecutive intervals becomes a
/// shift over that run (levels with the same run are one line), so people come and go with the
/// staffing of the day. Runs end at midnight.
std::vector<RosterBlock> roster_from_headcounts(const std::vector<std::vector<int>>& headcount, double interval_s,
                                                std::size_t room, const std::string& group);

}  // namespace crsim::fit
