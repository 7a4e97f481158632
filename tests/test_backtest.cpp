// Backtest: a scenario set beside a call log of its own simulation. With the same seed, the
// backtest's replication 1 is the very run that wrote the log, so its figures equal the observed
// ones; over more replications the observed figures fall inside the prediction intervals.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "crsim/backtest/backtest.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/report/call_log_writer.hpp"
#include "crsim/scenario/load_scenario.hpp"

using namespace crsim;

namespace {

const char* const yaml = R"(
name: backtest-check
start_date: 2024-01-01
horizon: 14d
profiles:
  days:
    interval: 6h
    by_day: {mon: [0, 4, 3, 1], tue: [0, 4, 3, 1], wed: [0, 4, 3, 1], thu: [0, 4, 3, 1],
             fri: [0, 4, 3, 1], sat: [0, 2, 2, 1], sun: [0, 2, 2, 1]}
rooms: {centre: {}}
classes:
  A:
    priority: 1
    arrivals: {per_week: 3000, profile: days}
    handle_time: {dist: exponential, mean: 3min}
    patience: {dist: exponential, mean: 4min}
    targets: [{metric: service_level, within: 20s, goal: 80%}]
  B:
    priority: 2
    arrivals: {per_week: 1000, profile: days}
    handle_time: {dist: gamma, mean: 5min, sd: 3min}
    patience: {dist: weibull, shape: 1.5, scale: 5min}
    targets: [{metric: service_level, within: 60s, goal: 80%}]
groups:
  agents: {takes: [A, B]}
roster:
  - {room: centre, group: agents, shift: {start: "06:00", length: 18h}, headcount: 3}
)";

struct Fixture {
    model::ScenarioSpec spec;
    calllog::CallLog log;
};

Fixture simulate(std::uint64_t seed) {
    const scenario::LoadResult loaded = scenario::load_scenario_text(yaml, "backtest-check.yaml");
    REQUIRE(loaded.ok());
    Fixture f{*loaded.spec, {}};
    report::CallLogWriter writer(f.spec);
    model::RecordingOptions recording;
    recording.call_log = &writer;
    model::run_replication(f.spec, seed, 0, recording);
    std::istringstream text(writer.text());
    f.log = calllog::read_call_log(text, "calls.csv");
    return f;
}

}  // namespace

TEST_CASE("the same seed and one replication: the simulated figures are the observed ones") {
    const Fixture f = simulate(5);
    backtest::BacktestOptions options;
    options.replications = 1;
    options.seed = 5;
    options.threads = 1;
    const backtest::BacktestResult r = backtest::run_backtest(f.spec, f.log, "calls.csv", options);
    CHECK(r.metrics == std::vector<std::string>{"offered", "answered", "abandoned_pct", "asa_s", "service_level_20s",
                                                "service_level_60s"});
    CHECK(r.last_day - r.first_day == 13);
    REQUIRE(r.by_class.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
        CAPTURE(k);
        for (std::size_t m = 0; m < 4; ++m) {
            CAPTURE(r.metrics[m]);
            // Waits are logged to the millisecond: ASA within 1 ms.
            CHECK(r.by_class[k][m].mean == doctest::Approx(r.by_class[k][m].observed).epsilon(1e-5));
            CHECK_FALSE(r.by_class[k][m].inside().has_value());  // no interval from one replication
        }
    }
    // A has only the 20 s threshold, B only 60 s: the other is undefined.
    CHECK(r.by_class[0][4].mean == doctest::Approx(r.by_class[0][4].observed));
    CHECK(std::isnan(r.by_class[0][5].observed));
    CHECK(std::isnan(r.by_class[1][4].mean));
    // By hour: the sum over hours is the whole; nothing arrives 00:00-06:00.
    double offered = 0;
    for (std::size_t h = 0; h < 24; ++h) offered += r.by_hour_overall[h][0].observed;
    CHECK(offered == r.overall[0].observed);
    CHECK(r.by_hour_overall[3][0].observed == 0);
    CHECK(r.by_hour_overall[3][0].mean == 0);
}

TEST_CASE("a day missing from the log is left out of both sides, never taken as a day without calls") {
    Fixture f = simulate(5);
    const std::int64_t gap = calllog::day_number(*calllog::parse_local_datetime("2024-01-10"));
    std::uint64_t on_gap = 0;
    std::erase_if(f.log.calls, [&](const calllog::CallRecord& c) {
        const bool drop = calllog::day_number(c.arrival_s) == gap;
        on_gap += drop;
        return drop;
    });
    REQUIRE(on_gap > 300);
    backtest::BacktestOptions options;
    options.replications = 1;
    options.seed = 5;
    options.threads = 1;
    const backtest::BacktestResult r = backtest::run_backtest(f.spec, f.log, "calls.csv", options);
    CHECK(r.missing_days == std::vector<std::int64_t>{gap});
    REQUIRE(!r.warnings.empty());
    CHECK(r.warnings.back() ==
          "1 day(s) of the period have no call at all while days like them have many: missing from the log, left "
          "out of the comparison (2024-01-10)");
    // The very run that wrote the log, without that day: the same figures.
    for (std::size_t m = 0; m < 4; ++m) {
        CAPTURE(r.metrics[m]);
        CHECK(r.overall[m].mean == doctest::Approx(r.overall[m].observed).epsilon(1e-5));
        for (std::size_t h = 6; h < 24; ++h)
            CHECK(r.by_hour_overall[h][m].mean == doctest::Approx(r.by_hour_overall[h][m].observed).epsilon(1e-5));
    }
}

TEST_CASE("--inputs-from-log: the period's arrivals and staffing from the log, whatever the start_date") {
    Fixture f = simulate(9);
    f.spec.start_day = calllog::day_number(*calllog::parse_local_datetime("2024-01-08"));
    backtest::BacktestOptions options;
    options.replications = 20;
    options.seed = 77;
    options.to_day = f.spec.start_day;  // the period 2024-01-01 .. 2024-01-08 starts before start_date
    CHECK_THROWS_AS(backtest::run_backtest(f.spec, f.log, "calls.csv", options), backtest::BacktestError);
    options.inputs_from_log = true;
    const backtest::BacktestResult r = backtest::run_backtest(f.spec, f.log, "calls.csv", options);
    CHECK(r.last_day - r.first_day == 7);
    REQUIRE(r.classes == std::vector<std::string>{"A", "B"});
    // Staffing reconstructed from three people always on duty 06:00-24:00 and the period's own
    // arrivals: the volumes and waits of the log come out inside their intervals.
    for (std::size_t m = 0; m < 4; ++m) {
        CAPTURE(r.metrics[m]);
        CHECK(r.overall[m].inside() == true);
    }
    CHECK(r.overall[0].mean == doctest::Approx(r.overall[0].observed).epsilon(0.05));
    // The hourly summaries (hours 06-24 have the calls) and Erlang A from the same inputs: an M/M/3+M
    // queue for A's calls, close for B's; both within a few points of what happened, hour by hour.
    CHECK(r.hourly_total == 18 * 2);  // overall service levels are undefined: A and B differ in thresholds
    CHECK(r.hourly_inside >= r.hourly_total * 8 / 10);
    REQUIRE(r.has_erlang_a);
    CHECK(std::isnan(r.erlang_a_by_hour[3][2]));  // no call at 03:00
    CHECK(r.hourly_mae[2] < 4);
    CHECK(r.erlang_a_mae[2] < 4);
    CHECK(r.erlang_a_mae[3] < 15);
    const nlohmann::json j = nlohmann::json::parse(backtest::backtest_json(r));
    CHECK(j["hourly"]["inside"]["total"] == 36);
    CHECK(j["hourly"]["mae"].size() == 4);  // abandoned_pct, asa_s, service_level_20s, service_level_60s
    CHECK(j["erlang_a"]["by_hour"].size() == 24);
    CHECK(j["erlang_a"]["mae"]["abandoned_pct"].get<double>() == doctest::Approx(r.erlang_a_mae[2]));
}

TEST_CASE("over 20 replications the observed figures fall inside the prediction intervals") {
    const Fixture f = simulate(9);
    backtest::BacktestOptions options;
    options.replications = 20;
    options.seed = 1234;  // other replications than the one that wrote the log
    const backtest::BacktestResult r = backtest::run_backtest(f.spec, f.log, "calls.csv", options);
    std::size_t inside = 0, defined = 0;
    for (const backtest::Figures& fig : r.by_class)
        for (const backtest::Comparison& c : fig)
            if (const auto in = c.inside()) {
                ++defined;
                inside += *in;
            }
    CHECK(defined == 10);
    CHECK(inside >= 9);  // 95% intervals: a miss among ten is possible, two would be suspicious
    const std::string json = backtest::backtest_json(r);
    CHECK(json.find("\"classes\": {\n    \"A\": {\n      \"offered\": {\n        \"observed\": ") != std::string::npos);
    CHECK(json.find("\"by_hour\": [") != std::string::npos);
    CHECK(json.find("\"pi95\": [") != std::string::npos);
}

TEST_CASE("a period before the scenario's start_date is an error") {
    const Fixture f = simulate(3);
    backtest::BacktestOptions options;
    options.from_day = 19723 - 1;  // 2023-12-31
    CHECK_THROWS_WITH_AS(backtest::run_backtest(f.spec, f.log, "calls.csv", options),
                         "the period starts on 2023-12-31, before the scenario's start_date 2024-01-01",
                         backtest::BacktestError);
}

TEST_CASE("a period beyond the log, without a call of it, or beyond the longest scenario is an error, not a run") {
    const Fixture f = simulate(3);
    struct Case {
        std::optional<std::int64_t> from, to;  // days after 2024-01-01
        bool gap, other_classes;               // days 4 and 5 left out; the log's classes renamed
        const char* message;
    };
    const Case cases[] = {
        {{},
         100,
         false,
         false,
         "the period 2024-01-01 .. 2024-04-10 reaches beyond the days of the log's calls (2024-01-01 .. 2024-01-14): "
         "nothing was observed there to compare"},
        {4, 5, true, false, "the log has no call in the period 2024-01-05 .. 2024-01-06"},
        {{},
         115740,
         false,
         false,
         "the period 2024-01-01 .. 2340-11-20 makes a run of 115741 days, longer than the 1e10 s (115740 days) a "
         "scenario may last: give a shorter one with --from and --to"},
        {{},
         {},
         false,
         true,
         "no call of the log in the period 2024-01-01 .. 2024-01-14 is of a class of the scenario"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.message);
        calllog::CallLog log = f.log;
        if (c.gap)
            std::erase_if(log.calls, [](const calllog::CallRecord& r) {
                const std::int64_t day = calllog::day_number(r.arrival_s) - 19723;
                return day == 4 || day == 5;
            });
        if (c.other_classes) log.classes = {"X", "Y"};
        backtest::BacktestOptions options;
        if (c.from) options.from_day = 19723 + *c.from;
        if (c.to) options.to_day = 19723 + *c.to;
        CHECK_THROWS_WITH_AS(backtest::plan_backtest(f.spec, log, options), c.message, backtest::BacktestError);
    }
}

TEST_CASE("the JSON is valid for a log name that is not UTF-8: the byte becomes U+FFFD") {
    const Fixture f = simulate(3);
    backtest::BacktestOptions options;
    options.replications = 2;
    const backtest::BacktestResult result = backtest::run_backtest(f.spec, f.log, "caf\xe9.csv", options);
    const nlohmann::json j = nlohmann::json::parse(backtest::backtest_json(result));
    CHECK(j["log"] == "caf\xef\xbf\xbd.csv");
}
