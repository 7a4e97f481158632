// The use cases of crsim::study through the library, not the binary: run and compare under a plan,
// staff's result files, the backtest's steps, the sweep's threaded runner.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "crsim/model/run_replication.hpp"
#include "crsim/report/call_log_writer.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/study/backtest_study.hpp"
#include "crsim/study/run_study.hpp"
#include "crsim/study/staff.hpp"
#include "crsim/study/sweep_study.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string read_text(const fs::path& path) {
    std::ifstream file(path);
    return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

/// One pool always on duty and a dearer agency line, both decisions; two weeks, the second named.
const std::string stationary = read_text(CRSIM_SOURCE_DIR "/tests/scenarios/staff-stationary.yaml");

crsim::model::ScenarioSpec load(const std::string& yaml) {
    const auto loaded = crsim::scenario::load_scenario_text(yaml, "stationary.yaml");
    REQUIRE(loaded.ok());
    return *loaded.spec;
}

/// An answer as the search would give it, written out so that each key of the files can be checked.
crsim::study::StaffAnswer answer_of(const crsim::model::ScenarioSpec& spec) {
    crsim::study::StaffAnswer a;
    a.plan.window = crsim::model::parse_window("second-week", spec);
    a.plan.window_given = "second-week";
    crsim::staffing::StaffingResult& r = a.result;
    r.headcounts = {14, 0};
    r.cost_per_head = {3360, 6720};
    r.cost = 14 * 3360;
    r.lower_bound = 10 * 3360;
    r.analytic_cost = 15 * 3360;
    r.input_cost = 20 * 3360 + 6720;
    r.cost_per_week = r.cost;  // a one-week window
    r.cost_per_year = 2454480;
    r.input_cost_per_year = 3857040;
    r.input_fte = {90.5, 4.5};
    r.fte = {63.5, 0};
    r.input_judgement.passes = true;
    r.meets_targets = true;
    r.verification.seed = 18'000'000'000'000'000'000u;  // beyond int64: written as it is
    r.verification.replications = 20;
    r.verification_rounds = 1;
    crsim::model::TargetCheck check;
    check.target.class_name = "calls";
    check.target.metric = crsim::model::TargetSpec::Metric::service_level;
    check.target.threshold_s = 20;
    check.target.goal = 0.8;
    check.target.value = {0.85, 0.01};
    check.target.met = true;
    check.target.p_met = 1;
    check.target.confident = true;
    check.bound = 0.84;
    check.clears = true;
    r.verification.targets = {check};
    crsim::staffing::Removal removal;
    removal.decision = 0;
    removal.headcount = 13;
    crsim::model::TargetCheck fail = check;
    fail.target.value = {0.79, 0.01};
    fail.bound = 0.78;
    fail.week = 2;
    removal.fails = {fail};
    r.removals = {removal};
    r.removals_seed = 3;
    r.evaluations = 12;
    r.seconds = 1.234;
    return a;
}

}  // namespace

TEST_CASE("staff's plan: the window becomes the judged span, unset values the scenario's") {
    const crsim::model::ScenarioSpec spec = load(stationary);
    crsim::study::StaffPlan plan;
    crsim::staffing::StaffingOptions o = crsim::study::staffing_options(spec, plan);
    CHECK(o.window_from_s == 86400);
    CHECK(o.window_to_s == 14 * 86400);
    CHECK(o.replications == 6);
    CHECK(o.verify_replications == 20);  // twice 6, but at least 20
    CHECK(o.seed == 7);
    plan.window = crsim::model::parse_window("second-week", spec);
    plan.replications = 15;
    plan.seed = 99;
    o = crsim::study::staffing_options(spec, plan);
    CHECK(o.window_from_s == 7 * 86400);
    CHECK(o.window_to_s == 14 * 86400);
    CHECK(o.verify_replications == 30);
    CHECK(o.seed == 99);
}

TEST_CASE("staffing.json holds the answer, the verification and the removals under their documented keys") {
    const crsim::model::ScenarioSpec spec = load(stationary);
    const ordered_json j = crsim::study::staffing_json(spec, answer_of(spec));
    CHECK(
        j.dump() ==
        R"({"scenario":"staff-stationary","window":{"given":"second-week","unit":"week","from":2,"to":2,"from_s":604800.0,)"
        R"("to_s":1209600.0},"confidence":0.95,"every_week":false,"meets_targets":true,"currency":null,)"
        R"("cost":47040.0,"cost_per_week":47040.0,"cost_per_year":2454480.0,"lower_bound":33600.0,)"
        R"("gap":0.2857142857142857,"analytic_cost":50400.0,"input_cost":73920.0,"input_cost_per_year":3857040.0,)"
        R"("fte":{"handlers":{"before":90.5,"after":63.5},"agency":{"before":4.5,"after":0.0}},)"
        R"("input_meets_targets":true,"lines":[{"room":"room","group":"handlers","shift":"always","days":"all",)"
        R"("overtime":false,"headcount":14,"min":1,"max":40,"cost_per_head":3360.0,"source":"roster[0]"},)"
        R"({"room":"room","group":"agency","shift":"always","days":"all","overtime":false,"headcount":0,"min":0,)"
        R"("max":5,"cost_per_head":6720.0,"source":"roster[1]"}],"verification":{"seed":18000000000000000000,)"
        R"("replications":20,"rounds":1,"targets":[{"class":"calls","metric":"service_level","threshold_s":20.0,)"
        R"("goal":0.8,"mean":0.85,"ci95":0.01,"bound":0.84,"met":true,"p_met":1.0,"confident":true,"clears":true}]},)"
        R"("removals_seed":3,"failed_verifications":[],"removals":[{"line":"roster[0]","headcount":13,"fails":[{"class":"calls",)"
        R"("metric":"service_level","threshold_s":20.0,"mean":0.79,"ci95":0.01,"bound":0.78,"week":2}]}],)"
        R"("evaluations":12,"seconds":1.23})");
}

TEST_CASE("staffed.yaml extends the input, sets the answer and its window, and runs as a scenario") {
    const fs::path dir = fs::temp_directory_path() / ("crsim-test-study-staff-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "in");
    fs::create_directories(dir / "out");
    std::ofstream(dir / "in" / "stationary.yaml") << stationary;
    const crsim::model::ScenarioSpec spec = load(stationary);
    crsim::study::write_staff_files(dir / "out", dir / "in" / "stationary.yaml", spec, answer_of(spec));

    const std::string yaml = read_text(dir / "out" / "staffed.yaml");
    CHECK(yaml.find("#   crsim run staffed.yaml -s 18000000000000000000 -n 20\n") != std::string::npos);
    CHECK(yaml.find("extends: \"../in/stationary.yaml\"\nname: \"staff-stationary-staffed\"\nwarmup: 604800s\n"
                    "horizon: 1209600s\nverified:\n  confidence: 95%\n  sided: one\n  every_week: false\n"
                    "  window: {from: 604800s, to: 1209600s}\n  seed: 18000000000000000000\n  replications: 20\n"
                    "staffing: ~\nroster:\n  - {room: room, group: handlers, shift: always, headcount: 14}\n") !=
          std::string::npos);

    const auto staffed = crsim::scenario::load_scenario((dir / "out" / "staffed.yaml").string());
    REQUIRE(staffed.ok());
    REQUIRE(staffed.spec->shifts.size() == 1);  // the agency line at 0 is left out
    CHECK(staffed.spec->shifts[0].headcount == 14);
    CHECK(!staffed.spec->staffing);
    REQUIRE(staffed.spec->verified);
    CHECK(staffed.spec->verified->seed == 18'000'000'000'000'000'000u);
    CHECK(staffed.spec->verified->from_s == 604800);
    CHECK(staffed.spec->horizon_s == 1209600);

    std::ifstream json_file(dir / "out" / "staffing.json");
    CHECK(ordered_json::parse(json_file) == crsim::study::staffing_json(spec, answer_of(spec)));
    fs::remove_all(dir);
}

TEST_CASE("a backtest study reads the log, asks before running, and writes its two files") {
    // One week of calls written by the scenario's own replication 1: the backtest of seed 5 with one
    // replication simulates exactly that run, so every figure it predicts is the observed one.
    const std::string yaml = R"(name: backtest-study
start_date: 2024-01-01
horizon: 7d
rooms: {centre: {}}
classes:
  A:
    priority: 1
    arrivals: {per_week: 2000}
    handle_time: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 4min}
    targets: [{metric: service_level, within: 20s, goal: 80%}]
groups:
  agents: {takes: [A]}
roster:
  - {room: centre, group: agents, shift: always, headcount: 3}
)";
    const crsim::model::ScenarioSpec spec = load(yaml);
    crsim::report::CallLogWriter writer(spec);
    crsim::model::RecordingOptions recording;
    recording.call_log = &writer;
    crsim::model::run_replication(spec, 5, 0, recording);
    const fs::path dir = fs::temp_directory_path() / ("crsim-test-study-backtest-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "calls.csv") << writer.text();

    crsim::study::BacktestRequest request;
    request.log_path = (dir / "calls.csv").string();
    request.options.replications = 1;
    request.options.seed = 5;
    request.options.threads = 1;
    std::size_t calls = 0;
    request.on_log = [&](const crsim::calllog::CallLog& log) { calls = log.calls.size(); };
    std::size_t asked = 0;
    request.approve = [&](const crsim::backtest::BacktestPlan& plan) {
        ++asked;
        CHECK(plan.last_day - plan.first_day == 6);
        return false;
    };
    CHECK(!crsim::study::run_backtest_study(spec, request));  // refused: nothing ran
    CHECK(asked == 1);
    CHECK(calls == writer.rows());

    request.approve = nullptr;
    const auto result = crsim::study::run_backtest_study(spec, request);
    REQUIRE(result);
    REQUIRE(result->by_class.size() == 1);
    for (const crsim::backtest::Comparison& c : result->by_class.front())
        if (std::isfinite(c.observed)) CHECK(c.mean == doctest::Approx(c.observed));
    crsim::study::write_backtest_files(dir, *result);
    CHECK(read_text(dir / crsim::study::backtest_csv_file) == crsim::backtest::backtest_csv(*result));
    std::ifstream json_file(dir / crsim::study::backtest_json_file);
    CHECK(ordered_json::parse(json_file) == ordered_json::parse(crsim::backtest::backtest_json(*result)));
    fs::remove_all(dir);
}

namespace {

/// Three days of a small pool.
const std::string small = R"(name: small
horizon: 3d
warmup: 6h
replications: 3
seed: 11
rooms: {room: {}}
classes:
  calls:
    priority: 1
    arrivals: {per_week: 3000}
    handle_time: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 2min}
    targets:
      - {metric: service_level, within: 20s, goal: 80%}
groups:
  handlers: {takes: [calls], cost_per_hour: 20}
roster:
  - {room: room, group: handlers, shift: always, headcount: 2}
)";

/// Keeps what a study tells. step() comes from the worker threads (StudyObserver), hence atomic.
struct Recorded : crsim::study::StudyObserver {
    std::vector<std::string> notes, warnings;
    std::atomic<std::size_t> steps = 0;
    void note(const std::string& text) override { notes.push_back(text); }
    void warning(const std::string& text) override { warnings.push_back(text); }
    void step() override { ++steps; }
};

}  // namespace

TEST_CASE("run under a plan: the window travels in the plan, the scenario is run as its file says") {
    const crsim::model::ScenarioSpec spec = load(small);
    crsim::study::RunPlan plan;
    plan.replications = 3;
    plan.seed = 11;
    plan.threads = 2;
    plan.window = "2d-3d";
    Recorded told;
    const crsim::model::Summary s = crsim::study::run_scenario(spec, plan, told);
    CHECK(!spec.window);  // the caller's scenario is untouched
    REQUIRE(s.window);
    CHECK(s.window->unit == crsim::model::ReportWindow::Unit::day);
    CHECK(s.window->from == 2);
    CHECK(s.replications == 3);
    CHECK(told.steps.load() == 3);
    REQUIRE(!told.notes.empty());
    CHECK(told.notes.front() == "3 replications of small (seed 11) on 2 threads ...");
    // The same figures on one thread; and the window is the one --window 2d-3d gives.
    plan.threads = 1;
    const crsim::model::Summary again = crsim::study::run_scenario(spec, plan, told);
    REQUIRE(s.targets.size() == 1);
    CHECK(again.targets.front().value.mean == s.targets.front().value.mean);
    CHECK(again.total.rostered_cost.mean == s.total.rostered_cost.mean);
    CHECK(crsim::study::planned_spec(spec, plan).window->from_s == crsim::model::parse_window("2d-3d", spec).from_s);

    plan.window = "2-9";
    CHECK_THROWS_AS(crsim::study::resolve_window(spec, plan), std::invalid_argument);
}

TEST_CASE("run with precision stops at max_replications and says which figure was not there") {
    const crsim::model::ScenarioSpec spec = load(small);
    crsim::study::RunPlan plan;
    plan.replications = 2;
    plan.seed = 11;
    plan.threads = 1;
    crsim::model::add_precision_goal(plan.precision, "0.00001");  // out of reach in 4 replications
    plan.max_replications = 4;
    Recorded told;
    const crsim::model::Summary s = crsim::study::run_scenario(spec, plan, told);
    CHECK(s.replications == 4);
    REQUIRE(told.warnings.size() == 1);
    CHECK(told.warnings.front().rfind("--max-replications 4 reached before the precision: ", 0) == 0);
}

TEST_CASE("compare a scenario with itself: every paired difference is exactly 0") {
    const crsim::model::ScenarioSpec spec = load(small);
    const std::vector<crsim::model::ScenarioSpec> specs{spec, spec};
    const std::vector<std::string> names{"small", "small-2"};
    crsim::study::RunPlan plan;
    plan.replications = 3;
    plan.seed = 5;
    Recorded told;
    const crsim::study::CompareOutcome out = crsim::study::compare_scenarios(specs, names, plan, told);
    REQUIRE(out.summaries.size() == 2);
    REQUIRE(out.comparison.options.size() == 2);
    CHECK(out.comparison.options[1].name == "small-2");
    REQUIRE(!out.comparison.options[1].figures.empty());
    for (const crsim::model::ComparedFigure& f : out.comparison.options[1].figures) {
        CHECK(f.diff_mean == 0);
        CHECK(f.paired_ci95 == 0);
    }
    CHECK(told.steps.load() == 6);
}

TEST_CASE("the checks before a run name each warning once, with the options it concerns") {
    // A room nobody staffs, in both options: one warning naming both.
    std::string yaml = small;
    yaml.replace(yaml.find("rooms: {room: {}}"), 17, "rooms: {room: {}, spare: {}}");
    const crsim::model::ScenarioSpec spec = load(yaml);
    const std::vector<crsim::model::ScenarioSpec> specs{spec, spec};
    const std::vector<std::string> names{"a", "b"}, paths{"a.yaml", "b.yaml"};
    const crsim::study::PreRunFindings found = crsim::study::pre_run_checks(specs, names, paths);
    CHECK(found.errors.empty());
    REQUIRE(!found.warnings.empty());
    CHECK(found.warnings.front().first == "room 'spare': no roster line puts anybody there");
    for (const auto& [text, options] : found.warnings) CHECK(options == names);
}

TEST_CASE("the threaded sweep runner commits every pending task once, and a resumed store has none left") {
    const fs::path dir = fs::temp_directory_path() / ("crsim-test-study-sweep-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "sweep.yaml") << "base: " << CRSIM_SOURCE_DIR << "/scenarios/two-rooms.yaml\n"
                                      << "replications: 3\nseed: 5\nparameters:\n  horizon: [2d]\n"
                                      << "  warmup: [6h]\n  classes.101.patience.mean: [3min, 5min]\n";
    const crsim::scenario::SweepLoadResult loaded = crsim::scenario::load_sweep((dir / "sweep.yaml").string());
    REQUIRE(loaded.sweep);
    const std::string store_path = (dir / "results.sqlite").string();
    struct Counted : crsim::study::SweepObserver {
        std::size_t last = 0;
        void committed(std::size_t done) override { last = done; }
    } told;
    {
        crsim::sweep::SweepStore store(store_path, *loaded.sweep, 1, 1);
        const std::vector<crsim::sweep::Task> pending = crsim::study::pending_tasks(*loaded.sweep, store);
        CHECK(pending.size() == 6);  // 2 points x 3 replications
        CHECK(crsim::study::run_sweep_threads(*loaded.sweep, pending, 2, store, told) == 6);
        CHECK(told.last == 6);
    }
    crsim::sweep::SweepStore resumed(store_path, *loaded.sweep, 1, 1);
    CHECK(crsim::study::pending_tasks(*loaded.sweep, resumed).empty());
    CHECK(resumed.done_tasks().size() == 6);
    fs::remove_all(dir);
}
