#pragma once
/// \file
/// Where a trunk cap applies (a room's or a class's `trunks`, scenarios/README.md): the model blocks
/// calls there (models/model/trunk_caps.hpp) and the outputs report the blocked figures for those
/// classes only, so that scenarios without a cap keep their outputs as they were.

#include <cstddef>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Does any room or class of `spec` have a trunk cap?
inline bool has_trunk_caps(const ScenarioSpec& spec) {
    for (const RoomSpec& r : spec.rooms)
        if (r.trunks) return true;
    for (const ClassSpec& c : spec.classes)
        if (c.trunks) return true;
    return false;
}

/// May calls of class `cls` be blocked: does its own cap or a cap of a room it may ring into apply?
inline bool class_may_be_blocked(const ScenarioSpec& spec, std::size_t cls) {
    if (spec.classes[cls].trunks) return true;
    // A merge later in the run may move the calls into any room, so any room's cap may apply.
    for (const RoomSpec& r : spec.rooms)
        if (r.trunks) return true;
    return false;
}

}  // namespace crsim::model
