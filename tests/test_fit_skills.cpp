// Skills, priorities and hourly handle times recovered from a call log crsim wrote itself, and the
// backtest of the fitted scenario on that log; the model's head start and hourly profile worked out
// on small timelines.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "crsim/backtest/backtest.hpp"
#include "crsim/calllog/call_log.hpp"
#include "crsim/fit/handle_by_hour_fit.hpp"
#include "crsim/fit/log_fit.hpp"
#include "crsim/fit/skill_groups.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/report/call_log_writer.hpp"
#include "crsim/scenario/load_scenario.hpp"

using namespace crsim;

namespace {

/// Runs replication 1 of `yaml` and reads back its call log.
calllog::CallLog simulated_log(const std::string& yaml, std::uint64_t seed) {
    const scenario::LoadResult loaded = scenario::load_scenario_text(yaml, "truth.yaml");
    for (const scenario::Diagnostic& d : loaded.diagnostics) CAPTURE(d.format());
    REQUIRE(loaded.ok());
    report::CallLogWriter writer(*loaded.spec);
    model::RecordingOptions recording;
    recording.call_log = &writer;
    model::run_replication(*loaded.spec, seed, 0, recording);
    std::istringstream text(writer.text());
    return calllog::read_call_log(text, "truth.csv");
}

/// The log's calls as (class, answered, wait) in log order.
struct Seen {
    std::string cls;
    bool answered;
    double wait_s;
};

std::vector<Seen> seen(const calllog::CallLog& log) {
    std::vector<Seen> out;
    for (const calllog::CallRecord& c : log.calls)
        out.push_back({log.classes[c.cls], c.outcome == calllog::Outcome::answered, c.wait_s});
    return out;
}

}  // namespace

TEST_CASE("skill groups: agents with the same classes form a group, nested sets merge, the rest joins") {
    // Classes 0, 1, 2. Agents 0-1 answer 0 and 1 (12% of their calls are 1); agent 2 answered 2 of
    // 52 calls of 1 (under 5%: the set {0}, but as likely as 2 at 12%, P 0.036: merged with 0-1);
    // agents 3-4 only 2; agent 5 answered 5 calls of 2 (too few to say: joins 3-4); agent 6 nothing.
    const std::vector<std::vector<double>> answered = {{90, 10, 0}, {85, 15, 1}, {50, 2, 0}, {0, 0, 80},
                                                       {2, 0, 90},  {0, 0, 5},   {0, 0, 0}};
    const fit::SkillGroups groups = fit::infer_skill_groups(answered, 3);
    REQUIRE(groups.groups.size() == 2);
    CHECK(groups.groups[0].takes == std::vector<std::uint32_t>{0, 1});
    CHECK(groups.groups[0].agents == std::vector<std::int32_t>{0, 1, 2});
    CHECK(groups.groups[1].takes == std::vector<std::uint32_t>{2});
    CHECK(groups.groups[1].agents == std::vector<std::int32_t>{3, 4, 5});
    CHECK(groups.group_of_agent == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1, -1});
    // Class 2 is answered by group 1 only; a class nobody takes at 5% goes to who answered most.
    CHECK(fit::routing_order(groups, 2) == std::vector<std::size_t>{1});
    const fit::SkillGroups rare = fit::infer_skill_groups({{100, 1}, {100, 0}}, 2);
    REQUIRE(rare.groups.size() == 1);
    CHECK(rare.groups[0].takes == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE(
    "skill groups: agents who plainly do not take a class stay apart; a class answered now and then is "
    "overflow") {
    // Agents 0-1 answer 0 and 1 (30% of 1); agents 2-3 answered 1 of 1,000 calls of 1 (P ~ 1e-150
    // at 30%: they do not take it, a group of their own); agents 4-5 take class 2 and answered 3% of
    // their calls of 0, 60 of its 4,858 (at least 1% of the class, under half its 61% share of all
    // calls: overflow, taken while more than one of them is idle).
    const std::vector<std::vector<double>> answered = {{1400, 600, 0}, {1400, 600, 0}, {999, 1, 0},
                                                       {999, 1, 0},    {30, 0, 970},   {30, 0, 970}};
    const fit::SkillGroups groups = fit::infer_skill_groups(answered, 3);
    REQUIRE(groups.groups.size() == 3);
    CHECK(groups.groups[0].takes == std::vector<std::uint32_t>{0, 1});
    CHECK(groups.groups[1].takes == std::vector<std::uint32_t>{0});
    CHECK(groups.groups[1].agents == std::vector<std::int32_t>{2, 3});
    CHECK(groups.groups[2].takes == std::vector<std::uint32_t>{2});
    CHECK(groups.groups[2].overflow == std::vector<std::uint32_t>{0});
    CHECK(groups.groups[0].overflow.empty());
    CHECK(groups.groups[1].overflow.empty());
    CHECK(fit::routing_order(groups, 0) == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("hourly handle time: a profile is chosen when the hours differ, the flat mean when they do not") {
    std::vector<double> handle;
    std::vector<int> hour;
    for (int i = 0; i < 4800; ++i) {
        const int h = i % 24;
        // Deterministic spread around 100 s in the morning and 200 s from noon.
        handle.push_back((h < 12 ? 100.0 : 200.0) * (0.5 + static_cast<double>(i % 7) / 6.0));
        hour.push_back(h);
    }
    const fit::HandleByHourFit profile = fit::fit_handle_by_hour(handle, hour);
    REQUIRE(profile.chosen());
    CHECK(profile.factors[3] == doctest::Approx(100.0 / 150.0).epsilon(0.01));
    CHECK(profile.factors[15] == doctest::Approx(200.0 / 150.0).epsilon(0.01));
    CHECK(profile.extra_parameters == 23);
    for (double& h : handle) h = 100 * (0.5 + std::fmod(h, 7.0) / 6.0);
    CHECK_FALSE(fit::fit_handle_by_hour(handle, hour).chosen());
}

TEST_CASE("head start: a waiting call of a class with a head start is taken before earlier calls of others") {
    // One person busy until t = 100 s (a call at t = 0 of 100 s). A call of A arrives at t = 10 s,
    // one of B (head start 60 s) at t = 50 s: B's place is 50 - 60 = -10 s, before A's 10 s, so B is
    // answered at 100 s (wait 50 s) and A at 200 s (wait 190 s). Without the head start, A first.
    const std::string yaml = R"(
name: head-start
start_date: 2024-01-01
horizon: 1h
replications: 1
classes:
  A: {priority: 1, arrivals: {times: [0s, 10s]}, handle_time: 100s, patience: never}
  B: {priority: 1, head_start: 60s, arrivals: {times: [50s]}, handle_time: 100s, patience: never}
rooms: {main: {}}
groups:
  people: {takes: [A, B]}
roster:
  - {room: main, group: people, shift: always, headcount: 1}
)";
    const std::vector<Seen> with = seen(simulated_log(yaml, 1));
    REQUIRE(with.size() == 3);
    CHECK(with[1].cls == "B");
    CHECK(with[1].wait_s == doctest::Approx(50));
    CHECK(with[2].cls == "A");
    CHECK(with[2].wait_s == doctest::Approx(190));
    std::string without = yaml;
    without.replace(without.find("head_start: 60s"), 15, "head_start: 30s");
    const std::vector<Seen> fcfs = seen(simulated_log(without, 1));
    REQUIRE(fcfs.size() == 3);
    CHECK(fcfs[1].cls == "A");
    CHECK(fcfs[1].wait_s == doctest::Approx(90));
}

TEST_CASE("handle time by hour: a call's talk time is multiplied by its hour's factor") {
    // 100 s calls at 00:30 and 01:30; factors 1 and 2.5 for hours 0 and 1.
    std::string factors = "[1, 2.5";
    for (int h = 2; h < 24; ++h) factors += ", 1";
    factors += "]";
    const std::string yaml = R"(
name: by-hour
start_date: 2024-01-01
horizon: 3h
replications: 1
classes:
  A: {priority: 1, arrivals: {times: [30min, 90min]}, handle_time: 100s, handle_time_by_hour: )" +
                             factors + R"(, patience: never}
rooms: {main: {}}
groups:
  people: {takes: [A]}
roster:
  - {room: main, group: people, shift: always, headcount: 1}
)";
    const calllog::CallLog log = simulated_log(yaml, 1);
    REQUIRE(log.calls.size() == 2);
    CHECK(log.calls[0].handle_s == doctest::Approx(100));
    CHECK(log.calls[1].handle_s == doctest::Approx(250));
}

TEST_CASE("a log crsim wrote from two skill groups, priorities and an hourly handle-time profile is fitted back") {
    // Generalists take A and B, specialists C; B's callers have a 120 s head start; A's talk time is
    // 0.8 of its mean before noon and 1.25 from noon. Four generalists (load about 3.3 erlangs) and
    // three specialists (2 erlangs), always on duty, for 14 days.
    std::string factors = "[";
    for (int h = 0; h < 24; ++h) factors += std::string(h ? ", " : "") + (h < 12 ? "0.8" : "1.25");
    factors += "]";
    const std::string yaml = R"(
name: skills
start_date: 2024-01-01
horizon: 14d
replications: 1
rooms: {main: {}}
classes:
  A:
    priority: 1
    arrivals: {per_day: 1080}
    handle_time: {dist: gamma, mean: 3min, sd: 2min}
    handle_time_by_hour: )" + factors +
                             R"(
    patience: {dist: exponential, mean: 5min}
  B:
    priority: 1
    head_start: 120s
    arrivals: {per_day: 360}
    handle_time: {dist: gamma, mean: 4min, sd: 3min}
    patience: {dist: exponential, mean: 5min}
  C:
    priority: 1
    arrivals: {per_day: 480}
    handle_time: {dist: gamma, mean: 6min, sd: 4min}
    patience: {dist: exponential, mean: 5min}
groups:
  generalists: {takes: [A, B]}
  specialists: {takes: [C]}
roster:
  - {room: main, group: generalists, shift: always, headcount: 4}
  - {room: main, group: specialists, shift: always, headcount: 3}
)";
    const calllog::CallLog log = simulated_log(yaml, 2026);
    fit::FitOptions options;
    options.resolution_s = 0.001;
    const fit::LogFit fitted = fit::fit_call_log(log, "truth.csv", options);
    REQUIRE(fitted.classes.size() == 3);
    auto cls = [&](const std::string& name) {
        return *std::find_if(fitted.classes.begin(), fitted.classes.end(),
                             [&](const fit::ClassFit& c) { return c.name == name; });
    };
    // The groups: exactly the two, with their classes, and four and three people on duty.
    REQUIRE(fitted.groups.size() == 2);
    std::vector<std::vector<std::string>> takes = fitted.group_takes;
    for (auto& t : takes) std::sort(t.begin(), t.end());
    std::sort(takes.begin(), takes.end());
    CHECK(takes == std::vector<std::vector<std::string>>{{"A", "B"}, {"C"}});
    CHECK(fitted.group_agents == std::vector<std::size_t>{4, 3});
    // The priority order: B's head start over A's within 30 s of 120 s (two grid steps), C's alike.
    REQUIRE(fitted.priorities.used());
    CHECK(cls("B").head_start_s - cls("A").head_start_s == doctest::Approx(120).epsilon(0.25));
    // The profile: chosen for A only; afternoon over morning 1.25 / 0.8 within 5% (about 3 SE of
    // the ratio of two means of some 7,000 gamma draws of cv 0.67 each).
    REQUIRE(cls("A").handle_by_hour.chosen());
    CHECK_FALSE(cls("B").handle_by_hour.chosen());
    CHECK_FALSE(cls("C").handle_by_hour.chosen());
    const std::vector<double>& f = cls("A").handle_by_hour.factors;
    double morning = 0, afternoon = 0;
    for (int h = 0; h < 12; ++h) morning += f[static_cast<std::size_t>(h)] / 12;
    for (int h = 12; h < 24; ++h) afternoon += f[static_cast<std::size_t>(h)] / 12;
    CHECK(afternoon / morning == doctest::Approx(1.25 / 0.8).epsilon(0.05));

    // The fitted scenario loads and, backtested on the same log, puts >= 90% of the hourly figures
    // inside their 95% prediction intervals.
    const scenario::LoadResult again =
        scenario::load_scenario_text(fit::fitted_scenario_yaml(fitted, "fitted"), "fitted.yaml");
    for (const scenario::Diagnostic& d : again.diagnostics) CAPTURE(d.format());
    REQUIRE(again.ok());
    backtest::BacktestOptions run;
    run.replications = 20;
    run.threads = 2;
    const backtest::BacktestResult result = backtest::run_backtest(*again.spec, log, "truth.csv", run);
    REQUIRE(result.hourly_total > 0);
    CAPTURE(result.hourly_inside);
    CAPTURE(result.hourly_total);
    CHECK(static_cast<double>(result.hourly_inside) >= 0.9 * static_cast<double>(result.hourly_total));
}
