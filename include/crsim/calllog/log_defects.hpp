#pragma once
/// \file
/// Defects of a source that a log carries without saying so: days missing from it (no call at all
/// on a day whose like have many) and "agents" that are not people (a system's placeholder). Found
/// without options, so that `crsim fit` and `crsim backtest` never take a gap as a quiet day or a
/// placeholder as a person.

#include <cstdint>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"

namespace crsim::calllog {

/// A day with no call is missing from the log when the other days of its weekday in the period
/// (or, with none, all other days) have at least this many calls on average: even with a day-to-day
/// spread of 40% (gamma-Poisson), a day of 50 expected calls has none with probability about 1e-6.
inline constexpr double missing_day_expected_calls = 50;

/// The days of [first_day, last_day] (inclusive day numbers) missing from `log`, ascending.
std::vector<std::int64_t> find_missing_days(const CallLog& log, std::int64_t first_day, std::int64_t last_day);

/// The warning that says which days are missing and that they are left out of `what`.
std::string missing_days_warning(const std::vector<std::int64_t>& days, const std::string& what);

/// An agent of the log who is not a person, and why.
struct PlaceholderAgent {
    std::int32_t agent = 0;  ///< index into CallLog::agents
    std::string reason;
};

/// A person works a shift: an agent whose median day (first answer to last end, over days with at
/// least two calls) is longer than this, and who is busy for less than placeholder_busy_share of
/// those days, is a placeholder for calls nobody in particular answered (a desk staffed round the
/// clock, as `crsim run --calls-log` names its positions, is busy far more).
inline constexpr double placeholder_median_day_s = 12 * 3600.0;
inline constexpr double placeholder_busy_share = 0.05;
/// A person answers one call at a time: an agent who answers more than this share of their calls
/// while another of their calls is still in progress is not one person.
inline constexpr double placeholder_overlap_share = 0.25;

/// The agents of `log` that are not people: those named in `not_agents` (names absent from the log
/// are ignored), and those whose calls no one person could have answered (the two rules above) when
/// they are unlike some other agent (if the rules would take every agent, they take none: the
/// column then means something else, such as desks). Ascending by agent index.
std::vector<PlaceholderAgent> find_placeholder_agents(const CallLog& log, const std::vector<std::string>& not_agents);

}  // namespace crsim::calllog
