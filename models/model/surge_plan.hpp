#pragma once
// The surges of one replication: the scheduled ones as written, the random incidents drawn from
// their own streams, both turned into disjoint stretches of time in which a class's arrival rate
// is multiplied and raised (ArrivalProcess follows them exactly).

#include <cstddef>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/random_stream.hpp"

namespace crsim::model {

/// In [from_s, to_s) the class's rate is its base rate times `factor` plus `extra_per_s`.
struct RateSegment {
    double from_s = 0, to_s = 0;
    double factor = 1;
    double extra_per_s = 0;
};

/// One random incident as drawn.
struct SurgeIncident {
    double from_s = 0, to_s = 0;
    double size = 1;  ///< multiplies the rule's extra calls
};

/// Every surge of a replication, per class as disjoint, ascending RateSegments.
class SurgePlan {
public:
    /// Random incidents of random_surges[i] come from the stream "surges/random-<i + 1>", from
    /// t = 0 to the horizon; scheduled surges draw nothing.
    SurgePlan(const ScenarioSpec& spec, const sim::StreamFactory& streams);

    /// The segments of class `cls`; empty when no surge touches it.
    const std::vector<RateSegment>& segments(std::size_t cls) const { return segments_[cls]; }

    /// The random incidents drawn, in order of start.
    const std::vector<SurgeIncident>& incidents() const { return incidents_; }

private:
    std::vector<std::vector<RateSegment>> segments_;  // per class
    std::vector<SurgeIncident> incidents_;
};

/// `pieces` (possibly overlapping) made disjoint and ascending: where pieces overlap their
/// factors multiply and their extras add; stretches that change nothing are left out.
std::vector<RateSegment> disjoint_segments(const std::vector<RateSegment>& pieces);

}  // namespace crsim::model
