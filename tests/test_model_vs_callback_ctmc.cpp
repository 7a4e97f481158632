// The simulator's call-back lists against the exact Markov chain of analytic/callback_ctmc.hpp: a
// call-back offered to callers who would wait when enough calls wait ahead, accepted with a
// probability, served only when no live call waits; all times exponential.
//
// The chain's offer rule counts calls waiting ahead; the simulator's estimates the wait as (calls
// ahead + 1) x mean handle time / people on duty. With every agent on duty throughout, an offer
// threshold of (T + 0.5) mean handle times / agents makes the two the same rule: calls ahead >= T.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "crsim/analytic/callback_ctmc.hpp"
#include "model_fixtures.hpp"
#include "validation.hpp"

using namespace crsim::test;
using crsim::analytic::CallbackSystem;
using crsim::model::seconds_per_day;

namespace {

ScenarioSpec spec_of(const CallbackSystem& system, double days) {
    ScenarioSpec spec;
    spec.name = "callback-ctmc";
    spec.warmup_s = 2 * seconds_per_day;
    spec.horizon_s = spec.warmup_s + days * seconds_per_day;
    spec.rooms = {{"room"}};
    for (std::size_t k = 0; k < system.classes.size(); ++k) {
        const auto& c = system.classes[k];
        if (c.deferrable) {
            crsim::model::DeferrableSpec d;
            d.name = "backlog" + std::to_string(k + 1);
            d.arrivals.per_week = c.arrivals_per_hour * 168;
            d.handle_time = Distribution::exponential(c.handle_mean_s);
            d.order = c.priority;  // the chain serves its lists by class priority
            spec.deferrables.push_back(std::move(d));
            continue;
        }
        spec.classes.push_back(make_class("class" + std::to_string(k + 1), c.priority, {}, c.arrivals_per_hour,
                                          Distribution::exponential(c.handle_mean_s),
                                          Distribution::exponential(c.patience_mean_s)));
        if (c.offers_callback) {
            crsim::model::CallbackOfferSpec offer;
            offer.accept = c.accept;
            offer.offer_from_wait_s = (c.offer_from_queue + 0.5) * c.handle_mean_s / system.agents;
            spec.classes.back().callback = offer;
        }
    }
    spec.groups = {make_group(spec, "agents")};
    for (auto& d : spec.deferrables) d.groups = {true};
    spec.shifts = {always_on(0, 0, system.agents)};
    default_preferences(spec);
    return spec;
}

/// The exact value lies in the simulated figure's 99.9% confidence interval, the simulated mean is
/// within 2% of it, and the interval is narrow enough (95% half-width under 1.5%) for that to test.
void check_close(const std::string& name, const std::vector<double>& values, double exact) {
    const auto ci999 = crsim::stats::estimate(values, 0.999);
    const auto ci95 = crsim::stats::estimate(values, 0.95);
    INFO(name << ": simulated " << ci95.mean << " ± " << ci95.half_width << " (95%), exact " << exact);
    CHECK(std::abs(ci999.mean - exact) <= ci999.half_width);
    CHECK(std::abs(ci95.mean - exact) < 0.02 * exact);
    CHECK(ci95.half_width < 0.015 * exact);
}

void check_against_chain(const CallbackSystem& system, double days, std::size_t replications) {
    const auto exact = crsim::analytic::solve_callbacks(system);
    const auto runs = run_all(spec_of(system, days), replications);
    std::size_t live = 0, backlog = 0;  // the class's place among the spec's classes or backlogs
    for (std::size_t k = 0; k < system.classes.size(); ++k) {
        const std::string name = "class " + std::to_string(k + 1) + " ";
        if (system.classes[k].deferrable) {
            std::vector<double> response;
            for (const auto& r : runs) {
                const auto& d = r.deferrables.at(backlog);
                response.push_back(d.response_s / static_cast<double>(d.started));
            }
            check_close(name + "mean_response_s", response, exact.classes[k].mean_queue_s);
            ++backlog;
            continue;
        }
        const std::size_t c_index = live++;
        std::vector<double> p_abandon, p_accepted, callback_wait;
        for (const auto& r : runs) {
            const auto& c = r.classes[c_index].counts;
            const double offered = static_cast<double>(c.offered);
            p_abandon.push_back(static_cast<double>(c.abandoned) / offered);
            if (!system.classes[k].offers_callback) continue;
            const auto& b = r.callbacks.at(c_index).accepted;
            p_accepted.push_back(static_cast<double>(b.created) / offered);
            callback_wait.push_back(b.wait_s / static_cast<double>(b.reached));
        }
        check_close(name + "p_abandon", p_abandon, exact.classes[k].p_abandon);
        if (!system.classes[k].offers_callback) continue;
        check_close(name + "p_accepted", p_accepted, exact.classes[k].p_accepted);
        check_close(name + "callback_wait_s", callback_wait, exact.classes[k].mean_callback_wait_s);
    }
}

}  // namespace

TEST_CASE("a call-back offered to the second of two priority classes agrees with the Markov chain") {
    CallbackSystem s;
    s.agents = 4;
    s.classes.resize(2);
    s.classes[0] = {10, 300, 300, 1, false, false, 0, 0};   // first (as 999): 0.8 Erlangs
    s.classes[1] = {20, 480, 240, 2, false, true, 1, 0.7};  // second (as 101): 2.7 Erlangs; offered from 1 call ahead
    check_against_chain(s, 120, 30);
}

TEST_CASE("deferrable work done when no call waits agrees with the Markov chain") {
    CallbackSystem s;
    s.agents = 4;
    s.classes.resize(2);
    s.classes[0] = {30, 300, 240, 1, false, false, 0, 0};                       // calls: 2.5 Erlangs
    s.classes[1] = {6, 600, std::numeric_limits<double>::infinity(), 2, true};  // reports: 1 Erlang
    check_against_chain(s, 120, 30);
}
