// Reporting windows: the whole-run figures of a window are exactly the sums of its days and weeks
// (calls by arrival, staff time within it), the days and weeks stay whole-run while the hours of the
// week pool the window alone, and bad windows are refused.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "crsim/model/report_window.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/scenario/load_scenario.hpp"

using namespace crsim::model;

namespace {

ScenarioSpec load(const std::string& name) {
    const auto loaded = crsim::scenario::load_scenario(std::string(CRSIM_SOURCE_DIR) + "/scenarios/" + name);
    REQUIRE(loaded.ok());
    return *loaded.spec;
}

/// The errors of a scenario given as text, one formatted line each.
std::string errors_of(const std::string& yaml) {
    const auto loaded = crsim::scenario::load_scenario_text(yaml, "w.yaml");
    std::string out;
    for (const auto& d : loaded.diagnostics) out += d.format() + "\n";
    return out;
}

}  // namespace

TEST_CASE("a window's whole-run counts are the sums of its weeks; staff time too; the series are unchanged") {
    ScenarioSpec spec = load("two-rooms.yaml");  // 5 weeks, the first a warm-up
    const ReplicationResult whole = run_replication(spec, 11, 0);
    spec.window = parse_window("3-4", spec);
    const ReplicationResult window = run_replication(spec, 11, 0);

    for (std::size_t k = 0; k < spec.classes.size(); ++k) {
        ClassCounts sum;
        for (std::size_t w = 2; w <= 3; ++w) sum.add(whole.weeks.classes[k][w]);
        const ClassCounts& got = window.classes[k].counts;
        CHECK(got.offered == sum.offered);
        CHECK(got.answered == sum.answered);
        CHECK(got.abandoned == sum.abandoned);
        CHECK(got.answered_within == sum.answered_within);
        CHECK(got.answered_wait_s == doctest::Approx(sum.answered_wait_s).epsilon(1e-12));
        CHECK(got.offered < whole.classes[k].counts.offered);
        // The same calls, so the same series.
        for (std::size_t w = 0; w < whole.weeks.classes[k].size(); ++w)
            CHECK(window.weeks.classes[k][w].offered == whole.weeks.classes[k][w].offered);
        CHECK(window.classes[k].max_wait_s <= whole.classes[k].max_wait_s);
    }
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        StaffCounts sum;
        for (std::size_t w = 2; w <= 3; ++w) sum.add(whole.weeks.groups[g][w]);
        CHECK(window.groups[g].paid_s == doctest::Approx(sum.paid_s).epsilon(1e-12));
        CHECK(window.groups[g].busy_s == doctest::Approx(sum.busy_s).epsilon(1e-12));
        CHECK(window.groups[g].handled == sum.handled);
        CHECK(window.groups[g].on_duty_cost == doctest::Approx(sum.on_duty_cost).epsilon(1e-12));
    }
    const Summary s = summarise(spec, std::vector<ReplicationResult>{window}, 11);
    REQUIRE(s.window.has_value());
    CHECK(s.window->from == 3);
    CHECK(s.window->to == 4);
}

TEST_CASE("under a window the hours of the week count only the window's calls and staff time") {
    ScenarioSpec spec = load("two-rooms.yaml");  // a 1-week warm-up
    spec.horizon_s = 2 * seconds_per_week;       // so the whole run measures each hour of the week once
    const ReplicationResult whole = run_replication(spec, 5, 0);
    spec.window = parse_window("9d", spec);  // [8 d, 9 d): 24 of the 168 hours
    const ReplicationResult window = run_replication(spec, 5, 0);

    // The hours of the week of day 9: a day starts on an hour of the week that is a multiple of 24.
    const auto first = static_cast<std::size_t>((8 + spec.start_weekday) % 7 * 24);
    const auto in_day = [&](std::size_t h) { return h >= first && h < first + 24; };
    for (std::size_t k = 0; k < spec.classes.size(); ++k) {
        const std::vector<ClassCounts>& got = window.hours_of_week.classes[k];
        const std::vector<ClassCounts>& all = whole.hours_of_week.classes[k];
        REQUIRE(got.size() == 168);
        ClassCounts sum, outside;
        for (std::size_t h = 0; h < 168; ++h) {
            sum.add(got[h]);
            if (in_day(h)) {
                // The same calls as the whole run's in this hour: one week measured, one day of it.
                CHECK(got[h].offered == all[h].offered);
                CHECK(got[h].answered == all[h].answered);
                CHECK(got[h].answered_within == all[h].answered_within);
            } else {
                CHECK(got[h].offered == 0);
                outside.add(all[h]);
            }
        }
        // Every call of the window in its hour of the week, and the whole run had calls elsewhere.
        CHECK(sum.offered == window.classes[k].counts.offered);
        CHECK(sum.answered == window.classes[k].counts.answered);
        CHECK(sum.answered_within == window.classes[k].counts.answered_within);
        CHECK(outside.offered > 0);
        // The days are unchanged: charts show the days around the window.
        for (std::size_t d = 0; d < whole.days.classes[k].size(); ++d)
            CHECK(window.days.classes[k][d].offered == whole.days.classes[k][d].offered);
    }
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        double paid_s = 0, paid_outside_s = 0;
        for (std::size_t h = 0; h < 168; ++h) {
            const double got = window.hours_of_week.groups[g][h].paid_s;
            paid_s += got;
            if (in_day(h))
                CHECK(got == doctest::Approx(whole.hours_of_week.groups[g][h].paid_s).epsilon(1e-12));
            else
                paid_outside_s += got;
        }
        CHECK(paid_outside_s == 0);
        CHECK(paid_s == doctest::Approx(window.groups[g].paid_s).epsilon(1e-12));
    }
    // Means per hour divide by the window's hours: one of each of day 9's hours, none of the others.
    const Summary s = summarise(spec, std::vector<ReplicationResult>{window}, 5);
    REQUIRE(s.hour_of_week_measured_h.size() == 168);
    for (std::size_t h = 0; h < 168; ++h) CHECK(s.hour_of_week_measured_h[h] == (in_day(h) ? 1.0 : 0.0));
}

TEST_CASE("windows are read as weeks, days or a scenario's name, and must lie within the measured run") {
    const ScenarioSpec spec = load("merger.yaml");  // 26 weeks, a 1-day warm-up, three named windows
    const ReportWindow weeks = parse_window("14-26", spec);
    CHECK(weeks.unit == ReportWindow::Unit::week);
    CHECK(weeks.from_s == 13 * seconds_per_week);
    CHECK(weeks.to_s == 26 * seconds_per_week);
    CHECK(describe(weeks) == "weeks 14–26");
    const ReportWindow one = parse_window("14", spec);
    CHECK(one.from_s == 13 * seconds_per_week);
    CHECK(one.to_s == 14 * seconds_per_week);
    CHECK(describe(one) == "week 14");
    const ReportWindow days = parse_window("3d-10d", spec);
    CHECK(days.unit == ReportWindow::Unit::day);
    CHECK(days.from_s == 2 * seconds_per_day);
    CHECK(days.to_s == 10 * seconds_per_day);
    CHECK(describe(parse_window("3d", spec)) == "day 3");
    CHECK(parse_window("2w-3w", spec).to_s == 3 * seconds_per_week);

    // The shipped merger windows; pre-merger begins in the warm-up and is measured from its end.
    REQUIRE(spec.windows.size() == 3);
    CHECK(spec.windows[0].name == "pre-merger");
    CHECK(spec.windows[0].window.from_s == seconds_per_day);
    const ReportWindow recovery = parse_window("recovery", spec);
    CHECK(recovery.from == 14);
    CHECK(recovery.to == 26);

    CHECK_THROWS_WITH_AS(parse_window("27", spec), "the window week 27 ends after the run's horizon (26 weeks)",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_window("1d", spec),
                         "the window day 1 lies inside the warm-up (1 day), which is never measured",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_window("5-3", spec), "the window ends (3) before it starts (5)", std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_window("0-3", spec), "the window weeks 0–3 starts before the first week (1)",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_window("3d-2w", spec), "'3d-2w' mixes days and weeks; give both bounds in one unit",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_window("later", spec),
                         doctest::Contains("one of the scenario's windows (pre-merger, transition, recovery)"),
                         std::invalid_argument);
}

TEST_CASE("a scenario's named windows are checked like every other key") {
    // two-rooms.yaml: 5 weeks, the first a warm-up. Text scenarios extend relative to the working
    // directory, which ctest sets to the source tree.
    const std::string head = "extends: scenarios/two-rooms.yaml\n";
    CHECK(errors_of(head + "windows: {late: {from: 3, to: 6}}\n") ==
          "w.yaml:2:17: error: windows.late: expected a window within the run: the window weeks 3–6 ends after the "
          "run's horizon (5 weeks)\n");
    CHECK(errors_of(head + "windows: {late: {from: 3}}\n") ==
          "w.yaml:2:17: error: windows.late: expected the window's last week (to or to_date)\n");
    CHECK(errors_of(head + "windows: {late: {from: 3, to: 4, by: 1}}\n").find("windows.late.by") != std::string::npos);
    CHECK(errors_of(head + "windows: {early: {from: 1, to: 1}}\n").find("lies inside the warm-up") !=
          std::string::npos);
    CHECK(errors_of(head + "windows: {late: {from: 3, to: 5}}\n").empty());
}
