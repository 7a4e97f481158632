// The roster calendar: the one statement of the roster rules that the simulation and the capacity
// check both follow, shown by their agreeing on every shipped scenario's on-duty person-hours.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "crsim/model/capacity_check.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/workforce.hpp"
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
/// throughout their course, the people on the day exactly the roster's (no day-to-day factor). What
/// stays is what the calendar decides: shift starts and ends, the shift begun the evening before
/// t = 0, weeks, merges, courses' start weeks and overtime caps.
ScenarioSpec roster_only(ScenarioSpec spec) {
    for (ClassSpec& c : spec.classes) c.arrivals.times_s = {spec.horizon_s + 1};
    spec.staffing_daily_cv = 0;
    spec.staffing_daily_mean = 1;
    spec.deferrables.clear();  // no work at all: nobody stays past a shift's end
    spec.demand = {};          // no channel shift into the backlogs just removed, no surges
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

namespace {

/// A Monday-start fortnight, one room, one group at 10 an hour (overtime +50%, 20% absent), and
/// one roster line of `headcount` starting at `start_h` for `length_h` every day.
ScenarioSpec priced(double start_h, double length_h, int headcount) {
    ScenarioSpec spec;
    spec.horizon_s = 14 * seconds_per_day;
    spec.rooms = {{"room"}};
    GroupSpec g = make_group(spec, "handlers");
    g.cost_per_hour = 10;
    g.overtime_premium = 0.5;
    g.absence = 0.2;  // paid all the same
    spec.groups = {g};
    ShiftSpec line;
    line.start_s = start_h * seconds_per_hour;
    line.length_s = length_h * seconds_per_hour;
    line.headcount = headcount;
    spec.shifts = {line};
    return spec;
}

double rostered(const ScenarioSpec& spec, double from_s, double to_s) {
    return RosterCalendar(spec).rostered_cost(from_s, to_s).total;
}

}  // namespace

TEST_CASE("the rostered cost pays each shift's part in the window, the one under way at t = 0 too") {
    // Nights 22:00-08:00, 2 people: the Sunday night is under way at t = 0 until 08:00.
    const ScenarioSpec spec = priced(22, 10, 2);
    // Day 1: 00:00-08:00 of Sunday's night and 22:00-24:00 of Monday's: 10 h x 2 x 10.
    CHECK(rostered(spec, 0, seconds_per_day) == 200);
    // 06:00-23:00: 06:00-08:00 and 22:00-23:00.
    CHECK(rostered(spec, 6 * seconds_per_hour, 23 * seconds_per_hour) == 60);
    // By group and by room alike; nothing outside [from, to).
    const auto cost = RosterCalendar(spec).rostered_cost(0, seconds_per_day);
    CHECK(cost.groups == std::vector<double>{200});
    CHECK(cost.rooms == std::vector<double>{200});
    CHECK(rostered(spec, seconds_per_day, seconds_per_day) == 0);
}

TEST_CASE("an overtime line rosters the whole people its weekly cap admits, booked from t = 0") {
    // Weekday lates 15:00-23:00 at 15 an hour, capped at 20 person-hours a week (2.5 shifts).
    ScenarioSpec spec = priced(15, 8, 1);
    spec.shifts[0].days = {true, true, true, true, true, false, false};
    spec.shifts[0].overtime = true;
    spec.shifts[0].weekly_cap_hours = 20;
    // Days 2-8: Monday's shift (outside) books 8 h, Tuesday's 8 h (paid), then 4 h are left, not
    // a whole shift: nobody on Wednesday to Friday. Monday of week 2: 8 h. 16 h x 15.
    CHECK(rostered(spec, seconds_per_day, 8 * seconds_per_day) == 240);
    // Three rostered: two admitted on Monday (16 h), nobody after that week; two on Monday of week 2.
    spec.shifts[0].headcount = 3;
    CHECK(rostered(spec, seconds_per_day, 8 * seconds_per_day) == 240);
    CHECK(rostered(spec, 0, seconds_per_day) == 240);
    // A window cutting Tuesday's shift pays its part: 19:00-21:00.
    spec.shifts[0].headcount = 1;
    CHECK(rostered(spec, seconds_per_day + 19 * seconds_per_hour, seconds_per_day + 21 * seconds_per_hour) == 30);
}

TEST_CASE("attrition's leavers and a cohort before its start are not paid; disrupted people are") {
    // Days 08:00-16:00, 4 people: 14 shifts of 8 h in the fortnight, 4480 in all.
    ScenarioSpec spec = priced(8, 8, 4);
    CHECK(rostered(spec, 0, spec.horizon_s) == 4480);
    spec.disruptions = {crsim::model::DisruptionSpec{{true}, 1, 1, 0.5}};  // half kept away in week 1
    CHECK(rostered(spec, 0, spec.horizon_s) == 4480);
    // 10% leave in week 2: its shifts are paid for 90% of the people (in expectation).
    spec.attritions = {crsim::model::AttritionSpec{{true}, 2, 2, 0.1}};
    CHECK(rostered(spec, 0, spec.horizon_s) == doctest::Approx(2240 + 0.9 * 2240));
    // A cohort starting in week 2: nothing before.
    spec.attritions.clear();
    crsim::model::CohortSpec cohort;
    cohort.start_week = 2;
    cohort.course_weeks = 1;
    spec.cohorts = {cohort};
    spec.shifts[0].cohort = 0;
    CHECK(rostered(spec, 0, spec.horizon_s) == 2240);
}

TEST_CASE("crsim run's rostered cost is the calendar's, the same in every replication") {
    const auto loaded = crsim::scenario::load_scenario(
        (std::filesystem::path(CRSIM_SOURCE_DIR) / "tests/scenarios/staff-cost.yaml").string());
    REQUIRE(loaded.ok());
    const ScenarioSpec& spec = *loaded.spec;
    std::vector<crsim::model::ReplicationResult> results;
    for (std::size_t r = 0; r < 3; ++r) results.push_back(crsim::model::run_replication(spec, 5, r));
    const crsim::model::Summary s = crsim::model::summarise(spec, results, 5);
    const auto cost = RosterCalendar(spec).rostered_cost(spec.warmup_s, spec.horizon_s);
    CHECK(s.total.rostered_cost.mean == cost.total);
    CHECK(s.total.rostered_cost.ci95 == 0);
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        CHECK(s.groups[g].figures.rostered_cost.mean == cost.groups[g]);
    CHECK(s.rooms[0].figures.rostered_cost.mean == cost.rooms[0]);
    // The trainees (2 on weekdays, 12 h, 15 an hour) are paid from their cohort's start in week 2:
    // ten shifts in weeks 2 and 3.
    CHECK(cost.groups[1] == 10 * 2 * 12 * 15);
    // Periods do not report it.
    CHECK(s.weeks.groups[0][1].rostered_cost.n == 0);
}

TEST_CASE("people to employ: contract hours a week at the ordinary rate, absent people in, overtime out") {
    // Days 08:00-16:00, 4 people, every day of a fortnight: 4 x 8 x 7 = 224 h a week; 20% absent
    // are still rostered and paid.
    ScenarioSpec spec = priced(8, 8, 4);
    spec.groups[0].absence = 0.2;
    const crsim::model::WindowSpan fortnight{0, spec.horizon_s};
    CHECK(fortnight.weeks() == 2);
    CHECK(crsim::model::fte_to_employ(spec, fortnight) == std::vector<double>{224.0 / 37});
    spec.groups[0].contract_hours_per_week = 40;
    CHECK(crsim::model::fte_to_employ(spec, fortnight) == std::vector<double>{5.6});
    // An overtime line adds cost but nobody to employ.
    ShiftSpec overtime = spec.shifts[0];
    overtime.overtime = true;
    spec.shifts.push_back(overtime);
    CHECK(crsim::model::fte_to_employ(spec, fortnight) == std::vector<double>{5.6});
    // The cost of the window per week and per year of 365.25 days.
    CHECK(fortnight.per_week(4480) == 2240);
    CHECK(fortnight.per_year(4480) == doctest::Approx(2240 * 365.25 / 7));
    CHECK(std::isnan(crsim::model::WindowSpan{5, 5}.per_week(1)));
}

TEST_CASE("staff by group and room: each group's people and cost split by where its shifts work") {
    // The merger over weeks 2-8: Hanley's lines work in Hanley until week 5 and in Stafford from
    // week 6, so both rooms have staff, and Stafford more than its own lines.
    auto loaded =
        crsim::scenario::load_scenario((std::filesystem::path(CRSIM_SOURCE_DIR) / "scenarios/merger.yaml").string(),
                                       {{"horizon", crsim::scenario::Override::Op::set, "8w", "--set horizon=8w"},
                                        {"windows", crsim::scenario::Override::Op::set, "{}", "--set windows={}"}});
    REQUIRE(loaded.ok());
    const ScenarioSpec& spec = *loaded.spec;
    REQUIRE(spec.rooms.size() == 2);
    REQUIRE(spec.groups.size() == 1);
    std::vector<crsim::model::ReplicationResult> results;
    for (std::size_t r = 0; r < 2; ++r) results.push_back(crsim::model::run_replication(spec, 5, r));
    const crsim::model::Summary s = crsim::model::summarise(spec, results, 5);
    REQUIRE(s.cells.size() == 2);
    double fte = 0, cost = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const crsim::model::StaffCellSummary& c = s.cells[i];
        CHECK(c.group == 0);
        CHECK(c.room == i);
        // With one group, each room's figures are its one cell's.
        CHECK(c.figures.paid_hours.mean == s.rooms[i].figures.paid_hours.mean);
        CHECK(c.figures.overtime_hours.mean == s.rooms[i].figures.overtime_hours.mean);
        CHECK(c.figures.rostered_cost.mean == s.rooms[i].figures.rostered_cost.mean);
        CHECK(c.figures.occupancy.mean == s.rooms[i].figures.occupancy.mean);
        fte += c.fte;
        cost += c.figures.rostered_cost.mean;
    }
    CHECK(fte == doctest::Approx(s.fte[0]).epsilon(1e-12));
    CHECK(cost == doctest::Approx(s.groups[0].figures.rostered_cost.mean).epsilon(1e-12));
    // Weeks 2-5 in two rooms, 6-8 in one: Hanley pays its lines for 4 of the 7 weeks, Stafford
    // its own for 7 and Hanley's for 3.
    const auto own = RosterCalendar(spec).rostered_cost(spec.warmup_s, spec.horizon_s);
    CHECK(s.cells[0].figures.rostered_cost.mean == own.cells[0]);
    CHECK(s.cells[0].figures.rostered_cost.mean < s.cells[1].figures.rostered_cost.mean / 2);
    CHECK(s.cells[0].figures.rostered_cost.mean > 0);
}
