#pragma once
/// \file
/// How a study runs a scenario: replications, seed, threads, the reporting window and precision
/// goals. These are options of a run, not of the scenario: they travel here, and the scenario
/// (model::ScenarioSpec) stays as its file says.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "crsim/model/precision.hpp"
#include "crsim/model/recording.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::study {

/// The options of a run (`crsim run`, `crsim compare`).
struct RunPlan {
    std::size_t replications = 10;  ///< to start with (all of them without precision goals)
    std::uint64_t seed = 1;
    unsigned threads = 0;  ///< 0: all cores
    /// Report the whole-run figures for this window (`14-26`, `3d-10d`, a name the scenario gives);
    /// none: [warm-up, horizon). Read for each scenario by resolve_window.
    std::optional<std::string> window;
    model::PrecisionGoals precision;  ///< none: run `replications` and stop
    std::size_t max_replications = 1000;
    /// Add the Erlang C/A bounds beside each class's figures (`crsim run --analytic`).
    bool analytic = false;
    /// What replication 1 of the first scenario records beyond its counts (a call log).
    model::RecordingOptions first_replication_recording;
};

/// The reporting window `plan` gives for `spec`: nothing without one. Throws std::invalid_argument
/// saying what was expected (model::parse_window).
std::optional<model::ReportWindow> resolve_window(const model::ScenarioSpec& spec, const RunPlan& plan);

/// `spec` as the model runs it under `plan`: its reporting window set.
model::ScenarioSpec planned_spec(const model::ScenarioSpec& spec, const RunPlan& plan);

/// What a study tells while it runs; the command line prints it on stderr, a test may keep it.
/// Every call but step() comes from the calling thread; step() may come from any.
class StudyObserver {
public:
    virtual ~StudyObserver() = default;
    /// A line about what is being done ("10 replications of one-room (seed 1) on 2 threads ...").
    virtual void note(const std::string& text) { (void)text; }
    /// Something the user should know about the result ("--max-replications 40 reached before ...").
    virtual void warning(const std::string& text) { (void)text; }
    /// A batch of `total` tasks of `what` ("replications of one-room") starts.
    virtual void start(const std::string& what, std::size_t total) { (void)what, (void)total; }
    /// One task of the batch is done.
    virtual void step() {}
    /// The batch is done.
    virtual void finish() {}
};

}  // namespace crsim::study
