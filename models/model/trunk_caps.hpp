#pragma once
// The trunk cap: a limit on the calls in the system at once (waiting or talking), per room (the
// calls whose home it is) and per class (over all rooms), as a telephone system has so many lines.
// A call arriving when its home room's or its class's count is at the limit is blocked: the
// caller hears a busy tone and goes; the attempt is offered, never answered, counted as blocked,
// and the caller does not ring again. A call holds its line from arrival until it abandons or its
// talk ends (after-call work needs no line). Erlang's loss systems (M/M/c/K) are this model.

#include <cstddef>
#include <limits>
#include <vector>

#include "crsim/model/blocking.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// The lines in use per room and per class of one replication, against their caps.
class TrunkCaps {
public:
    explicit TrunkCaps(const ScenarioSpec& spec) : active_(has_trunk_caps(spec)) {
        if (!active_) return;
        for (const RoomSpec& r : spec.rooms) rooms_.push_back(Lines{0, r.trunks.value_or(unlimited)});
        for (const ClassSpec& c : spec.classes) classes_.push_back(Lines{0, c.trunks.value_or(unlimited)});
    }

    /// False when the scenario caps nothing: then the model asks nothing else.
    bool active() const { return active_; }

    /// Takes a line for a call of class `cls` whose home is `room`; false, and nothing taken, when
    /// either count is at its cap (the call is blocked).
    bool seize(std::size_t room, std::size_t cls) {
        Lines& r = rooms_[room];
        Lines& c = classes_[cls];
        if (r.in_use >= r.cap || c.in_use >= c.cap) return false;
        ++r.in_use;
        ++c.in_use;
        return true;
    }

    /// Frees the line a call of `cls` homed in `room` held.
    void release(std::size_t room, std::size_t cls) {
        --rooms_[room].in_use;
        --classes_[cls].in_use;
    }

private:
    static constexpr int unlimited = std::numeric_limits<int>::max();
    struct Lines {
        int in_use = 0;
        int cap = unlimited;
    };
    bool active_;
    std::vector<Lines> rooms_, classes_;
};

}  // namespace crsim::model
