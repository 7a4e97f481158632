#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <vector>

#include "crsim/sim/replication_runner.hpp"
#include "crsim/sim/simulator.hpp"

namespace {
// A small self-seeded replication: a chain of events whose delays come from a linear
// congruential sequence seeded by the replication index; returns a checksum of the times.
double replicate(std::size_t r) {
    crsim::sim::Simulator sim;
    std::uint64_t state = 0x9E3779B97F4A7C15ull * (r + 1);
    double checksum = 0.0;
    std::function<void()> step = [&] {
        checksum += sim.now();
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        if (sim.events_executed() < 10000) sim.schedule_in(static_cast<double>(state >> 40) / 1e6, step);
    };
    sim.schedule_at(0.0, step);
    sim.run();
    return checksum;
}
}  // namespace

TEST_CASE("replication results are identical for 1 and 2 threads, in replication order") {
    const auto one = crsim::sim::run_replications(16, 1, replicate);
    const auto two = crsim::sim::run_replications(16, 2, replicate);
    const auto all = crsim::sim::run_replications(16, 0, replicate);
    REQUIRE(one.size() == 16);
    CHECK(one == two);
    CHECK(one == all);
    CHECK(one[0] != one[1]);  // replications differ from each other
}

TEST_CASE("an exception in a replication reaches the caller") {
    auto failing = [](std::size_t r) -> int {
        if (r == 3) throw std::runtime_error("replication 3 failed");
        return static_cast<int>(r);
    };
    CHECK_THROWS_WITH_AS(crsim::sim::run_replications(8, 2, failing), "replication 3 failed", std::runtime_error);
}
