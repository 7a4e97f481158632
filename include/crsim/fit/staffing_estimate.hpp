#pragma once
/// \file
/// People on duty, estimated from who answered which call, and staffing given as a table.

#include <cstdint>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"

namespace crsim::fit {

/// An agent busy with one call, in civil seconds.
struct BusySpan {
    std::int32_t agent = 0;
    std::int32_t room = 0;
    double start_s = 0, end_s = 0;
    std::uint32_t cls = 0;  ///< the call's class
};

/// People on duty per room, day and interval of the day.
struct StaffingEstimate {
    /// on_duty[room][day][interval]: time-average number of agents on duty in that interval.
    std::vector<std::vector<std::vector<double>>> on_duty;
    std::size_t agents = 0;    ///< distinct agents seen
    std::size_t sessions = 0;  ///< stretches of duty found
};

/// A stretch of time during which some caller was waiting to be answered, in civil seconds.
struct WaitSpan {
    double start_s = 0, end_s = 0;
    std::uint32_t cls = 0;  ///< the waiting caller's class
};

/// An agent answers a class when at least this share of their calls are of it: the classes whose
/// waiting callers say something about whether the agent was there.
inline constexpr double skill_share = 0.05;

/// Each agent's busy spans (answer to end of handling) in one room, sorted in time, are joined into
/// a stretch of duty across a gap between one call's end and the next call's answer when the gap
/// is at most `gap_s` and no caller of a class the agent answers (skill_share) waited during it
/// (beyond its first `grace_s`, the time a free agent takes to pick up): an agent free while
/// callers they would have taken wait was not available (a break, other work), and a longer gap
/// ends the stretch. Callers of classes the agent does not answer say nothing about them. An agent is counted on duty
/// from the first answer to the last end of each stretch. This is a lower bound on the people present: an agent logged
/// in but answering nothing, and the idle minutes before the first and after the last call of a shift, are invisible in
/// a call log. `waits` are the callers' waits (any order, may overlap).
StaffingEstimate estimate_staffing(std::vector<BusySpan> spans, std::vector<WaitSpan> waits, std::size_t rooms,
                                   std::int64_t first_day, std::size_t days, double interval_s, double gap_s,
                                   double grace_s = 60);

/// One row of a staffing table: `headcount` people of `group` on duty in `room` over [start, end).
struct StaffingRow {
    double start_s = 0, end_s = 0;  ///< civil seconds
    std::string room, group;
    int headcount = 0;
    std::uint64_t line = 0;
};

/// Reads a staffing CSV with the header `start,end,room,group,headcount` (columns in any order,
/// date-times as in the call log). Throws calllog::CallLogError naming the line of a bad row: an
/// end not after its start, more than 24 hours long, or a headcount that is not a whole number >= 1;
/// read as a call log is, within the limits of size of `limits`.
std::vector<StaffingRow> read_staffing_file(const std::string& path, const calllog::ReadOptions& limits = {});

}  // namespace crsim::fit
