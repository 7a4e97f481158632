#include <doctest/doctest.h>

#include <cerrno>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
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

TEST_CASE("when the system cannot create the threads asked for, the replications run on those it could") {
    const auto expected = crsim::sim::run_replications(16, 1, replicate);
    // The system creates two threads, then refuses (EAGAIN, as pthread_create does at a limit).
    int asked = 0;
    const crsim::sim::ThreadStarter two_then_fail = [&](std::function<void()> work) {
        if (++asked > 2) throw std::system_error(EAGAIN, std::generic_category(), "thread");
        return std::thread(std::move(work));
    };
    std::mutex mutex;
    std::set<std::thread::id> used;
    const auto recording = [&](std::size_t r) {
        {
            std::lock_guard lock(mutex);
            used.insert(std::this_thread::get_id());
        }
        return replicate(r);
    };
    const auto got = crsim::sim::run_replications(16, 8, recording, two_then_fail);
    CHECK(got == expected);
    CHECK(asked == 3);        // stopped asking at the first refusal
    CHECK(used.size() <= 3);  // the caller and the two threads created

    // No thread at all: the caller runs every replication.
    used.clear();
    const crsim::sim::ThreadStarter never = [](std::function<void()>) -> std::thread {
        throw std::system_error(EAGAIN, std::generic_category(), "thread");
    };
    CHECK(crsim::sim::run_replications(16, 8, recording, never) == expected);
    CHECK(used == std::set<std::thread::id>{std::this_thread::get_id()});
}
