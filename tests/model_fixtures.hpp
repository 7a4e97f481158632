#pragma once
// Small scenarios built in code for the model's tests: every field set explicitly, no YAML.

#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::test {

using model::ClassSpec;
using model::GroupSpec;
using model::ScenarioSpec;
using model::ShiftSpec;
using model::TargetSpec;
using sim::Distribution;

/// A duration that is always `s` seconds.
inline Distribution fixed(double s) { return Distribution::deterministic(s); }

/// A target on `metric` with its goal (and, for a service level, its threshold).
inline TargetSpec make_target(TargetSpec::Metric metric, double goal, double threshold_s = 0) {
    TargetSpec t;
    t.metric = metric;
    t.goal = goal;
    t.threshold_s = threshold_s;
    return t;
}

/// A class with the given priority and fixed times; calls arrive at `times` (a trace) or, when
/// `times` is empty, as a Poisson process of `per_hour` calls an hour.
inline ClassSpec make_class(std::string name, int priority, std::vector<double> times, double per_hour,
                            Distribution handle, Distribution patience, std::size_t rooms = 1) {
    ClassSpec c;
    c.name = std::move(name);
    c.priority = priority;
    c.arrivals.times_s = std::move(times);
    c.arrivals.per_week = per_hour * 168;
    c.handle_time = std::move(handle);
    c.patience = std::move(patience);
    c.room_shares.assign(rooms, 1.0 / static_cast<double>(rooms));
    c.thresholds_s = {10.0};
    return c;
}

/// A group that takes every class of `spec` with handle factor 1.
inline GroupSpec make_group(const ScenarioSpec& spec, std::string name) {
    GroupSpec g;
    g.name = std::move(name);
    g.takes.assign(spec.classes.size(), true);
    g.handle_factor.assign(spec.classes.size(), 1.0);
    g.reserved_for.assign(spec.classes.size(), false);
    return g;
}

/// `headcount` people of `group` in `room` on duty from t = 0 for `length_s` (one shift, day 1
/// only); by default for the whole run.
inline ShiftSpec always_on(std::size_t room, std::size_t group, int headcount, double length_s = model::never) {
    ShiftSpec s;
    s.room = room;
    s.group = group;
    s.days = {true, false, false, false, false, false, false};
    s.from_week = s.to_week = 1;
    s.start_s = 0;
    s.length_s = length_s;
    s.headcount = headcount;
    return s;
}

/// Fills each class's group preference with the groups that take it, in declaration order.
inline void default_preferences(ScenarioSpec& spec) {
    for (std::size_t k = 0; k < spec.classes.size(); ++k) {
        spec.classes[k].group_preference.clear();
        for (std::size_t g = 0; g < spec.groups.size(); ++g)
            if (spec.groups[g].takes[k]) spec.classes[k].group_preference.push_back(g);
    }
}

}  // namespace crsim::test
