// The exact CTMC against Erlang C/A where those apply, and against exact multi-class identities.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "crsim/analytic/ctmc.hpp"
#include "crsim/analytic/erlang.hpp"
#include "relative_error.hpp"

namespace an = crsim::analytic;

namespace {

an::CtmcClass cls(double per_hour, double handle_s, double patience_s, int priority, std::vector<double> shares = {}) {
    an::CtmcClass c;
    c.arrivals_per_hour = per_hour;
    c.handle_mean_s = handle_s;
    c.patience_mean_s = patience_s;
    c.priority = priority;
    c.room_shares = std::move(shares);
    return c;
}

an::CtmcSystem one_room(std::vector<an::CtmcClass> classes, int agents) {
    an::CtmcSystem s;
    s.classes = std::move(classes);
    s.agents_per_room = {agents};
    return s;
}

an::ErlangQueue erlang(double per_hour, double handle_s, double patience_s, int agents) {
    an::ErlangDemand d;
    d.arrivals_per_hour = per_hour;
    d.handle_mean_s = handle_s;
    d.patience_mean_s = patience_s;
    return an::ErlangQueue(d, agents);
}

/// The CTMC's own accuracy claims: truncation below tolerance and a small balance residual.
void check_solution_quality(const an::CtmcResult& r) {
    CHECK(r.truncation_mass < 1e-9);
    CHECK(r.residual < 1e-12);
    CHECK(r.states < 100'000);
}

}  // namespace

TEST_CASE("one class without patience in one room agrees with Erlang C") {
    // R = 100/h * 5 min = 8.33 Erlangs on 10 agents.
    const an::CtmcResult r = an::solve(one_room({cls(100, 300, inf, 0)}, 10));
    const an::ErlangQueue e = erlang(100, 300, inf, 10);
    check_solution_quality(r);
    CHECK(rel(r.classes[0].p_wait, e.p_wait()) < 1e-6);
    CHECK(rel(r.classes[0].mean_wait_s, e.mean_wait_s()) < 1e-6);
    CHECK(r.classes[0].p_abandon == 0.0);
    CHECK(rel(r.occupancy, e.occupancy()) < 1e-6);
    CHECK(rel(r.room_occupancy[0], e.occupancy()) < 1e-6);
}

TEST_CASE("one class with patience in one room agrees with Erlang A, also above capacity") {
    for (int agents : {9, 12, 15}) {  // R = 12.5 Erlangs
        CAPTURE(agents);
        const an::CtmcResult r = an::solve(one_room({cls(150, 300, 240, 0)}, agents));
        const an::ErlangQueue e = erlang(150, 300, 240, agents);
        check_solution_quality(r);
        CHECK(rel(r.classes[0].p_wait, e.p_wait()) < 1e-6);
        CHECK(rel(r.classes[0].mean_wait_s, e.mean_wait_s()) < 1e-6);
        CHECK(rel(r.classes[0].p_abandon, e.p_abandon()) < 1e-6);
        CHECK(rel(r.occupancy, e.occupancy()) < 1e-6);
    }
}

TEST_CASE("two rooms with immediate overflow and one class pool into one Erlang A queue") {
    // Any idle agent of either room answers, and any freed agent takes the oldest waiting call:
    // one pool of 12 whatever the split of calls between rooms.
    an::CtmcSystem s;
    s.classes = {cls(150, 300, 240, 0, {0.3, 0.7})};
    s.agents_per_room = {6, 6};
    s.overflow = an::CtmcSystem::Overflow::immediate;
    const an::CtmcResult r = an::solve(s);
    const an::ErlangQueue e = erlang(150, 300, 240, 12);
    check_solution_quality(r);
    CHECK(rel(r.classes[0].p_wait, e.p_wait()) < 1e-6);
    CHECK(rel(r.classes[0].mean_wait_s, e.mean_wait_s()) < 1e-6);
    CHECK(rel(r.classes[0].p_abandon, e.p_abandon()) < 1e-6);
    CHECK(rel(r.occupancy, e.occupancy()) < 1e-6);
    // Home-room preference: the room homing 70% of calls is the busier one.
    CHECK(r.room_occupancy[1] > r.room_occupancy[0]);
}

TEST_CASE("two rooms that never overflow are two independent Erlang A queues") {
    an::CtmcSystem s;
    s.classes = {cls(150, 300, 240, 0, {0.4, 0.6})};
    s.agents_per_room = {5, 7};
    s.overflow = an::CtmcSystem::Overflow::never;
    const an::CtmcResult r = an::solve(s);
    check_solution_quality(r);
    const an::ErlangQueue room0 = erlang(150 * 0.4, 300, 240, 5);
    const an::ErlangQueue room1 = erlang(150 * 0.6, 300, 240, 7);
    CHECK(rel(r.room_occupancy[0], room0.occupancy()) < 1e-6);
    CHECK(rel(r.room_occupancy[1], room1.occupancy()) < 1e-6);
    // The class's figures are the rooms' figures weighted by the shares of calls.
    CHECK(rel(r.classes[0].p_wait, 0.4 * room0.p_wait() + 0.6 * room1.p_wait()) < 1e-6);
    CHECK(rel(r.classes[0].mean_wait_s, 0.4 * room0.mean_wait_s() + 0.6 * room1.mean_wait_s()) < 1e-6);
    CHECK(rel(r.classes[0].p_abandon, 0.4 * room0.p_abandon() + 0.6 * room1.p_abandon()) < 1e-6);
}

TEST_CASE("two rooms that never overflow wait longer than the same rooms with immediate overflow") {
    an::CtmcSystem s;
    s.classes = {cls(150, 300, 240, 0, {0.5, 0.5})};
    s.agents_per_room = {6, 6};
    s.overflow = an::CtmcSystem::Overflow::never;
    const an::CtmcResult split = an::solve(s);
    s.overflow = an::CtmcSystem::Overflow::immediate;
    const an::CtmcResult pooled = an::solve(s);
    CHECK(pooled.classes[0].mean_wait_s < split.classes[0].mean_wait_s);
    CHECK(pooled.classes[0].p_abandon < split.classes[0].p_abandon);
}

TEST_CASE("two priority classes with equal handle times match Cobham's formula and conserve work") {
    // Non-preemptive priority M/M/c with a common mu (Gross & Harris, Fundamentals of Queueing Theory,
    // section 3.4): W_k = W0 / ((1 - s_{k-1})(1 - s_k)), W0 = C(c, R) / (c mu), s_k = sum_{i<=k} lambda_i / (c mu).
    // Conservation: the total mean queue equals Erlang C's for the merged stream.
    const int c = 4;
    const double handle = 300, high = 12, low = 22;  // calls per hour; R = 2.83 Erlangs on 4 agents
    const an::CtmcResult r = an::solve(one_room({cls(low, handle, inf, 2), cls(high, handle, inf, 1)}, c));
    check_solution_quality(r);
    const an::ErlangQueue merged = erlang(high + low, handle, inf, c);
    const double c_mu = c / handle;
    const double w0 = merged.p_wait() / c_mu;
    const double s1 = high / 3600 / c_mu, s2 = (high + low) / 3600 / c_mu;
    CHECK(rel(r.classes[1].mean_wait_s, w0 / (1 - s1)) < 1e-6);
    CHECK(rel(r.classes[0].mean_wait_s, w0 / ((1 - s1) * (1 - s2))) < 1e-6);
    CHECK(r.classes[1].mean_wait_s < r.classes[0].mean_wait_s);
    CHECK(rel(r.classes[0].mean_queue_length + r.classes[1].mean_queue_length, merged.mean_queue_length()) < 1e-6);
    // Every arrival sees the same pool, so both classes find it full equally often (PASTA).
    CHECK(rel(r.classes[0].p_wait, merged.p_wait()) < 1e-6);
    CHECK(rel(r.classes[1].p_wait, merged.p_wait()) < 1e-6);
}

TEST_CASE("with abandonment and unequal handle times the high-priority class still waits less") {
    // 999-like calls (priority 0, 5 min, patient) and 101-like calls (priority 1, 8 min, 4 min patience).
    const an::CtmcResult r = an::solve(one_room({cls(40, 300, 3600, 0), cls(40, 480, 240, 1)}, 9));
    check_solution_quality(r);
    CHECK(r.classes[0].mean_wait_s < r.classes[1].mean_wait_s);
    CHECK(r.classes[0].p_abandon < r.classes[1].p_abandon);
    // Flow balance per class: served calls keep agents busy, lambda (1 - P(ab)) / mu = E[busy].
    CHECK(rel(r.classes[0].mean_busy_agents, 40.0 / 3600 * 300 * (1 - r.classes[0].p_abandon)) < 1e-6);
    CHECK(rel(r.classes[1].mean_busy_agents, 40.0 / 3600 * 480 * (1 - r.classes[1].p_abandon)) < 1e-6);
    CHECK(rel(r.occupancy, (r.classes[0].mean_busy_agents + r.classes[1].mean_busy_agents) / 9) < 1e-9);
}

TEST_CASE("two rooms with two classes and immediate overflow solve within the state budget") {
    an::CtmcSystem s;
    s.classes = {cls(30, 300, 1800, 0, {0.6, 0.4}), cls(40, 420, 300, 1, {0.3, 0.7})};
    s.agents_per_room = {4, 4};
    s.overflow = an::CtmcSystem::Overflow::immediate;
    const an::CtmcResult r = an::solve(s);
    check_solution_quality(r);
    CHECK(r.classes[0].mean_wait_s < r.classes[1].mean_wait_s);
    const double busy = r.classes[0].mean_busy_agents + r.classes[1].mean_busy_agents;
    CHECK(rel(r.occupancy, busy / 8) < 1e-9);
}

TEST_CASE("malformed, unstable and oversized systems are refused") {
    CHECK_THROWS_AS(an::solve(one_room({cls(10, 300, inf, 0), cls(10, 300, inf, 0)}, 3)), std::invalid_argument);
    CHECK_THROWS_AS(an::solve(one_room({cls(10, 300, inf, 0, {0.5, 0.5})}, 3)), std::invalid_argument);
    CHECK_THROWS_AS(an::solve(one_room({}, 3)), std::invalid_argument);
    CHECK_THROWS_AS(an::solve(one_room({cls(48, 300, inf, 0)}, 4)), std::domain_error);  // R = 4 on 4
    an::CtmcOptions tight;
    tight.max_states = 50;
    CHECK_THROWS_AS(an::solve(one_room({cls(40, 300, inf, 0)}, 4), tight), std::length_error);
}
