#pragma once
/// \file
/// Before a run: can the rostered staff carry the offered load at all? And what would Erlang say?
///
/// Both questions are answered from the same table: the run cut into intervals of the finest
/// arrival-profile interval (1 h for hourly profiles), aligned to Monday 00:00, with per interval
/// the mean arrival rate of each class in each room and the expected number of people of each group
/// in each room on duty and not on a break. The expectation takes in everything the model applies at
/// a shift's start (absence, disruptions, attrition, training courses, room merges, weekly overtime
/// caps) and spreads breaks evenly over their `spread`; reactive call-ins, reserve rules, the daily
/// volume noise (daily_cv) and redials are left out. README.md ("How capacity is checked", "`crsim run --analytic`")
/// states the approximations.
///
/// - check_capacity(): a fluid (deterministic) check per interval. Offered load of a class in
///   Erlangs = arrival rate × mean (handle + wrap-up) time. A max-flow (Boost push-relabel) from
///   source → class (capacity = its load) → class-in-home-room → group-in-room nodes it may reach
///   (its home rooms; other rooms too when its overflow_after is finite) → sink (capacity = people
///   on duty) says how much load can be carried. Classes are routed in priority order, so a
///   shortfall is charged to the lowest-priority classes that cannot be carried, as the model's
///   non-preemptive priority would. Handle factors ≠ 1 are handled with two bounds (see
///   ClassShortfall); with all factors 1 the figure is exact.
/// - erlang_estimates(): a stationary Erlang C/A figure per interval, weighted by offered calls.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "crsim/model/routing_policy.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/summary.hpp"

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

/// How far one class's load exceeds what the staff can carry in an interval.
///
/// A group whose handle factor differs between the classes it takes spends a different number of
/// Erlangs per Erlang of load on each, which a plain max-flow cannot express. Load is counted in
/// Erlangs at factor 1, and each group's capacity is divided by its largest (for the upper bound)
/// or smallest (for the lower bound) ratio of its busy time to the factor-1 busy time over the
/// classes it takes: the true fluid shortfall of the interval lies between the two bounds, which
/// coincide when every factor is 1.
struct ClassShortfall {
    std::size_t cls = 0;               ///< index in spec.classes
    double load_erlangs = 0;           ///< offered load in the interval
    double shortfall_erlangs = 0;      ///< upper bound: load the staff cannot carry
    double shortfall_min_erlangs = 0;  ///< lower bound (equal to the upper one when all handle factors are 1)
};

/// The fluid max-flow of one interval: each class's load and what of it cannot be carried.
std::vector<ClassShortfall> route_interval(const ScenarioSpec& spec, const IntervalLoad& interval);

/// A span of consecutive intervals, in one or several weeks, in which some class cannot be carried.
struct CapacityFinding {
    std::string span;                     ///< week_span_label() of the span, e.g. "Sat 22:00–Sun 04:00"
    std::vector<int> weeks;               ///< simulated weeks (from 1) in which it occurs, ascending
    std::vector<ClassShortfall> classes;  ///< classes short there, each at its worst interval, in spec order
    std::vector<std::string> worst;       ///< per entry of classes: label of its worst interval
    /// True when spans of one weekday with other figures, in several weeks, were grouped into this
    /// one (a roster that changes week by week): `span` is then their hull, the classes were short
    /// at times within it, each at its worst interval of all weeks (`worst` names its week).
    bool varies = false;
    double from_s = 0;  ///< start of `span`, seconds from a Monday 00:00 (0 to one week)
    double to_s = 0;    ///< end of `span`, seconds from the same Monday 00:00
    /// One line: "Sat 23:00–24:00 (weeks 1–5): 101 load 14.2 Erlangs exceeds what the rostered staff
    /// can carry by 3.1 Erlangs".
    std::string describe(const ScenarioSpec& spec) const;
};

/// The result of check_capacity().
struct CapacityReport {
    double interval_s = 0;                  ///< the interval checked (check_interval_s())
    int first_week = 1;                     ///< simulated weeks checked: first_week..last_week
    int last_week = 1;                      ///< last simulated week checked
    std::size_t intervals_checked = 0;      ///< number of intervals over the horizon
    std::vector<CapacityFinding> findings;  ///< in order of first occurrence
    /// True when no interval is short.
    bool feasible() const { return findings.empty(); }
};

/// The fluid capacity check of every interval in [0, horizon). Consecutive short intervals of a
/// week are merged into one finding; findings identical in several weeks are reported once; the
/// findings left that start on one weekday with the same classes short are grouped into one
/// (CapacityFinding::varies), so that a roster changing week by week gives a line per weekday.
CapacityReport check_capacity(const ScenarioSpec& spec);

/// Erlang estimates of each class's whole-run figures over [warm-up, horizon), for `crsim run
/// --analytic`. Per interval, the people who may take a class are shared between the classes they
/// take in proportion to load (priority and reserves ignored), and the class is an M/M/N queue
/// (Erlang C) or M/M/N+M (Erlang A with the patience distribution's mean) using mean times only;
/// a fractional N interpolates linearly between the figures of the whole numbers around it. The
/// run figure weighs each interval by its offered calls (ASA by its answered calls). An interval in
/// which Erlang C is unstable is overloaded, and makes the run figures NaN. `reach` says which rooms'
/// people a class's calls reach: only their home room's, or every room's when they may overflow
/// (overflow delays taken as 0: the default, and for one room the same).
std::vector<AnalyticFigures> erlang_estimates(const ScenarioSpec& spec,
                                              RoutingPolicy::Reach reach = RoutingPolicy::Reach::every_room);

/// Both bounds of each class's Erlang estimates: rooms separate (no overflow, the pessimistic one)
/// and fully pooled (the optimistic one); the simulated routing, overflowing after a wait, lies between.
std::vector<AnalyticBounds> erlang_bounds(const ScenarioSpec& spec);

}  // namespace crsim::model
