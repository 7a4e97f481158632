// The model's timeline: merges, transition effects, attrition, overtime, training, redials.
#include <doctest/doctest.h>

#include <cmath>

#include "crsim/model/run_replication.hpp"
#include "model_fixtures.hpp"

using namespace crsim::test;
using crsim::model::ReplicationResult;
using crsim::model::seconds_per_day;
using crsim::model::seconds_per_hour;
using crsim::model::seconds_per_week;

namespace {

// 101 calls at 60 an hour with 5-minute exponential handle times, patience 4 min, and `handlers`
// always on duty in one room, over `weeks` weeks.
ScenarioSpec busy_room(int weeks, int handlers) {
    ScenarioSpec spec;
    spec.name = "timeline";
    spec.horizon_s = weeks * seconds_per_week;
    spec.rooms = {{"room"}};
    spec.classes = {make_class("101", 2, {}, 60, Distribution::exponential(300), Distribution::exponential(240))};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {always_on(0, 0, handlers)};
    default_preferences(spec);
    return spec;
}

// A roster line of `headcount` people of `group`, 08:00-16:00 every day.
ShiftSpec day_shift(std::size_t group, int headcount) {
    ShiftSpec s;
    s.group = group;
    s.start_s = 8 * seconds_per_hour;
    s.length_s = 8 * seconds_per_hour;
    s.headcount = headcount;
    return s;
}

}  // namespace

TEST_CASE("a training cohort handles nothing before its course ends, and then handles calls") {
    ScenarioSpec spec = busy_room(8, 3);
    spec.groups.push_back(make_group(spec, "trained-101"));
    spec.shifts.push_back(day_shift(1, 4));
    spec.shifts.back().cohort = 0;
    spec.cohorts = {{"cohort", 2, 3.0, 0.0, 1.5, 4.0}};  // course in weeks 2-4, productive from week 5
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 11, 0);
    for (std::size_t w = 0; w < 4; ++w) {
        CHECK(r.weeks.groups[1][w].handled == 0);
        CHECK(r.weeks.groups[1][w].paid_s == 0.0);
    }
    for (std::size_t w = 4; w < 8; ++w) CHECK(r.weeks.groups[1][w].handled > 100);
}

TEST_CASE("trainees partly available during the course handle calls at their initial, slower pace") {
    ScenarioSpec spec = busy_room(6, 3);
    spec.groups.push_back(make_group(spec, "trained-101"));
    spec.shifts.push_back(day_shift(1, 10));
    spec.shifts.back().cohort = 0;
    spec.cohorts = {{"cohort", 1, 3.0, 0.3, 2.0, 3.0}};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 11, 0);
    const auto& during = r.weeks.groups[1][1];
    const auto& after = r.weeks.groups[1][5];   // past the course and the learning curve
    CHECK(during.paid_s < 0.5 * after.paid_s);  // about 30% turn up during the course
    // Busy time per call: about 2 x 300 s during the course, 300 s once learnt.
    CHECK(during.busy_s / static_cast<double>(during.handled) == doctest::Approx(600).epsilon(0.15));
    CHECK(after.busy_s / static_cast<double>(after.handled) == doctest::Approx(300).epsilon(0.15));
}

TEST_CASE("overtime hours used never exceed the weekly cap, and cost the premium") {
    ScenarioSpec spec = busy_room(4, 3);
    spec.groups[0].cost_per_hour = 20;
    spec.groups[0].overtime_premium = 0.5;
    ShiftSpec ot = day_shift(0, 3);  // 3 people x 8 h = 24 person-hours a day
    ot.overtime = true;
    ot.weekly_cap_hours = 100;  // room for 4 days of 24 h a week, not 5
    ot.from_week = 2;
    spec.shifts.push_back(ot);
    const ReplicationResult r = crsim::model::run_replication(spec, 3, 0);
    CHECK(r.weeks.groups[0][0].overtime_s == 0.0);
    for (std::size_t w = 1; w < 4; ++w) {
        CHECK(r.weeks.groups[0][w].overtime_s <= 100 * seconds_per_hour + 1e-6);
        CHECK(r.weeks.groups[0][w].overtime_s == doctest::Approx(96 * seconds_per_hour));
    }
    const auto& g = r.groups[0];
    CHECK(g.overtime_cost == doctest::Approx(g.overtime_s / seconds_per_hour * 30));
    CHECK(g.on_duty_cost == doctest::Approx((g.paid_s - g.overtime_s) / seconds_per_hour * 20 + g.overtime_cost));
}

TEST_CASE("reactive overtime calls people in when the queue stays long, within its weekly cap") {
    ScenarioSpec spec = busy_room(3, 3);  // 5 Erlangs on 3 patient people: the queue is long most of the time
    spec.classes[0].patience = Distribution::exponential(1200);
    crsim::model::CallInSpec rule;
    rule.queue_above = 5;
    rule.sustained_s = 15 * 60;
    rule.people = 2;
    rule.length_s = 2 * seconds_per_hour;
    rule.weekly_cap_hours = 40;
    spec.call_ins = {rule};
    const ReplicationResult with = crsim::model::run_replication(spec, 5, 0);
    spec.call_ins.clear();
    const ReplicationResult without = crsim::model::run_replication(spec, 5, 0);
    for (std::size_t w = 0; w < 3; ++w) {
        CHECK(with.weeks.groups[0][w].overtime_s > 0);
        CHECK(with.weeks.groups[0][w].overtime_s <= 40 * seconds_per_hour + 1e-6);
    }
    CHECK(with.classes[0].counts.abandoned < without.classes[0].counts.abandoned);
}

TEST_CASE("callers who ring again are counted once as first attempts and separately as repeats") {
    ScenarioSpec spec = busy_room(2, 4);
    spec.classes[0].redial = {0.6, Distribution::exponential(600), 3};
    const ReplicationResult r = crsim::model::run_replication(spec, 9, 0);
    const auto& c = r.classes[0].counts;
    CHECK(c.offered == c.first_attempts + c.repeats);
    CHECK(c.repeats > 0);
    CHECK(c.callers_lost < c.abandoned);
    // Every abandoned attempt either rings again (a later repeat) or is lost; only attempts whose
    // redial would fall past the horizon are neither.
    CHECK(c.abandoned - c.callers_lost >= c.repeats);
    CHECK(c.abandoned - c.callers_lost - c.repeats < 60);
    // About 60% of abandoned attempts that may ring again do; third attempts never do.
    CHECK(static_cast<double>(c.callers_lost) / static_cast<double>(c.abandoned) > 0.4);

    spec.classes[0].redial.share = 0;
    const ReplicationResult none = crsim::model::run_replication(spec, 9, 0);
    CHECK(none.classes[0].counts.repeats == 0);
    CHECK(none.classes[0].counts.callers_lost == none.classes[0].counts.abandoned);
}

TEST_CASE("rooms merge at the start of the given week: calls and new shifts go to the surviving room") {
    ScenarioSpec spec;
    spec.name = "merge";
    spec.horizon_s = 4 * seconds_per_week;
    spec.rooms = {{"hanley"}, {"stafford"}};
    spec.classes = {make_class("101", 2, {}, 20, Distribution::exponential(300), Distribution::exponential(240), 2)};
    spec.groups = {make_group(spec, "handlers")};
    spec.shifts = {day_shift(0, 2), day_shift(0, 2)};
    spec.shifts[0].room = 0;
    spec.shifts[1].room = 1;
    spec.merges = {{1, {0}, 3}};
    default_preferences(spec);
    const ReplicationResult r = crsim::model::run_replication(spec, 2, 0);
    CHECK(r.weeks.rooms[0][1].handled > 0);
    CHECK(r.weeks.rooms[0][1].paid_s > 0);
    for (std::size_t w = 2; w < 4; ++w) {
        CHECK(r.weeks.rooms[0][w].handled == 0);
        CHECK(r.weeks.rooms[0][w].paid_s == 0.0);
        // Both rooms' shifts now in stafford (a little more: people finish the call in hand).
        CHECK(r.weeks.rooms[1][w].paid_s == doctest::Approx(2 * r.weeks.rooms[1][0].paid_s).epsilon(0.01));
    }
}

TEST_CASE("handle times are inflated after a transition and the inflation decays linearly") {
    ScenarioSpec spec = busy_room(6, 20);  // plenty of staff: busy time per call = handle time
    spec.classes[0].handle_time = Distribution::deterministic(300);
    spec.transitions = {{3, 0.5, 2.0}};  // +50% at the start of week 3, gone by week 5
    const ReplicationResult r = crsim::model::run_replication(spec, 4, 0);
    auto per_call = [&](std::size_t w) {
        return r.weeks.groups[0][w].busy_s / static_cast<double>(r.weeks.groups[0][w].handled);
    };
    CHECK(per_call(1) == doctest::Approx(300).epsilon(0.02));
    CHECK(per_call(2) == doctest::Approx(300 * 1.375).epsilon(0.03));  // mean over week 3: 1 + 0.5 * 3/4
    CHECK(per_call(3) == doctest::Approx(300 * 1.125).epsilon(0.03));  // week 4: 1 + 0.5 * 1/4
    CHECK(per_call(5) == doctest::Approx(300).epsilon(0.02));
}

TEST_CASE("attrition and disruption cut the people present") {
    ScenarioSpec spec = busy_room(6, 0);
    spec.shifts = {day_shift(0, 40)};
    spec.attritions = {{{true}, 2, 3, 0.1}};   // 10% a week in weeks 2 and 3, not replaced
    spec.disruptions = {{{true}, 5, 5, 0.5}};  // half missing in week 5
    const ReplicationResult r = crsim::model::run_replication(spec, 6, 0);
    auto paid = [&](std::size_t w) { return r.weeks.groups[0][w].paid_s; };
    CHECK(paid(1) / paid(0) == doctest::Approx(0.9).epsilon(0.05));
    CHECK(paid(3) / paid(0) == doctest::Approx(0.81).epsilon(0.05));
    CHECK(paid(4) / paid(0) == doctest::Approx(0.405).epsilon(0.08));
    CHECK(paid(5) / paid(0) == doctest::Approx(0.81).epsilon(0.05));
}

TEST_CASE("officers taking 101 only never answer a 999 call, even while idle and 999 calls wait") {
    ScenarioSpec spec = busy_room(1, 1);  // one handler for both classes
    spec.classes.insert(spec.classes.begin(),
                        make_class("999", 1, {}, 20, Distribution::exponential(300), Distribution::exponential(600)));
    spec.groups = {make_group(spec, "handlers"), make_group(spec, "restricted-officers")};
    spec.groups[1].takes = {false, true};
    spec.shifts = {always_on(0, 0, 1), always_on(0, 1, 5)};
    default_preferences(spec);
    const ReplicationResult with = crsim::model::run_replication(spec, 8, 0);
    CHECK(with.classes[0].counts.answered > 1000);
    CHECK(with.classes[0].counts.queue_time_s > 0);  // 999 calls waited while officers were free
    // Every 999 call was the handler's: the officers' work is all 101.
    CHECK(with.groups[0].handled >= with.classes[0].counts.answered);

    spec.classes[1].arrivals.per_week = 1e-6;  // (almost) no 101 calls at all: the officers idle throughout
    const ReplicationResult only_999 = crsim::model::run_replication(spec, 8, 0);
    CHECK(only_999.groups[1].handled == 0);
    CHECK(only_999.groups[1].busy_s == 0.0);
}
