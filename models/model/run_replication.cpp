#include "crsim/model/run_replication.hpp"

#include <sstream>
#include <stdexcept>

#include "control_room.hpp"
#include "crsim/model/work_estimate.hpp"

namespace crsim::model {

ReplicationResult run_replication(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication,
                                  const RecordingOptions& recording) {
    // The runaway guard, behind the estimate checked before a run: a replication making far more
    // events than its scenario explains stops with a message rather than running for ever.
    const WorkEstimate estimate = estimate_work(spec);
    try {
        return ControlRoom(spec, seed, replication, recording, event_budget(estimate)).run();
    } catch (const sim::EventLimitReached& e) {
        std::ostringstream message;
        message.precision(3);
        message << "replication " << replication + 1 << " of " << spec.name << " " << e.what()
                << ": more than 100 times the " << estimate.events
                << " events estimated for the scenario; the model ran away (events without time passing?)";
        throw std::runtime_error(message.str());
    }
}

}  // namespace crsim::model
