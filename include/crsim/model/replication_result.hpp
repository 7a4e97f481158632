#pragma once
/// \file
/// What one replication of the control-room model measures: additive counts, whole-run and per period.
///
/// Counts rather than ratios so that periods, rooms and replications can be summed or averaged
/// without bias; the summary turns them into the reported metrics.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "crsim/model/callback_counts.hpp"

namespace crsim::model {

/// Counts for one call class over a span of time (calls counted in the span in which they arrived).
struct ClassCounts {
    std::uint64_t offered = 0;         ///< every attempt that reached the centre
    std::uint64_t first_attempts = 0;  ///< attempts that were a caller's first
    std::uint64_t repeats = 0;         ///< attempts by callers ringing again after abandoning
    std::uint64_t callers_lost = 0;    ///< abandoned attempts after which the caller gave up for good
    std::uint64_t answered = 0;
    std::uint64_t abandoned = 0;
    std::uint64_t blocked = 0;  ///< attempts that found every line in use (a trunk cap) and were turned away
    std::vector<std::uint64_t> answered_within;  ///< per ClassSpec::thresholds_s: answered with wait <= threshold
    double answered_wait_s = 0;                  ///< sum of the waits of answered calls (connection time included)
    double queue_time_s = 0;                     ///< sum of time in queue of all offered calls, abandoned ones included

    /// Adds another span's counts (same thresholds).
    void add(const ClassCounts& other);
};

/// Staff time and work for a staff group or a room over a span of time.
struct StaffCounts {
    double paid_s = 0;          ///< person-seconds on duty, breaks included
    double available_s = 0;     ///< person-seconds on duty and not on a break
    double busy_s = 0;          ///< person-seconds handling calls or in after-call work
    double on_duty_cost = 0;    ///< paid_s in hours times cost per hour (overtime at its premium)
    double overtime_s = 0;      ///< person-seconds of overtime (part of paid_s)
    double overtime_cost = 0;   ///< the part of on_duty_cost paid for overtime
    std::uint64_t handled = 0;  ///< calls answered (counted when answered)
    /// The rostered cost (roster_calendar.hpp) in the reporting window: whole run only, the same in
    /// every replication; undefined (NaN) in periods, which do not report it.
    double rostered_cost = std::numeric_limits<double>::quiet_NaN();

    /// Adds another span's counts.
    void add(const StaffCounts& other);
};

/// How a class's demand reached the handlers (scenarios with triage, channel shift or surges):
/// counted when the caller's demand arrives, before any menu.
struct DemandCounts {
    std::uint64_t demand = 0;            ///< first attempts the class's arrivals brought (before shift and menu)
    std::uint64_t shifted_out = 0;       ///< of those, moved to another channel (class) before ringing
    std::uint64_t shifted_in = 0;        ///< other classes' demand moved to this channel
    std::uint64_t triaged = 0;           ///< went through this class's menu
    std::uint64_t resolved = 0;          ///< resolved in the menu: left
    std::uint64_t redirected = 0;        ///< redirected elsewhere by the menu: left
    std::uint64_t reclassified_out = 0;  ///< moved by this class's menu to another class's queue
    std::uint64_t reclassified_in = 0;   ///< moved here by another class's menu
    double surge_extra = 0;              ///< expected number of the demand that surges added (0 without surges)

    /// Adds another span's counts.
    void add(const DemandCounts& other);
};

/// A time series of counts, one entry per period, for every class, group and room.
struct PeriodSeries {
    std::vector<std::vector<ClassCounts>> classes;  ///< [class][period]
    std::vector<std::vector<StaffCounts>> groups;   ///< [group][period]
    std::vector<std::vector<StaffCounts>> rooms;    ///< [room][period]
};

/// The probabilities at which each replication keeps the wait quantiles of a class's answered
/// calls, for the distribution of answer times in the HTML report: 0 (the shortest wait), 0.01, …,
/// 0.99, 0.995, 0.999 and 1 (the longest). 0.5, 0.9, 0.95 and 0.99 are among them, so the curve
/// passes through the reported wait_p50_s … max_wait_s.
inline constexpr std::array<double, 103> wait_cdf_probabilities = [] {
    std::array<double, 103> p{};
    for (std::size_t i = 0; i < 100; ++i) p[i] = static_cast<double>(i) / 100.0;
    p[100] = 0.995;
    p[101] = 0.999;
    p[102] = 1.0;
    return p;
}();

/// Whole-run figures of one class, with the wait quantiles of its answered calls.
struct ClassResult {
    ClassCounts counts;
    double wait_p50_s = 0, wait_p90_s = 0, wait_p95_s = 0, wait_p99_s = 0;  ///< NaN when nothing was answered
    double max_wait_s = 0;
    /// The wait quantile at each of wait_cdf_probabilities; empty when nothing was answered.
    std::vector<double> wait_quantiles_s;
    /// (q, wait quantile of answered calls at q) for each of the class's wait_quantile targets.
    std::vector<std::pair<double, double>> target_quantiles_s;
};

/// Everything one replication reports. Only calls arriving in [warmup, horizon) and staff time in
/// [warmup, horizon) are counted; the whole-run figures and the hours of the week only those in the
/// reporting window (ScenarioSpec::window, else [warmup, horizon)).
struct ReplicationResult {
    std::vector<ClassResult> classes;  ///< per ScenarioSpec::classes
    std::vector<StaffCounts> groups;   ///< per ScenarioSpec::groups
    std::vector<StaffCounts> rooms;    ///< per ScenarioSpec::rooms
    std::vector<StaffCounts> cells;    ///< per (room, group), index room × groups + group: where groups work
    PeriodSeries days;                 ///< index 0 = day 1 of the run
    PeriodSeries weeks;                ///< index 0 = week 1 of the run
    PeriodSeries hours_of_week;        ///< index 0 = Monday 00:00–01:00, 168 entries: the reporting window's
    std::uint64_t events = 0;          ///< engine events executed
    /// Per class, whole run (reporting window); empty unless the scenario has demand keys.
    std::vector<DemandCounts> demand;
    std::vector<std::vector<DemandCounts>> demand_weeks;  ///< [class][week], as `demand`
    /// Per class when some class has call-back work (callback_spec.hpp), else empty.
    std::vector<CallbackCounts> callbacks;
    std::vector<DeferrableCounts> deferrables;  ///< per ScenarioSpec::deferrables
};

}  // namespace crsim::model
