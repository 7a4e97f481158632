#pragma once
// Shared by the validation suites: long simulation runs compared with exact queueing results.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "crsim/model/run_replication.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/stats/confidence_interval.hpp"

namespace crsim::test {

/// Checks one simulated figure (one value per replication) against its exact value: the exact
/// value must lie in the 99.9% confidence interval, and the 95% half-width must be under 1% of
/// the value (under 0.002 for shares below 0.2).
inline void check_figure(const std::string& name, const std::vector<double>& values, double exact, bool is_share) {
    const auto ci999 = stats::estimate(values, 0.999);
    const auto ci95 = stats::estimate(values, 0.95);
    INFO(name << ": simulated " << ci95.mean << " ± " << ci95.half_width << " (95%), exact " << exact);
    CHECK(std::abs(ci999.mean - exact) <= ci999.half_width);
    const double precision = is_share && exact < 0.2 ? 0.002 : 0.01 * exact;
    CHECK(ci95.half_width < precision);
}

/// Runs `replications` replications of `spec` on all cores.
inline std::vector<model::ReplicationResult> run_all(const model::ScenarioSpec& spec, std::size_t replications,
                                                     std::uint64_t seed = 2026) {
    return sim::run_replications(replications, 0, [&](std::size_t r) { return model::run_replication(spec, seed, r); });
}

}  // namespace crsim::test
