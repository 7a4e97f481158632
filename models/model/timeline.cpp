#include "timeline.hpp"

#include <algorithm>
#include <cmath>

namespace crsim::model {
namespace {

double week_start(int week) { return (week - 1) * seconds_per_week; }

// A straight line from `from` at `start` to 1 at `start + span_s`, then 1.
double falling_to_one(double from, double start, double span_s, double t) {
    if (t < start) return 1.0;
    if (span_s <= 0 || t >= start + span_s) return 1.0;
    return from + (1.0 - from) * (t - start) / span_s;
}

}  // namespace

Timeline::Timeline(const ScenarioSpec& spec)
    : spec_(spec),
      merges_(!spec.merges.empty()),
      varies_handle_time_(!spec.transitions.empty() || !spec.cohorts.empty()) {}

std::size_t Timeline::merged_room(std::size_t room, double t) const {
    // Merges apply in the order listed, so a room merged into one that merges later follows it.
    for (const RoomMergeSpec& m : spec_.merges)
        if (t >= week_start(m.week) && std::find(m.rooms.begin(), m.rooms.end(), room) != m.rooms.end()) room = m.into;
    return room;
}

double Timeline::presence(const ShiftSpec& line, double t) const {
    const int week = week_of(t);
    double p = 1.0 - spec_.groups[line.group].absence;
    for (const DisruptionSpec& d : spec_.disruptions)
        if (d.groups[line.group] && week >= d.from_week && week <= d.to_week) p *= d.headcount_factor;
    p *= employed(line, t);
    if (line.cohort >= 0) {
        const CohortSpec& c = spec_.cohorts[static_cast<std::size_t>(line.cohort)];
        if (t < week_start(c.start_week) + c.course_weeks * seconds_per_week) p *= c.available_during_course;
    }
    return p;
}

double Timeline::employed(const ShiftSpec& line, double t) const {
    const int week = week_of(t);
    double e = 1.0;
    for (const AttritionSpec& a : spec_.attritions) {
        if (!a.groups[line.group] || week < a.from_week) continue;
        const int weeks_of_loss = std::min(week, a.to_week) - a.from_week + 1;
        e *= std::pow(1.0 - a.weekly_loss, weeks_of_loss);
    }
    if (line.cohort >= 0 && t < week_start(spec_.cohorts[static_cast<std::size_t>(line.cohort)].start_week)) return 0.0;
    return e;
}

double Timeline::handle_factor(double t, int cohort) const {
    double factor = 1.0;
    for (const TransitionSpec& tr : spec_.transitions)
        factor *= falling_to_one(1.0 + tr.handle_inflation, week_start(tr.week), tr.decay_weeks * seconds_per_week, t);
    if (cohort >= 0) {
        const CohortSpec& c = spec_.cohorts[static_cast<std::size_t>(cohort)];
        const double course_end = week_start(c.start_week) + c.course_weeks * seconds_per_week;
        factor *= t < course_end ? c.initial_factor
                                 : falling_to_one(c.initial_factor, course_end, c.learning_weeks * seconds_per_week, t);
    }
    return factor;
}

}  // namespace crsim::model
