#pragma once
/// \file
/// The routing rules: which staff group may answer which call class, in which rooms, in what
/// order, and what it keeps in reserve. The one statement of them: the simulation (ControlRoom)
/// answers calls by it, and the capacity check, the Erlang estimates and the routing graph read it.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// The scenario's routing rules; see the file comment. The scenario must outlive it.
class RoutingPolicy {
public:
    explicit RoutingPolicy(const ScenarioSpec& spec);

    /// May a person of `group` answer a call of class `cls` at all?
    bool takes(std::size_t group, std::size_t cls) const { return spec_.groups[group].takes[cls]; }

    /// A person of `group` handles a call of `cls` in this many times the class's handle time.
    double handle_factor(std::size_t group, std::size_t cls) const { return handle_factors_[group * n_classes_ + cls]; }

    /// The busy-time rule, stated once for the simulation, the capacity check and the staffing
    /// requirements: a call keeps its answerer busy for the talk time of a factor-1 handler
    /// (`handle_s`) times the person's handle factor times the timeline's multiplier
    /// (`inflation`: transitions, learning), plus the wrap-up.
    static double busy_s(double handle_s, double factor, double inflation, double wrap_s) {
        return handle_s * factor * inflation + wrap_s;
    }

    /// The busy time of a call of `cls` answered by a person of `group` (see the rule above).
    double busy_s(std::size_t group, std::size_t cls, double handle_s, double wrap_s, double inflation = 1) const {
        return busy_s(handle_s, handle_factor(group, cls), inflation, wrap_s);
    }

    /// The groups that take `cls`, most preferred first: which one answers a new call when people
    /// of several are idle.
    const std::vector<std::size_t>& preference(std::size_t cls) const { return spec_.classes[cls].group_preference; }

    /// Classes by priority, most urgent first; within a level a freed person takes the oldest call.
    /// Priority is non-preemptive.
    const std::vector<std::vector<std::uint32_t>>& priority_levels() const { return priority_levels_; }

    /// priority_levels() with only the classes `group` takes, levels left empty dropped.
    const std::vector<std::vector<std::uint32_t>>& levels_taken_by(std::size_t group) const {
        return levels_taken_by_[group];
    }

    /// True when a person of `group` must not take a call of `cls` because only `idle_in_group`
    /// people of the group in the room are idle (that person included) and the group keeps that
    /// many in reserve for other classes.
    bool reserve_blocks(std::size_t group, std::size_t cls, std::size_t idle_in_group) const {
        const GroupSpec& g = spec_.groups[group];
        return g.reserve > 0 && !g.reserved_for[cls] && idle_in_group <= static_cast<std::size_t>(g.reserve);
    }

    /// True when calls of `cls` may be answered outside their home room (after overflow_after_s()).
    bool overflows(std::size_t cls) const {
        return several_rooms_ && std::isfinite(spec_.classes[cls].overflow_after_s);
    }

    /// True when calls of `cls` look for idle people in every room from the moment they arrive.
    bool overflows_at_once(std::size_t cls) const { return several_rooms_ && spec_.classes[cls].overflow_after_s == 0; }

    /// The wait after which a call of `cls` may be answered in other rooms (`never`: it never may).
    double overflow_after_s(std::size_t cls) const { return spec_.classes[cls].overflow_after_s; }

    /// May people in `room` ever answer a call of `cls` whose home room is `home`?
    bool reaches(std::size_t cls, std::size_t home, std::size_t room) const { return room == home || overflows(cls); }

    /// The two bounds of the Erlang estimates (`crsim run --analytic`) between which the routing
    /// lies: no call leaves its home room, or a call that may overflow reaches every room at once.
    enum class Reach { home_room, every_room };

    /// May people in `room` answer a call of `cls` whose home room is `home`, under bound `reach`?
    bool reaches(std::size_t cls, std::size_t home, std::size_t room, Reach reach) const {
        return room == home || (reach == Reach::every_room && overflows(cls));
    }

private:
    const ScenarioSpec& spec_;
    bool several_rooms_;
    std::vector<std::vector<std::uint32_t>> priority_levels_;
    std::vector<std::vector<std::vector<std::uint32_t>>> levels_taken_by_;  // [group]
    // GroupSpec::handle_factor of every group, [group][class] in one vector: asked at every answer.
    std::size_t n_classes_;
    std::vector<double> handle_factors_;
};

}  // namespace crsim::model
