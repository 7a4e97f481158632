#pragma once
// What `crsim run` and `crsim compare` share: the checks before a run, printed once, and running
// replications of one or more scenarios with progress and, with --precision, in batches until the
// half-widths are small enough.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "crsim/model/precision.hpp"
#include "crsim/model/recording.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::cli {

/// Runs the routing and capacity checks of `crsim check` on each scenario (named `names[i]`, loaded
/// from `paths[i]`) and prints each warning once on stderr, naming the options it concerns when
/// there are several; nothing but errors when `quiet`. Returns false when a routing error must stop the run.
bool print_pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                          std::span<const std::string> paths, bool quiet);

/// How many replications to run and how.
struct StudyPlan {
    std::size_t replications = 10;  ///< to start with (all of them without precision goals)
    std::uint64_t seed = 1;
    unsigned threads = 0;             ///< 0: all cores
    model::PrecisionGoals precision;  ///< none: run `replications` and stop
    std::size_t max_replications = 1000;
    bool quiet = false;  ///< no progress, no notes
    /// What replication 1 of the first scenario records beyond its counts (a call log).
    model::RecordingOptions first_replication_recording;
};

/// Runs replications 0 … n−1 of every spec (replication r of each with the same streams: common
/// random numbers) into results[spec][r]. With precision goals, `status()` (computed from `results`)
/// is asked after each batch, and batches are added until it is reached or max_replications; what
/// stopped it is said on stderr. Returns the final n.
std::size_t run_study(std::span<const model::ScenarioSpec> specs, const StudyPlan& plan,
                      std::vector<std::vector<model::ReplicationResult>>& results,
                      const std::function<model::PrecisionStatus()>& status);

}  // namespace crsim::cli
