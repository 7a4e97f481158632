// Call-back work in the model (model/callback_desk.hpp): deterministic timelines written out, and the
// accounting of work when every caller who would wait takes a call-back.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/stats/confidence_interval.hpp"
#include "model_fixtures.hpp"

using namespace crsim::test;
using crsim::model::CallbackOfferSpec;
using crsim::model::ReplicationResult;

namespace {

/// One handler on duty throughout; class "cb" offers a call-back to everyone who would wait, all
/// accept; class "live" (priority 2) has none. Every call talks 100 s.
ScenarioSpec one_handler(std::vector<double> cb_times, std::vector<double> live_times) {
    ScenarioSpec spec;
    spec.name = "test";
    spec.horizon_s = 1000;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("cb", 1, std::move(cb_times), 0, fixed(100), fixed(5000)),
                    make_class("live", 2, std::move(live_times), 0, fixed(100), fixed(5000))};
    spec.classes[0].callback = CallbackOfferSpec{};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    return spec;
}
}  // namespace

TEST_CASE("an accepted call-back leaves the line and is rung back only when no live call waits") {
    const ScenarioSpec spec = one_handler({0, 10}, {50});
    // t=0   cb#1 answered at once (busy to 100); t=10 cb#2 would wait: offered, accepts, listed.
    // t=50  live#1 queues.  t=100 the live call goes first (waited 50), busy to 200.
    // t=200 cb#2 is rung back, 190 s after it accepted; busy to 300.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    const auto& cb = r.classes[0].counts;
    CHECK(cb.offered == 2);
    CHECK(cb.answered == 1);  // live answers only: the call-back is counted apart
    CHECK(cb.abandoned == 0);
    CHECK(r.classes[1].counts.answered_wait_s == doctest::Approx(50.0));
    REQUIRE(r.callbacks.size() == 2);
    CHECK(r.callbacks[0].offered == 1);
    CHECK(r.callbacks[0].accepted.created == 1);
    CHECK(r.callbacks[0].accepted.reached == 1);
    CHECK(r.callbacks[0].accepted.attempts == 1);
    CHECK(r.callbacks[0].accepted.wait_s == doctest::Approx(190.0));
    CHECK(r.groups[0].handled == 3);
    CHECK(r.groups[0].busy_s == doctest::Approx(300.0));
}

TEST_CASE("a call-back with a priority number below a live class's goes ahead of its calls") {
    ScenarioSpec spec = one_handler({0, 10}, {50});
    spec.classes[0].callback->attempts.priority = 1;  // ahead of "live" (priority 2)
    // t=100 cb#2 is rung back first (90 s after accepting), busy to 200; t=200 live#1 (waited 150).
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.callbacks[0].accepted.wait_s == doctest::Approx(90.0));
    CHECK(r.classes[1].counts.answered_wait_s == doctest::Approx(150.0));
}

TEST_CASE("the offer is made only from the estimated wait set, and attempts that fail are retried") {
    ScenarioSpec spec = one_handler({0, 10, 20}, {});
    // Estimated wait = (calls ahead + 1) x 100 s / 1 handler: 100 s for cb#2, 200 s for cb#3 (cb#2
    // waits in the line); only cb#3 reaches the 150 s from which the offer is made.
    spec.classes[0].callback->offer_from_wait_s = 150;
    spec.classes[0].callback->attempts.reach = 0.5;
    spec.classes[0].callback->attempts.max_attempts = 50;
    spec.classes[0].callback->attempts.retry_after = fixed(60);
    spec.classes[0].callback->attempts.failed_attempt = fixed(5);
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    const auto& b = r.callbacks[0];
    CHECK(b.offered == 1);
    CHECK(b.accepted.created == 1);
    CHECK(b.accepted.reached == 1);
    CHECK(r.classes[0].counts.answered == 2);
    // t=100 cb#2 answered (waited 90), busy to 200; t=200 first attempt on cb#3's call-back, 180 s
    // after it accepted at 20; each failure keeps the handler 5 s and comes back 60 s later.
    const auto failures = b.accepted.attempts - 1;
    CHECK(b.accepted.wait_s == doctest::Approx(180.0 + 65.0 * static_cast<double>(failures)));
    CHECK(r.groups[0].busy_s == doctest::Approx(300.0 + 5.0 * static_cast<double>(failures)));
}

TEST_CASE("every abandoned call creates a call-back task with its own handle time, dropped after its time limit") {
    ScenarioSpec spec = one_handler({}, {0, 10, 20});
    spec.classes[0].callback.reset();
    spec.classes[1].patience = fixed(30);
    spec.classes[1].abandoned_callback = crsim::model::AbandonedCallbackSpec{};
    spec.classes[1].abandoned_callback->handle_time = fixed(20);
    spec.classes[1].abandoned_callback->attempts.time_limit_s = 75;
    // t=0 live#1 answered (busy to 100); live#2 abandons at 40, live#3 at 50: two tasks.
    // t=100 task of live#2 (60 s old) is rung back, busy to 120; t=120 the task of live#3 is 70 s
    // old, within its limit: rung back, busy to 140.
    ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    const auto& a = r.callbacks[1].abandoned;
    CHECK(a.created == 2);
    CHECK(a.reached == 2);
    CHECK(a.wait_s == doctest::Approx(60.0 + 70.0));
    CHECK(r.groups[0].busy_s == doctest::Approx(140.0));
    // With a 65 s limit the second task has expired when the handler is free at 120.
    spec.classes[1].abandoned_callback->attempts.time_limit_s = 65;
    r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.callbacks[1].abandoned.reached == 1);
    CHECK(r.callbacks[1].abandoned.unreached == 1);
    CHECK(r.groups[0].busy_s == doctest::Approx(120.0));
}

TEST_CASE("call-backs for everyone who would wait: nobody abandons, and all offered work is done") {
    // 4 handlers, 30 calls an hour of 6 min (3 Erlangs), patience 1 min: without call-backs a
    // fifth of the callers who wait would abandon. With acceptance 100% and threshold 0 none does,
    // and the work done (handled x mean handle) equals the work offered (offered x mean handle).
    ScenarioSpec spec;
    spec.name = "all-call-back";
    spec.warmup_s = 86400;
    spec.horizon_s = 86400 * 21;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("cb", 1, {}, 30, Distribution::exponential(360), Distribution::exponential(60))};
    spec.classes[0].callback = CallbackOfferSpec{};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 4)};
    default_preferences(spec);
    std::vector<double> ratio;
    for (std::size_t rep = 0; rep < 8; ++rep) {
        const ReplicationResult r = crsim::model::run_replication(spec, 7, rep);
        const auto& c = r.classes[0].counts;
        CHECK(c.abandoned == 0);
        CHECK(r.callbacks[0].accepted.created == r.callbacks[0].offered);
        CHECK(r.callbacks[0].accepted.created > 0);
        // Busy time over the offered calls' mean handle time: the calls' work done, in calls.
        ratio.push_back(r.groups[0].busy_s / 360.0 / static_cast<double>(c.offered));
    }
    const auto e = crsim::stats::estimate(ratio, 0.99);
    INFO("work done / work offered: " << e.mean << " ± " << e.half_width);
    CHECK(std::abs(e.mean - 1.0) <= e.half_width);
    CHECK(e.half_width < 0.02);
}
