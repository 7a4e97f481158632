#pragma once
// How a scenario changes over simulated time: rooms merging, handle times inflated after a
// change, people missing during a move or gone for good, trainees learning. Pure functions of
// the scenario and the time, so the model asks and never keeps this state itself.

#include <cstddef>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Answers time-dependent questions about one scenario.
class Timeline {
public:
    explicit Timeline(const ScenarioSpec& spec);

    /// The week (from 1) that contains time t.
    static int week_of(double t) { return static_cast<int>(t / seconds_per_week) + 1; }

    /// Where calls and roster lines of `room` go at time t, after any merges that have happened.
    std::size_t room_at(std::size_t room, double t) const { return merges_ ? merged_room(room, t) : room; }

    /// Chance that one rostered person of this line turns up for a shift starting at t: absence,
    /// disruptions, attrition and, for trainees, the course all taken into account.
    double presence(const ShiftSpec& line, double t) const;

    /// Share of one rostered person of this line still employed for a shift starting at t: none
    /// before the line's cohort starts, and those attrition has left (what the force pays for).
    double employed(const ShiftSpec& line, double t) const;

    /// Multiplier of handle times at time t for a person of `cohort` (-1: none): the transition
    /// inflation times the cohort's learning factor.
    double handle_factor(double t, int cohort) const;

    /// True when some handle-time factor can differ from 1 (lets the model skip the work).
    bool varies_handle_time() const { return varies_handle_time_; }

private:
    std::size_t merged_room(std::size_t room, double t) const;

    const ScenarioSpec& spec_;
    bool merges_;  // the scenario merges rooms: asked at every call, so kept rather than looked up
    bool varies_handle_time_;
};

}  // namespace crsim::model
