#pragma once
// Where a caller's demand goes before it reaches a queue: channel shift (the caller uses another
// channel, a class of its own, instead of ringing) and the front-end menu (IVR, triage), which
// resolves, redirects or re-classifies calls after a time in the menu.

#include <cstdint>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/random_stream.hpp"
#include "demand_tally.hpp"

namespace crsim::model {

/// Decides the fate of each first attempt of a class, from streams of its own.
class FrontEnd {
public:
    /// What happens to one caller.
    struct Route {
        enum class Fate : std::uint8_t { queue, resolved, redirected, backlog };
        Fate fate = Fate::queue;
        std::uint32_t cls = 0;         ///< the class whose queue it joins (Fate::queue), or the backlog (Fate::backlog)
        double delay_s = 0;            ///< time in the menu before it leaves or joins the queue
        bool shifted = false;          ///< moved to another channel (class) before ringing
        bool triaged = false;          ///< went through the menu of the class it reached
        bool reclassified = false;     ///< the menu moved it to `cls`
        std::uint32_t triaged_as = 0;  ///< the class whose menu it went through
    };

    /// Draws of class k come from "channel-shift/<k>" and "triage/<k>": a scenario that adds
    /// these features leaves every other stream as it was.
    FrontEnd(const ScenarioSpec& spec, const sim::StreamFactory& streams);

    /// Some class is shifted or triaged.
    bool active() const { return active_; }

    /// The route of a caller of class `cls` arriving at `now`.
    Route route(std::uint32_t cls, double now);

private:
    const DemandSpec& demand_;
    bool active_ = false;
    std::vector<std::vector<std::size_t>> shifts_from_;        // per class: its channel_shifts
    std::vector<sim::Engine> shift_streams_, triage_streams_;  // per class
};

/// Counts route `r` of a caller of class `cls` arriving at `now` in `tally`.
void record_route(DemandTally& tally, std::size_t cls, double now, const FrontEnd::Route& r);

}  // namespace crsim::model
