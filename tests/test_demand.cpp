// Demand features (demand_spec.hpp): triage and deflection, channel shift, scheduled and random
// surges; their figures in every output, and their scenario keys' errors.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "crsim/model/interval_load.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/report/report_html.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "model_fixtures.hpp"

using namespace crsim::model;
using crsim::sim::Distribution;
using crsim::test::always_on;
using crsim::test::default_preferences;
using crsim::test::make_class;
using crsim::test::make_group;

namespace {

// The two-sided normal quantile of a 99.9% interval: checks that fail once in a thousand seeds.
constexpr double z999 = 3.2905;

/// One class of Poisson calls, `per_hour`, exponential 4-minute handle times, patient callers,
/// enough people that nobody waits long; two weeks, no warm-up.
ScenarioSpec one_class(double per_hour, int people) {
    ScenarioSpec spec;
    spec.name = "demand";
    spec.horizon_s = 2 * seconds_per_week;
    spec.rooms = {RoomSpec{"room"}};
    spec.classes.push_back(
        make_class("101", 2, {}, per_hour, Distribution::exponential(240), Distribution::exponential(600)));
    spec.groups.push_back(make_group(spec, "handlers"));
    spec.shifts.push_back(always_on(0, 0, people));
    default_preferences(spec);
    return spec;
}

/// A second class "999", taken by the same handlers, first in priority.
void add_999(ScenarioSpec& spec, double per_hour) {
    spec.classes.push_back(
        make_class("999", 1, {}, per_hour, Distribution::exponential(300), Distribution::exponential(600)));
    for (GroupSpec& g : spec.groups) {
        g.takes.push_back(true);
        g.handle_factor.push_back(1.0);
        g.reserved_for.push_back(false);
    }
    default_preferences(spec);
}

std::vector<ReplicationResult> run(const ScenarioSpec& spec, std::size_t replications, std::uint64_t seed) {
    std::vector<ReplicationResult> out;
    for (std::size_t r = 0; r < replications; ++r) out.push_back(run_replication(spec, seed, r));
    return out;
}

}  // namespace

TEST_CASE(
    "a class with 20% redirected at triage: offered to handlers falls by 20%, and the deflected demand is counted") {
    ScenarioSpec spec = one_class(100, 12);
    const double expected_demand = 100 * spec.horizon_s / seconds_per_hour;  // 33,600 a replication
    TriageSpec t;
    t.menu_time = Distribution::deterministic(30);
    t.redirected = 0.2;
    t.reclassified.assign(1, 0.0);
    spec.demand.triage = {t};
    const std::size_t n = 10;
    const std::vector<ReplicationResult> results = run(spec, n, 7);
    double demand = 0, deflected = 0, offered = 0;
    for (const ReplicationResult& r : results) {
        REQUIRE(r.demand.size() == 1);
        const DemandCounts& d = r.demand[0];
        CHECK(d.triaged == d.demand);
        CHECK(d.resolved == 0);
        // Every caller is redirected, queued, or still in the 30 s menu at the horizon (at most a few).
        CHECK(r.classes[0].counts.offered + d.redirected <= d.demand);
        CHECK(r.classes[0].counts.offered + d.redirected + 10 >= d.demand);
        demand += static_cast<double>(d.demand);
        deflected += static_cast<double>(d.redirected);
        offered += static_cast<double>(r.classes[0].counts.offered);
    }
    // The deflected share is binomial(demand, 20%); the offered calls are Poisson with mean 80% of
    // the demand's (a thinned Poisson process), the menu's last 30 s aside.
    CHECK(std::fabs(deflected / demand - 0.2) < z999 * std::sqrt(0.2 * 0.8 / demand));
    const double mean_offered = 0.8 * expected_demand * static_cast<double>(n);
    CHECK(std::fabs(offered - mean_offered) < z999 * std::sqrt(mean_offered) + 0.8 * 100 * 30 / 3600.0 * n);

    // The summary and every writer show it; a scenario without demand keys shows nothing of it.
    const Summary s = summarise(spec, results, 7);
    REQUIRE(s.demand.size() == 1);
    CHECK(s.demand[0].figures.deflected_pct.mean == doctest::Approx(20).epsilon(0.03));
    CHECK(s.demand[0].figures.deflected.mean == doctest::Approx(deflected / n));
    std::ostringstream csv, json, table;
    crsim::report::write_summary_csv(csv, s);
    crsim::report::write_summary_json(json, s);
    crsim::report::write_table(table, s);
    CHECK(csv.str().find("demand,demand,101,deflected,,") != std::string::npos);
    CHECK(json.str().find("\"deflected_pct\"") != std::string::npos);
    CHECK(table.str().find("Demand 101") != std::string::npos);
    CHECK(table.str().find("redirected") != std::string::npos);
    const std::string html = crsim::report::run_report(s).html("");
    CHECK(html.find("How demand reached the handlers") != std::string::npos);

    ScenarioSpec plain = one_class(100, 12);
    const std::vector<ReplicationResult> plain_results = run(plain, 2, 7);
    CHECK(plain_results[0].demand.empty());
    const Summary p = summarise(plain, plain_results, 7);
    std::ostringstream plain_csv;
    crsim::report::write_summary_csv(plain_csv, p);
    CHECK(plain_csv.str().find(",demand,") == std::string::npos);
}

TEST_CASE("re-classified calls join the other class's queue; resolved ones leave; shares add up exactly") {
    ScenarioSpec spec = one_class(60, 10);
    add_999(spec, 5);
    TriageSpec t;
    t.resolved = 0.1;
    t.reclassified = {0.0, 0.05};  // 5% of 101 is really an emergency
    spec.demand.triage = {t, std::nullopt};
    const ReplicationResult r = run_replication(spec, 3, 0);
    const DemandCounts& d101 = r.demand[0];
    const DemandCounts& d999 = r.demand[1];
    CHECK(d101.reclassified_out == d999.reclassified_in);
    CHECK(d999.triaged == 0);
    // No menu time: every 101 caller is resolved, re-classified or offered to the 101 queue at once,
    // and the 999 queue gets its own callers and the re-classified ones.
    CHECK(r.classes[0].counts.offered == d101.demand - d101.resolved - d101.reclassified_out);
    CHECK(r.classes[1].counts.offered == d999.demand + d999.reclassified_in);
    const double n = static_cast<double>(d101.demand);
    CHECK(std::fabs(static_cast<double>(d101.reclassified_out) / n - 0.05) < z999 * std::sqrt(0.05 * 0.95 / n));
    CHECK(std::fabs(static_cast<double>(d101.resolved) / n - 0.1) < z999 * std::sqrt(0.1 * 0.9 / n));
}

TEST_CASE("channel shift moves the week's share of a class's demand to another class") {
    ScenarioSpec spec = one_class(60, 10);
    add_999(spec, 1);
    spec.classes[1].name = "chat";
    spec.demand.channel_shifts.push_back(ChannelShiftSpec{0, 1, {0.0, 0.3}});
    const ReplicationResult r = run_replication(spec, 5, 0);
    REQUIRE(r.demand_weeks.size() == 2);
    REQUIRE(r.demand_weeks[0].size() == 2);
    CHECK(r.demand_weeks[0][0].shifted_out == 0);  // week 1: share 0
    const DemandCounts& w2 = r.demand_weeks[0][1];
    const double n = static_cast<double>(w2.demand);
    CHECK(std::fabs(static_cast<double>(w2.shifted_out) / n - 0.3) < z999 * std::sqrt(0.3 * 0.7 / n));
    CHECK(r.demand[1].shifted_in == r.demand[0].shifted_out);
    CHECK(r.classes[1].counts.offered == r.demand[1].demand + r.demand[1].shifted_in);
}

TEST_CASE("channel shift to a backlog: the week's share of a class's demand arrives as deferrable items") {
    ScenarioSpec spec = one_class(60, 10);
    DeferrableSpec online;
    online.name = "online";
    online.arrivals.per_week = 0;  // only what the shift moves
    online.handle_time = Distribution::deterministic(300);
    online.groups = {true};
    spec.deferrables.push_back(online);
    spec.demand.channel_shifts.push_back(ChannelShiftSpec{0, 0, {0.0, 0.25}, true});
    const ReplicationResult r = run_replication(spec, 8, 0);
    REQUIRE(r.deferrables.size() == 1);
    const DemandCounts& w2 = r.demand_weeks[0][1];
    CHECK(r.demand_weeks[0][0].shifted_out == 0);  // week 1: share 0
    const double n = static_cast<double>(w2.demand);
    CHECK(std::fabs(static_cast<double>(w2.shifted_out) / n - 0.25) < z999 * std::sqrt(0.25 * 0.75 / n));
    // Every shifted caller is one item of the backlog, none a call: the class keeps the rest.
    CHECK(r.deferrables[0].arrived == r.demand[0].shifted_out);
    CHECK(r.demand[0].shifted_in == 0);
    CHECK(r.classes[0].counts.offered == r.demand[0].demand - r.demand[0].shifted_out);
    // 60 an hour for a week at 25%: 2,520 expected, Poisson.
    CHECK(std::fabs(static_cast<double>(r.deferrables[0].arrived) - 2520) < z999 * std::sqrt(2520.0));
}

TEST_CASE("interval loads route demand as the model does and count a chat as a share of a person") {
    ScenarioSpec spec = one_class(60, 10);
    add_999(spec, 6);
    spec.classes[0].chat = ChatSpec{3, 1.5};  // the 240 s handle time held 3 at a time, 1.5 times as long
    DeferrableSpec online;
    online.name = "online";
    online.arrivals.per_week = 168;  // 1 an hour of its own
    online.handle_time = Distribution::deterministic(600);
    online.groups = {true};
    spec.deferrables.push_back(online);
    spec.demand.channel_shifts.push_back(ChannelShiftSpec{0, 0, {0.0, 0.2}, true});  // "101" to the backlog
    TriageSpec menu;
    menu.resolved = 0.1;
    menu.reclassified = {0.0, 0.05};  // 5% of what reaches class 0 moves to class 1
    spec.demand.triage = {menu, std::nullopt};
    const std::vector<IntervalLoad> week1 = tabulate_intervals(spec, 0, seconds_per_hour);
    const std::vector<IntervalLoad> week2 = tabulate_intervals(spec, seconds_per_week, seconds_per_week + 3600);
    REQUIRE(week1.size() == 1);
    REQUIRE(week2.size() == 1);
    // Week 1 (no shift): 60 an hour less 10% resolved and 5% moved to class 1.
    CHECK(week1[0].arrivals_per_s[0][0] * 3600 == doctest::Approx(60 * 0.85));
    CHECK(week1[0].arrivals_per_s[1][0] * 3600 == doctest::Approx(6 + 60 * 0.05));
    CHECK(week1[0].backlog_work_per_s[0] == doctest::Approx(600.0 / 3600));
    // Week 2: 20% of the 60 go online first (12 an hour of 600 s), the menu takes its shares of the rest.
    CHECK(week2[0].arrivals_per_s[0][0] * 3600 == doctest::Approx(48 * 0.85));
    CHECK(week2[0].backlog_work_per_s[0] == doctest::Approx((1 + 12) * 600.0 / 3600));
    // A chat: 240 s × 1.5, a third of a person.
    CHECK(week1[0].base_work_s[0] == doctest::Approx(240 * 1.5 / 3));
    CHECK(week1[0].base_work_s[1] == doctest::Approx(300));
}

TEST_CASE("a scheduled surge multiplies the rate exactly in its window and leaves earlier arrivals as they were") {
    ScenarioSpec spec = one_class(30, 10);
    const ReplicationResult before = run_replication(spec, 4, 0);
    // x3 for 6 hours from Wednesday 12:00 of week 2.
    ScheduledSurgeSpec g;
    g.from_s = seconds_per_week + 2 * seconds_per_day + 12 * seconds_per_hour;
    g.to_s = g.from_s + 6 * seconds_per_hour;
    g.multipliers = {3.0};
    spec.demand.surges = {g};
    const std::size_t n = 40;
    const std::vector<ReplicationResult> results = run(spec, n, 4);
    // Week 1 comes before the surge: the same arrivals, call for call (the same draws inverted).
    CHECK(results[0].weeks.classes[0][0].offered == before.weeks.classes[0][0].offered);
    CHECK(results[0].weeks.classes[0][0].answered_wait_s == before.weeks.classes[0][0].answered_wait_s);
    // Extra calls: 2 x 30 an hour for 6 hours, 360 expected a replication; the attributed count is
    // a sum over Poisson(540) arrivals of 2/3 each, so its variance is 540 x 4/9 = 240.
    double extra = 0;
    for (const ReplicationResult& r : results) extra += r.demand[0].surge_extra;
    CHECK(std::fabs(extra / n - 360) < z999 * std::sqrt(240.0 / n));
}

TEST_CASE("random incidents add the expected extra volume: rate x mean size x (horizon - duration / 2)") {
    // Incidents at r = 3 a week, each 6 hours long bringing 50 extra calls on average (Poisson
    // within the incident), over a 2-week horizon. An incident starting at s adds 50 x min(d, H - s) / d
    // calls before the horizon, so the expected extra volume is
    //   r/week x 50 x ∫0^H min(1, (H - s)/d) ds = r/week x 50 x (H - d/2) = 3 x 50 x (2 - 6/336) = 297.32.
    ScenarioSpec spec = one_class(20, 10);
    RandomSurgeSpec rule;
    rule.per_week = 3;
    rule.duration = Distribution::deterministic(6 * seconds_per_hour);
    rule.extra_calls = {50.0};
    spec.demand.random_surges = {rule};
    const double d = 6 * seconds_per_hour, horizon = spec.horizon_s;
    const double expected = 3 / seconds_per_week * 50 * (horizon - d / 2);
    CHECK(expected == doctest::Approx(297.32).epsilon(1e-4));
    const std::size_t n = 200;
    const std::vector<ReplicationResult> results = run(spec, n, 12);
    std::vector<double> extra, offered;
    for (const ReplicationResult& r : results) {
        extra.push_back(r.demand[0].surge_extra);
        offered.push_back(static_cast<double>(r.classes[0].counts.offered));
    }
    const Figure e = make_figure(extra), o = make_figure(offered);
    // ci95 is a 95% half-width: scaled to 99.9%.
    CHECK(std::fabs(e.mean - expected) < e.ci95 / 1.96 * z999);
    const double base = 20 * horizon / seconds_per_hour;
    CHECK(std::fabs(o.mean - base - expected) < o.ci95 / 1.96 * z999);
}

TEST_CASE("a storm week (x3 on 999 for 6 hours) shows as a dip in that week's service level") {
    ScenarioSpec spec = one_class(20, 9);
    add_999(spec, 40);
    spec.horizon_s = 4 * seconds_per_week;
    spec.classes[1].targets = {crsim::test::make_target(TargetSpec::Metric::service_level, 0.9, 10)};
    ScheduledSurgeSpec g;
    g.from_s = 2 * seconds_per_week + 18 * seconds_per_hour;  // week 3, Monday 18:00
    g.to_s = g.from_s + 6 * seconds_per_hour;
    g.multipliers = {1.0, 3.0};
    spec.demand.surges = {g};
    const std::vector<ReplicationResult> results = run(spec, 5, 2);
    const Summary s = summarise(spec, results, 2);
    const auto level = [&](std::size_t week) { return s.weeks.classes[1][week].service_level[0]; };
    for (const std::size_t calm : {1u, 3u}) {
        INFO("week " << calm + 1);
        CHECK(level(2).mean + level(2).ci95 < level(calm).mean - level(calm).ci95);
    }
    const std::string html = crsim::report::run_report(s).html("");
    CHECK(html.find("scheduled surge") != std::string::npos);
}

TEST_CASE("demand keys: read, and errors located with what was expected") {
    const std::string base = R"(name: keys
horizon: 2w
rooms:
  main: {}
classes:
  "999":
    priority: 1
    arrivals: {per_week: 100}
    handle_time: 5min
    patience: never
  "101":
    priority: 2
    arrivals: {per_week: 100}
    handle_time: 5min
    patience: never
groups:
  handlers: {takes: ["999", "101"]}
roster:
  - {room: main, group: handlers, shift: always, headcount: 2}
)";
    const auto load = [&](const std::string& extra) {
        return crsim::scenario::load_scenario_text(base + extra, "keys.yaml");
    };
    const auto first_error = [](const crsim::scenario::LoadResult& r) {
        return r.diagnostics.empty() ? std::string() : r.diagnostics.front().format();
    };
    {
        const auto r = load(
            "triage:\n  \"101\": {menu_time: 45s, resolved: 5%, redirected: 15%, reclassified: {\"999\": 2%}}\n"
            "channel_shift:\n  - {from: \"101\", to: \"999\", shares: [0, 10%]}\n"
            "surges:\n  - {week: 2, day: wed, at: \"18:00\", duration: 6h, multipliers: {\"999\": 3}}\n"
            "random_surges:\n  - {per_week: 0.5, duration: {dist: exponential, mean: 4h}, extra_calls: {\"999\": 40}, "
            "size_cv: 0.5}\n");
        INFO(first_error(r));
        REQUIRE(r.ok());
        const DemandSpec& d = r.spec->demand;
        REQUIRE(d.triage.size() == 2);
        CHECK_FALSE(d.triage[0]);
        CHECK(d.triage[1]->menu_time.mean() == 45);
        CHECK(d.triage[1]->redirected == doctest::Approx(0.15));
        CHECK(d.triage[1]->reclassified[0] == doctest::Approx(0.02));
        CHECK(d.channel_shifts[0].share_in_week(5) == doctest::Approx(0.1));
        CHECK(d.surges[0].from_s == seconds_per_week + 2 * seconds_per_day + 18 * seconds_per_hour);
        CHECK(d.surges[0].multipliers == std::vector<double>{3.0, 1.0});
        CHECK(d.random_surges[0].extra_calls == std::vector<double>{40.0, 0.0});
    }
    // Line 20 is the first line after the base scenario.
    CHECK(first_error(load("triage:\n  \"101\": {redirect: 10%}\n")) ==
          "keys.yaml:21:11: error: triage.101.redirect: unknown key 'redirect'; did you mean 'redirected'?");
    CHECK(first_error(load("triage:\n  \"101\": {resolved: 60%, redirected: 50%}\n")) ==
          "keys.yaml:21:10: error: triage.101: expected resolved + redirected + the re-classified shares to be at "
          "most 100%, got 110%");
    CHECK(first_error(load("triage:\n  \"111\": {resolved: 10%}\n")) ==
          "keys.yaml:21:3: error: triage.111: no class named '111'; did you mean '101'?");
    CHECK(first_error(load("surges:\n  - {week: 2, duration: 6h, multipliers: {\"999\": 0.5}}\n")) ==
          "keys.yaml:21:50: error: surges[0].multipliers.999: expected a multiplier of at least 1 (a surge adds "
          "demand), got 0.5");
    CHECK(first_error(load("channel_shift:\n  - {from: \"101\", to: \"101\", shares: 10%}\n")) ==
          "keys.yaml:21:23: error: channel_shift[0].to: expected another class than from ('101')");
    {
        const auto r = load(
            "deferrable:\n  online: {handle_time: 10min}\n"
            "channel_shift:\n  - {from: \"101\", to: online, shares: [0, 10%]}\n");
        INFO(first_error(r));
        REQUIRE(r.ok());
        const ChannelShiftSpec& shift = r.spec->demand.channel_shifts.at(0);
        CHECK(shift.to_backlog);
        CHECK(shift.to == 0);
        CHECK(r.spec->deferrables.at(0).arrivals.per_week == 0);
    }
    CHECK(
        first_error(load("deferrable:\n  online: {handle_time: 10min}\n")) ==
        "keys.yaml:21:11: error: deferrable.online: expected arrivals, or a channel_shift whose `to` is this backlog");
    CHECK(first_error(load("channel_shift:\n  - {from: \"101\", to: onlne, shares: 10%}\n"))
              .rfind("keys.yaml:21:23: error: channel_shift[0].to: no class or deferrable backlog named 'onlne'", 0) ==
          0);
    CHECK(first_error(load("random_surges:\n  - {duration: 4h, extra_calls: {\"999\": 40}}\n")) ==
          "keys.yaml:21:5: error: random_surges[0]: missing required key 'per_week'");
}
