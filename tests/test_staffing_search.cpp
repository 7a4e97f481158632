// `crsim staff`'s search end to end on a stationary queue whose answer Erlang C gives, and the
// staffing block's checks in the loader.
#include <doctest/doctest.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <string>

#include "../models/staffing/staffing_requirements.hpp"
#include "crsim/analytic/erlang.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/staffing/staffing_search.hpp"

namespace {

/// One pool always on duty, 200 calls an hour, exponential 3 min handle time, nobody abandons,
/// target 80% answered within 20 s: Erlang C needs 14 (13 give 0.7956).
const std::string stationary = R"(
name: stationary
horizon: 8d
warmup: 1d
replications: 10
seed: 7
rooms: {room: {}}
classes:
  calls:
    priority: 1
    arrivals: {per_week: 33600}
    handle_time: {dist: exponential, mean: 3min}
    patience: never
    targets:
      - {metric: service_level, within: 20s, goal: 80%}
groups:
  handlers: {takes: [calls], cost_per_hour: 20}
roster:
  - {room: room, group: handlers, shift: always, headcount: 20}
staffing:
  vary:
    - {select: {group: handlers}, min: 1, max: 40}
)";

std::string errors_of(const std::string& yaml) {
    std::string text;
    for (const auto& d : crsim::scenario::load_scenario_text(yaml, "s.yaml").diagnostics)
        if (!d.warning) text += d.format() + "\n";
    return text;
}

/// The search on a scenario's whole run, seed 7, 10 replications per evaluation and 20 on fresh seeds.
crsim::staffing::StaffingResult search(const std::string& yaml) {
    const auto loaded = crsim::scenario::load_scenario_text(yaml, "stationary.yaml");
    REQUIRE(loaded.ok());
    crsim::staffing::StaffingOptions o;
    o.window_from_s = loaded.spec->warmup_s;
    o.window_to_s = loaded.spec->horizon_s;
    o.replications = 10;
    o.verify_replications = 20;
    o.seed = 7;
    return crsim::staffing::search_staffing(*loaded.spec, o);
}

}  // namespace

TEST_CASE("crsim staff returns Erlang C's 14 for one stationary pool, and shows 13 fail") {
    const crsim::analytic::ErlangDemand demand{200, 180};
    CHECK(crsim::analytic::ErlangQueue(demand, 13).service_level(20) == doctest::Approx(0.7956).epsilon(1e-4));

    const crsim::staffing::StaffingResult r = search(stationary);
    REQUIRE(r.headcounts.size() == 1);
    CHECK(r.headcounts[0] == 14);
    CHECK(r.meets_targets);
    CHECK(r.verification.seed != 7);
    CHECK(r.verification.replications == 20);
    // One person always on duty for 7 days at 20 an hour.
    CHECK(r.cost == doctest::Approx(14 * 7 * 24 * 20.0));
    // The fluid bound: the load of 10 Erlangs must all be carried.
    CHECK(r.lower_bound == doctest::Approx(10 * 7 * 24 * 20.0));
    REQUIRE(r.removals.size() == 1);
    CHECK(r.removals[0].headcount == 13);
    REQUIRE(r.removals[0].fails.size() == 1);
    CHECK(r.removals[0].fails[0].target.value.mean < 0.8 + 0.01);
}

TEST_CASE("abandoned-call call-backs raise the requirements by abandonment x each task's expected work") {
    // One pool, 200 calls an hour of 3 min, exponential patience of 5 min, at most 5% abandoned.
    // A call-back of an abandoned call: 2 min talk + 30 s wrap-up when an attempt reaches the caller
    // (80%), 30 s when it fails, at most 2 attempts: (0.8 · 150 + 0.2 · 30) · (1 + 0.2) = 151.2 s.
    std::string yaml = stationary;
    yaml.replace(yaml.find("patience: never"), 15, "patience: {dist: exponential, mean: 5min}");
    yaml.replace(yaml.find("{metric: service_level, within: 20s, goal: 80%}"), 47, "{metric: abandoned_pct, max: 5%}");
    std::string with_callbacks = yaml;
    with_callbacks.replace(with_callbacks.find("    targets:"), 0,
                           "    abandoned_callback: {handle_time: 2min, wrap_up: 30s, reach: 80%, max_attempts: 2,\n"
                           "                         retry_after: 5min, failed_attempt: 30s}\n");
    const auto without = crsim::scenario::load_scenario_text(yaml, "a.yaml");
    const auto with = crsim::scenario::load_scenario_text(with_callbacks, "b.yaml");
    REQUIRE(without.ok());
    REQUIRE(with.ok());
    REQUIRE(with.spec->classes[0].abandoned_callback);
    CHECK(crsim::model::expected_busy_s(*with.spec->classes[0].abandoned_callback) == doctest::Approx(151.2));
    const double from = without.spec->warmup_s, to = without.spec->horizon_s;
    const crsim::staffing::StaffingRequirements plain(*without.spec, from, to, false),
        callbacks(*with.spec, from, to, false);
    const std::vector<double> erlang0 = plain.erlang_requirements(), erlang1 = callbacks.erlang_requirements();
    const std::vector<double> fluid0 = plain.fluid_requirements(), fluid1 = callbacks.fluid_requirements();
    REQUIRE(erlang1.size() == 168);
    // Erlang A: n people meet 5%; the calls abandoning at n (rate × mean wait ÷ mean patience) each
    // bring 151.2 s of work.
    const int n = static_cast<int>(erlang0[0]);
    const crsim::analytic::ErlangQueue q(crsim::analytic::ErlangDemand{200, 180, 300}, n);
    CHECK(q.mean_wait_s() / 300 <= 0.05);
    CHECK(crsim::analytic::ErlangQueue(crsim::analytic::ErlangDemand{200, 180, 300}, n - 1).mean_wait_s() / 300 > 0.05);
    const double extra = 200.0 / 3600 * q.mean_wait_s() / 300 * 151.2;
    CHECK(extra > 0.05);
    // Fluid: 95% of the 10 Erlangs answered, the other 5% of 200 calls an hour bring 151.2 s each.
    for (std::size_t slot = 0; slot < 168; ++slot) {
        CAPTURE(slot);
        CHECK(erlang0[slot] == n);
        CHECK(erlang1[slot] == doctest::Approx(n + extra).epsilon(1e-12));
        CHECK(fluid0[slot] == doctest::Approx(9.5).epsilon(1e-12));
        CHECK(fluid1[slot] == doctest::Approx(9.5 + 0.05 * 200.0 / 3600 * 151.2).epsilon(1e-12));
    }
}

TEST_CASE("one verdict: the bound of model::judge_targets, which the search and crsim run share") {
    const auto loaded = crsim::scenario::load_scenario_text(stationary, "stationary.yaml");
    REQUIRE(loaded.ok());
    crsim::model::Summary s;
    crsim::model::TargetResult t;
    t.metric = crsim::model::TargetSpec::Metric::service_level;
    t.threshold_s = 20;
    t.goal = 0.8;
    t.value = {.mean = 0.82, .ci95 = 0.02, .n = 10};
    s.targets.push_back(t);
    // ci95 is 95% two-sided: the standard error is ci95 / t(0.975, 9); the bound a t quantile of it.
    const boost::math::students_t t9(9);
    const double se = 0.02 / boost::math::quantile(t9, 0.975);
    crsim::model::VerdictCriterion one_sided{.confidence = 0.95, .two_sided = false, .every_week = false};
    auto checks = crsim::model::judge_targets(*loaded.spec, s, one_sided);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0].bound == doctest::Approx(0.82 - boost::math::quantile(t9, 0.95) * se));
    CHECK(checks[0].clears);
    CHECK(crsim::model::verdict_word(checks[0]) == "met");
    CHECK(crsim::model::all_clear(checks));
    // Two-sided at 95%: the bound is the interval's edge, mean − ci95.
    crsim::model::VerdictCriterion two_sided = one_sided;
    two_sided.two_sided = true;
    checks = crsim::model::judge_targets(*loaded.spec, s, two_sided);
    CHECK(checks[0].bound == doctest::Approx(0.80));
    // At 99.9% one-sided the bound falls below the goal.
    one_sided.confidence = 0.999;
    checks = crsim::model::judge_targets(*loaded.spec, s, one_sided);
    CHECK(!checks[0].clears);
    CHECK(crsim::model::verdict_word(checks[0]) == "NOT MET");
    CHECK(!crsim::model::all_clear(checks));
    CHECK(crsim::model::describe(one_sided) == "one-sided 99.9%");
    // One replication has no bound: never cleared.
    s.targets[0].value = {.mean = 0.99, .ci95 = NAN, .n = 1};
    checks = crsim::model::judge_targets(*loaded.spec, s, two_sided);
    CHECK(std::isnan(checks[0].bound));
    CHECK(!checks[0].clears);
}

TEST_CASE("a staffed scenario's verified block is read as the criterion crsim run judges by") {
    std::string yaml = stationary;
    yaml +=
        "verified:\n  confidence: 90%\n  sided: two\n  every_week: true\n"
        "  window: {from: 1d, to: 8d}\n  seed: 18446744073709551615\n  replications: 20\n";
    const auto loaded = crsim::scenario::load_scenario_text(yaml, "s.yaml");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.spec->verified);
    const crsim::model::VerifiedSpec& v = *loaded.spec->verified;
    CHECK(v.criterion.confidence == doctest::Approx(0.9));
    CHECK(v.criterion.two_sided);
    CHECK(v.criterion.every_week);
    CHECK(v.from_s == 86400);
    CHECK(v.to_s == 8 * 86400);
    CHECK(v.seed == 18446744073709551615ULL);
    CHECK(v.replications == 20);
    CHECK(errors_of(stationary + "verified:\n  confidence: 95%\n  window: {from: 1d, to: 9d}\n  seed: 1\n"
                                 "  replications: 20\n") ==
          "s.yaml:25:26: error: verified.window.to: expected at most the horizon (8d), got 9d\n");
}

TEST_CASE("a wait_quantile target is met as its service level is: 80% answered within 20 s needs 14") {
    // Nobody abandons, so the 0.8-quantile of the answer time is at most 20 s exactly when 80% are
    // answered within 20 s: Erlang C's 14 again.
    std::string yaml = stationary;
    const std::string level = "{metric: service_level, within: 20s, goal: 80%}";
    yaml.replace(yaml.find(level), level.size(), "{metric: wait_quantile, q: 0.8, max: 20s}");
    const crsim::staffing::StaffingResult r = search(yaml);
    REQUIRE(r.headcounts.size() == 1);
    CHECK(r.headcounts[0] == 14);
    CHECK(r.meets_targets);
    REQUIRE(r.removals.size() == 1);
    REQUIRE(r.removals[0].fails.size() == 1);
    CHECK(r.removals[0].fails[0].target.metric == crsim::model::TargetSpec::Metric::wait_quantile);
}

TEST_CASE("the staffing block is checked like the rest of a scenario") {
    std::string bad = stationary;
    bad.replace(bad.find("    - {select: {group: handlers}, min: 1, max: 40}"), 50,
                "    - {select: {group: handlers, shift: late}, min: 1, max: 40}\n"
                "    - {select: {grup: handlers}, max: 4}\n"
                "    - {select: {group: handlers}, min: 5, max: 4}\n"
                "  confidence: 30%\n"
                "  every_weak: true");
    const std::string errors = errors_of(bad);
    CHECK(errors ==
          "s.yaml:22:16: error: staffing.vary[0].select: matches no roster line nor staffing candidate: no roster line "
          "has shift 'late' (lines have shift always)\n"
          "s.yaml:23:17: error: staffing.vary[1].select.grup: a roster line has no key 'grup'; did you mean 'group'?\n"
          "s.yaml:24:48: error: staffing.vary[2].max: expected at least min (5), got 4\n"
          "s.yaml:25:15: error: staffing.confidence: expected at least 50% (e.g. 95%), got 30%\n"
          "s.yaml:26:3: error: staffing.every_weak: unknown key 'every_weak'; did you mean 'every_week'?\n");

    std::string candidate =
        stationary +
        "  candidates:\n    - {room: room, group: handlers, shift: {start: \"09:00\", length: 8h}, headcount: 2}\n";
    CHECK(errors_of(candidate).find("staffing.candidates[0].headcount: unknown key 'headcount'") != std::string::npos);
}

TEST_CASE("candidates take the bounds of the selectors that match them and start at 0") {
    const std::string yaml = stationary +
                             "    - {select: {shift: day}, min: 0, max: 3}\n"
                             "  candidates:\n"
                             "    - {room: room, group: handlers, shift: day, days: weekdays}\n"
                             "shift_patterns:\n  day: {start: \"09:00\", length: 8h}\n";
    const auto loaded = crsim::scenario::load_scenario_text(yaml, "s.yaml");
    REQUIRE(loaded.ok());
    const auto& staffing = *loaded.spec->staffing;
    REQUIRE(staffing.candidates.size() == 1);
    CHECK(staffing.candidates[0].headcount == 0);
    // The roster line (group handlers) and the candidate (group handlers, then shift day: last wins).
    REQUIRE(staffing.decisions.size() == 2);
    CHECK(staffing.decisions[0].line == 0);
    CHECK(staffing.decisions[0].max == 40);
    CHECK(staffing.decisions[1].line == 1);
    CHECK(staffing.decisions[1].max == 3);
    const auto applied = crsim::staffing::apply_headcounts(*loaded.spec, {14, 0});
    REQUIRE(applied.shifts.size() == 1);  // the candidate at 0 is left out
    CHECK(applied.shifts[0].headcount == 14);
}
