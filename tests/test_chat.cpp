// Web chat handled concurrently (chat_spec.hpp, control_room_chats.cpp): a person holds up to
// `at_once` chats, each `slowdown` times as long as alone, and takes no calls while holding any.
#include <doctest/doctest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "crsim/analytic/erlang.hpp"
#include "model_fixtures.hpp"
#include "validation.hpp"

using namespace crsim::test;
using crsim::model::BreakSpec;
using crsim::model::ChatSpec;
using crsim::model::ReplicationResult;
using crsim::model::seconds_per_day;

namespace {

/// Two classes, 999 calls first and 101 (the one made a chat class below), taken by the same
/// handlers: some on duty throughout, more on a 10-hour shift with a break each day of week 1.
ScenarioSpec calls_and_101(double per_hour_999, double per_hour_101) {
    ScenarioSpec spec;
    spec.name = "chat";
    spec.rooms = {{"room"}};
    spec.horizon_s = 7 * seconds_per_day;
    spec.classes = {
        make_class("999", 1, {}, per_hour_999, Distribution::exponential(300), Distribution::exponential(120)),
        make_class("101", 2, {}, per_hour_101, Distribution::lognormal(420, 360), Distribution::exponential(600))};
    spec.groups = {make_group(spec, "handlers")};
    ShiftSpec day = always_on(0, 0, 3, 10 * 3600.0);
    day.days.fill(true);
    day.start_s = 8 * 3600.0;
    day.breaks = {BreakSpec{4 * 3600.0, 1800, 3600}};
    spec.shifts = {always_on(0, 0, 4), day};
    default_preferences(spec);
    return spec;
}

}  // namespace

TEST_CASE("a chat class taking one chat at a time at its own speed gives the results of a call class") {
    const ScenarioSpec calls = calls_and_101(12, 30);
    ScenarioSpec chats = calls;
    chats.classes[1].chat = ChatSpec{1, 1.0};
    for (std::size_t r = 0; r < 3; ++r) {
        const ReplicationResult a = crsim::model::run_replication(calls, 7, r);
        const ReplicationResult b = crsim::model::run_replication(chats, 7, r);
        for (std::size_t k = 0; k < 2; ++k) {
            const auto& x = a.classes[k].counts;
            const auto& y = b.classes[k].counts;
            CHECK(x.offered == y.offered);
            CHECK(x.answered == y.answered);
            CHECK(x.abandoned == y.abandoned);
            CHECK(x.answered_within == y.answered_within);
            CHECK(x.queue_time_s == y.queue_time_s);
            CHECK(x.answered_wait_s == y.answered_wait_s);
        }
        CHECK(a.groups[0].busy_s == b.groups[0].busy_s);
        CHECK(a.groups[0].available_s == b.groups[0].available_s);
        CHECK(a.groups[0].handled == b.groups[0].handled);
        CHECK(a.events == b.events);
    }
}

TEST_CASE("a person holding a chat takes a second chat at once but no call until the chats are done") {
    // One person, chats up to 2 at once, 1.5 times as long (100 s of handling take 150 s). Timeline:
    //   t=0   chat A answered: held until 150
    //   t=10  a call arrives: the person holds a chat, so it waits
    //   t=20  chat B answered beside A: held until 170
    //   t=170 both chats done: the person answers the call (waited 160 s), busy until 220.
    ScenarioSpec spec;
    spec.name = "chat timeline";
    spec.rooms = {{"room"}};
    spec.horizon_s = 1000;
    spec.classes = {
        make_class("call", 1, {10}, 0, Distribution::deterministic(50), Distribution::deterministic(1e6)),
        make_class("chat", 2, {0, 20}, 0, Distribution::deterministic(100), Distribution::deterministic(1e6))};
    spec.classes[1].chat = ChatSpec{2, 1.5};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1)};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    const auto& call = r.classes[0].counts;
    const auto& chat = r.classes[1].counts;
    CHECK(chat.answered == 2);
    CHECK(chat.queue_time_s == 0);
    CHECK(call.answered == 1);
    CHECK(call.queue_time_s == doctest::Approx(160));
    CHECK(r.groups[0].handled == 3);
    CHECK(r.groups[0].busy_s == doctest::Approx(170 + 50));  // busy once while holding chats
}

TEST_CASE("n people taking k chats each with exponential times are Erlang A with n*k servers") {
    // 3 people, 3 chats each, 4-minute handle times made 6 by the slowdown, 10-minute patience:
    // 9 servers of mean 360 s. 68 chats an hour load them to 0.76.
    ScenarioSpec spec;
    spec.name = "chat erlang";
    spec.rooms = {{"room"}};
    spec.warmup_s = seconds_per_day;
    spec.horizon_s = spec.warmup_s + 40 * seconds_per_day;
    spec.classes = {make_class("chat", 0, {}, 68, Distribution::exponential(240), Distribution::exponential(600))};
    spec.classes[0].chat = ChatSpec{3, 1.5};
    spec.classes[0].thresholds_s = {0.0, 60.0};
    spec.groups = {make_group(spec, "chat desk")};
    spec.shifts = {always_on(0, 0, 3)};
    default_preferences(spec);

    const auto runs = run_all(spec, 20);
    std::vector<double> p_wait, service_level, p_abandon, mean_queue;
    for (const ReplicationResult& r : runs) {
        const auto& c = r.classes[0].counts;
        const double offered = static_cast<double>(c.offered);
        p_wait.push_back(1.0 - static_cast<double>(c.answered_within[0]) / offered);
        service_level.push_back(static_cast<double>(c.answered_within[1]) / offered);
        p_abandon.push_back(static_cast<double>(c.abandoned) / offered);
        mean_queue.push_back(c.queue_time_s / offered);
    }
    crsim::analytic::ErlangDemand demand;
    demand.arrivals_per_hour = 68;
    demand.handle_mean_s = 360;
    demand.patience_mean_s = 600;
    const crsim::analytic::ErlangQueue exact(demand, 9);
    check_figure("service_level", service_level, exact.service_level(60), true);
    check_figure("p_abandon", p_abandon, exact.p_abandon(), true);
    // The exact value inside the 99.9% interval, the 95% half-width under 2% of it (these 20 runs of
    // 40 days reach 1.2% and 1.9%; check_figure's 1% would take four times as long).
    for (const auto& figure :
         {std::tuple{"p_wait", p_wait, exact.p_wait()}, std::tuple{"mean_queue_s", mean_queue, exact.mean_wait_s()}}) {
        // Named copies, not a structured binding: INFO's lambda captures them, which clang 14 refuses for bindings.
        const char* name = std::get<0>(figure);
        const auto& values = std::get<1>(figure);
        const double value = std::get<2>(figure);
        const auto ci999 = crsim::stats::estimate(values, 0.999);
        const auto ci95 = crsim::stats::estimate(values, 0.95);
        INFO(name << ": simulated " << ci95.mean << " ± " << ci95.half_width << " (95%), exact " << value);
        CHECK(std::abs(ci999.mean - value) <= ci999.half_width);
        CHECK(ci95.half_width < 0.02 * value);
    }
}
