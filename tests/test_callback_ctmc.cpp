// The call-back chain (analytic/callback_ctmc.hpp) against what is known exactly: the priority chain
// of ctmc.hpp when nobody accepts, and M/M/c when every caller who would wait takes a call-back or
// when deferrable work is alone.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "crsim/analytic/callback_ctmc.hpp"
#include "crsim/analytic/ctmc.hpp"
#include "crsim/analytic/erlang.hpp"
#include "relative_error.hpp"

namespace an = crsim::analytic;

namespace {
/// Erlang C: the chance that an arrival to M/M/c waits, from Erlang B.
double erlang_c(double load, int agents) {
    const double b = an::erlang_b(load, agents);
    const double rho = load / agents;
    return b / (1 - rho * (1 - b));
}
}  // namespace

TEST_CASE("call-back chain: offers nobody accepts leave the priority chain of ctmc.hpp unchanged") {
    an::CallbackSystem s;
    s.agents = 6;
    s.classes = {{30, 240, 600, 1, false, false, 0, 0}, {40, 360, 300, 2, false, true, 0, 0.0}};
    const an::CallbackResult cb = an::solve_callbacks(s);
    an::CtmcSystem p;
    p.agents_per_room = {6};
    p.classes = {{30, 240, 600, 1, {}}, {40, 360, 300, 2, {}}};
    const an::CtmcResult ref = an::solve(p);
    for (std::size_t k = 0; k < 2; ++k) {
        CHECK(rel(cb.classes[k].p_wait, ref.classes[k].p_wait) < 1e-7);
        CHECK(rel(cb.classes[k].p_abandon, ref.classes[k].p_abandon) < 1e-7);
        CHECK(rel(cb.classes[k].mean_queue_s, ref.classes[k].mean_wait_s) < 1e-7);
    }
    CHECK(cb.classes[1].p_offered == doctest::Approx(cb.classes[1].p_wait).epsilon(1e-9));
    CHECK(cb.classes[1].p_accepted == 0.0);
    CHECK(cb.residual < 1e-12);
}

TEST_CASE("call-back chain: with everyone who would wait accepting, the list is an M/M/c queue") {
    // Nobody waits in the line, so patience never acts; the list is served first come first served
    // whenever an agent is free: Erlang C's P(wait) is the accepted share and 1 / (c mu - lambda)
    // the mean time from acceptance to the call-back.
    const double per_hour = 40, handle_s = 360;
    const int agents = 5;
    an::CallbackSystem s;
    s.agents = agents;
    s.classes = {{per_hour, handle_s, 120, 1, false, true, 0, 1.0}};
    const an::CallbackResult r = an::solve_callbacks(s);
    const double load = per_hour * handle_s / 3600;
    const double lambda = per_hour / 3600, mu = 1 / handle_s;
    CHECK(rel(r.classes[0].p_accepted, erlang_c(load, agents)) < 1e-6);
    CHECK(rel(r.classes[0].mean_callback_wait_s, 1 / (agents * mu - lambda)) < 1e-6);
    CHECK(r.classes[0].p_abandon == 0.0);
    CHECK(r.truncation_mass < 1e-9);
}

TEST_CASE("call-back chain: deferrable work alone is an M/M/c queue; beside calls it takes the idle time") {
    an::CallbackSystem alone;
    alone.agents = 3;
    alone.classes = {{20, 360, inf, 5, true, false, 0, 0}};
    const an::CallbackResult a = an::solve_callbacks(alone);
    const double load = 2.0, lambda = 20.0 / 3600, mu = 1 / 360.0;
    CHECK(rel(a.classes[0].mean_queue_s, erlang_c(load, 3) / (3 * mu - lambda)) < 1e-6);

    // Calls first, the backlog in the idle time: every agent-second is either a call's or an item's.
    an::CallbackSystem mixed;
    mixed.agents = 4;
    mixed.classes = {{25, 300, 200, 1, false, false, 0, 0}, {10, 600, inf, 2, true, false, 0, 0}};
    const an::CallbackResult m = an::solve_callbacks(mixed);
    const double calls_busy = 25.0 / 3600 * (1 - m.classes[0].p_abandon) * 300;
    CHECK(rel(m.classes[0].mean_busy_agents, calls_busy) < 1e-6);
    CHECK(rel(m.classes[1].mean_busy_agents, 10.0 / 3600 * 600) < 1e-6);
    CHECK(m.classes[1].p_abandon == 0.0);
}

TEST_CASE("call-back chain: malformed systems are refused") {
    an::CallbackSystem s;
    s.agents = 2;
    s.classes = {{10, 300, 300, 1, false, false, 0, 0}, {10, 300, 300, 1, false, false, 0, 0}};
    CHECK_THROWS_AS(an::solve_callbacks(s), std::invalid_argument);  // equal priorities
    s.classes = {{10, 300, inf, 1, true, true, 0, 0.5}};
    CHECK_THROWS_AS(an::solve_callbacks(s), std::invalid_argument);  // an offer on deferrable work
    s.classes = {{100, 300, inf, 1, true, false, 0, 0}};             // 8.3 Erlangs on 2 agents
    CHECK_THROWS_AS(an::solve_callbacks(s), std::domain_error);
    s.classes = {{20, 300, inf, 1, true, false, 0, 0}};  // 1.7 Erlangs on 2: a long backlog
    an::CallbackOptions small;
    small.max_states = 50;
    CHECK_THROWS_AS(an::solve_callbacks(s, small), std::length_error);
}
