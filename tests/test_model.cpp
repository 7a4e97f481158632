#include <doctest/doctest.h>

#include <cmath>

#include "../models/model/period_places.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/stats/tally.hpp"
#include "model_fixtures.hpp"

using namespace crsim::test;
using crsim::model::ReplicationResult;

namespace {

ScenarioSpec base(double horizon_s) {
    ScenarioSpec spec;
    spec.name = "test";
    spec.horizon_s = horizon_s;
    spec.rooms = {{"room"}};
    return spec;
}

/// One handler on duty for 10000 s; calls at 10, 20, 30 and 200 s, each talking 100 s with 10 s of
/// wrap-up, callers hanging up after 50 s in the queue.
ScenarioSpec one_handler_four_calls() {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("x", 0, {10, 20, 30, 200}, 0, fixed(100), fixed(50))};
    spec.classes[0].wrap_up = fixed(10);
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    return spec;
}
}  // namespace

TEST_CASE("one handler: answered at once, queued callers abandon, wrap-up keeps the handler busy") {
    const ScenarioSpec spec = one_handler_four_calls();
    // t=10  call 1 answered at once; busy with talk + wrap-up until 120
    // t=20  call 2 queues, will abandon at 70;  t=30 call 3 queues, abandons at 80
    // t=120 the handler is free, nobody waits;   t=200 call 4 answered at once, busy until 310
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    const auto& c = r.classes[0].counts;
    CHECK(c.offered == 4);
    CHECK(c.answered == 2);
    CHECK(c.abandoned == 2);
    CHECK(c.answered_within[0] == 2);
    CHECK(c.answered_wait_s == 0.0);
    CHECK(c.queue_time_s == doctest::Approx(100.0));
    CHECK(r.classes[0].wait_p50_s == 0.0);
    CHECK(r.groups[0].handled == 2);
    CHECK(r.groups[0].busy_s == doctest::Approx(220.0));
    CHECK(r.groups[0].available_s == doctest::Approx(1000.0));
    CHECK(r.groups[0].paid_s == doctest::Approx(1000.0));
    CHECK(r.rooms[0].handled == 2);
}

TEST_CASE("a freed handler takes the highest-priority call first, oldest first within a class") {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("high", 1, {20, 30}, 0, fixed(100), fixed(5000)),
                    make_class("low", 2, {0, 10}, 0, fixed(100), fixed(5000))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    // t=0 low#1 answered at once (busy to 100); low#2 at 10, high#1 at 20, high#2 at 30 queue.
    // t=100 high#1 (waited 80), t=200 high#2 (waited 170), t=300 low#2 (waited 290).
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.answered == 2);
    CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(80.0 + 170.0));
    CHECK(r.classes[1].counts.answered_wait_s == doctest::Approx(0.0 + 290.0));
    CHECK(r.classes[1].max_wait_s == doctest::Approx(290.0).epsilon(0.002));
}

TEST_CASE("a call overflows to the other room after the set wait, keeping its place by arrival") {
    ScenarioSpec spec = base(1000);
    spec.rooms = {{"a"}, {"b"}};
    spec.classes = {make_class("x", 0, {0, 10, 50}, 0, fixed(100), fixed(5000), 2)};
    spec.classes[0].room_shares = {1.0, 0.0};  // every call's home is room a
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000), always_on(1, 0, 1, 10000)};
    default_preferences(spec);

    SUBCASE("after 30 s") {
        spec.classes[0].overflow_after_s = 30;
        // t=0 a answers call 1 (busy to 100). t=10 call 2 queues in a; at 40 it overflows and b,
        // idle, answers it (waited 30; b busy to 140). t=50 call 3 queues; overflows at 80 but b
        // is busy; at 100 a is free and answers it (waited 50).
        const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
        CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(30.0 + 50.0));
        CHECK(r.rooms[0].handled == 2);
        CHECK(r.rooms[1].handled == 1);
    }
    SUBCASE("never") {
        // Room b's handler idles while calls wait in a: 0, then 90 (at 100), then 150 (at 200).
        const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
        CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(90.0 + 150.0));
        CHECK(r.rooms[1].handled == 0);
    }
    SUBCASE("at once") {
        spec.classes[0].overflow_after_s = 0;
        // Call 2 goes straight to b (wait 0); call 3 at 50 waits for a, free at 100.
        const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
        CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(50.0));
        CHECK(r.rooms[1].handled == 1);
    }
}

TEST_CASE("a group keeps people in reserve for 999: they take 101 only while more than k are idle") {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("999", 1, {6}, 0, fixed(100), fixed(5000)),
                    make_class("101", 2, {0, 5}, 0, fixed(100), fixed(5000))};
    spec.groups = {make_group(spec, "handlers")};
    spec.groups[0].reserve = 1;
    spec.groups[0].reserved_for = {true, false};
    spec.shifts = {always_on(0, 0, 2, 10000)};
    default_preferences(spec);
    // t=0 101#1: 2 idle > 1, answered (busy to 100). t=5 101#2: 1 idle, not more than 1: waits.
    // t=6 a 999 call takes the reserve person at once (busy to 106).
    // t=100 the first handler is free: counting itself 1 idle, not more than 1, so 101#2 still
    // waits; t=106 the second is free: 2 idle, so it answers 101#2 (waited 101).
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.answered_wait_s == 0.0);
    CHECK(r.classes[1].counts.answered_wait_s == doctest::Approx(101.0));
}

TEST_CASE("a call arriving while several groups are idle goes to the preferred group") {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("101", 1, {0, 1, 2}, 0, fixed(100), fixed(5000))};
    spec.groups = {make_group(spec, "handlers"), make_group(spec, "trained-101")};
    spec.shifts = {always_on(0, 0, 1, 10000), always_on(0, 1, 2, 10000)};
    default_preferences(spec);
    spec.classes[0].group_preference = {1, 0};
    // The two trained staff take the first two calls, the handler only the third.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.groups[1].handled == 2);
    CHECK(r.groups[0].handled == 1);
}

TEST_CASE("a group's handle factor stretches its talk time") {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("101", 1, {0, 10}, 0, fixed(100), fixed(5000))};
    spec.groups = {make_group(spec, "officers")};
    spec.groups[0].handle_factor = {1.5};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    // Call 1 takes 150 s, so call 2 waits from 10 to 150.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(140.0));
    CHECK(r.groups[0].busy_s == doctest::Approx(300.0));
}

TEST_CASE("at shift end a person finishes the call in hand and is paid until then") {
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("x", 0, {90, 95}, 0, fixed(50), fixed(5000))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 100)};
    spec.shifts.push_back(always_on(0, 0, 1, 1000));
    spec.shifts.back().start_s = 200;
    default_preferences(spec);
    // t=90 answered (to 140, past the shift's end at 100); t=95 waits for the next shift at 200.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.answered_wait_s == doctest::Approx(105.0));
    CHECK(r.groups[0].paid_s == doctest::Approx(140.0 + 800.0));
    CHECK(r.groups[0].busy_s == doctest::Approx(100.0));
}

TEST_CASE("breaks are staggered and taken after the call in hand") {
    ScenarioSpec spec = base(2000);
    spec.classes = {make_class("x", 0, {0}, 0, fixed(300), fixed(5000))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 2, 2000)};
    spec.shifts[0].breaks = {{100, 60, 200}};
    default_preferences(spec);
    // Person 1 answers at 0 and is busy to 300; its break falls due at 100 and starts at 300.
    // Person 2's break is due at 100 + 200 * 1/2 = 200. Each break removes 60 s of availability.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.groups[0].available_s == doctest::Approx(2 * 2000.0 - 120.0));
    CHECK(r.groups[0].paid_s == doctest::Approx(2 * 2000.0));
}

TEST_CASE("calls before the warm-up are simulated but not counted; calls near the horizon are followed") {
    ScenarioSpec spec = base(1000);
    spec.warmup_s = 100;
    spec.classes = {make_class("x", 0, {50, 150, 990}, 0, fixed(100), fixed(5000))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    // The call at 50 keeps the handler busy to 150 (the call at 150 is answered at once); the
    // call at 990 is answered before the horizon. Staff time counts from the warm-up.
    const ReplicationResult r = crsim::model::run_replication(spec, 1, 0);
    CHECK(r.classes[0].counts.offered == 2);
    CHECK(r.classes[0].counts.answered == 2);
    CHECK(r.groups[0].paid_s == doctest::Approx(900.0));
    CHECK(r.groups[0].busy_s == doctest::Approx(50.0 + 100.0 + 10.0));
}

TEST_CASE("period counts add up to the whole-run counts") {
    ScenarioSpec spec = base(15 * crsim::model::seconds_per_day);
    spec.classes = {make_class("x", 0, {}, 30, Distribution::exponential(240), Distribution::exponential(300))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 2, 20 * crsim::model::seconds_per_day)};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 7, 0);
    for (const auto* series : {&r.days, &r.weeks, &r.hours_of_week}) {
        crsim::model::ClassCounts sum;
        for (const auto& c : series->classes[0]) sum.add(c);
        CHECK(sum.offered == r.classes[0].counts.offered);
        CHECK(sum.answered == r.classes[0].counts.answered);
        CHECK(sum.abandoned == r.classes[0].counts.abandoned);
        crsim::model::StaffCounts staff;
        for (const auto& s : series->groups[0]) staff.add(s);
        CHECK(staff.busy_s == doctest::Approx(r.groups[0].busy_s));
        CHECK(staff.paid_s == doctest::Approx(r.groups[0].paid_s));
        CHECK(staff.handled == r.groups[0].handled);
    }
    CHECK(r.days.classes[0].size() == 15);
    CHECK(r.weeks.classes[0].size() == 3);
    CHECK(r.classes[0].counts.offered == r.classes[0].counts.answered + r.classes[0].counts.abandoned);
}

TEST_CASE("the same seed and replication give identical results; another replication differs") {
    ScenarioSpec spec = base(3 * crsim::model::seconds_per_day);
    spec.classes = {make_class("x", 0, {}, 30, Distribution::exponential(240), Distribution::exponential(300))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 2, 5 * crsim::model::seconds_per_day)};
    default_preferences(spec);
    const ReplicationResult a = crsim::model::run_replication(spec, 7, 0);
    const ReplicationResult b = crsim::model::run_replication(spec, 7, 0);
    const ReplicationResult c = crsim::model::run_replication(spec, 7, 1);
    CHECK(a.classes[0].counts.offered == b.classes[0].counts.offered);
    CHECK(a.classes[0].counts.queue_time_s == b.classes[0].counts.queue_time_s);
    CHECK(a.events == b.events);
    CHECK(a.classes[0].counts.queue_time_s != c.classes[0].counts.queue_time_s);
}

TEST_CASE("arrivals follow the weekly profile exactly, with none in intervals of zero weight") {
    // Weight 0 at night (00:00-06:00), 1 by day, 3 in the evening (18:00-24:00), every day; the
    // run starts on a Wednesday so the profile must be read from Monday 00:00 with an offset.
    ScenarioSpec spec = base(20 * crsim::model::seconds_per_week);
    spec.start_weekday = 2;
    spec.classes = {make_class("x", 0, {}, 0, fixed(1), fixed(5000))};
    spec.classes[0].arrivals.per_week = 7000;
    std::vector<double> profile;
    for (int d = 0; d < 7; ++d)
        for (int h = 0; h < 24; ++h) profile.push_back(h < 6 ? 0.0 : h < 18 ? 1.0 : 3.0);
    spec.classes[0].arrivals.profile = profile;
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 50, 200 * crsim::model::seconds_per_week)};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 3, 0);
    const double weight_sum = 7 * (12 * 1.0 + 6 * 3.0);
    for (std::size_t h = 0; h < 168; ++h) {
        const auto n = static_cast<double>(r.hours_of_week.classes[0][h].offered);
        const double expected = 20 * 7000 * profile[h] / weight_sum;  // 20 weeks of this hour
        if (expected == 0) {
            CHECK(n == 0);
        } else {
            INFO("hour of week " << h + 1 << ": " << n << " arrivals, expected " << expected);
            CHECK(std::abs(n - expected) < 4.5 * std::sqrt(expected));  // Poisson: sd = sqrt(mean)
        }
    }
}

TEST_CASE("a daily gamma multiplier makes daily volumes overdispersed by the set coefficient of variation") {
    ScenarioSpec spec = base(400 * crsim::model::seconds_per_day);
    spec.classes = {make_class("x", 0, {}, 20, fixed(1), fixed(5000))};
    spec.classes[0].arrivals.daily_cv = 0.2;
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 20, 500 * crsim::model::seconds_per_day)};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 5, 0);
    crsim::stats::Tally daily;
    for (const auto& d : r.days.classes[0]) daily.add(static_cast<double>(d.offered));
    // A gamma-mixed Poisson count has mean m and variance m + (cv m)^2: 480 and 480 + 9216.
    CHECK(daily.mean() == doctest::Approx(480).epsilon(0.03));
    CHECK(daily.variance() == doctest::Approx(480 + 0.04 * 480 * 480).epsilon(0.2));
}

TEST_CASE("people on back-to-back shifts of one roster line carry on: no overlap at the hand-over") {
    // Two people on a 24-hour shift every day, kept busy: without continuity those busy at
    // midnight would finish their calls while the next day's two arrived, and more than two
    // would be paid at once. With it, paid time is exactly 2 people x 5 days.
    ScenarioSpec spec = base(5 * crsim::model::seconds_per_day);
    spec.classes = {make_class("x", 0, {}, 40, Distribution::exponential(300), Distribution::exponential(600))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 2, crsim::model::seconds_per_day)};
    spec.shifts[0].days = {true, true, true, true, true, true, true};
    spec.shifts[0].to_week = 2;
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 4, 0);
    CHECK(r.groups[0].paid_s == doctest::Approx(2 * 5 * crsim::model::seconds_per_day));
    CHECK(r.groups[0].busy_s > 0.9 * r.groups[0].paid_s);
}

TEST_CASE("a per-call log gets each attempt's fate, in time order, and leaves the counts unchanged") {
    const ScenarioSpec spec = one_handler_four_calls();
    struct Log : crsim::model::CallLogSink {
        std::vector<crsim::model::CallRecord> records;
        void on_call(const crsim::model::CallRecord& r) override { records.push_back(r); }
    } log;
    crsim::model::RecordingOptions options;
    options.call_log = &log;
    // The timeline of the first test: 10 answered at once (busy 110 s), 20 and 30 abandon at 70
    // and 80, 200 answered at once.
    const ReplicationResult logged = crsim::model::run_replication(spec, 1, 0, options);
    using Outcome = crsim::model::CallRecord::Outcome;
    REQUIRE(log.records.size() == 4);
    CHECK(log.records[0].outcome == Outcome::answered);
    CHECK(log.records[0].arrival_s == 10.0);
    CHECK(log.records[0].wait_s == 0.0);
    CHECK(log.records[0].handle_s == 110.0);
    CHECK(log.records[1].outcome == Outcome::abandoned);
    CHECK(log.records[1].arrival_s == 20.0);
    CHECK(log.records[1].wait_s == 50.0);
    CHECK(log.records[2].arrival_s == 30.0);
    CHECK(log.records[3].arrival_s == 200.0);
    CHECK(log.records[3].attempt == 1);
    CHECK(log.records[3].measured);
    const ReplicationResult plain = crsim::model::run_replication(spec, 1, 0);
    CHECK(logged.classes[0].counts.queue_time_s == plain.classes[0].counts.queue_time_s);
    CHECK(logged.groups[0].busy_s == plain.groups[0].busy_s);
}

TEST_CASE("an error during a run names the replication, the simulated time and the entity") {
    // A handle time the loader would refuse (negative), built in code: the answer at t = 10 cannot
    // schedule the end of the call, and the engine's error reaches the caller with its context.
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("x", 0, {10}, 0, fixed(-100), fixed(50))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1)};
    default_preferences(spec);
    CHECK_THROWS_WITH_AS(crsim::model::run_replication(spec, 1, 2),
                         "replication 3 of test, at simulated time 10 s (day 1 00:00:10), handling a call of class x "
                         "(attempt 1, arrived at 10 s, home room room) answered by a person of group handlers in room "
                         "room (on a shift of roster[0]): Simulator::schedule_at: time -90.000000 is before now "
                         "(10.000000)",
                         std::runtime_error);
}

TEST_CASE("a wait_quantile target is the q-quantile of the answered calls' waits, as wait_p90_s for q = 0.9") {
    // One handler, calls at 0, 10, 20, 30 and 40 s talking 100 s each, nobody hangs up: answered at
    // 0, 100, 200, 300 and 400 s, so the waits are 0, 90, 180, 270 and 360 s.
    ScenarioSpec spec = base(1000);
    spec.classes = {make_class("x", 0, {0, 10, 20, 30, 40}, 0, fixed(100), fixed(10000))};
    spec.classes[0].targets = {make_target(TargetSpec::Metric::wait_quantile, 300),
                               make_target(TargetSpec::Metric::wait_quantile, 100)};
    spec.classes[0].targets[0].q = 0.9;
    spec.classes[0].targets[1].q = 0.5;
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 1, 10000)};
    default_preferences(spec);
    std::vector<ReplicationResult> results = {crsim::model::run_replication(spec, 1, 0),
                                              crsim::model::run_replication(spec, 1, 1)};
    const crsim::model::Summary s = crsim::model::summarise(spec, results, 1);
    REQUIRE(s.targets.size() == 2);
    const auto& p90 = s.targets[0];
    CHECK(crsim::model::metric_name(p90.metric) == "wait_quantile");
    CHECK(p90.q == 0.9);
    CHECK(p90.value.mean == s.classes[0].figures.wait_p90_s.mean);
    CHECK(p90.value.ci95 == 0);   // no randomness: both replications alike
    CHECK(p90.value.mean > 300);  // the fifth wait, 360 s, sits above the 0.9-quantile's 300 s goal ...
    CHECK_FALSE(p90.met);         // ... so a 300 s maximum is missed
    const auto& median = s.targets[1];
    CHECK(median.value.mean == s.classes[0].figures.wait_p50_s.mean);
    CHECK(median.value.mean == doctest::Approx(180).epsilon(0.05));
    CHECK_FALSE(median.met);
    // Measured once per replication, not per period.
    CHECK(crsim::model::target_metric(p90.metric).period_figure(s.weeks.classes[0][0], {}, p90) == nullptr);
}

TEST_CASE("the periods of a time, remembered per hour, are the clock's own, next to every hour boundary too") {
    for (const int weekday : {0, 3, 6}) {
        const crsim::model::PeriodClock clock{weekday * crsim::model::seconds_per_day};
        crsim::model::PeriodPlaces places(clock);
        std::size_t checked = 0, mismatched = 0;
        auto check = [&](double t) {
            const crsim::model::PeriodPlaces::Places& p = places.at(t);
            ++checked;
            mismatched += p.day != clock.day(t) || p.week != clock.week(t) || p.hour_of_week != clock.hour_of_week(t);
        };
        // Times within a few units in the last place of each hour boundary of two weeks and of a
        // far year, in order and then backwards (the places are found afresh whichever way).
        for (const double first_hour : {0.0, 100.0 * 365 * 24}) {
            for (int h = 0; h < 2 * 168; ++h) {
                const double boundary = (first_hour + h) * crsim::model::seconds_per_hour - clock.offset_s;
                if (boundary < 0) continue;
                double t = boundary;
                for (int i = 0; i < 4; ++i) t = std::nextafter(t, 0.0);
                for (int i = 0; i < 9; ++i, t = std::nextafter(t, 1e300)) check(t);
                check(boundary + 1800.0);
            }
            for (int h = 2 * 168; h-- > 0;) check((first_hour + h) * crsim::model::seconds_per_hour + 1.5);
        }
        CHECK(checked > 5000);
        CHECK(mismatched == 0);
    }
}
