#include "crsim/model/run_replication.hpp"

#include "control_room.hpp"

namespace crsim::model {

ReplicationResult run_replication(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication) {
    return ControlRoom(spec, seed, replication).run();
}

}  // namespace crsim::model
