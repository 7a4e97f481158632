#pragma once
/// \file
/// Before a run: can the rostered staff carry the offered load at all? Answered from the interval
/// load table (interval_load.hpp), as the Erlang estimates of `--analytic` are (erlang_estimates.hpp).
///
/// - check_capacity(): a fluid (deterministic) check per interval. Offered load of a class in
///   Erlangs = arrival rate × mean (handle + wrap-up) time. A max-flow (Boost push-relabel) from
///   source → class (capacity = its load) → class-in-home-room → group-in-room nodes it may reach
///   (its home rooms; other rooms too when its overflow_after is finite) → sink (capacity = people
///   on duty) says how much load can be carried. Classes are routed in priority order, so a
///   shortfall is charged to the lowest-priority classes that cannot be carried, as the model's
///   non-preemptive priority would. Handle factors ≠ 1 are handled with two bounds (see
///   ClassShortfall); with all factors 1 the figure is exact.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "crsim/model/interval_load.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

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

}  // namespace crsim::model
