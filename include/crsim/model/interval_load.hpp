#pragma once
/// \file
/// The interval load table: the run cut into intervals of the finest arrival-profile interval (1 h
/// for hourly profiles), aligned to Monday 00:00, with per interval the mean arrival rate of each
/// class in each room and the expected number of people of each group in each room on duty and not
/// on a break. The expectation takes in everything the model applies at a shift's start (absence,
/// disruptions, attrition, training courses, room merges, weekly overtime caps) and spreads breaks
/// evenly over their `spread`; reactive call-ins, reserve rules, the daily volume noise (daily_cv)
/// and redials are left out. Demand is routed as the model routes it (surges, channel shifts,
/// front-end menus: routed_demand.hpp), and a web chat's busy time is divided among the chats a
/// person holds at once (handle time × slowdown ÷ at_once per chat). Call-backs of accepted
/// callers are their class's calls (already counted); abandoned-call call-backs are not in the
/// table, since how many calls abandon depends on the staffing: crsim staff's requirements add
/// them (abandonment × expected_busy_s, callback_spec.hpp). The capacity check, the
/// Erlang estimates and the staffing requirements read it. README.md ("How capacity is checked", "`crsim run
/// --analytic`") states the approximations.

#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// One interval of the run with its mean offered traffic and expected staffing.
struct IntervalLoad {
    double start_s = 0;  ///< simulated time the interval starts
    double end_s = 0;    ///< simulated time it ends (> start_s)
    int week = 1;        ///< simulated week (from 1) containing start_s
    /// [class][room]: mean offered calls per second whose home room (after merges) is that room.
    std::vector<std::vector<double>> arrivals_per_s;
    /// [room][group]: expected people present, on duty and not on a break, averaged over the interval.
    std::vector<std::vector<double>> staffed;
    /// [room][group]: expected people on duty, breaks included, averaged over the interval.
    std::vector<std::vector<double>> on_duty;
    /// [class][group]: mean busy time per call when a person of that group answers it: handle time ×
    /// handle factor × transition factor + wrap-up.
    std::vector<std::vector<double>> work_s;
    /// [class]: mean busy time per call at handle factor 1; offered load = arrivals × this.
    std::vector<double> base_work_s;
    /// [backlog]: mean deferrable work arriving per second (person-seconds a second), its own items
    /// and those channel_shift moves to it.
    std::vector<double> backlog_work_per_s;
};

/// The interval the checks use: the finest arrival-profile interval among the classes (1 h when
/// every class has an hourly profile; 1 h for a class given as a trace).
double check_interval_s(const ScenarioSpec& spec);

/// The intervals covering [from_s, to_s) of simulated time, cut at multiples of check_interval_s()
/// counted from Monday 00:00 (so the first and last may be shorter).
std::vector<IntervalLoad> tabulate_intervals(const ScenarioSpec& spec, double from_s, double to_s);

/// A time span of the week as text, given as seconds from a Monday 00:00: "Sat 23:00–24:00",
/// "Sat 22:00–Sun 04:00", "Mon 09:30–10:15"; a whole week or more is "all week".
std::string week_span_label(double from_s, double to_s);

/// Seconds from the Monday 00:00 on or before t = 0 to t = 0 (the scenario's start weekday): the
/// calendar the intervals and the arrival profiles are aligned to.
double calendar_offset_s(const ScenarioSpec& spec);

}  // namespace crsim::model
