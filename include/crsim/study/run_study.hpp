#pragma once
/// \file
/// `crsim run` and `crsim compare` as library calls: the checks before a run, and replications of
/// one or more scenarios under a RunPlan, with precision goals in batches until the half-widths
/// are small enough.

#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crsim/model/comparison.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/study/run_plan.hpp"

namespace crsim::study {

/// The routing and capacity checks of `crsim check` on the scenarios of a study.
struct PreRunFindings {
    /// Routing errors, which must stop the run, each with its option's name when there are several.
    std::vector<std::string> errors;
    /// Each warning once, with the names of the options it applies to, in order of first appearance.
    std::vector<std::pair<std::string, std::vector<std::string>>> warnings;
};

/// Checks each scenario (named `names[i]`, loaded from `paths[i]`): routing errors and warnings, and
/// the first few intervals short of staff (the rest counted, pointing to `crsim check`).
PreRunFindings pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                              std::span<const std::string> paths);

/// Runs replications 0 … n−1 of every spec (replication r of each with the same streams: common
/// random numbers) into results[spec][r]. With precision goals, `status()` (computed from
/// `results`) is asked after each batch, and batches are added until it is reached or
/// plan.max_replications; what stopped it is told to `observer`. Returns the final n. The specs
/// are run as given (planned_spec sets the window).
std::size_t run_replications_study(std::span<const model::ScenarioSpec> specs, const RunPlan& plan,
                                   std::vector<std::vector<model::ReplicationResult>>& results,
                                   const std::function<model::PrecisionStatus()>& status, StudyObserver& observer);

/// `crsim run`: the summary of `spec` under `plan` (its window, its precision goals); replication 1's
/// own result is copied to `first_replication` when given (the weekly KPIs of `run --weekly-kpis`).
model::Summary run_scenario(const model::ScenarioSpec& spec, const RunPlan& plan, StudyObserver& observer,
                            model::ReplicationResult* first_replication = nullptr);

/// What `crsim compare` reports: each option's summary, and the comparison against the first.
struct CompareOutcome {
    std::vector<model::Summary> summaries;
    model::Comparison comparison;
};

/// `crsim compare`: every spec under `plan` with common random numbers, named `names` (distinct).
CompareOutcome compare_scenarios(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                                 const RunPlan& plan, StudyObserver& observer);

}  // namespace crsim::study
