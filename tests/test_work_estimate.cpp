// The work estimate made before a run, the limits it is checked against, and the runaway guard.
#include <doctest/doctest.h>

#include <algorithm>

#include "crsim/model/work_estimate.hpp"
#include "model_fixtures.hpp"

namespace {

using namespace crsim;
using namespace crsim::test;

/// One class of 100 calls an hour over one week, one group, 10 people always on duty.
model::ScenarioSpec one_week() {
    model::ScenarioSpec spec;
    spec.name = "estimate";
    spec.horizon_s = model::seconds_per_week;
    spec.rooms.push_back({"room"});
    spec.classes.push_back(
        make_class("999", 1, {}, 100, Distribution::deterministic(60), Distribution::exponential(120)));
    spec.groups.push_back(make_group(spec, "handlers"));
    spec.shifts.push_back(always_on(0, 0, 10));
    default_preferences(spec);
    return spec;
}

bool names(const std::vector<model::WorkProblem>& problems, const std::string& key) {
    return std::any_of(problems.begin(), problems.end(), [&](const auto& p) { return p.key_path == key; });
}

}  // namespace

TEST_SUITE("work estimate") {
    TEST_CASE("calls are the weekly volume over the horizon, times the attempts a caller may make") {
        model::ScenarioSpec spec = one_week();
        CHECK(model::estimate_work(spec).calls == doctest::Approx(16800));
        CHECK(model::estimate_work(spec).calls_key == "classes.999.arrivals");
        // Half of those who abandon ring again, at most 10 attempts: at most 1 / (1 - 0.5) = 2 each.
        spec.classes[0].redial.share = 0.5;
        spec.classes[0].redial.max_attempts = 10;
        CHECK(model::estimate_work(spec).calls == doctest::Approx(33600));
        // Everyone rings again, up to 1000 times: the attempts, not the arrivals, make the volume.
        spec.classes[0].redial.share = 1;
        spec.classes[0].redial.max_attempts = 1000;
        CHECK(model::estimate_work(spec).calls == doctest::Approx(16'800'000));
        CHECK(model::estimate_work(spec).calls_key == "classes.999.redial.max_attempts");
        // A trace is its own count.
        spec.classes[0].redial = {};
        spec.classes[0].arrivals.times_s = {1, 2, 3};
        CHECK(model::estimate_work(spec).calls == doctest::Approx(3));
    }

    TEST_CASE("people are every roster line's headcount and every call-in that can overlap") {
        model::ScenarioSpec spec = one_week();
        spec.shifts.push_back(always_on(0, 0, 25));
        CHECK(model::estimate_work(spec).people == doctest::Approx(35));
        CHECK(model::estimate_work(spec).people_key == "shifts[1].headcount");
        model::CallInSpec call_in;
        call_in.people = 2;
        call_in.sustained_s = 600;
        call_in.length_s = 4 * 3600;  // a new call-in every 10 minutes, each 4 hours: 24 overlap
        spec.call_ins.push_back(call_in);
        CHECK(model::estimate_work(spec).people == doctest::Approx(35 + 48));
    }

    TEST_CASE("a sound scenario is within the limits; each limit names the key that breaks it") {
        const model::ScenarioSpec spec = one_week();
        model::WorkLimits limits;
        limits.max_memory_bytes = 1e12;
        CHECK(model::check_work(spec, 10, 2, limits).empty());

        // Per replication beyond the calls of a run: the arrivals are named.
        model::ScenarioSpec busy = spec;
        busy.classes[0].arrivals.per_week = 1e12;
        CHECK(names(model::check_work(busy, 1, 1, limits), "classes.999.arrivals"));
        // Many small replications: the replications are named.
        const auto many = model::check_work(spec, 100'000, 2, limits);
        REQUIRE(many.size() == 1);
        CHECK(many[0].key_path == "replications");
        CHECK(many[0].message.find("1.68e+09") != std::string::npos);

        model::ScenarioSpec crowded = spec;
        crowded.shifts[0].headcount = 2'000'000;
        CHECK(names(model::check_work(crowded, 1, 1, limits), "shifts[0].headcount"));

        model::ScenarioSpec ticking = spec;
        model::CallInSpec call_in;
        call_in.sustained_s = 1e-6;
        call_in.length_s = 3600;
        ticking.call_ins.push_back(call_in);
        CHECK(names(model::check_work(ticking, 1, 1, limits), "call_ins[0].for"));

        // Memory: a day of calls in the system at once dominates here; the daily counts of a long
        // horizon with few calls there.
        limits.max_memory_bytes = 1e5;
        const auto short_of_memory = model::check_work(spec, 1, 1, limits);
        REQUIRE(short_of_memory.size() == 1);
        CHECK(short_of_memory[0].key_path == "classes.999.arrivals");
        CHECK(short_of_memory[0].message.find("memory") != std::string::npos);
        model::ScenarioSpec long_run = spec;
        long_run.horizon_s = 6000 * model::seconds_per_week;
        long_run.classes[0].arrivals.per_week = 168;
        CHECK(names(model::check_work(long_run, 1, 1, limits), "horizon"));
    }

    TEST_CASE("the runaway guard lies far above the estimate") {
        const model::WorkEstimate w = model::estimate_work(one_week());
        CHECK(model::event_budget(w) >= 100 * w.events);
        model::WorkEstimate huge;
        huge.events = 1e300;
        CHECK(model::event_budget(huge) == std::numeric_limits<std::uint64_t>::max());
    }
}
