#pragma once
/// \file
/// How much work and memory a run of a scenario will take, estimated from the spec alone before
/// anything runs, and the limits beyond which a run is refused unless the user insists.
///
/// The estimate is an upper-side approximation meant to catch inputs that would run for days or
/// exhaust memory (10^300 calls a day, 2^31 people, a call-in timer every nanosecond), not a
/// forecast: real runs use less. It is cheap (linear in the size of the spec), so sweeps and the
/// staffing search can call it before every run.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// The estimated work of one replication, with the scenario key that contributes most to each
/// figure (a key path such as `classes.999.arrivals` or `roster[2].headcount`).
struct WorkEstimate {
    double calls = 0;  ///< call attempts, redials included
    std::string calls_key;
    double events = 0;  ///< engine events
    std::string events_key;
    double people = 0;  ///< people on duty at once, at most
    std::string people_key;
    double memory_bytes = 0;  ///< memory while the replication runs
    std::string memory_key;
    double result_bytes = 0;  ///< memory of its results, kept until the run is summarised
};

/// Estimates one replication of `spec`.
WorkEstimate estimate_work(const ScenarioSpec& spec);

/// The documented limits of a run (README.md, "Limits"). Beyond any of them a run is refused
/// before it starts, unless the user passes --allow-large.
struct WorkLimits {
    double max_calls_per_run = 1e9;  ///< call attempts over all replications
    double max_events_per_replication = 1e10;
    double max_people = 1e6;      ///< people on duty at once
    double max_memory_bytes = 0;  ///< estimated peak memory of the whole run

    /// The limits with max_memory_bytes set to this machine's memory (physical memory, or the
    /// process's address-space or data limit when lower).
    static WorkLimits for_this_machine();
};

/// One limit a run would exceed: the scenario key to change (or `replications`), and why.
struct WorkProblem {
    std::string key_path;
    std::string message;
};

/// The limits `replications` replications of `spec` on `threads` threads would exceed; empty
/// when the run is within them.
std::vector<WorkProblem> check_work(const ScenarioSpec& spec, std::size_t replications, std::size_t threads,
                                    const WorkLimits& limits);

/// The runaway guard: a replication stops with an error after this many events. Generous (many
/// times the estimate) so that no sound run meets it, it catches what the estimate missed.
std::uint64_t event_budget(const WorkEstimate& estimate);

}  // namespace crsim::model
