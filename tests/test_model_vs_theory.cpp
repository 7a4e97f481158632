// The simulator against exact steady-state queueing results (Erlang C and Erlang A).
//
// Each case runs 20 replications of its days after a 2-day warm-up with one class and one pool
// of c people on duty throughout, exponential handle times and (for Erlang A) exponential
// patience. Every simulated figure must contain the exact value in its 99.9% confidence
// interval, and be precise: the 95% half-width under 1% of the value (0.002 for small shares).
// The days of a case are what that precision needs with a margin (for this suite's time): 120 for
// Erlang C, whose mean time in queue varies most (half-width 0.97% of it); 80 and 30 for the
// Erlang A cases, whose half-widths are then at most 0.69% and 0.48% of the value. With a handle
// time 5% longer in the simulation than in the formula, every case fails (14 figures outside
// their 99.9% interval).
#include <doctest/doctest.h>

#include <vector>

#include "crsim/analytic/erlang.hpp"
#include "model_fixtures.hpp"
#include "validation.hpp"

using namespace crsim::test;
using crsim::model::ReplicationResult;
using crsim::model::seconds_per_day;

namespace {

struct Case {
    double per_hour, handle_s, patience_s;  // patience_s 0: none (Erlang C)
    int agents;
    double threshold_s;
    double days;  // simulated after the warm-up
};

void check_against_erlang(const Case& k) {
    ScenarioSpec spec;
    spec.name = "erlang";
    spec.rooms = {{"room"}};
    spec.warmup_s = 2 * seconds_per_day;
    spec.horizon_s = spec.warmup_s + k.days * seconds_per_day;
    spec.classes = {make_class("x", 0, {}, k.per_hour, Distribution::exponential(k.handle_s),
                               Distribution::exponential(k.patience_s > 0 ? k.patience_s : 1.0))};
    if (k.patience_s == 0) spec.classes[0].patience.reset();
    spec.classes[0].thresholds_s = {0.0, k.threshold_s};
    spec.groups = {make_group(spec, "agents")};
    spec.shifts = {always_on(0, 0, k.agents)};
    default_preferences(spec);

    const auto runs = run_all(spec, 20);

    std::vector<double> p_wait, service_level, p_abandon, mean_queue, occupancy;
    for (const ReplicationResult& r : runs) {
        const auto& c = r.classes[0].counts;
        const double offered = static_cast<double>(c.offered);
        p_wait.push_back(1.0 - static_cast<double>(c.answered_within[0]) / offered);
        service_level.push_back(static_cast<double>(c.answered_within[1]) / offered);
        p_abandon.push_back(static_cast<double>(c.abandoned) / offered);
        mean_queue.push_back(c.queue_time_s / offered);
        occupancy.push_back(r.groups[0].busy_s / r.groups[0].available_s);
    }

    crsim::analytic::ErlangDemand demand;
    demand.arrivals_per_hour = k.per_hour;
    demand.handle_mean_s = k.handle_s;
    if (k.patience_s > 0) demand.patience_mean_s = k.patience_s;
    const crsim::analytic::ErlangQueue exact(demand, k.agents);

    check_figure("p_wait", p_wait, exact.p_wait(), true);
    check_figure("service_level", service_level, exact.service_level(k.threshold_s), true);
    check_figure("mean_queue_s", mean_queue, exact.mean_wait_s(), false);
    check_figure("occupancy", occupancy, exact.occupancy(), true);
    if (k.patience_s > 0) check_figure("p_abandon", p_abandon, exact.p_abandon(), true);
}

}  // namespace

TEST_CASE("Erlang C: 300 calls an hour, 2 min handle time, 13 agents, no abandonment") {
    check_against_erlang({300, 120, 0, 13, 20, 120});
}

TEST_CASE("Erlang A: 120 calls an hour, 6 min handle time, 5 min patience, 13 agents") {
    check_against_erlang({120, 360, 300, 13, 20, 80});
}

TEST_CASE("Erlang A overloaded: 150 calls an hour, 6 min handle, 3 min patience, 12 agents") {
    check_against_erlang({150, 360, 180, 12, 60, 30});
}
