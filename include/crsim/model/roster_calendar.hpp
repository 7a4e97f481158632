#pragma once
/// \file
/// The roster as a calendar of shift instances: which roster line's people come on duty when,
/// where and until when, with their breaks and overtime caps.
///
/// The one statement of the roster rules. The simulation (ControlRoom) starts people by it, the
/// capacity check and `--analytic` count expected people by it, and every rostered cost (`crsim run`,
/// `compare`, `check`, `sweep`, the staffing search) is priced by it. tests/test_roster_calendar.cpp
/// shows that the check's on-duty person-hours equal the simulation's for every shipped scenario
/// reduced to its roster (no absence, disruptions, attrition or call-ins, trainees available: the
/// simulation draws those, the check takes their expectation).
///
/// The rules: a line works on its marked weekdays in its weeks, from its start time for its length;
/// a line of infinite length is on duty from t = 0 throughout; a shift rostered the evening before
/// t = 0 (day −1, judged by week 1) that is still running at t = 0 is on duty from the start; a
/// shift works in its line's room as merged by the time it starts; person j of n on a shift starts
/// each break at after + spread·j/n into the rostered shift; overtime is capped in person-hours per
/// week of the shift's start.
///
/// The rostered cost: what the force pays the people it rosters, whether they turn up or not.
/// Each shift of a line is paid for its part inside the window, breaks included, for every person
/// rostered on it: absent and displaced people (disruptions) and trainees on their course are paid;
/// people gone by attrition (in expectation) and a cohort's lines before its start week are not. An
/// overtime line rosters the whole people its weekly cap admits, shift by shift in time order. (The
/// simulation books the cap with the people who turn up, so with absence it may admit more on a
/// later shift than the rostered cost counts.) The group's rate, overtime lines at the overtime premium.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// One shift of one roster line.
struct ShiftInstance {
    std::size_t line = 0;        ///< index into ScenarioSpec::shifts
    double nominal_start_s = 0;  ///< rostered start, from which breaks are timed (< 0 for day −1)
    double start_s = 0;          ///< when its people come on duty: the rostered start, or 0 if under way then
    double end_s = 0;            ///< when they go off duty; `never` for a line on duty throughout
    std::size_t room = 0;        ///< where they work: the line's room after the merges made by start_s
    int week = 1;                ///< week (from 1) of start_s, whose overtime cap the shift draws on
};

/// The rostered cost of some roster lines over a window (see above).
struct RosteredCost {
    std::vector<double> groups;  ///< per ScenarioSpec::groups
    std::vector<double> rooms;   ///< per ScenarioSpec::rooms: where each shift works
    double total = 0;            ///< the groups' sum, in group order
    /// Per ScenarioSpec::groups: the person-hours paid at the ordinary rate (overtime lines left
    /// out: overtime is worked by people already employed), which contracts must cover (workforce.hpp).
    std::vector<double> contract_hours;
    /// Per (room, group), index room × groups + group: the cost, and the contract hours as above.
    std::vector<double> cells, cell_contract_hours;
};

/// The shift instances of a scenario's roster lines.
class RosterCalendar {
public:
    explicit RosterCalendar(const ScenarioSpec& spec) : spec_(spec) {}

    /// The shift of `line` under way at t = 0, if any: a line on duty throughout, or a shift begun
    /// the evening before that has not ended by t = 0.
    std::optional<ShiftInstance> under_way_at_start(std::size_t line) const {
        return under_way_at_start(spec_.shifts[line], line);
    }

    /// The shift of `line` rostered to start on day `day` (0: the day t = 0 begins), if the line
    /// works that weekday in that week. Lines on duty throughout have none.
    std::optional<ShiftInstance> on_day(std::size_t line, std::int64_t day) const {
        return on_day(spec_.shifts[line], line, day);
    }

    /// Calls f(shift) on each shift of `line` (numbered `index` in the instances) that starts
    /// before `until_s`, in time order: the one under way at t = 0, then day by day.
    template <class F>
    void for_each_shift(const ShiftSpec& line, std::size_t index, double until_s, F&& f) const {
        if (const auto shift = under_way_at_start(line, index)) f(*shift);
        for (std::int64_t day = 0; static_cast<double>(day) * seconds_per_day < until_s; ++day)
            if (const auto shift = on_day(line, index, day); shift && shift->start_s < until_s) f(*shift);
    }

    /// The rostered cost of `line` (a roster line or a staffing candidate of this scenario) with
    /// `headcount` people, over [from_s, to_s). The one pricing of a roster line.
    RosteredCost rostered_cost(const ShiftSpec& line, int headcount, double from_s, double to_s) const;

    /// The rostered cost of the scenario's roster over [from_s, to_s): its lines' costs summed.
    RosteredCost rostered_cost(double from_s, double to_s) const;

    /// When person `index` (from 0) of `count` on a shift rostered at `nominal_start_s` is due for
    /// break `b`: staggered evenly over the break's spread, so the room is never emptied at once.
    static double break_due_s(const BreakSpec& b, double nominal_start_s, int index, int count) {
        return nominal_start_s + b.after_s + b.spread_s * index / count;
    }

private:
    std::optional<ShiftInstance> under_way_at_start(const ShiftSpec& line, std::size_t index) const;
    std::optional<ShiftInstance> on_day(const ShiftSpec& line, std::size_t index, std::int64_t day) const;
    std::size_t room_at(std::size_t room, double t) const;

    const ScenarioSpec& spec_;
};

/// The weekly cap on the overtime person-hours of one overtime roster line or call-in rule,
/// counting rostered hours in the week the overtime starts.
class OvertimeBudget {
public:
    explicit OvertimeBudget(double cap_hours) : cap_h_(cap_hours) {}

    /// How many of `wanted` people may work `hours` each from a start in `week` (all of them
    /// under no cap); books their hours.
    int allow(int week, int wanted, double hours);

    /// The same in expectation: as many people (a fraction allowed) as the hours left allow.
    double allow_expected(int week, double wanted, double hours);

private:
    double cap_h_;
    std::map<int, double> used_h_;  // per week
};

}  // namespace crsim::model
