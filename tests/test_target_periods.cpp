// Targets per period (target_periods.hpp): buckets cut from the recorder's period counts, pooled
// over the window, skipped without calls; every-bucket and chance targets judged as `crsim run` and
// `crsim staff` judge them (summary.hpp, verdict.hpp). Exact figures of hand-made counts.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "crsim/model/summary.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"

using namespace crsim::model;

namespace {

ClassCounts offered_within(std::uint64_t offered, std::uint64_t within) {
    ClassCounts c;
    c.offered = offered;
    c.answered = within;
    c.answered_within = {within};
    return c;
}

TargetSpec service_level(double goal, TargetSpec::Period by, double periods_met = std::nan("")) {
    TargetSpec t;
    t.metric = TargetSpec::Metric::service_level;
    t.threshold_s = 20;
    t.goal = goal;
    t.by = by;
    t.periods_met = periods_met;
    return t;
}

/// One class with a 20 s threshold over two weeks from a Monday, with `targets`.
ScenarioSpec two_weeks(std::vector<TargetSpec> targets) {
    ScenarioSpec spec;
    spec.name = "periods";
    spec.horizon_s = 2 * seconds_per_week;
    ClassSpec c;
    c.name = "calls";
    c.thresholds_s = {20};
    c.targets = std::move(targets);
    spec.classes = {c};
    return spec;
}

/// A replication whose calls arrive in the given hours of the week (offered, answered within 20 s)
/// and weeks; every other period offered nothing.
ReplicationResult replication(std::vector<std::pair<std::size_t, ClassCounts>> hours,
                              std::vector<ClassCounts> weeks = {offered_within(0, 0), offered_within(0, 0)}) {
    ReplicationResult r;
    r.classes.resize(1);
    r.classes[0].counts = offered_within(0, 0);
    r.hours_of_week.classes.assign(1, std::vector<ClassCounts>(168, offered_within(0, 0)));
    for (const auto& [hour, counts] : hours) r.hours_of_week.classes[0][hour] = counts;
    r.days.classes.assign(1, std::vector<ClassCounts>(14, offered_within(0, 0)));
    r.weeks.classes.assign(1, std::move(weeks));
    return r;
}

/// Hour 09:00 of Monday (9) and Tuesday (33), hour 10:00 of Monday (10), in three replications:
/// 09:00 pooled over the days is 14/20, 18/20 and 17/20; 10:00 is 1, 1 and without calls.
std::vector<ReplicationResult> three_replications() {
    return {replication({{9, offered_within(10, 9)}, {33, offered_within(10, 5)}, {10, offered_within(10, 10)}}),
            replication({{9, offered_within(10, 10)}, {33, offered_within(10, 8)}, {10, offered_within(5, 5)}}),
            replication({{9, offered_within(20, 17)}})};
}

}  // namespace

TEST_CASE("an hour of the day pools the calls of that hour over every day; hours without calls are skipped") {
    const ScenarioSpec spec = two_weeks({service_level(0.8, TargetSpec::Period::hour_of_day)});
    const Summary s = summarise(spec, three_replications(), 1);
    const TargetResult& t = s.targets.at(0);
    REQUIRE(t.buckets.size() == 2);
    CHECK(t.buckets[0].index == 9);
    CHECK(bucket_label(t.by, 9) == "09:00–10:00");
    CHECK(t.buckets[0].value.mean == doctest::Approx((0.7 + 0.9 + 0.85) / 3));
    CHECK(t.buckets[0].value.n == 3);
    CHECK(t.buckets[0].met);
    CHECK(t.buckets[0].p_met == doctest::Approx(2.0 / 3));
    CHECK_FALSE(t.buckets[0].confident);  // half-width 0.2586
    CHECK(t.buckets[1].index == 10);
    CHECK(t.buckets[1].value.mean == 1.0);
    CHECK(t.buckets[1].value.n == 2);
    // Every bucket must meet it: the figure is the worst bucket's; p_met counts the replications
    // in which every bucket with calls met it (the first missed at 09:00).
    CHECK(t.worst_bucket == 9);
    CHECK(t.value.mean == doctest::Approx(t.buckets[0].value.mean));
    CHECK(t.met);
    CHECK(t.p_met == doctest::Approx(2.0 / 3));
    CHECK_FALSE(t.confident);
    CHECK(s.per_replication.at(0).targets.at(0) == doctest::Approx(0.7));
    CHECK(goal_label(t) == "service_level 20s >= 0.8 by hour_of_day");
}

TEST_CASE("a target per period is judged in every bucket: its worst bucket's bound decides, shortfalls add up") {
    const ScenarioSpec spec = two_weeks({service_level(0.8, TargetSpec::Period::hour_of_day)});
    const Summary s = summarise(spec, three_replications(), 1);
    const std::vector<TargetCheck> checks = judge_targets(spec, s, VerdictCriterion{});
    REQUIRE(checks.size() == 1);
    const TargetCheck& c = checks[0];
    // 09:00: mean 0.81667, standard error 0.060093, one-sided 95% t with 2 degrees of freedom 2.919986.
    const double bound = (0.7 + 0.9 + 0.85) / 3 - 2.919986 * 0.0600925;
    CHECK(c.bucket == 10);  // 09:00–10:00, counted from 1
    CHECK(c.bound == doctest::Approx(bound).epsilon(1e-5));
    CHECK_FALSE(c.clears);
    CHECK(c.buckets_failed == 1);  // 10:00 is 1 in both replications with calls: its bound is 1
    CHECK(c.shortfall == doctest::Approx((0.8 - bound) / 0.8).epsilon(1e-5));
    CHECK(judged_on(c) == "09:00–10:00");
    // A goal every bucket clears: met, nothing short.
    const ScenarioSpec easy = two_weeks({service_level(0.5, TargetSpec::Period::hour_of_day)});
    const TargetCheck e = judge_targets(easy, summarise(easy, three_replications(), 1), VerdictCriterion{}).at(0);
    CHECK(e.clears);
    CHECK(e.shortfall == 0);
    CHECK(e.buckets_failed == 0);
}

TEST_CASE("a chance target's figure is each replication's share of buckets meeting the goal") {
    const ScenarioSpec spec = two_weeks({service_level(0.8, TargetSpec::Period::hour_of_day, 0.5)});
    const Summary s = summarise(spec, three_replications(), 1);
    const TargetResult& t = s.targets.at(0);
    // Shares: 1/2 (09:00 missed), 2/2, and 1/1 (no calls at 10:00 in the third).
    CHECK(s.per_replication[0].targets[0] == 0.5);
    CHECK(s.per_replication[1].targets[0] == 1.0);
    CHECK(s.per_replication[2].targets[0] == 1.0);
    CHECK(t.value.mean == doctest::Approx(2.5 / 3));
    CHECK(t.met);
    CHECK(t.p_met == 1.0);  // 0.5 meets periods_met 0.5
    CHECK(judged_goal(t) == 0.5);
    CHECK(goal_label(t) == "service_level 20s >= 0.8 by hour_of_day, periods_met 0.5");
    // The check holds the share's bound against periods_met: 0.8333 − 2.919986 · 0.16667 < 0.5.
    const TargetCheck c = judge_targets(spec, s, VerdictCriterion{}).at(0);
    CHECK(c.bucket == 0);
    CHECK(c.bound == doctest::Approx(2.5 / 3 - 2.919986 * std::sqrt(1.0 / 12 / 3)).epsilon(1e-5));
    CHECK_FALSE(c.clears);
}

TEST_CASE("weeks and days count only those overlapping the window; a week's figure is its own") {
    ScenarioSpec spec = two_weeks({service_level(0.8, TargetSpec::Period::week)});
    const auto weeks = [](std::uint64_t within) {
        return replication({}, {offered_within(10, 0), offered_within(10, within)});
    };
    const std::vector<ReplicationResult> results = {weeks(9), weeks(8), weeks(7)};
    const Summary whole = summarise(spec, results, 1);
    REQUIRE(whole.targets[0].buckets.size() == 2);
    CHECK(whole.targets[0].worst_bucket == 0);
    CHECK(whole.targets[0].value.mean == 0.0);
    spec.window = ReportWindow{ReportWindow::Unit::week, 2, 2, seconds_per_week, 2 * seconds_per_week};
    const Summary second = summarise(spec, results, 1);
    REQUIRE(second.targets[0].buckets.size() == 1);
    CHECK(second.targets[0].buckets[0].index == 1);
    CHECK(bucket_label(TargetSpec::Period::week, 1) == "week 2");
    CHECK(second.targets[0].value.mean == doctest::Approx(0.8));
    CHECK(second.targets[0].p_met == doctest::Approx(2.0 / 3));
}

TEST_CASE("targets over different buckets are different measures") {
    const TargetSpec window = service_level(0.8, TargetSpec::Period::window);
    CHECK(same_measure(window, window));
    CHECK_FALSE(same_measure(window, service_level(0.8, TargetSpec::Period::hour_of_day)));
    CHECK_FALSE(
        same_measure(service_level(0.8, TargetSpec::Period::week, 0.8), service_level(0.8, TargetSpec::Period::week)));
    CHECK(bucket_label(TargetSpec::Period::hour_of_week, 167) == "Sun 23:00–24:00");
    CHECK(bucket_label(TargetSpec::Period::day, 0) == "day 1");
}

TEST_CASE("a backlog's response-time target is judged with the classes' targets and counted by every_target") {
    ScenarioSpec spec = two_weeks({});
    DeferrableSpec online;
    online.name = "online";
    online.target_within_s = 24 * 3600;
    online.target_goal = 0.9;
    spec.deferrables = {online};
    // Shares started within 24 h: 0.86, 0.96 and 0.91; the mean 0.91 meets 0.9.
    std::vector<ReplicationResult> runs = three_replications();
    for (std::size_t i = 0; i < runs.size(); ++i)
        runs[i].deferrables = {DeferrableCounts{100, 100, std::vector<std::uint64_t>{86, 96, 91}[i], 0}};
    const Summary s = summarise(spec, runs, 1);
    const std::vector<TargetResult> every = every_target(s);
    REQUIRE(every.size() == 1);
    CHECK(every[0].backlog);
    CHECK(every[0].class_name == "online");
    CHECK(every[0].met);
    // Judged as a class's target: 2 of 3 replications meet 0.9; the interval's lower edge does not.
    CHECK(every[0].p_met == doctest::Approx(2.0 / 3));
    CHECK_FALSE(every[0].confident);
    const std::vector<TargetCheck> checks = judge_targets(spec, s, VerdictCriterion{});
    REQUIRE(checks.size() == 1);
    // Its one-sided 95% bound, 0.91 − 2.919986 · 0.05 / √3, misses 0.9.
    CHECK(checks[0].bound == doctest::Approx(0.91 - 2.919986 * 0.05 / std::sqrt(3.0)).epsilon(1e-5));
    CHECK_FALSE(checks[0].clears);
    CHECK(goal_label(checks[0].target) == "service_level 86400s >= 0.9");
}
