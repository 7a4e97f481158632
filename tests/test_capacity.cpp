// The routing graph, the fluid capacity check and the Erlang estimates of `crsim run --analytic`.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "crsim/analytic/erlang.hpp"
#include "crsim/model/capacity_check.hpp"
#include "crsim/model/erlang_estimates.hpp"
#include "crsim/model/routing_graph.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "model_fixtures.hpp"

using namespace crsim::test;
using crsim::model::CapacityReport;
using crsim::model::RoutingGraph;
using crsim::model::RoutingIssue;
using crsim::model::seconds_per_hour;
using crsim::model::seconds_per_week;

namespace {

ScenarioSpec load(const std::string& relative) {
    const auto loaded = crsim::scenario::load_scenario(std::string(CRSIM_SOURCE_DIR) + "/" + relative);
    for (const auto& d : loaded.diagnostics) MESSAGE(d.format());
    REQUIRE(loaded.ok());
    return *loaded.spec;
}

bool has_issue(const std::vector<RoutingIssue>& issues, bool error, const std::string& text) {
    for (const RoutingIssue& i : issues)
        if (i.error == error && i.message.find(text) != std::string::npos) return true;
    return false;
}

// Two rooms A and B over one week, loads constant all week:
//   999 (priority 1): 30 calls/h × 6 min = 3 Erlangs, all homed in A, never overflows;
//   101 (priority 2): 60 calls/h × 4 min = 4 Erlangs, half homed in A, half in B, overflows after 60 s.
//   "both" takes both classes: 4 people always in A; "101-only" takes 101: 1 person always in B.
ScenarioSpec two_room_case() {
    ScenarioSpec spec;
    spec.name = "tiny";
    spec.horizon_s = seconds_per_week;
    spec.rooms = {{"A"}, {"B"}};
    spec.classes = {make_class("999", 1, {}, 30, Distribution::deterministic(360), Distribution::exponential(300), 2),
                    make_class("101", 2, {}, 60, Distribution::deterministic(240), Distribution::exponential(300), 2)};
    spec.classes[0].room_shares = {1.0, 0.0};
    spec.classes[1].overflow_after_s = 60;
    spec.groups = {make_group(spec, "both"), make_group(spec, "101-only")};
    spec.groups[1].takes[0] = false;
    spec.shifts = {always_on(0, 0, 4), always_on(1, 1, 1)};
    default_preferences(spec);
    return spec;
}

}  // namespace

TEST_CASE("the Saturday-night fixture is short on Saturday night only, and the check names the interval and 101") {
    const ScenarioSpec spec = load("tests/scenarios/short-staffed-saturday-night.yaml");
    const CapacityReport report = crsim::model::check_capacity(spec);
    REQUIRE_FALSE(report.feasible());
    CHECK(report.interval_s == seconds_per_hour);
    CHECK(report.intervals_checked == 5 * 168);
    // The night shift Sat 23:00–Sun 07:00 has 2 people instead of 6 (1.7 after absence):
    //   Sat 23:00–24:00: the evening shift's last break leaves too few for 5.1 Erlangs; 101 short 0.9
    //   Sun 00:00–01:00: the evening shift is still there: feasible
    //   Sun 01:00–05:00: the night shift alone; 999 is routed first, 101 short of all its load
    //   Sun 05:00–06:00: the quietest hour fits; Sun 06:00–07:00: 101 short again
    REQUIRE(report.findings.size() == 3);
    const std::vector<std::string> spans = {"Sat 23:00–24:00", "Sun 01:00–05:00", "Sun 06:00–07:00"};
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto& f = report.findings[i];
        INFO(f.describe(spec));
        CHECK(f.span == spans[i]);
        CHECK(f.weeks == std::vector<int>{1, 2, 3, 4, 5});
        bool names_101 = false;
        for (const auto& c : f.classes) names_101 = names_101 || spec.classes[c.cls].name == "101";
        CHECK(names_101);
    }
    const std::string first = report.findings[0].describe(spec);
    CHECK(first ==
          "Sat 23:00–24:00 (weeks 1–5): 101 load 2.9 Erlangs exceeds what the rostered staff can carry by 0.9 Erlangs");
    // 101 is short of everything in its worst hour: 999 takes all that the two people can carry.
    const auto& night = report.findings[1];
    REQUIRE(night.classes.size() == 2);
    CHECK(night.classes[1].shortfall_erlangs == doctest::Approx(night.classes[1].load_erlangs).epsilon(1e-5));
}

TEST_CASE("findings that recur week after week with other figures are one line per weekday with a week range") {
    // The merger loses staff week by week (attrition): every week from the merger on is short with
    // other hours and figures. Grouped: one finding per weekday, over weeks 6-26, at its worst hour.
    const ScenarioSpec spec = load("scenarios/merger.yaml");
    const CapacityReport report = crsim::model::check_capacity(spec);
    REQUIRE(report.findings.size() == 7);
    for (const auto& f : report.findings) {
        INFO(f.describe(spec));
        CHECK(f.varies);
        CHECK(f.weeks.front() == 6);
        CHECK(f.weeks.back() == 26);
        CHECK(f.weeks.size() == 21);
    }
    CHECK(report.findings[0].describe(spec) ==
          "Mon 08:00–22:00 (weeks 6–26, at times): 101 load exceeds what the rostered staff can carry by up to 5.7 "
          "Erlangs (week 7, Mon 18:00–19:00: load 12.0 Erlangs)");
    CHECK(report.findings[6].span == "Sun 01:00–24:00");
}

TEST_CASE("the shipped scenarios have no interval the rostered staff cannot carry") {
    for (const char* path : {"scenarios/two-rooms.yaml", "scenarios/one-room.yaml"}) {
        const ScenarioSpec spec = load(path);
        const CapacityReport report = crsim::model::check_capacity(spec);
        CAPTURE(path);
        for (const auto& f : report.findings) MESSAGE(f.describe(spec));
        CHECK(report.feasible());
        CHECK(RoutingGraph(spec).issues().empty());
    }
}

TEST_CASE("a class no group takes is an error; a group that takes nothing, or has no roster line, is a warning") {
    ScenarioSpec spec = two_room_case();
    spec.classes.push_back(
        make_class("orphan", 3, {}, 1, Distribution::deterministic(60), Distribution::exponential(300), 2));
    for (auto& g : spec.groups) {
        g.takes.push_back(false);
        g.handle_factor.push_back(1.0);
        g.reserved_for.push_back(false);
    }
    GroupSpec idle = make_group(spec, "idle");
    idle.takes.assign(spec.classes.size(), false);
    spec.groups.push_back(idle);
    spec.groups.push_back(make_group(spec, "unrostered"));
    spec.groups.back().takes[2] = false;
    spec.rooms.push_back({"empty"});
    const std::vector<RoutingIssue> issues = RoutingGraph(spec).issues();
    CHECK(has_issue(issues, true, "class 'orphan': no group takes it"));
    CHECK(has_issue(issues, false, "group 'idle': takes no class"));
    CHECK(has_issue(issues, false, "group 'idle': has no roster line"));
    CHECK(has_issue(issues, false, "group 'unrostered': has no roster line"));
    CHECK(has_issue(issues, false, "room 'empty': no roster line"));
    CHECK(issues.front().error);  // errors come first
    const RoutingGraph graph(spec);
    CHECK(graph.groups_of_class(1) == std::vector<std::size_t>{0, 1, 3});
    CHECK(graph.rooms_of_group(1) == std::vector<std::size_t>{1});
    CHECK(graph.groups_in_room(0) == std::vector<std::size_t>{0});
}

TEST_CASE("the max-flow of a two-room case matches the hand computation") {
    ScenarioSpec spec = two_room_case();
    const auto route = [&] {
        return crsim::model::route_interval(spec, crsim::model::tabulate_intervals(spec, 0, seconds_per_hour).at(0));
    };

    SUBCASE("all handle factors 1: 999 fills 3 of A's 4; 101 gets A's last 1 and B's 1, short 2") {
        const auto r = route();
        CHECK(r[0].load_erlangs == doctest::Approx(3.0));
        CHECK(r[1].load_erlangs == doctest::Approx(4.0));
        CHECK(r[0].shortfall_erlangs == doctest::Approx(0.0).epsilon(1e-5));
        CHECK(r[1].shortfall_erlangs == doctest::Approx(2.0).epsilon(1e-5));
        CHECK(r[1].shortfall_min_erlangs == doctest::Approx(2.0).epsilon(1e-5));
        const CapacityReport report = crsim::model::check_capacity(spec);
        REQUIRE(report.findings.size() == 1);
        CHECK(report.findings[0].describe(spec) ==
              "all week (week 1): 101 load exceeds what the rostered staff can carry by up to 2.0 Erlangs "
              "(Mon 00:00–01:00: load 4.0 Erlangs)");
    }
    SUBCASE("25% absence in A: 3 people there carry 999 only; 101 gets B's 1, short 3") {
        spec.groups[0].absence = 0.25;
        const auto r = route();
        CHECK(r[0].shortfall_erlangs == doctest::Approx(0.0).epsilon(1e-5));
        CHECK(r[1].shortfall_erlangs == doctest::Approx(3.0).epsilon(1e-5));
    }
    SUBCASE("without overflow each room's half of 101 (2 Erlangs) meets 1 spare person: short 1 + 1") {
        spec.classes[1].overflow_after_s = crsim::model::never;
        const auto r = route();
        CHECK(r[1].shortfall_erlangs == doctest::Approx(2.0).epsilon(1e-5));
    }
    SUBCASE("B's person takes twice as long: carries 0.5 Erlangs of 101, short 2.5 (one class per group: exact)") {
        spec.groups[1].handle_factor[1] = 2;
        const auto r = route();
        CHECK(r[1].shortfall_erlangs == doctest::Approx(2.5).epsilon(1e-5));
        CHECK(r[1].shortfall_min_erlangs == doctest::Approx(2.5).epsilon(1e-5));
    }
    SUBCASE(
        "A's people take 1.5× on 101 only: bounds 2 (capacity 4/1) and 3.33 (capacity 4/1.5) around the true 2.33") {
        // Conservative: A carries 4/1.5 = 2.667 Erlangs, so 999 (first) lacks 0.333 and 101 gets B's 1 only (short 3).
        // Optimistic: A carries 4: as in the first case, 101 short 2. The true fluid optimum, 999's 3
        // Erlangs plus 0.667 Erlangs of 101 at 1.5 each in A, leaves 101 short 2.333: in between.
        spec.groups[0].handle_factor[1] = 1.5;
        const auto r = route();
        CHECK(r[0].shortfall_erlangs == doctest::Approx(1.0 / 3).epsilon(1e-5));
        CHECK(r[0].shortfall_min_erlangs == doctest::Approx(0.0).epsilon(1e-5));
        CHECK(r[1].shortfall_erlangs == doctest::Approx(3.0).epsilon(1e-5));
        CHECK(r[1].shortfall_min_erlangs == doctest::Approx(2.0).epsilon(1e-5));
    }
}

TEST_CASE("staffing per interval takes absence and staggered breaks in, as person-time averages") {
    // 10 people 08:00–16:00 with 20% absence (8 expected), one 30-min break each, starts spread
    // evenly over 10:00–11:00. On break: 10:00–11:00 ∫ min(0.5, 11 − s) ds over s in [10, 11) = 0.375
    // person-hours per person-hour of spread, × 8 = 3; 11:00–12:00 ∫ (s − 10.5) over [10.5, 11) = 0.125, × 8 = 1.
    ScenarioSpec spec;
    spec.horizon_s = 24 * seconds_per_hour;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("101", 2, {}, 10, Distribution::deterministic(60), Distribution::exponential(300))};
    spec.groups = {make_group(spec, "handlers")};
    spec.groups[0].absence = 0.2;
    ShiftSpec s = always_on(0, 0, 10, 8 * seconds_per_hour);
    s.start_s = 8 * seconds_per_hour;
    s.breaks = {{2 * seconds_per_hour, 1800, seconds_per_hour}};
    spec.shifts = {s};
    default_preferences(spec);
    const auto in = crsim::model::tabulate_intervals(spec, 0, spec.horizon_s);
    REQUIRE(in.size() == 24);
    CHECK(in[7].staffed[0][0] == doctest::Approx(0.0));
    CHECK(in[8].staffed[0][0] == doctest::Approx(8.0));
    CHECK(in[10].staffed[0][0] == doctest::Approx(5.0));
    CHECK(in[11].staffed[0][0] == doctest::Approx(7.0));
    CHECK(in[15].staffed[0][0] == doctest::Approx(8.0));
    CHECK(in[16].staffed[0][0] == doctest::Approx(0.0));
    CHECK(in[9].arrivals_per_s[0][0] == doctest::Approx(10.0 / seconds_per_hour));
    CHECK(crsim::model::week_span_label(5 * 86400 + 22 * 3600, 6 * 86400 + 4 * 3600) == "Sat 22:00–Sun 04:00");
}

TEST_CASE("on a stationary one-class scenario the Erlang estimate is ErlangQueue's") {
    // 60 calls an hour, 5-minute handle time, 8 handlers always on duty, thresholds 10 s and 20 s.
    ScenarioSpec spec;
    spec.horizon_s = seconds_per_week;
    spec.warmup_s = seconds_per_week / 7;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("101", 2, {}, 60, Distribution::exponential(300), Distribution::exponential(240))};
    spec.classes[0].thresholds_s = {10, 20};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, 8)};
    default_preferences(spec);

    SUBCASE("Erlang A with the patience's mean") {
        const auto e = crsim::model::erlang_estimates(spec);
        const crsim::analytic::ErlangQueue q({60, 300, 240}, 8);
        REQUIRE(e.size() == 1);
        CHECK(e[0].erlang_a);
        CHECK(e[0].intervals == 6 * 24);
        CHECK(e[0].overloaded_intervals == 0);
        CHECK(e[0].service_level[0] == doctest::Approx(q.service_level(10)).epsilon(1e-12));
        CHECK(e[0].service_level[1] == doctest::Approx(q.service_level(20)).epsilon(1e-12));
        CHECK(e[0].abandoned_pct == doctest::Approx(100 * q.p_abandon()).epsilon(1e-12));
        CHECK(e[0].mean_queue_s == doctest::Approx(q.mean_wait_s()).epsilon(1e-12));
        // ASA = ∫ P(answered, wait > t) dt / P(answered), here by a plain trapezoid rule.
        double integral = 0;
        const double dt = 0.05;
        for (double t = 0; t < 3600; t += dt)
            integral +=
                0.5 * dt * ((1 - q.p_abandon() - q.service_level(t)) + (1 - q.p_abandon() - q.service_level(t + dt)));
        CHECK(e[0].asa_s == doctest::Approx(integral / (1 - q.p_abandon())).epsilon(1e-6));
    }
    SUBCASE("Erlang C without patience, the connection time added to ASA and taken off the thresholds") {
        spec.classes[0].patience.reset();
        spec.classes[0].connection = Distribution::deterministic(4);
        const auto e = crsim::model::erlang_estimates(spec);
        const crsim::analytic::ErlangQueue q({60, 300}, 8);
        CHECK_FALSE(e[0].erlang_a);
        CHECK(e[0].service_level[0] == doctest::Approx(q.service_level(6)).epsilon(1e-12));
        CHECK(e[0].asa_s == doctest::Approx(q.mean_wait_s() + 4).epsilon(1e-12));
        CHECK(e[0].abandoned_pct == 0);
    }
    SUBCASE("Erlang C with load above the agents is overloaded and has no figures") {
        spec.classes[0].patience.reset();
        spec.shifts = {always_on(0, 0, 4)};
        const auto e = crsim::model::erlang_estimates(spec);
        CHECK(e[0].overloaded_intervals == 6 * 24);
        CHECK(e[0].first_overloaded == "Tue 00:00–01:00");
        CHECK(std::isnan(e[0].service_level[0]));
        CHECK(std::isnan(e[0].asa_s));
    }
    SUBCASE("a fractional number of people interpolates between the whole numbers around it") {
        spec.groups[0].absence = 1.0 / 16;  // 7.5 expected
        const auto e = crsim::model::erlang_estimates(spec);
        const crsim::analytic::ErlangQueue q7({60, 300, 240}, 7), q8({60, 300, 240}, 8);
        CHECK(e[0].service_level[0] ==
              doctest::Approx(0.5 * q7.service_level(10) + 0.5 * q8.service_level(10)).epsilon(1e-12));
    }
}

TEST_CASE("a load beyond 64 bits of micro-Erlangs is still found short, not feasible (issue 15, item 6)") {
    // 10^16 calls a day of 6 minutes: 4e13 Erlangs, 4e19 micro-Erlangs, past what an int64 holds.
    for (const double per_week : {7e16, 7e300}) {
        ScenarioSpec spec = two_room_case();
        spec.classes[1].arrivals.per_week = per_week;
        const CapacityReport report = crsim::model::check_capacity(spec);
        CAPTURE(per_week);
        REQUIRE_FALSE(report.feasible());
        const auto& c = report.findings[0].classes;
        const auto short_101 = std::find_if(c.begin(), c.end(), [](const auto& s) { return s.cls == 1; });
        REQUIRE(short_101 != c.end());
        CHECK(short_101->shortfall_erlangs == doctest::Approx(short_101->load_erlangs).epsilon(1e-6));
    }
}

TEST_CASE("--analytic's two bounds: rooms separate and pooled differ for two rooms, agree for one room") {
    // two-rooms.yaml lets calls overflow after a wait; one-room.yaml is the same calls and people in
    // one room. Pooled, two rooms are one room; separate, each room is a smaller pool and worse.
    const ScenarioSpec two = load("scenarios/two-rooms.yaml"), one = load("scenarios/one-room.yaml");
    const auto two_rooms = crsim::model::erlang_bounds(two), one_room = crsim::model::erlang_bounds(one);
    REQUIRE(two_rooms.size() == 2);
    REQUIRE(one_room.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
        CAPTURE(two.classes[k].name);
        const crsim::model::AnalyticFigures &separate = two_rooms[k].separate, &pooled = two_rooms[k].pooled;
        REQUIRE(separate.overloaded_intervals == 0);
        REQUIRE(pooled.overloaded_intervals == 0);
        // Smaller pools answer later: every figure is worse rooms separate than pooled.
        CHECK(separate.service_level[0] < pooled.service_level[0] - 0.02);
        CHECK(separate.asa_s > pooled.asa_s + 1);
        CHECK(separate.abandoned_pct > pooled.abandoned_pct);
        CHECK(separate.mean_queue_s > pooled.mean_queue_s);
        // One room: one pool whichever the bound, and the same as two rooms pooled.
        CHECK(one_room[k].separate.service_level[0] == one_room[k].pooled.service_level[0]);
        CHECK(one_room[k].separate.asa_s == one_room[k].pooled.asa_s);
        CHECK(one_room[k].pooled.service_level[0] == doctest::Approx(pooled.service_level[0]).epsilon(1e-9));
        CHECK(one_room[k].pooled.asa_s == doctest::Approx(pooled.asa_s).epsilon(1e-9));
    }
}
