#pragma once
/// \file
/// Simulated weekly figures kept on disk by what they were simulated from, so that calibrations of
/// the same scenario (another KPI file of the same weeks, the experiments of
/// tools/scrutiny/experiments.sh) do not simulate a point twice.

#include <cstdint>
#include <string>

#include "crsim/scrutiny/scrutiny.hpp"

namespace crsim::scrutiny {

/// simulate_figures(plan, replications, seed, threads), read from `cache_dir` when a file there
/// was written for the same scenario (`scenario_sha256`: its files and overrides), seed,
/// replications, weeks, classes and demand; simulated and written there (atomically) otherwise.
/// An empty `cache_dir` simulates. The files are for this build of crsim: a change to the model
/// needs a new directory.
SimulatedFigures simulate_figures_cached(const WeekPlan& plan, const std::string& scenario_sha256,
                                         std::size_t replications, std::uint64_t seed, unsigned threads,
                                         const std::string& cache_dir);

}  // namespace crsim::scrutiny
