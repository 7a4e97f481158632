// The simulator against the exact Markov chain on cases no closed formula covers: several
// classes with non-preemptive priority and abandonment, and two rooms with an overflow rule.
//
// Each case: 30 replications of 120 days after a 2-day warm-up (80 days for the pooled rooms, the
// costliest case, whose half-widths are then at most 0.57% of the value), all times exponential.
// Every figure of every class (P(wait), mean time in queue, P(abandon)) and the occupancy of every
// room must contain the exact value in its 99.9% confidence interval, and be precise (see
// check_figure). With handle times 5% longer in the simulation than in the chain, the pooled case fails.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crsim/analytic/ctmc.hpp"
#include "model_fixtures.hpp"
#include "validation.hpp"

using namespace crsim::test;
using crsim::analytic::CtmcSystem;
using crsim::model::seconds_per_day;

namespace {

ScenarioSpec spec_of(const CtmcSystem& system, double days) {
    ScenarioSpec spec;
    spec.name = "ctmc";
    spec.warmup_s = 2 * seconds_per_day;
    spec.horizon_s = spec.warmup_s + days * seconds_per_day;
    const std::size_t rooms = system.agents_per_room.size();
    for (std::size_t r = 0; r < rooms; ++r) spec.rooms.push_back({"room" + std::to_string(r + 1)});
    for (std::size_t k = 0; k < system.classes.size(); ++k) {
        const auto& c = system.classes[k];
        spec.classes.push_back(make_class("class" + std::to_string(k + 1), c.priority, {}, c.arrivals_per_hour,
                                          Distribution::exponential(c.handle_mean_s),
                                          Distribution::exponential(c.patience_mean_s), rooms));
        spec.classes.back().thresholds_s = {0.0};
        if (!c.room_shares.empty()) spec.classes.back().room_shares = c.room_shares;
        spec.classes.back().overflow_after_s =
            system.overflow == CtmcSystem::Overflow::immediate ? 0.0 : crsim::model::never;
    }
    spec.groups = {make_group(spec, "agents")};
    for (std::size_t r = 0; r < rooms; ++r) spec.shifts.push_back(always_on(r, 0, system.agents_per_room[r]));
    default_preferences(spec);
    return spec;
}

void check_against_ctmc(const CtmcSystem& system, double days = 120) {
    const auto exact = crsim::analytic::solve(system);
    REQUIRE(exact.states < 100'000);
    const auto runs = run_all(spec_of(system, days), 30);

    for (std::size_t k = 0; k < system.classes.size(); ++k) {
        std::vector<double> p_wait, mean_queue, p_abandon;
        for (const auto& r : runs) {
            const auto& c = r.classes[k].counts;
            const double offered = static_cast<double>(c.offered);
            p_wait.push_back(1.0 - static_cast<double>(c.answered_within[0]) / offered);
            mean_queue.push_back(c.queue_time_s / offered);
            p_abandon.push_back(static_cast<double>(c.abandoned) / offered);
        }
        const std::string name = "class " + std::to_string(k + 1) + " ";
        check_figure(name + "p_wait", p_wait, exact.classes[k].p_wait, true);
        check_figure(name + "mean_queue_s", mean_queue, exact.classes[k].mean_wait_s, false);
        check_figure(name + "p_abandon", p_abandon, exact.classes[k].p_abandon, true);
    }
    for (std::size_t r = 0; r < system.agents_per_room.size(); ++r) {
        std::vector<double> occupancy;
        for (const auto& run : runs) occupancy.push_back(run.rooms[r].busy_s / run.rooms[r].available_s);
        check_figure("room " + std::to_string(r + 1) + " occupancy", occupancy, exact.room_occupancy[r], true);
    }
}

}  // namespace

TEST_CASE("two classes with priority and abandonment in one room agree with the Markov chain") {
    CtmcSystem s;
    s.classes = {{30, 240, 600, 1, {}}, {60, 360, 300, 2, {}}};  // 999: 2 Erlangs first; 101: 6 Erlangs
    s.agents_per_room = {9};
    check_against_ctmc(s);
}

TEST_CASE("two rooms pooled by immediate overflow, two classes, agree with the Markov chain") {
    CtmcSystem s;
    s.classes = {{30, 240, 600, 1, {0.3, 0.7}}, {60, 360, 300, 2, {0.3, 0.7}}};
    s.agents_per_room = {4, 5};
    s.overflow = CtmcSystem::Overflow::immediate;
    check_against_ctmc(s, 80);
}

TEST_CASE("two independent rooms with uneven shares agree with the Markov chain") {
    CtmcSystem s;
    s.classes = {{80, 240, 300, 1, {0.45, 0.55}}};
    s.agents_per_room = {5, 6};
    s.overflow = CtmcSystem::Overflow::never;
    check_against_ctmc(s);
}
