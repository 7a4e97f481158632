#include "crsim/model/run_replication.hpp"

#include "control_room.hpp"

namespace crsim::model {

ReplicationResult run_replication(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication,
                                  const RecordingOptions& recording) {
    return ControlRoom(spec, seed, replication, recording).run();
}

}  // namespace crsim::model
