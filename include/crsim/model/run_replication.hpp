#pragma once
/// \file
/// Runs the control-room model for one replication of a scenario.

#include <cstdint>

#include "crsim/model/recording.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Simulates replication `replication` (0-based) of `spec` with random streams derived from
/// (seed, replication, stream name), and returns its counts. Same arguments, same result, always.
/// `recording` asks for more than the counts (a per-call log); it never changes the result.
ReplicationResult run_replication(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication,
                                  const RecordingOptions& recording = {});

}  // namespace crsim::model
