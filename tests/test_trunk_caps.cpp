// The trunk cap (a limit on calls in the system, per room or per class): the M/M/c/K formulas
// against hand-worked values and Erlang B, an exact timeline, and the simulator against M/M/c/K.
//
// Reference: M/M/c/K, p_n ∝ aⁿ/n! (n ≤ c), a^c/c!·(a/c)^(n−c) (c < n ≤ K); M/M/1/K blocking
// (1−ρ)ρ^K/(1−ρ^(K+1)) — Kleinrock, Queueing Systems I (1975), §3.6; K = c is Erlang B, whose
// table value for 10 Erlangs on 10 circuits is 0.2146 (test_erlang.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/analytic/erlang.hpp"
#include "crsim/analytic/finite_queue.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "model_fixtures.hpp"
#include "validation.hpp"

using namespace crsim::test;
using crsim::analytic::FiniteQueue;
using crsim::model::CallRecord;
using crsim::model::ReplicationResult;

TEST_CASE("M/M/c/K: worked by hand, M/M/1/K's closed form, Erlang B at K = c, Erlang C as K grows") {
    // a = 1, c = 2, K = 3: p ∝ 1, 1, 1/2, 1/4 (total 11/4).
    const FiniteQueue small(1.0, 2, 3);
    CHECK(small.p_blocked() == doctest::Approx(1.0 / 11).epsilon(1e-14));
    CHECK(small.p_wait() == doctest::Approx(2.0 / 11).epsilon(1e-14));
    CHECK(small.mean_queue_length() == doctest::Approx(1.0 / 11).epsilon(1e-14));
    const double rho = 0.8;
    CHECK(FiniteQueue(rho, 1, 5).p_blocked() ==
          doctest::Approx((1 - rho) * std::pow(rho, 5) / (1 - std::pow(rho, 6))).epsilon(1e-13));
    CHECK(FiniteQueue(10, 10, 10).p_blocked() == doctest::Approx(crsim::analytic::erlang_b(10, 10)).epsilon(1e-12));
    CHECK(FiniteQueue(10, 10, 10).p_wait() == 0.0);
    CHECK(FiniteQueue(500, 480, 600).p_blocked() > 0.04);  // overloaded: a cap keeps it stable; no overflow
    crsim::analytic::ErlangDemand d;
    d.arrivals_per_hour = 100;
    d.handle_mean_s = 144;  // 4 Erlangs
    const crsim::analytic::ErlangQueue unlimited(d, 5);
    const FiniteQueue wide(4, 5, 400);
    CHECK(wide.p_blocked() < 1e-30);
    CHECK(wide.p_wait() == doctest::Approx(unlimited.p_wait()).epsilon(1e-12));
    CHECK(wide.mean_queue_length() == doctest::Approx(unlimited.mean_queue_length()).epsilon(1e-12));
    CHECK_THROWS_AS(FiniteQueue(1, 3, 2), std::invalid_argument);
}

namespace {

/// One handler; calls at 10, 15, 22 and 30 s talking 10 s with 5 s of wrap-up, never abandoning
/// within the run; a cap of one line on the class or on the room.
ScenarioSpec one_line(bool on_class) {
    ScenarioSpec spec;
    spec.name = "one-line";
    spec.horizon_s = 1000;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("x", 0, {10, 15, 22, 30}, 0, fixed(10), fixed(5000))};
    spec.classes[0].wrap_up = fixed(5);
    spec.classes[0].thresholds_s = {0.0};
    (on_class ? spec.classes[0].trunks : spec.rooms[0].trunks) = 1;
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    return spec;
}
}  // namespace

TEST_CASE("a call holds its line until its talk ends; one arriving at the cap is blocked, counted and gone") {
    for (const bool on_class : {true, false}) {
        CAPTURE(on_class);
        // t=10 call 1 answered at once: talks until 20, wrap-up until 25
        // t=15 call 2: the one line is in use -> blocked
        // t=22 call 3: the line was freed at 20 (wrap-up needs none) -> queues, answered at 25 (waited 3 s)
        // t=30 call 4: call 3 talks until 35 -> blocked
        struct Log : crsim::model::CallLogSink {
            std::vector<CallRecord> records;
            void on_call(const CallRecord& r) override { records.push_back(r); }
        } log;
        crsim::model::RecordingOptions options;
        options.call_log = &log;
        const ScenarioSpec spec = one_line(on_class);
        const ReplicationResult r = crsim::model::run_replication(spec, 1, 0, options);
        const auto& c = r.classes[0].counts;
        CHECK(c.offered == 4);
        CHECK(c.answered == 2);
        CHECK(c.blocked == 2);
        CHECK(c.abandoned == 0);
        CHECK(c.answered_within[0] == 1);  // a blocked call counts against the service level
        CHECK(c.answered_wait_s == 3.0);
        REQUIRE(log.records.size() == 4);
        CHECK(log.records[1].outcome == CallRecord::Outcome::blocked);
        CHECK(log.records[1].arrival_s == 15.0);
        CHECK(log.records[3].outcome == CallRecord::Outcome::blocked);
        CHECK(log.records[3].arrival_s == 30.0);

        const crsim::model::Summary s = crsim::model::summarise(spec, std::vector<ReplicationResult>{r}, 1);
        CHECK(s.classes[0].may_be_blocked);
        CHECK(s.classes[0].figures.blocked.mean == 2.0);
        CHECK(s.classes[0].figures.blocked_pct.mean == 50.0);
        CHECK(s.classes[0].figures.service_level[0].mean == 0.25);
    }
}

TEST_CASE("without a cap nothing is blocked and the blocked figures are not reported") {
    ScenarioSpec spec = one_line(true);
    spec.classes[0].trunks.reset();
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.blocked == 0);
    CHECK(r.classes[0].counts.answered == 4);
    const crsim::model::Summary s = crsim::model::summarise(spec, std::vector<ReplicationResult>{r}, 1);
    CHECK_FALSE(s.classes[0].may_be_blocked);
    std::vector<std::string> names;
    crsim::model::for_each_class_figure(
        s.classes[0].figures, s.classes[0].thresholds_s,
        [&](std::string_view metric, double, const crsim::model::Figure&) { names.emplace_back(metric); }, false);
    CHECK(std::find(names.begin(), names.end(), "blocked") == names.end());
    CHECK(std::find(names.begin(), names.end(), "offered") != names.end());
}

TEST_CASE("4 agents, 3.3 Erlangs, 6 lines: the blocked and waiting shares are M/M/4/6's") {
    // 20 replications of 30 days after a day's warm-up, 100 calls an hour, exponential 2-minute
    // talk, no abandonment; the cap on the room, then on the class: the same system.
    for (const bool on_class : {true, false}) {
        CAPTURE(on_class);
        ScenarioSpec spec;
        spec.name = "mmck";
        spec.rooms = {{"room"}};
        spec.warmup_s = crsim::model::seconds_per_day;
        spec.horizon_s = spec.warmup_s + 30 * crsim::model::seconds_per_day;
        spec.classes = {make_class("x", 0, {}, 100, Distribution::exponential(120), fixed(1))};
        spec.classes[0].patience.reset();
        spec.classes[0].thresholds_s = {0.0};
        (on_class ? spec.classes[0].trunks : spec.rooms[0].trunks) = 6;
        spec.groups = {make_group(spec, "agents")};
        spec.shifts = {always_on(0, 0, 4)};
        default_preferences(spec);
        std::vector<double> blocked, waited;
        for (const ReplicationResult& r : run_all(spec, 20)) {
            const auto& c = r.classes[0].counts;
            const double offered = static_cast<double>(c.offered);
            blocked.push_back(static_cast<double>(c.blocked) / offered);
            waited.push_back(static_cast<double>(c.offered - c.blocked - c.answered_within[0]) / offered);
        }
        const FiniteQueue exact(100.0 * 120 / 3600, 4, 6);
        check_figure("blocked", blocked, exact.p_blocked(), true);
        check_figure("waited", waited, exact.p_wait(), true);
    }
}
