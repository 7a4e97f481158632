// The roster calendar: the one statement of the roster rules that the simulation and the capacity
// check both follow, shown by their agreeing on every shipped scenario's on-duty person-hours.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "crsim/model/capacity_check.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "model_fixtures.hpp"

using namespace crsim::test;
using crsim::model::never;
using crsim::model::RosterCalendar;
using crsim::model::seconds_per_day;
using crsim::model::seconds_per_hour;

namespace {

std::vector<std::filesystem::path> shipped_scenarios() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(CRSIM_SOURCE_DIR) / "scenarios"))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

/// The scenario's roster with nothing left to chance: no calls (so nobody works past a shift's end
/// or puts off a break), nobody absent, disruptions and attrition removed, trainees present
/// throughout their course. What stays is what the calendar decides: shift starts and ends, the
/// shift begun the evening before t = 0, weeks, merges, courses' start weeks and overtime caps.
ScenarioSpec roster_only(ScenarioSpec spec) {
    for (ClassSpec& c : spec.classes) c.arrivals.times_s = {spec.horizon_s + 1};
    for (GroupSpec& g : spec.groups) g.absence = 0;
    spec.disruptions.clear();
    spec.attritions.clear();
    spec.call_ins.clear();
    for (auto& cohort : spec.cohorts) cohort.available_during_course = 1;
    return spec;
}

}  // namespace

TEST_CASE("the capacity check's on-duty person-hours equal the simulation's for every shipped scenario") {
    const auto paths = shipped_scenarios();
    REQUIRE(paths.size() >= 8);
    for (const auto& path : paths) {
        CAPTURE(path.filename().string());
        const auto loaded = crsim::scenario::load_scenario(path.string());
        REQUIRE(loaded.ok());
        const ScenarioSpec spec = roster_only(*loaded.spec);
        const auto simulated = crsim::model::run_replication(spec, 1, 0);
        const auto intervals = crsim::model::tabulate_intervals(spec, spec.warmup_s, spec.horizon_s);
        for (std::size_t g = 0; g < spec.groups.size(); ++g) {
            CAPTURE(spec.groups[g].name);
            double checked_s = 0;
            for (const auto& in : intervals)
                for (std::size_t r = 0; r < spec.rooms.size(); ++r)
                    checked_s += in.on_duty[r][g] * (in.end_s - in.start_s);
            CHECK(simulated.groups[g].paid_s / seconds_per_hour ==
                  doctest::Approx(checked_s / seconds_per_hour).epsilon(1e-9));
        }
    }
}

TEST_CASE("a night shift rostered the evening before t = 0 is under way from the start") {
    ScenarioSpec spec;
    spec.start_weekday = 0;  // t = 0 is a Monday; the evening before is a Sunday
    spec.horizon_s = 7 * seconds_per_day;
    spec.rooms = {{"room"}};
    ShiftSpec night;
    night.start_s = 22 * seconds_per_hour;
    night.length_s = 10 * seconds_per_hour;
    night.days = {false, false, false, false, false, false, true};  // Sundays only
    night.headcount = 2;
    spec.shifts = {night};
    const RosterCalendar calendar(spec);
    const auto first = calendar.under_way_at_start(0);
    REQUIRE(first.has_value());
    CHECK(first->nominal_start_s == -2 * seconds_per_hour);
    CHECK(first->start_s == 0);
    CHECK(first->end_s == 8 * seconds_per_hour);
    CHECK_FALSE(calendar.on_day(0, 0).has_value());  // Monday: not rostered
    const auto sunday = calendar.on_day(0, 6);
    REQUIRE(sunday.has_value());
    CHECK(sunday->start_s == 6 * seconds_per_day + 22 * seconds_per_hour);
    CHECK(sunday->week == 1);

    spec.shifts[0].length_s = 2 * seconds_per_hour;  // ends at midnight: not under way at t = 0
    CHECK_FALSE(RosterCalendar(spec).under_way_at_start(0).has_value());
    spec.shifts[0].length_s = never;  // on duty throughout, from t = 0
    const auto always = RosterCalendar(spec).under_way_at_start(0);
    REQUIRE(always.has_value());
    CHECK(always->start_s == 0);
    CHECK(always->end_s == never);
    CHECK_FALSE(RosterCalendar(spec).on_day(0, 6).has_value());
}

TEST_CASE("breaks are staggered over their spread and overtime stops at the weekly cap") {
    crsim::model::BreakSpec b;
    b.after_s = 4 * seconds_per_hour;
    b.spread_s = 2 * seconds_per_hour;
    // Person 0, 1, 2, 3 of 4 on a shift rostered at 07:00: 11:00, 11:30, 12:00, 12:30.
    for (int j = 0; j < 4; ++j)
        CHECK(RosterCalendar::break_due_s(b, 7 * seconds_per_hour, j, 4) == (11 + 0.5 * j) * seconds_per_hour);

    crsim::model::OvertimeBudget budget(30);  // person-hours a week
    CHECK(budget.allow(1, 2, 12) == 2);       // 24 h booked
    CHECK(budget.allow(1, 2, 12) == 0);       // 6 h left: not a whole 12-hour shift
    CHECK(budget.allow(2, 3, 8) == 3);        // a new week
    crsim::model::OvertimeBudget expected(30);
    CHECK(expected.allow_expected(1, 2, 12) == 2);
    CHECK(expected.allow_expected(1, 2, 12) == doctest::Approx(0.5));  // the 6 h left, as half a person
    crsim::model::OvertimeBudget unlimited(never);
    CHECK(unlimited.allow(1, 50, 12) == 50);
}
