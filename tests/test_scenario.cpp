// The scenario format: units, the YAML tree with extends, validation messages, shipped scenarios.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/sha256.hpp"
#include "crsim/scenario/units.hpp"

namespace doctest {
// Lists of messages print one per line when a check fails.
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (const std::string& s : v) {
            out += "\n  \"" + s + "\"";
        }
        return String((out + "}").c_str());
    }
};
}  // namespace doctest

using namespace crsim::scenario;
using crsim::model::TargetSpec;

namespace {

// Paths in messages are relative, as the user typed them: run from the repository root.
const bool in_source_dir = [] {
    std::filesystem::current_path(CRSIM_SOURCE_DIR);
    return true;
}();

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> messages(const LoadResult& r) {
    std::vector<std::string> out;
    for (const Diagnostic& d : r.diagnostics) {
        out.push_back(d.format());
    }
    return out;
}

// A small valid scenario; each bad-input test changes one part of it. Line numbers matter.
const std::string mini = R"(name: mini
horizon: 2w
warmup: 1d
rooms:
  north: {}
  south: {}
profiles:
  weekly-999:
    interval: 6h
    values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
shift_patterns:
  early: {start: "07:00", length: 8h, breaks: [{after: 4h, length: 30min, spread: 1h}]}
classes:
  "999":
    priority: 1
    arrivals: {per_week: 2700, profile: weekly-999}
    handle_time: {dist: lognormal, mean: 5min, sd: 3min}
    patience: {dist: exponential, mean: 5min}
    rooms: {north: 0.45, south: 55%}
    targets:
      - {metric: service_level, within: 10s, goal: 90%}
  "101":
    priority: 2
    arrivals: {per_day: 500}
    handle_time: 6min
    patience: {dist: exponential, mean: 4min}
groups:
  handlers:
    takes: ["999", "101"]
    handle_factor: {"101": 1.2}
    absence: 15%
roster:
  - {room: north, group: handlers, shift: early, days: all, headcount: 12}
  - {room: south, group: handlers, shift: {start: "23:00", length: 8h}, days: weekdays, headcount: 3}
)";

// `mini` with `from` replaced by `to` (which must occur exactly once).
std::string with(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "not in the scenario: " << from);
    REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, "twice in the scenario: " << from);
    return text.replace(at, from.size(), to);
}

std::vector<std::string> errors_of(const std::string& yaml) {
    const LoadResult r = load_scenario_text(yaml, "bad.yaml");
    CHECK_FALSE(r.ok());
    return messages(r);
}

using Msgs = std::vector<std::string>;

}  // namespace

TEST_CASE("durations take a number and a unit, with or without one space") {
    CHECK(*parse_duration("10s").value == 10);
    CHECK(*parse_duration("3min").value == 180);
    CHECK(*parse_duration("7.5h").value == 27000);
    CHECK(*parse_duration("1d").value == 86400);
    CHECK(*parse_duration("8w").value == 8 * 604800);
    CHECK(*parse_duration("10 s").value == 10);
    CHECK(*parse_duration(".5min").value == 30);
    CHECK(*parse_duration("-5s").value == -5);  // parses; the loader checks the sign it needs
}

TEST_CASE("a duration without its unit, or with an unknown one, says what was expected") {
    CHECK(parse_duration("30").error == "expected a duration with a unit (s, min, h, d, w), e.g. 30s");
    CHECK(parse_duration("10 sec").error == "unknown unit 'sec': expected s, min, h, d or w");
    CHECK(parse_duration("10  s").error == "unknown unit ' s': expected s, min, h, d or w");
    CHECK(parse_duration("soon").error == "expected a duration with a unit (s, min, h, d, w), e.g. 30s, got 'soon'");
    CHECK_FALSE(parse_duration("infs"));
    CHECK_FALSE(parse_duration("nan s"));
}

TEST_CASE("a compound duration is the sum of its parts, largest unit first, each unit once") {
    CHECK(*parse_duration("8h30min").value == 8 * 3600 + 1800);
    CHECK(*parse_duration("1d 12h").value == 36 * 3600);
    CHECK(*parse_duration("1w2d3h4min5s").value == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    CHECK(*parse_duration("1h 0.5min").value == 3630);
    CHECK(parse_duration("30min2h").error ==
          "the units of '30min2h' must go from the largest to the smallest, each once (e.g. 1d12h, 8h30min)");
    CHECK(parse_duration("1h1h").error ==
          "the units of '1h1h' must go from the largest to the smallest, each once (e.g. 1d12h, 8h30min)");
    CHECK(parse_duration("1h30").error == "expected a unit (s, min, h, d, w) after each number of '1h30'");
    CHECK(parse_duration("8h-30min").error == "only the first part of a duration may carry a sign, in '8h-30min'");
    CHECK(parse_duration("1h30x").error == "unknown unit 'x': expected s, min, h, d or w");
}

TEST_CASE("a target's metric asa_s, the outputs' name, is the same as asa") {
    const auto load = [](const std::string& metric) {
        return load_scenario_text(with(mini, "      - {metric: service_level, within: 10s, goal: 90%}",
                                       "      - {metric: " + metric + ", max: 30s}"),
                                  "mini.yaml");
    };
    const LoadResult asa = load("asa"), asa_s = load("asa_s");
    REQUIRE(asa.ok());
    REQUIRE(asa_s.ok());
    REQUIRE(asa_s.spec->classes[0].targets.size() == 1);
    CHECK(asa_s.spec->classes[0].targets[0].metric == asa.spec->classes[0].targets[0].metric);
    CHECK(asa_s.spec->classes[0].targets[0].goal == 30);
}

TEST_CASE("numbers are plain decimals") {
    CHECK(*parse_number("12").value == 12);
    CHECK(*parse_number("-0.5").value == -0.5);
    CHECK(*parse_number("1e3").value == 1000);
    CHECK(parse_number("inf").error == "expected a number, got 'inf'");
    CHECK_FALSE(parse_number("0x10"));
    CHECK_FALSE(parse_number("12%"));
}

TEST_CASE("clock times run from 00:00 to 23:59") {
    CHECK(*parse_clock_time("07:00").value == 7 * 3600);
    CHECK(*parse_clock_time("7:30").value == 7.5 * 3600);
    CHECK(*parse_clock_time("23:59").value == 86340);
    CHECK(*parse_clock_time("00:00").value == 0);
    CHECK(parse_clock_time("24:00").error == "expected a clock time HH:MM from 00:00 to 23:59, got '24:00'");
    CHECK_FALSE(parse_clock_time("07:60"));
    CHECK_FALSE(parse_clock_time("7:5"));
    CHECK_FALSE(parse_clock_time("0700"));
}

TEST_CASE("weekdays, shares, percentages and dates") {
    CHECK(*parse_weekday("mon").value == 0);
    CHECK(*parse_weekday("sun").value == 6);
    CHECK(parse_weekday("monday").error == "unknown day 'monday': expected mon, tue, wed, thu, fri, sat or sun");
    CHECK(*parse_share("15%").value == doctest::Approx(0.15));
    CHECK(*parse_share("0.15").value == 0.15);
    CHECK(*parse_percent("5").value == 5);
    CHECK(*parse_percent("5%").value == 5);
    CHECK(parse_share("lots").error == "expected a share such as 0.15 or 15%, got 'lots'");
    CHECK(*parse_iso_date_weekday("2014-01-06").value == 0);  // a Monday
    CHECK(*parse_iso_date_weekday("2024-02-29").value == 3);  // a Thursday
    CHECK(*parse_iso_date_weekday("2013-10-05").value == 5);  // a Saturday
    CHECK(parse_iso_date_weekday("2023-02-29").error == "no such date '2023-02-29'");
    CHECK(parse_iso_date_weekday("6 Jan 2014").error == "expected an ISO date YYYY-MM-DD, got '6 Jan 2014'");
}

TEST_CASE("dates are day numbers, so weeks between two dates are a subtraction") {
    CHECK(*parse_iso_date_days("1970-01-01").value == 0);
    CHECK(*parse_iso_date_days("2014-02-10").value - *parse_iso_date_days("2014-01-06").value == 35);
    CHECK(*parse_iso_date_days("2024-03-01").value - *parse_iso_date_days("2024-02-28").value == 2);  // leap year
    CHECK(*parse_iso_date_days("1969-12-31").value == -1);
    CHECK(parse_iso_date_days("2014-13-01").error == "no such date '2014-13-01'");
}

TEST_CASE("durations are written back with the largest exact unit") {
    CHECK(format_duration(3600) == "1h");
    CHECK(format_duration(1800) == "30min");
    CHECK(format_duration(90) == "1.5min");
    CHECK(format_duration(45) == "45s");
    CHECK(format_duration(5400) == "1.5h");
    CHECK(format_duration(10 * 86400) == "10d");
    CHECK(format_duration(604800) == "1w");
    CHECK(format_duration(2 * 86400) == "2d");
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(1.5) == "1.5s");
    CHECK(format_duration(crsim::model::never) == "never");
}

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a valid scenario becomes a spec in seconds, with defaults filled in") {
    const LoadResult r = load_scenario_text(mini, "dir/mini-file.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    CHECK(r.diagnostics.empty());
    const auto& s = *r.spec;
    CHECK(s.name == "mini");
    CHECK(s.source_file == "dir/mini-file.yaml");
    CHECK(s.sha256 == sha256_hex(mini));
    CHECK(s.start_weekday == 0);
    CHECK(s.horizon_s == 14 * 86400);
    CHECK(s.warmup_s == 86400);
    CHECK(s.replications == 10);
    CHECK(s.seed == 1);
    REQUIRE(s.rooms.size() == 2);
    CHECK(s.rooms[1].name == "south");

    REQUIRE(s.classes.size() == 2);
    const auto& c999 = s.classes[0];
    CHECK(c999.name == "999");
    CHECK(c999.priority == 1);
    CHECK(c999.arrivals.per_week == 2700);
    CHECK(c999.arrivals.interval_s == 6 * 3600);
    REQUIRE(c999.arrivals.profile.size() == 28);
    CHECK(c999.arrivals.profile.back() == 2);
    CHECK(c999.arrivals.daily_cv == 0);
    CHECK(c999.handle_time.mean() == doctest::Approx(300));
    CHECK(c999.handle_time.sd() == doctest::Approx(180));
    REQUIRE(c999.patience.has_value());
    CHECK(c999.patience->mean() == doctest::Approx(300));
    CHECK(c999.wrap_up.mean() == 0);
    CHECK(c999.connection.mean() == 0);
    CHECK(c999.room_shares == std::vector<double>{0.45, 0.55});
    CHECK(std::isinf(c999.overflow_after_s));
    REQUIRE(c999.targets.size() == 1);
    CHECK(c999.targets[0].metric == TargetSpec::Metric::service_level);
    CHECK(c999.targets[0].threshold_s == 10);
    CHECK(c999.targets[0].goal == doctest::Approx(0.9));
    CHECK(c999.thresholds_s == std::vector<double>{10});
    CHECK(c999.group_preference == std::vector<std::size_t>{0});

    const auto& c101 = s.classes[1];
    CHECK(c101.arrivals.per_week == 3500);
    CHECK(c101.arrivals.profile == std::vector<double>(168, 1.0));  // flat
    CHECK(c101.arrivals.interval_s == 3600);
    CHECK(c101.handle_time.mean() == 360);
    CHECK(c101.handle_time.sd() == 0);
    CHECK(c101.room_shares == std::vector<double>{0.5, 0.5});  // equal by default
    CHECK(c101.targets.empty());
    CHECK(c101.thresholds_s.empty());

    REQUIRE(s.groups.size() == 1);
    const auto& g = s.groups[0];
    CHECK(g.name == "handlers");
    CHECK(g.takes == std::vector<bool>{true, true});
    CHECK(g.handle_factor == std::vector<double>{1.0, 1.2});
    CHECK(g.cost_per_hour == 0);
    CHECK(g.absence == doctest::Approx(0.15));
    CHECK(g.reserve == 0);
    CHECK(g.reserved_for == std::vector<bool>{false, false});

    REQUIRE(s.shifts.size() == 2);
    CHECK(s.shifts[0].room == 0);
    CHECK(s.shifts[0].start_s == 7 * 3600);
    CHECK(s.shifts[0].length_s == 8 * 3600);
    CHECK(s.shifts[0].headcount == 12);
    REQUIRE(s.shifts[0].breaks.size() == 1);
    CHECK(s.shifts[0].breaks[0].after_s == 4 * 3600);
    CHECK(s.shifts[0].breaks[0].length_s == 1800);
    CHECK(s.shifts[0].breaks[0].spread_s == 3600);
    CHECK(s.shifts[0].from_week == 1);
    CHECK(s.shifts[0].to_week == std::numeric_limits<int>::max());
    CHECK(s.shifts[1].room == 1);
    CHECK(s.shifts[1].start_s == 23 * 3600);
    CHECK(s.shifts[1].breaks.empty());
    CHECK(s.shifts[1].days == std::array<bool, 7>{true, true, true, true, true, false, false});
}

TEST_CASE("the scenario name defaults to the file name without .yaml") {
    const LoadResult r = load_scenario_text(with(mini, "name: mini\n", ""), "some/dir/calm-week.yaml");
    REQUIRE(r.ok());
    CHECK(r.spec->name == "calm-week");
}

TEST_CASE("top-level settings: start date, seed, replications, per_year, daily_cv, connection, wrap-up") {
    std::string y = with(mini, "warmup: 1d\n", "warmup: 1d\nstart_date: 2013-10-05\nseed: 0\nreplications: 3\n");
    y = with(y, "arrivals: {per_day: 500}",
             "arrivals: {per_year: 365250, daily_cv: 0.1}\n    wrap_up: 1min\n    connection: 4s");
    const LoadResult r = load_scenario_text(y, "x.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    CHECK(r.spec->start_weekday == 5);
    CHECK(r.spec->seed == 0);
    CHECK(r.spec->replications == 3);
    CHECK(r.spec->classes[1].arrivals.per_week == doctest::Approx(7000));
    CHECK(r.spec->classes[1].arrivals.daily_cv == 0.1);
    CHECK(r.spec->classes[1].wrap_up.mean() == 60);
    CHECK(r.spec->classes[1].connection.mean() == 4);
}

TEST_CASE("patience may be never: those callers never abandon") {
    const LoadResult r =
        load_scenario_text(with(mini, "patience: {dist: exponential, mean: 4min}", "patience: never"), "x.yaml");
    REQUIRE(r.ok());
    CHECK_FALSE(r.spec->classes[1].patience.has_value());
    CHECK(r.spec->classes[0].patience.has_value());
}

TEST_CASE("every distribution is written as a duration or a map with dist") {
    const auto dist = [](const std::string& text) {
        const LoadResult r = load_scenario_text(with(mini, "handle_time: 6min", "handle_time: " + text), "x.yaml");
        INFO(text << ": " << doctest::toString(messages(r)));
        REQUIRE(r.ok());
        return r.spec->classes[1].handle_time;
    };
    CHECK(dist("{dist: exponential, mean: 2min}").mean() == 120);
    CHECK(dist("{dist: lognormal, mean: 5min, sd: 3min}").sd() == doctest::Approx(180));
    CHECK(dist("{dist: gamma, mean: 5min, sd: 3min}").sd() == doctest::Approx(180));
    CHECK(dist("{dist: weibull, shape: 1, scale: 2min}").mean() == doctest::Approx(120));
    CHECK(dist("{dist: uniform, low: 1min, high: 3min}").mean() == doctest::Approx(120));
    CHECK(dist("{dist: deterministic, value: 90s}").mean() == 90);
    CHECK(dist("{dist: empirical, values: [1min, 2min, 6min]}").mean() == doctest::Approx(180));
    CHECK(dist("45s").describe() == crsim::sim::Distribution::deterministic(45).describe());
}

TEST_CASE("days: all, weekdays, weekends, a day, a range (which may wrap) or a list") {
    const auto days = [](const std::string& text) {
        const LoadResult r = load_scenario_text(with(mini, "days: all", "days: " + text), "x.yaml");
        INFO(text << ": " << doctest::toString(messages(r)));
        REQUIRE(r.ok());
        return r.spec->shifts[0].days;
    };
    using D = std::array<bool, 7>;
    CHECK(days("all") == D{true, true, true, true, true, true, true});
    CHECK(days("weekdays") == D{true, true, true, true, true, false, false});
    CHECK(days("weekends") == D{false, false, false, false, false, true, true});
    CHECK(days("tue-thu") == D{false, true, true, true, false, false, false});
    CHECK(days("fri-mon") == D{true, false, false, false, true, true, true});
    CHECK(days("wed") == D{false, false, true, false, false, false, false});
    CHECK(days("[mon, wed, sat-sun]") == D{true, false, true, false, false, true, true});
    const LoadResult r = load_scenario_text(with(mini, "days: all, ", ""), "x.yaml");
    REQUIRE(r.ok());
    CHECK(r.spec->shifts[0].days == D{true, true, true, true, true, true, true});  // the default
}

TEST_CASE("profiles may be given day by day, at any interval dividing a day") {
    const std::string by_day = R"(interval: 12h
    by_day: {mon: [1, 2], tue: [1, 2], wed: [1, 2], thu: [1, 2], fri: [1, 2], sat: [0, 3], sun: [0, 3]})";
    const LoadResult r = load_scenario_text(with(mini,
                                                 "interval: 6h\n    values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                                                 "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]",
                                                 by_day),
                                            "x.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    CHECK(r.spec->classes[0].arrivals.interval_s == 43200);
    CHECK(r.spec->classes[0].arrivals.profile == std::vector<double>{1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 0, 3, 0, 3});
}

TEST_CASE("routing lists preferred groups first; other takers follow in declaration order") {
    std::string y =
        with(mini, "    absence: 15%\n",
             "    absence: 15%\n  staff-101:\n    takes: [\"101\"]\n  officers:\n    takes: [\"999\", \"101\"]\n"
             "    reserve: {keep: 2, for: [\"999\"]}\nrouting:\n  \"101\": [staff-101, officers]\n");
    y = with(y, "days: weekdays, headcount: 3}",
             "days: weekdays, headcount: 3}\n  - {room: north, group: staff-101, shift: early, headcount: 2}\n"
             "  - {room: north, group: officers, shift: early, headcount: 2, weeks: {from: 2, to: 3}}");
    const LoadResult r = load_scenario_text(y, "x.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    CHECK(r.spec->classes[0].group_preference == std::vector<std::size_t>{0, 2});
    CHECK(r.spec->classes[1].group_preference == std::vector<std::size_t>{1, 2, 0});
    CHECK(r.spec->groups[2].reserve == 2);
    CHECK(r.spec->groups[2].reserved_for == std::vector<bool>{true, false});
    CHECK(r.spec->shifts[3].from_week == 2);
    CHECK(r.spec->shifts[3].to_week == 3);
}

TEST_CASE("merge pools rooms: their roster lines move and their call shares add") {
    std::string y = with(mini, "  south: {}\n", "  south: {}\n  west: {}\n");
    y = with(y, "rooms: {north: 0.45, south: 55%}", "rooms: {north: 0.45, south: 35%, west: 0.2}");
    y += "  - {room: west, group: handlers, shift: early, headcount: 1}\nmerge: {into: south, rooms: [west, north]}\n";
    const LoadResult r = load_scenario_text(y, "x.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    REQUIRE(r.spec->rooms.size() == 1);
    CHECK(r.spec->rooms[0].name == "south");
    for (const auto& c : r.spec->classes) {
        REQUIRE(c.room_shares.size() == 1);
        CHECK(c.room_shares[0] == doctest::Approx(1.0));
    }
    REQUIRE(r.spec->shifts.size() == 3);
    for (const auto& s : r.spec->shifts) {
        CHECK(s.room == 0);
    }
}

TEST_CASE("extends merges maps key by key, null removes a key, lists replace") {
    const LoadResult r = load_scenario("tests/scenarios/merge-child.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    const auto& s = *r.spec;
    CHECK(s.name == "merge-child");  // the name is not inherited
    CHECK(s.warmup_s == 0);
    CHECK(s.replications == 5);
    REQUIRE(s.classes.size() == 3);
    CHECK(s.classes[0].name == "A");
    CHECK(s.classes[1].name == "B");
    CHECK(s.classes[2].name == "C");
    CHECK(s.classes[0].handle_time.mean() == 420);
    CHECK(s.classes[0].handle_time.describe() == crsim::sim::Distribution::exponential(420).describe());
    REQUIRE(s.classes[0].targets.size() == 1);
    CHECK(s.classes[0].targets[0].threshold_s == 20);
    CHECK(s.classes[2].arrivals.per_week == 70);
    CHECK(s.groups[0].takes == std::vector<bool>{true, true, true});
    CHECK(s.groups[0].cost_per_hour == 0);
    CHECK(s.sha256 ==
          sha256_hex(file_bytes("tests/scenarios/merge-child.yaml") + file_bytes("tests/scenarios/merge-base.yaml")));
}

TEST_CASE("an error in a merged node names the file it was written in") {
    CHECK(messages(load_scenario("tests/scenarios/merge-child-bad.yaml")) ==
          Msgs{"tests/scenarios/merge-child-bad.yaml:5:25: error: classes.A.handle_time.mean: expected a positive "
               "duration, got 0s"});
    CHECK(messages(load_scenario("tests/scenarios/extends-bad-base.yaml")) ==
          Msgs{"tests/scenarios/bad-base.yaml:3:10: error: horizon: expected a duration with a unit (s, min, h, d, "
               "w), e.g. 30s"});
}

TEST_CASE("the shipped scenarios load without a problem") {
    for (const char* file : {"scenarios/two-rooms.yaml", "scenarios/one-room.yaml", "scenarios/bench-reference.yaml"}) {
        const LoadResult r = load_scenario(file);
        INFO(file << ": " << doctest::toString(messages(r)));
        CHECK(r.ok());
        CHECK(r.diagnostics.empty());
    }
}

TEST_CASE("bench-reference is the model bench_model and the other simulators share") {
    const LoadResult r = load_scenario("scenarios/bench-reference.yaml");
    REQUIRE(r.ok());
    const auto& s = *r.spec;
    CHECK(s.horizon_s == 30 * 86400);
    CHECK(s.warmup_s == 0);
    CHECK(s.replications == 1);
    REQUIRE(s.classes.size() == 2);
    CHECK(s.classes[0].arrivals.per_week == 60 * 168);
    CHECK(s.classes[1].arrivals.per_week == 120 * 168);
    CHECK(s.classes[0].arrivals.profile == std::vector<double>(168, 1.0));
    CHECK(s.classes[0].handle_time.describe() == crsim::sim::Distribution::exponential(240).describe());
    CHECK(s.classes[1].handle_time.describe() == crsim::sim::Distribution::exponential(360).describe());
    CHECK(s.classes[0].patience->describe() == crsim::sim::Distribution::exponential(600).describe());
    CHECK(s.classes[1].patience->describe() == crsim::sim::Distribution::exponential(300).describe());
    CHECK(s.classes[0].wrap_up.mean() == 0);
    CHECK(s.classes[0].priority < s.classes[1].priority);
    REQUIRE(s.rooms.size() == 1);
    REQUIRE(s.groups.size() == 1);
    CHECK(s.groups[0].absence == 0);
    REQUIRE(s.shifts.size() == 1);
    CHECK(s.shifts[0].headcount == 20);
    CHECK(std::isinf(s.shifts[0].length_s));  // on duty for the whole run: no hand-over at midnight
    CHECK(s.shifts[0].breaks.empty());
}

TEST_CASE("two-rooms and one-room have the same calls and people, in two rooms or one") {
    const LoadResult two = load_scenario("scenarios/two-rooms.yaml");
    const LoadResult one = load_scenario("scenarios/one-room.yaml");
    REQUIRE(two.ok());
    REQUIRE(one.ok());
    CHECK(two.spec->name == "two-rooms");
    CHECK(one.spec->name == "one-room");
    REQUIRE(two.spec->rooms.size() == 2);
    REQUIRE(one.spec->rooms.size() == 1);
    CHECK(one.spec->rooms[0].name == "stafford");
    CHECK(two.spec->classes[0].arrivals.per_week == doctest::Approx(140000 * 7 / 365.25));
    CHECK(two.spec->classes[1].arrivals.per_week == doctest::Approx(350000 * 7 / 365.25));
    CHECK(two.spec->classes[0].arrivals.profile.size() == 168);
    CHECK(two.spec->classes[0].room_shares == std::vector<double>{0.45, 0.55});
    REQUIRE(one.spec->classes[0].room_shares.size() == 1);
    CHECK(one.spec->classes[0].room_shares[0] == doctest::Approx(1.0));
    CHECK(two.spec->classes[0].overflow_after_s == 30);
    CHECK(two.spec->classes[1].overflow_after_s == 120);
    CHECK(two.spec->classes[1].thresholds_s == std::vector<double>{180});
    CHECK(two.spec->classes[1].targets.size() == 3);
    CHECK(two.spec->horizon_s == 5 * 604800.0);
    CHECK(two.spec->warmup_s == 604800.0);
    CHECK(two.spec->replications == 10);
    REQUIRE(one.spec->shifts.size() == two.spec->shifts.size());
    int heads_two = 0;
    int heads_one = 0;
    for (std::size_t i = 0; i < one.spec->shifts.size(); ++i) {
        heads_two += two.spec->shifts[i].headcount;
        heads_one += one.spec->shifts[i].headcount;
        CHECK(one.spec->shifts[i].room == 0);
    }
    CHECK(heads_one == heads_two);
    CHECK(one.spec->sha256 ==
          sha256_hex(file_bytes("scenarios/one-room.yaml") + file_bytes("scenarios/two-rooms.yaml")));
}

// ---- Bad scenarios: each problem reported once, exactly, with file, line, column and key path. ----

TEST_CASE("an unknown key is an error, with a suggestion when one is close") {
    CHECK(
        errors_of(with(mini, "    handle_time: 6min", "    handel_time: 6min")) ==
        Msgs{"bad.yaml:22:3: error: classes.101: missing required key 'handle_time'",
             "bad.yaml:25:5: error: classes.101.handel_time: unknown key 'handel_time'; did you mean 'handle_time'?"});
    CHECK(errors_of(mini + "colour: blue\n") ==
          Msgs{"bad.yaml:35:1: error: colour: unknown key 'colour'; expected one of: name, description, currency, "
               "extends, start_date, horizon, warmup, replications, seed, profiles, shift_patterns, rooms, classes, "
               "groups, "
               "routing, roster, rosters, merge, transitions, disruptions, attrition, call_ins, cohorts, windows, "
               "staffing, verified, triage, channel_shift, surges, random_surges, deferrable, staffing_daily_cv or "
               "staffing_daily_mean"});
}

TEST_CASE("a duplicate key is an error") {
    CHECK(errors_of(with(mini, "    priority: 2\n", "    priority: 2\n    priority: 3\n")) ==
          Msgs{"bad.yaml:24:5: error: classes.101.priority: duplicate key 'priority' (first given at line 23)"});
}

TEST_CASE("a value of the wrong type says what was expected") {
    CHECK(errors_of(with(mini, "headcount: 12", "headcount: twelve")) ==
          Msgs{"bad.yaml:33:72: error: roster[0].headcount: expected an integer, got 'twelve'"});
    CHECK(errors_of(with(mini, "headcount: 12", "headcount: \"12\"")) ==
          Msgs{"bad.yaml:33:72: error: roster[0].headcount: expected an integer, got \"12\" (quoted, so a string)"});
    CHECK(
        errors_of(with(mini, "takes: [\"999\", \"101\"]", "takes: \"999\"")) ==
        Msgs{"bad.yaml:29:12: error: groups.handlers.takes: expected a list of class names, got \"999\" (quoted, so a "
             "string)"});
    CHECK(errors_of(with(mini, "arrivals: {per_day: 500}", "arrivals: 500")) ==
          Msgs{"bad.yaml:24:15: error: classes.101.arrivals: expected a map {per_week, profile, daily_cv}, got '500'"});
    CHECK(errors_of(with(mini, "per_week: 2700", "per_week: [2700]")) ==
          Msgs{"bad.yaml:16:26: error: classes.999.arrivals.per_week: expected a number, got a list"});
}

TEST_CASE("a roster line with headcount 0 is switched off, also through --set") {
    const LoadResult zero = load_scenario_text(with(mini, "headcount: 3", "headcount: 0"), "mini.yaml");
    REQUIRE(zero.ok());
    CHECK(zero.spec->shifts[1].headcount == 0);
}

TEST_CASE("zero or negative rates, durations and negative headcounts are errors") {
    CHECK(errors_of(with(mini, "per_week: 2700", "per_week: 0")) ==
          Msgs{"bad.yaml:16:26: error: classes.999.arrivals.per_week: expected a positive number, got 0"});
    CHECK(errors_of(with(mini, "headcount: 3", "headcount: -1")) ==
          Msgs{"bad.yaml:34:100: error: roster[1].headcount: expected an integer >= 0, got -1"});
    CHECK(errors_of(with(mini, "handle_time: 6min", "handle_time: 0s")) ==
          Msgs{"bad.yaml:25:18: error: classes.101.handle_time: expected a positive duration, got 0s"});
    CHECK(errors_of(with(mini, "length: 8h, breaks", "length: -8h, breaks")) ==
          Msgs{"bad.yaml:12:35: error: shift_patterns.early.length: expected a positive duration, got -8h"});
    CHECK(errors_of(with(mini, "absence: 15%", "absence: 100%")) ==
          Msgs{"bad.yaml:31:14: error: groups.handlers.absence: expected a share from 0 up to but not including 1 "
               "(e.g. 0.15 or 15%), got 100%"});
}

TEST_CASE("a bare number or a unit typo in a duration is an error") {
    CHECK(errors_of(with(mini, "horizon: 2w", "horizon: 14")) ==
          Msgs{"bad.yaml:2:10: error: horizon: expected a duration with a unit (s, min, h, d, w), e.g. 30s"});
    CHECK(errors_of(with(mini, "mean: 4min", "mean: 5 sec")) ==
          Msgs{"bad.yaml:26:41: error: classes.101.patience.mean: unknown unit 'sec': expected s, min, h, d or w"});
}

TEST_CASE("a profile of the wrong length is an error") {
    CHECK(
        errors_of(with(mini, "1, 2]", "2]")) ==
        Msgs{"bad.yaml:10:13: error: profiles.weekly-999.values: expected 28 values (7 days × 4 intervals of 6h), got "
             "27"});
    std::string values = "[1";
    for (int i = 1; i < 167; ++i) {
        values += ", 1";
    }
    values += "]";
    CHECK(
        errors_of(with(mini,
                       "interval: 6h\n    values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                       "1, 1, 1, 1, 1, 2]",
                       "values: " + values)) ==
        Msgs{"bad.yaml:9:13: error: profiles.weekly-999.values: expected 168 values (7 days × 24 intervals of 1h), got "
             "167"});
    CHECK(errors_of(with(mini, "interval: 6h", "interval: 7h")) ==
          Msgs{"bad.yaml:9:15: error: profiles.weekly-999.interval: expected an interval that divides 1 day exactly "
               "(e.g. 15min, 30min, 1h), got 7h"});
}

TEST_CASE("a reference to a missing name is an error, with a suggestion") {
    CHECK(errors_of(with(mini, "profile: weekly-999", "profile: weekly-99")) ==
          Msgs{"bad.yaml:16:41: error: classes.999.arrivals.profile: no profile named 'weekly-99'; did you mean "
               "'weekly-999'?"});
    CHECK(errors_of(with(mini, "shift: early", "shift: eraly")) ==
          Msgs{"bad.yaml:33:43: error: roster[0].shift: no shift pattern named 'eraly'; did you mean 'early'?"});
    CHECK(errors_of(with(mini, "room: north, group", "room: east, group")) ==
          Msgs{"bad.yaml:33:12: error: roster[0].room: no room named 'east' (defined: north and south)"});
    CHECK(errors_of(with(mini, "takes: [\"999\", \"101\"]", "takes: [\"999\", \"111\"]")) ==
          Msgs{"bad.yaml:29:20: error: groups.handlers.takes[1]: no class named '111'; did you mean '101'?"});
}

TEST_CASE("an unknown distribution lists the valid ones") {
    CHECK(errors_of(with(mini, "dist: exponential, mean: 5min", "dist: exponentail, mean: 5min")) ==
          Msgs{"bad.yaml:18:22: error: classes.999.patience.dist: unknown distribution 'exponentail'; did you mean "
               "'exponential'? (valid: exponential, lognormal, gamma, weibull, uniform, deterministic and empirical)"});
    CHECK(errors_of(with(mini, "dist: lognormal, mean: 5min, sd: 3min", "dist: lognormal, mean: 5min")) ==
          Msgs{"bad.yaml:17:18: error: classes.999.handle_time: missing required key 'sd'"});
    CHECK(
        errors_of(
            with(mini, "dist: lognormal, mean: 5min, sd: 3min", "dist: lognormal, mean: 5min, sd: 3min, cv: 1")) ==
        Msgs{"bad.yaml:17:58: error: classes.999.handle_time.cv: unknown key 'cv'; expected one of: dist, mean or sd"});
}

TEST_CASE("a file that cannot be read is an error at line 0, or at the extends that names it") {
    CHECK(messages(load_scenario("tests/scenarios/no-such-file.yaml")) ==
          Msgs{"tests/scenarios/no-such-file.yaml: error: cannot read the file: No such file or directory"});
    CHECK(messages(load_scenario("tests/scenarios/extends-missing.yaml")) ==
          Msgs{"tests/scenarios/extends-missing.yaml:2:10: error: extends: cannot read "
               "'tests/scenarios/no-such-base.yaml': No such file or directory"});
}

TEST_CASE("an extends cycle is an error") {
    CHECK(messages(load_scenario("tests/scenarios/cycle-a.yaml")) ==
          Msgs{"tests/scenarios/cycle-b.yaml:2:10: error: extends: extends cycle: tests/scenarios/cycle-a.yaml -> "
               "tests/scenarios/cycle-b.yaml -> tests/scenarios/cycle-a.yaml"});
}

TEST_CASE("a YAML syntax error carries yaml-cpp's position, 1-based") {
    CHECK(messages(load_scenario("tests/scenarios/bad-syntax.yaml")) ==
          Msgs{"tests/scenarios/bad-syntax.yaml:3:7: error: invalid YAML: illegal map value"});
    CHECK(errors_of("horizon: [1w\n") == Msgs{"bad.yaml:2:1: error: invalid YAML: end of sequence flow not found"});
    CHECK(errors_of("horizon: 1w\n---\nhorizon: 2w\n") ==
          Msgs{"bad.yaml:2:1: error: expected a single YAML document, found another one here"});
}

TEST_CASE("aliases are copied, but nested ones cannot blow up memory") {
    std::string y = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
    for (int i = 1; i < 9; ++i) {
        // Built by appending: GCC 12 gives a false -Wrestrict on "literal" + std::string temporaries.
        const std::string n = std::to_string(i);
        const std::string prev = std::to_string(i - 1);
        y.append("a").append(n).append(": &a").append(n).append(" [*a").append(prev);
        for (int k = 1; k < 10; ++k) {
            y.append(", *a").append(prev);
        }
        y += "]\n";
    }
    const auto got = errors_of(y);
    REQUIRE(got.size() == 1);
    CHECK(got[0].find("error: invalid YAML: aliases expand to more than 1000000 nodes") != std::string::npos);
}

TEST_CASE("a missing required key, or a file that is not a map, is an error") {
    CHECK(errors_of(with(mini, "horizon: 2w\n", "")) == Msgs{"bad.yaml:1:1: error: missing required key 'horizon'"});
    CHECK(errors_of("") ==
          Msgs{"bad.yaml:1:1: error: expected a map of scenario keys (name, horizon, classes, ...), got nothing"});
    CHECK(errors_of("just words\n") ==
          Msgs{"bad.yaml:1:1: error: expected a map of scenario keys (name, horizon, classes, ...), got 'just words'"});
}

TEST_CASE("a class that no group takes is an error") {
    CHECK(errors_of(with(with(mini, "takes: [\"999\", \"101\"]", "takes: [\"999\"]"),
                         "    handle_factor: {\"101\": 1.2}\n", "")) ==
          Msgs{"bad.yaml:22:3: error: classes.101: no group takes this class (list it under some "
               "group's takes)"});
    CHECK(errors_of(with(mini, "takes: [\"999\", \"101\"]", "takes: [\"999\"]")) ==
          Msgs{"bad.yaml:30:21: error: groups.handlers.handle_factor.101: class '101' is not in this group's takes"});
}

TEST_CASE("room shares must sum to 1") {
    CHECK(errors_of(with(mini, "south: 55%", "south: 50%")) ==
          Msgs{"bad.yaml:19:12: error: classes.999.rooms: expected shares summing to 1 (100%), got 0.95"});
}

TEST_CASE("the warm-up must be shorter than the horizon") {
    CHECK(errors_of(with(mini, "warmup: 1d", "warmup: 2w")) ==
          Msgs{"bad.yaml:3:9: error: warmup: expected less than the horizon (2w), got 2w"});
}

TEST_CASE("shift, roster, routing and merge mistakes are errors") {
    CHECK(errors_of(with(mini, "after: 4h", "after: 7h")) ==
          Msgs{"bad.yaml:12:48: error: shift_patterns.early.breaks[0]: expected the break to end within the shift: "
               "after + spread + length = 8.5h exceeds the shift length 8h"});
    CHECK(errors_of(with(mini, "days: weekdays", "days: wkdays")) ==
          Msgs{"bad.yaml:34:79: error: roster[1].days: unknown days 'wkdays'; did you mean 'weekdays'?"});
    CHECK(errors_of(with(mini, "days: all", "days: [mon, someday]")) ==
          Msgs{"bad.yaml:33:62: error: roster[0].days[1]: unknown days 'someday': expected all, weekdays, weekends, a "
               "day (mon, tue, wed, thu, fri, sat, sun), a range such as mon-fri, or a list such as [mon, wed]"});
    CHECK(errors_of(with(mini, "headcount: 12}", "headcount: 12, weeks: {from: 3, to: 2}}")) ==
          Msgs{"bad.yaml:33:97: error: roster[0].weeks.to: expected at least weeks.from (3), got 2"});
    CHECK(errors_of(mini + "routing:\n  \"999\": [handler]\n") ==
          Msgs{"bad.yaml:36:11: error: routing.999[0]: no group named 'handler'; did you mean 'handlers'?"});
    CHECK(errors_of(mini + "merge: {into: south, rooms: [south]}\n") ==
          Msgs{"bad.yaml:35:30: error: merge.rooms[0]: room 'south' cannot be merged into itself"});
    CHECK(errors_of(with(mini, "    absence: 15%\n", "    reserve: {keep: 0, for: [\"111\"]}\n")) ==
          Msgs{"bad.yaml:31:21: error: groups.handlers.reserve.keep: expected an integer >= 1, got 0",
               "bad.yaml:31:30: error: groups.handlers.reserve.for[0]: no class named '111'; did you mean '101'?"});
    CHECK(errors_of(with(mini, "    rooms: {north", "    overflow_after: sometimes\n    rooms: {north")) ==
          Msgs{"bad.yaml:19:21: error: classes.999.overflow_after: expected a duration with a unit (s, min, h, d, w), "
               "e.g. 30s, got 'sometimes' (or never)"});
}

TEST_CASE("targets are checked by metric") {
    CHECK(errors_of(
              with(mini, "{metric: service_level, within: 10s, goal: 90%}", "{metric: service_levle, within: 10s}")) ==
          Msgs{"bad.yaml:21:18: error: classes.999.targets[0].metric: unknown metric 'service_levle'; did you mean "
               "'service_level'? (valid: service_level, abandoned_pct, asa and wait_quantile)"});
    CHECK(
        errors_of(with(mini, "goal: 90%}", "goal: 90}")) ==
        Msgs{"bad.yaml:21:52: error: classes.999.targets[0].goal: expected a share from 0 to 1 (e.g. 0.15 or 15%), got "
             "90"});
    CHECK(errors_of(with(mini, "within: 10s, goal: 90%", "max: 5%")) ==
          Msgs{"bad.yaml:21:9: error: classes.999.targets[0]: missing required key 'within'",
               "bad.yaml:21:9: error: classes.999.targets[0]: missing required key 'goal'",
               "bad.yaml:21:33: error: classes.999.targets[0].max: unknown key 'max'; expected one of: metric, within, "
               "goal, by or periods_met"});
}

TEST_CASE("a quantile of the answer time is a target: its q and its maximum") {
    const LoadResult r = load_scenario_text(
        with(mini, "{metric: service_level, within: 10s, goal: 90%}", "{metric: wait_quantile, q: 0.9, max: 30s}"),
        "x.yaml");
    REQUIRE(r.ok());
    const auto& t = r.spec->classes[0].targets[0];
    CHECK(t.metric == crsim::model::TargetSpec::Metric::wait_quantile);
    CHECK(t.q == 0.9);
    CHECK(t.goal == 30);
    CHECK(r.spec->classes[0].thresholds_s.empty());  // no service-level threshold to report
    CHECK(
        errors_of(with(mini, "{metric: service_level, within: 10s, goal: 90%}", "{metric: wait_quantile, max: 30s}")) ==
        Msgs{"bad.yaml:21:9: error: classes.999.targets[0]: missing required key 'q'"});
    CHECK(errors_of(with(mini, "{metric: service_level, within: 10s, goal: 90%}",
                         "{metric: wait_quantile, q: 2, max: 30s}")) ==
          Msgs{"bad.yaml:21:36: error: classes.999.targets[0].q: expected a share from 0 to 1 (e.g. 0.15 or 15%), got "
               "2"});
}

TEST_CASE("every problem is reported, in file order, and nothing else") {
    std::string y = with(mini, "horizon: 2w", "horizon: 2 weeks");
    y = with(y, "priority: 1", "priority: first");
    y = with(y, "headcount: 3", "headcount: -3");
    const Msgs got = errors_of(y);
    CHECK(got == Msgs{"bad.yaml:2:10: error: horizon: unknown unit 'weeks': expected s, min, h, d or w",
                      "bad.yaml:15:15: error: classes.999.priority: expected an integer, got 'first'",
                      "bad.yaml:34:100: error: roster[1].headcount: expected an integer >= 0, got -3"});
}

TEST_CASE("a group nobody rosters is a warning, not an error") {
    const LoadResult r = load_scenario_text(
        with(mini, "    absence: 15%\n", "    absence: 15%\n  spare:\n    takes: [\"101\"]\n"), "x.yaml");
    REQUIRE(r.ok());
    CHECK(messages(r) == Msgs{"x.yaml:32:3: warning: groups.spare: no roster line uses this group"});
}

// ---- The timeline keys: redial, traces, overtime, cohorts, merges by week, changes. ----

namespace {

// `mini` with a roster for week-by-week changes, over 26 weeks from Monday 6 January 2014.
std::string timeline_mini(const std::string& extra) {
    std::string y = with(mini, "horizon: 2w", "horizon: 26w\nstart_date: 2014-01-06");
    return y + extra;
}

crsim::model::ScenarioSpec load_ok(const std::string& yaml, Msgs expected_diagnostics = {}) {
    const LoadResult r = load_scenario_text(yaml, "x.yaml");
    INFO(doctest::toString(messages(r)));
    REQUIRE(r.ok());
    CHECK(messages(r) == expected_diagnostics);
    return *r.spec;
}

}  // namespace

TEST_CASE("redial, a replayed trace and the overtime premium become spec fields") {
    std::string y = with(mini, "    patience: {dist: exponential, mean: 5min}\n",
                         "    patience: {dist: exponential, mean: 5min}\n"
                         "    redial: {share: 30%, delay: {dist: exponential, mean: 10min}, max_attempts: 3}\n");
    y = with(y, "arrivals: {per_day: 500}",
             "arrivals: {times: [0s, 90s, 90s, 3min]}\n    redial: {share: 0.5, delay: 2min}");
    y = with(y, "    absence: 15%\n", "    absence: 15%\n    overtime_premium: 50%\n");
    const auto s = load_ok(y);
    const auto& r999 = s.classes[0].redial;
    CHECK(r999.share == doctest::Approx(0.3));
    CHECK(r999.delay.describe() == crsim::sim::Distribution::exponential(600).describe());
    CHECK(r999.max_attempts == 3);
    CHECK(s.classes[1].redial.max_attempts == 2);  // the default when redial is given: one ring back
    CHECK(s.classes[1].redial.delay.mean() == 120);
    CHECK(s.classes[1].arrivals.times_s == std::vector<double>{0, 90, 90, 180});
    CHECK(s.classes[1].arrivals.per_week == doctest::Approx(2.0));  // 4 calls over 2 weeks, for reports
    CHECK(s.groups[0].overtime_premium == doctest::Approx(0.5));
    // Without the keys: nobody rings back, no premium.
    const auto plain = load_ok(mini);
    CHECK(plain.classes[0].redial.share == 0);
    CHECK(plain.classes[0].redial.max_attempts == 1);
    CHECK(plain.classes[1].arrivals.times_s.empty());
    CHECK(plain.groups[0].overtime_premium == 0);
}

TEST_CASE("roster lines: overtime with a weekly cap, shift: always, a cohort") {
    const auto s = load_ok(
        timeline_mini(
            "  - {room: north, group: handlers, shift: early, days: weekdays, headcount: 4, overtime: true, "
            "weekly_cap: 120h,"
            " weeks: {from: 10}}\n"
            "  - {room: south, group: handlers, shift: always, headcount: 20}\n"
            "  - {room: south, group: handlers, shift: early, headcount: 3, overtime: true}\n"
            "  - {room: south, group: handlers, shift: early, headcount: 12, cohort: spring-2014, weeks: {from_date: "
            "2014-02-24,"
            " to_date: 2014-03-02}}\n"
            "cohorts:\n"
            "  autumn: {start_week: 30, course: 4w}\n"
            "  spring-2014: {start_date: 2014-02-24, course: 4w, available_during_course: 25%, initial_factor: 1.4,"
            " learning: 6w}\n"),
        Msgs{"x.yaml:41:3: warning: cohorts.autumn: no roster line uses this cohort",
             "x.yaml:41:24: warning: cohorts.autumn: week 30 starts after the horizon (26w): this never takes effect"});
    REQUIRE(s.shifts.size() == 6);
    const auto& ot = s.shifts[2];
    CHECK(ot.overtime);
    CHECK(ot.weekly_cap_hours == 120);
    CHECK(ot.from_week == 10);
    CHECK(ot.cohort == -1);
    CHECK_FALSE(s.shifts[0].overtime);
    CHECK(std::isinf(s.shifts[0].weekly_cap_hours));
    const auto& always = s.shifts[3];
    CHECK(std::isinf(always.length_s));
    CHECK(always.start_s == 0);
    CHECK(always.room == 1);
    CHECK(always.headcount == 20);
    CHECK(s.shifts[4].overtime);
    CHECK(std::isinf(s.shifts[4].weekly_cap_hours));  // no cap: unlimited
    const auto& trainees = s.shifts[5];
    CHECK(trainees.cohort == 1);
    CHECK(trainees.from_week == 8);  // 2014-02-24 is 49 days after 2014-01-06
    CHECK(trainees.to_week == 8);    // 2014-03-02, the Sunday of the same week
    REQUIRE(s.cohorts.size() == 2);  // declaration order kept
    CHECK(s.cohorts[0].name == "autumn");
    CHECK(s.cohorts[0].available_during_course == 0);
    CHECK(s.cohorts[0].initial_factor == 1);
    CHECK(s.cohorts[0].learning_weeks == 0);
    const auto& c = s.cohorts[1];
    CHECK(c.name == "spring-2014");
    CHECK(c.start_week == 8);
    CHECK(c.course_weeks == doctest::Approx(4));
    CHECK(c.available_during_course == doctest::Approx(0.25));
    CHECK(c.initial_factor == doctest::Approx(1.4));
    CHECK(c.learning_weeks == doctest::Approx(6));
}

TEST_CASE("a shift pattern named always takes precedence over the word") {
    const auto s =
        load_ok(with(mini, "shift_patterns:\n", "shift_patterns:\n  always: {start: \"00:00\", length: 24h}\n") +
                "  - {room: north, group: handlers, shift: always, days: all, headcount: 2}\n");
    CHECK(s.shifts.back().length_s == 86400);
}

TEST_CASE("a merge from week 6 keeps both rooms and adds a timed merge") {
    const auto s = load_ok(timeline_mini("merge: {into: south, rooms: [north], week: 6}\n"));
    REQUIRE(s.rooms.size() == 2);
    CHECK(s.classes[0].room_shares == std::vector<double>{0.45, 0.55});
    CHECK(s.shifts[0].room == 0);  // roster lines stay as written; the model moves them
    REQUIRE(s.merges.size() == 1);
    CHECK(s.merges[0].into == 1);
    CHECK(s.merges[0].rooms == std::vector<std::size_t>{0});
    CHECK(s.merges[0].week == 6);
    // week: 1, like no week, pools the rooms from the start.
    const auto pooled = load_ok(timeline_mini("merge: {into: south, rooms: [north], week: 1}\n"));
    CHECK(pooled.rooms.size() == 1);
    CHECK(pooled.merges.empty());
}

TEST_CASE("a merge date converts to the week containing it, counted from start_date") {
    const auto week_of = [](const std::string& date) {
        const auto s = load_ok(timeline_mini("merge: {into: south, rooms: [north], date: " + date + "}\n"));
        return s.merges.empty() ? 1 : s.merges[0].week;
    };
    CHECK(week_of("2014-01-06") == 1);  // start_date itself
    CHECK(week_of("2014-01-12") == 1);
    CHECK(week_of("2014-01-13") == 2);
    CHECK(week_of("2014-02-09") == 5);
    CHECK(week_of("2014-02-10") == 6);  // 35 days later
    // Weeks count from start_date (here a Wednesday), not from a Monday.
    const std::string wednesday = with(mini, "horizon: 2w", "horizon: 26w\nstart_date: 2014-01-08");
    CHECK(load_ok(wednesday + "merge: {into: south, rooms: [north], date: 2014-01-14}\n").merges.empty());
    const auto s = load_ok(wednesday + "merge: {into: south, rooms: [north], date: 2014-01-15}\n");
    REQUIRE(s.merges.size() == 1);
    CHECK(s.merges[0].week == 2);
}

TEST_CASE("merge may be a list: merges are kept in week order, rooms renumbered after week-1 merges") {
    std::string y = with(timeline_mini(""), "  south: {}\n", "  south: {}\n  west: {}\n  east: {}\n");
    y = with(y, "rooms: {north: 0.45, south: 55%}", "rooms: {north: 0.25, south: 25%, west: 0.25, east: 0.25}");
    y += "  - {room: west, group: handlers, shift: early, headcount: 1}\n"
         "  - {room: east, group: handlers, shift: early, headcount: 1}\n";
    const auto s = load_ok(y +
                           "merge:\n"
                           "  - {into: south, rooms: [west], week: 10}\n"
                           "  - {into: west, rooms: [east], week: 4}\n"
                           "  - {into: south, rooms: [north]}\n");
    REQUIRE(s.rooms.size() == 3);  // north pooled into south from the start
    CHECK(s.rooms[0].name == "south");
    CHECK(s.rooms[1].name == "west");
    CHECK(s.rooms[2].name == "east");
    CHECK(s.classes[0].room_shares == std::vector<double>{0.5, 0.25, 0.25});
    REQUIRE(s.merges.size() == 2);
    CHECK(s.merges[0].week == 4);  // east → west first, so east follows west into south in week 10
    CHECK(s.merges[0].into == 1);
    CHECK(s.merges[0].rooms == std::vector<std::size_t>{2});
    CHECK(s.merges[1].week == 10);
    CHECK(s.merges[1].into == 0);
    CHECK(s.merges[1].rooms == std::vector<std::size_t>{1});
}

TEST_CASE("transitions, disruptions, attrition, call-ins and cohorts become the spec's timeline") {
    std::string y = with(mini, "    absence: 15%\n", "    absence: 15%\n  staff-101:\n    takes: [\"101\"]\n");
    y = with(y, "horizon: 2w", "horizon: 26w\nstart_date: 2014-01-06");
    y += "  - {room: north, group: staff-101, shift: early, headcount: 5}\n"
         "transitions:\n"
         "  - {week: 6, handle_inflation: 25%, decay: 8w}\n"
         "  - {date: 2014-03-03, handle_inflation: 0.1, decay: 10d}\n"
         "disruptions:\n"
         "  - {groups: [handlers], weeks: {from: 6, to: 7}, headcount: 85%}\n"
         "  - {weeks: {from_date: 2014-02-10}, headcount: 0.5}\n"
         "attrition:\n"
         "  - {groups: [staff-101, handlers], weeks: {from: 6, to: 20}, per_week: 1%}\n"
         "  - {per_week: 0.5%}\n"
         "call_ins:\n"
         "  - {class: \"101\", room: south, group: handlers, queue_above: 15, for: 10min, people: 2, length: 2h,"
         " weekly_cap: 40h, weeks: {from: 10}}\n"
         "  - {class: \"999\", room: north, group: handlers, queue_above: 0, for: 30s, length: 4h}\n";
    const auto s = load_ok(y);
    REQUIRE(s.transitions.size() == 2);
    CHECK(s.transitions[0].week == 6);
    CHECK(s.transitions[0].handle_inflation == doctest::Approx(0.25));
    CHECK(s.transitions[0].decay_weeks == doctest::Approx(8));
    CHECK(s.transitions[1].week == 9);  // 56 days after start_date
    CHECK(s.transitions[1].decay_weeks == doctest::Approx(10.0 / 7));
    REQUIRE(s.disruptions.size() == 2);
    CHECK(s.disruptions[0].groups == std::vector<bool>{true, false});
    CHECK(s.disruptions[0].from_week == 6);
    CHECK(s.disruptions[0].to_week == 7);
    CHECK(s.disruptions[0].headcount_factor == doctest::Approx(0.85));
    CHECK(s.disruptions[1].groups == std::vector<bool>{true, true});  // every group by default
    CHECK(s.disruptions[1].from_week == 6);
    CHECK(s.disruptions[1].to_week == std::numeric_limits<int>::max());
    REQUIRE(s.attritions.size() == 2);
    CHECK(s.attritions[0].groups == std::vector<bool>{true, true});
    CHECK(s.attritions[0].from_week == 6);
    CHECK(s.attritions[0].to_week == 20);
    CHECK(s.attritions[0].weekly_loss == doctest::Approx(0.01));
    CHECK(s.attritions[1].from_week == 1);
    CHECK(s.attritions[1].to_week == std::numeric_limits<int>::max());
    REQUIRE(s.call_ins.size() == 2);
    const auto& c = s.call_ins[0];
    CHECK(c.cls == 1);
    CHECK(c.room == 1);
    CHECK(c.group == 0);
    CHECK(c.queue_above == 15);
    CHECK(c.sustained_s == 600);
    CHECK(c.people == 2);
    CHECK(c.length_s == 7200);
    CHECK(c.weekly_cap_hours == 40);
    CHECK(c.from_week == 10);
    CHECK(c.to_week == std::numeric_limits<int>::max());
    CHECK(s.call_ins[1].people == 1);
    CHECK(s.call_ins[1].queue_above == 0);
    CHECK(std::isinf(s.call_ins[1].weekly_cap_hours));
    CHECK(s.call_ins[1].from_week == 1);
}

TEST_CASE("a call-in rule's room follows a merge from the start") {
    const auto s =
        load_ok(timeline_mini("merge: {into: south, rooms: [north]}\n"
                              "call_ins:\n  - {class: \"101\", room: north, group: handlers, queue_above: 5,"
                              " for: 1min, length: 1h}\n"));
    REQUIRE(s.call_ins.size() == 1);
    CHECK(s.call_ins[0].room == 0);
}

TEST_CASE("timeline warnings: changes after the horizon, caps below one shift, dead rules, redial without abandons") {
    std::string y = with(mini, "patience: {dist: exponential, mean: 4min}",
                         "patience: never\n    redial: {share: 10%, delay: 5min}");
    y = with(y, "horizon: 2w", "horizon: 4w");
    y += "  - {room: north, group: handlers, shift: early, headcount: 2, overtime: true, weekly_cap: 4h, weeks: {from: "
         "5}}\n"
         "  - {room: north, group: handlers, shift: always, headcount: 2}\n"
         "merge: {into: south, rooms: [north], week: 3}\n"
         "transitions:\n  - {week: 5, handle_inflation: 20%, decay: 2w}\n"
         "disruptions:\n  - {weeks: {from: 2, to: 2}, headcount: 90%}\n"
         "call_ins:\n  - {class: \"101\", room: north, group: handlers, queue_above: 5, for: 1min, length: 2h,"
         " weekly_cap: 1h}\n";
    const LoadResult r = load_scenario_text(y, "w.yaml");
    REQUIRE(r.ok());
    CHECK(
        messages(r) ==
        Msgs{
            "w.yaml:27:13: warning: classes.101.redial: callers of this class never abandon (patience: never), so "
            "none rings again",
            "w.yaml:36:92: warning: roster[2].weekly_cap: the cap (4h) is less than one person's shift (8h): nobody "
            "ever works this line",
            "w.yaml:36:110: warning: roster[2].weeks: week 5 starts after the horizon (4w): this never takes effect",
            "w.yaml:37:5: warning: roster[3]: people on shift: always stay in 'north' after it merges into 'south' in "
            "week 3; give them a shift that ends, or roster them in 'south'",
            "w.yaml:37:5: warning: roster[3]: people on shift: always turn up once, at t = 0: disruptions and "
            "attrition of group 'handlers' after that do not reach them",
            "w.yaml:40:12: warning: transitions[0]: week 5 starts after the horizon (4w): this never takes effect",
            "w.yaml:44:5: warning: call_ins[0].room: room 'north' is merged in week 3; from then its queue stays empty "
            "and this rule calls nobody in",
            "w.yaml:44:101: warning: call_ins[0].weekly_cap: the cap (1h) is less than one person's call-in (2h): "
            "nobody is ever called in"});
}

// ---- Bad timeline keys: each problem reported once, exactly. ----

TEST_CASE("redial mistakes are errors") {
    const auto redial = [](const std::string& text) {
        return errors_of(
            with(mini, "    arrivals: {per_day: 500}\n", "    arrivals: {per_day: 500}\n    redial: " + text + "\n"));
    };
    CHECK(redial("{share: 30%, delay: 5min, max_atempts: 3}") ==
          Msgs{"bad.yaml:25:39: error: classes.101.redial.max_atempts: unknown key 'max_atempts'; did you mean "
               "'max_attempts'?"});
    CHECK(redial("{share: 130%, delay: 5min}") ==
          Msgs{"bad.yaml:25:21: error: classes.101.redial.share: expected a share from 0 to 1 (e.g. 0.15 or "
               "15%), got 130%"});
    CHECK(redial("{share: 30%, delay: 5min, max_attempts: 0}") ==
          Msgs{"bad.yaml:25:53: error: classes.101.redial.max_attempts: expected an integer >= 1, got 0"});
    CHECK(redial("{share: 30%}") == Msgs{"bad.yaml:25:13: error: classes.101.redial: missing required key 'delay'"});
    CHECK(redial("{share: 30%, delay: {dist: exponential, mean: 5}}") ==
          Msgs{"bad.yaml:25:59: error: classes.101.redial.delay.mean: expected a duration with a unit (s, min, "
               "h, d, w), e.g. 30s"});
    CHECK(redial("30%") ==
          Msgs{"bad.yaml:25:13: error: classes.101.redial: expected a map {share, delay, max_attempts}, got "
               "'30%'"});
}

TEST_CASE("a trace of arrival times must be ascending, before the horizon, and alone") {
    const auto arrivals = [](const std::string& text) {
        return errors_of(with(mini, "arrivals: {per_day: 500}", "arrivals: " + text));
    };
    CHECK(arrivals("{per_day: 500, times: [1h]}") ==
          Msgs{"bad.yaml:24:25: error: classes.101.arrivals.per_day: cannot be combined with times (a replayed "
               "trace)"});
    CHECK(arrivals("{times: [1h], profile: weekly-999, daily_cv: 0.1}") ==
          Msgs{"bad.yaml:24:38: error: classes.101.arrivals.profile: cannot be combined with times (a replayed "
               "trace)",
               "bad.yaml:24:60: error: classes.101.arrivals.daily_cv: cannot be combined with times (a replayed "
               "trace)"});
    CHECK(arrivals("{times: [0s, 3min, 90s]}") ==
          Msgs{"bad.yaml:24:34: error: classes.101.arrivals.times[2]: expected times in ascending order: this "
               "one comes before the one above it (3min)"});
    CHECK(arrivals("{times: [1h, 15d]}") ==
          Msgs{"bad.yaml:24:28: error: classes.101.arrivals.times[1]: expected a time before the horizon (2w), "
               "got 15d"});
    CHECK(arrivals("{times: []}") ==
          Msgs{"bad.yaml:24:23: error: classes.101.arrivals.times: expected at least one arrival time"});
    CHECK(arrivals("{times: [1h, 2]}") ==
          Msgs{"bad.yaml:24:28: error: classes.101.arrivals.times[1]: expected a duration with a unit (s, min, "
               "h, d, w), e.g. 30s"});
    CHECK(arrivals("{times: 1h}") ==
          Msgs{"bad.yaml:24:23: error: classes.101.arrivals.times: expected a list of arrival times (durations "
               "from t = 0, ascending), got '1h'"});
    CHECK(arrivals("{}") ==
          Msgs{"bad.yaml:24:15: error: classes.101.arrivals: missing the arrival rate: give one of per_week, "
               "per_day or per_year, or a trace (times)"});
}

TEST_CASE("overtime, weekly caps, shift: always and cohorts on roster lines are checked") {
    CHECK(errors_of(with(mini, "    absence: 15%\n", "    overtime_premium: -10%\n")) ==
          Msgs{"bad.yaml:31:23: error: groups.handlers.overtime_premium: expected a share >= 0 (e.g. 0.5 or "
               "50%), got -10%"});
    CHECK(errors_of(with(mini, "    absence: 15%\n", "    overtime_premium: lots\n")) ==
          Msgs{"bad.yaml:31:23: error: groups.handlers.overtime_premium: expected a share such as 0.15 or 15%, "
               "got 'lots'"});
    const auto line = [](const std::string& text) {
        return errors_of(timeline_mini("  - {room: north, group: handlers, " + text +
                                       "}\n"
                                       "cohorts:\n  spring: {start_week: 8, course: 4w}\n"));
    };
    CHECK(line("shift: early, headcount: 2, overtime: yes") ==
          Msgs{"bad.yaml:36:74: error: roster[2].overtime: expected true or false, got 'yes'"});
    CHECK(line("shift: early, headcount: 2, weekly_cap: 40h") ==
          Msgs{"bad.yaml:36:76: error: roster[2].weekly_cap: a weekly cap applies only to overtime lines: add "
               "overtime: true"});
    CHECK(line("shift: early, headcount: 2, overtime: false, weekly_cap: 40h") ==
          Msgs{"bad.yaml:36:93: error: roster[2].weekly_cap: a weekly cap applies only to overtime lines: add "
               "overtime: true"});
    CHECK(line("shift: early, headcount: 2, overtime: true, weekly_cap: 40") ==
          Msgs{"bad.yaml:36:92: error: roster[2].weekly_cap: expected a duration with a unit (s, min, h, d, w), "
               "e.g. 30s"});
    CHECK(line("shift: always, headcount: 2, days: weekdays, weeks: {from: 2}") ==
          Msgs{"bad.yaml:36:71: error: roster[2].days: not allowed with shift: always (on duty for the whole "
               "run)",
               "bad.yaml:36:88: error: roster[2].weeks: not allowed with shift: always (on duty for the whole "
               "run)"});
    CHECK(line("shift: always, headcount: 2, overtime: true, weekly_cap: 40h, cohort: spring") ==
          Msgs{"bad.yaml:36:93: error: roster[2].weekly_cap: not allowed with shift: always (the cap counts "
               "hours of shifts that end)",
               "bad.yaml:36:106: error: roster[2].cohort: not allowed with shift: always (trainees join when "
               "their course starts)"});
    CHECK(line("shift: alwys, headcount: 2, cohort: sprng") ==
          Msgs{"bad.yaml:36:43: error: roster[2].shift: no shift pattern named 'alwys'; did you mean 'always'?",
               "bad.yaml:36:72: error: roster[2].cohort: no cohort named 'sprng'; did you mean 'spring'?"});
    CHECK(errors_of(mini + "  - {room: north, group: handlers, shift: early, headcount: 2, cohort: spring}\n") ==
          Msgs{"bad.yaml:35:72: error: roster[2].cohort: no cohort named 'spring' (none is defined)"});
}

TEST_CASE("merge mistakes: weeks, dates, rooms merged twice or into a room already gone") {
    CHECK(errors_of(mini + "merge: {into: south, rooms: [north], week: 0}\n") ==
          Msgs{"bad.yaml:35:44: error: merge.week: expected an integer >= 1, got 0"});
    CHECK(errors_of(mini + "merge: {into: south, rooms: [north], date: 2014-02-10}\n") ==
          Msgs{"bad.yaml:35:44: error: merge.date: a date needs start_date (the date of t = 0) at the top level"});
    CHECK(errors_of(timeline_mini("merge: {into: south, rooms: [north], date: 2013-12-30}\n")) ==
          Msgs{"bad.yaml:36:44: error: merge.date: expected a date on or after start_date (2014-01-06), got "
               "2013-12-30"});
    CHECK(errors_of(timeline_mini("merge: {into: south, rooms: [north], date: 2014-02-30}\n")) ==
          Msgs{"bad.yaml:36:44: error: merge.date: no such date '2014-02-30'"});
    CHECK(errors_of(timeline_mini("merge: {into: south, rooms: [north], week: 6, date: 2014-02-10}\n")) ==
          Msgs{"bad.yaml:36:53: error: merge.date: give either week or date, not both"});
    CHECK(errors_of(timeline_mini("merge: {into: south, rooms: [north], wek: 6}\n")) ==
          Msgs{"bad.yaml:36:38: error: merge.wek: unknown key 'wek'; did you mean 'week'?"});
    CHECK(errors_of(timeline_mini("merge: south\n")) ==
          Msgs{"bad.yaml:36:8: error: merge: expected a merge {into, rooms, week} or a list of them, got "
               "'south'"});
    CHECK(
        errors_of(timeline_mini("merge:\n  - {into: south, rooms: [north], week: 6}\n  - {into: south, rooms: [north], "
                                "week: 8}\n")) ==
        Msgs{"bad.yaml:38:27: error: merge[1].rooms[0]: room 'north' is already merged into 'south' in week 6"});
    CHECK(
        errors_of(timeline_mini("merge:\n  - {into: south, rooms: [north], week: 6}\n  - {into: north, rooms: [south], "
                                "week: 8}\n")) ==
        Msgs{"bad.yaml:38:12: error: merge[1].into: room 'north' is itself merged into 'south' in week 6; "
             "merge into 'south' instead"});
    CHECK(errors_of(
              with(timeline_mini("merge:\n  - {into: south, rooms: [north], week: 6}\n  - {into: north, rooms: [west],"
                                 " week: 6}\n"),
                   "  south: {}\n", "  south: {}\n  west: {}\n")) ==
          Msgs{"bad.yaml:39:12: error: merge[1].into: room 'north' is itself merged into 'south' in week 6; "
               "merge into 'south' instead"});
}

TEST_CASE("transition, disruption and attrition mistakes are errors") {
    CHECK(errors_of(timeline_mini("transitions:\n  - {handle_inflation: 25%, decay: 8w}\n")) ==
          Msgs{"bad.yaml:37:5: error: transitions[0]: missing the week: give week (from 1) or date (YYYY-MM-DD)"});
    CHECK(errors_of(timeline_mini("transitions:\n  - {week: 6, handle_inflation: -5%, decay: 0w}\n")) ==
          Msgs{"bad.yaml:37:33: error: transitions[0].handle_inflation: expected a share >= 0 (e.g. 0.5 or "
               "50%), got -5%",
               "bad.yaml:37:45: error: transitions[0].decay: expected a positive duration, got 0w"});
    CHECK(errors_of(timeline_mini("transitions:\n  - {week: 6, inflation: 25%, decay: 8}\n")) ==
          Msgs{"bad.yaml:37:5: error: transitions[0]: missing required key 'handle_inflation'",
               "bad.yaml:37:15: error: transitions[0].inflation: unknown key 'inflation'; expected one of: "
               "week, date, handle_inflation or decay",
               "bad.yaml:37:38: error: transitions[0].decay: expected a duration with a unit (s, min, h, d, w), "
               "e.g. 30s"});
    CHECK(errors_of(timeline_mini("transitions: {week: 6}\n")) ==
          Msgs{"bad.yaml:36:14: error: transitions: expected a list of transitions {week, handle_inflation, "
               "decay}, got a map"});
    CHECK(errors_of(
              timeline_mini("disruptions:\n  - {groups: [handlers, handler], weeks: {from: 6, to: 7}, headcount: 85%}\n"
                            "  - {groups: [handlers, handlers], weeks: {from: 6}, headcount: 120%}\n")) ==
          Msgs{"bad.yaml:37:25: error: disruptions[0].groups[1]: no group named 'handler'; did you mean "
               "'handlers'?",
               "bad.yaml:38:25: error: disruptions[1].groups[1]: group 'handlers' is listed twice",
               "bad.yaml:38:65: error: disruptions[1].headcount: expected a share from 0 to 1 (e.g. 0.15 or "
               "15%), got 120%"});
    CHECK(errors_of(timeline_mini("disruptions:\n  - {groups: [], headcount: 85%}\n")) ==
          Msgs{"bad.yaml:37:5: error: disruptions[0]: missing required key 'weeks'",
               "bad.yaml:37:14: error: disruptions[0].groups: expected at least one group name (leave groups "
               "out for every group)"});
    CHECK(errors_of(timeline_mini("disruptions:\n  - {weeks: {from: 6, to: 5}, headcount: 85%}\n"
                                  "  - {weeks: {from: 6, from_date: 2014-02-10, till: 8}, headcount: 85%}\n")) ==
          Msgs{"bad.yaml:37:27: error: disruptions[0].weeks.to: expected at least weeks.from (6), got 5",
               "bad.yaml:38:34: error: disruptions[1].weeks.from_date: give either from or from_date, not both",
               "bad.yaml:38:46: error: disruptions[1].weeks.till: unknown key 'till'; expected one of: from, "
               "to, from_date or to_date"});
    CHECK(errors_of(timeline_mini("attrition:\n  - {weeks: {from: 6, to_date: 2014-01-20}}\n")) ==
          Msgs{"bad.yaml:37:5: error: attrition[0]: missing required key 'per_week'",
               "bad.yaml:37:32: error: attrition[0].weeks.to_date: expected a date in week 6 (weeks.from) or "
               "later, got 2014-01-20 (week 3)"});
    CHECK(errors_of(timeline_mini("attrition:\n  - {weeks: {from: 0}, per_week: 1.5}\n  - 1%\n")) ==
          Msgs{"bad.yaml:37:20: error: attrition[0].weeks.from: expected an integer >= 1, got 0",
               "bad.yaml:37:34: error: attrition[0].per_week: expected a share from 0 to 1 (e.g. 0.15 or 15%), "
               "got 1.5",
               "bad.yaml:38:5: error: attrition[1]: expected an attrition rule {groups, weeks, per_week}, got "
               "'1%'"});
}

TEST_CASE("call-in mistakes are errors; the group must take the class") {
    const std::string staff =
        with(timeline_mini(""), "    absence: 15%\n", "    absence: 15%\n  staff-101:\n    takes: [\"101\"]\n");
    const auto rule = [&](const std::string& text) {
        return errors_of(staff + "  - {room: north, group: staff-101, shift: early, headcount: 2}\ncall_ins:\n  - {" +
                         text + "}\n");
    };
    CHECK(rule("class: \"999\", room: north, group: staff-101, queue_above: 5, for: 1min, length: 1h") ==
          Msgs{"bad.yaml:40:40: error: call_ins[0].group: group 'staff-101' does not take class '999'"});
    CHECK(rule("class: \"991\", room: nowhere, group: staff-11, queue_above: 5, for: 1min, length: 1h") ==
          Msgs{"bad.yaml:40:13: error: call_ins[0].class: no class named '991'; did you mean '999'?",
               "bad.yaml:40:26: error: call_ins[0].room: no room named 'nowhere' (defined: north and south)",
               "bad.yaml:40:42: error: call_ins[0].group: no group named 'staff-11'; did you mean 'staff-101'?"});
    CHECK(rule("class: \"101\", room: north, group: staff-101, queue_above: -1, for: 0s, people: 0") ==
          Msgs{"bad.yaml:40:5: error: call_ins[0]: missing required key 'length'",
               "bad.yaml:40:64: error: call_ins[0].queue_above: expected an integer >= 0, got -1",
               "bad.yaml:40:73: error: call_ins[0].for: expected a positive duration, got 0s",
               "bad.yaml:40:85: error: call_ins[0].people: expected an integer >= 1, got 0"});
    CHECK(rule("class: \"101\", room: north, group: staff-101, queue_above: 5, for: 1min, length: 1h, weekly_cap: 40, "
               "weeks: {to: 3}, cap: 2") ==
          Msgs{"bad.yaml:40:102: error: call_ins[0].weekly_cap: expected a duration with a unit (s, min, h, d, "
               "w), e.g. 30s",
               "bad.yaml:40:122: error: call_ins[0].cap: unknown key 'cap'; expected one of: class, room, "
               "group, queue_above, for, people, length, weekly_cap or weeks"});
}

TEST_CASE("cohort mistakes are errors") {
    const auto cohort = [](const std::string& text) {
        return errors_of(
            timeline_mini("  - {room: north, group: handlers, shift: early, headcount: 2, cohort: c}\n"
                          "cohorts:\n  c: " +
                          text + "\n"));
    };
    CHECK(cohort("{available_during_course: 150%}") ==
          Msgs{"bad.yaml:38:6: error: cohorts.c: missing the week: give start_week (from 1) or start_date "
               "(YYYY-MM-DD)",
               "bad.yaml:38:6: error: cohorts.c: missing required key 'course'",
               "bad.yaml:38:32: error: cohorts.c.available_during_course: expected a share from 0 to 1 (e.g. "
               "0.15 or 15%), got 150%"});
    CHECK(cohort("{start_week: 8, start_date: 2014-02-24, course: 4w, initial_factor: 0, lerning: 6w}") ==
          Msgs{"bad.yaml:38:34: error: cohorts.c.start_date: give either start_week or start_date, not both",
               "bad.yaml:38:74: error: cohorts.c.initial_factor: expected a positive number, got 0",
               "bad.yaml:38:77: error: cohorts.c.lerning: unknown key 'lerning'; did you mean 'learning'?"});
    CHECK(cohort("{start_week: 8, course: -4w, learning: 6}") ==
          Msgs{"bad.yaml:38:30: error: cohorts.c.course: expected a duration >= 0, got -4w",
               "bad.yaml:38:45: error: cohorts.c.learning: expected a duration with a unit (s, min, h, d, w), "
               "e.g. 30s"});
    CHECK(errors_of(timeline_mini("cohorts: [spring]\n")) ==
          Msgs{"bad.yaml:36:10: error: cohorts: expected a map of named training cohorts, got a list"});
}

TEST_CASE("named roster blocks add lines after the roster, so an extending file can add staff") {
    const auto s =
        load_ok(mini +
                "rosters:\n"
                "  officers:\n"
                "    - {room: south, group: handlers, shift: early, days: weekends, headcount: 2, weeks: {from: 2}}\n");
    REQUIRE(s.shifts.size() == 3);
    CHECK(s.shifts[2].room == 1);
    CHECK(s.shifts[2].headcount == 2);
    CHECK(s.shifts[2].from_week == 2);
    CHECK(
        errors_of(mini + "rosters:\n  officers:\n    - {room: east, group: handlers, shift: early, headcount: 2}\n") ==
        std::vector<std::string>{"bad.yaml:37:14: error: rosters.officers[0].room: no room named 'east' "
                                 "(defined: north and south)"});
    CHECK(errors_of(mini + "rosters: [1, 2]\n") ==
          std::vector<std::string>{
              "bad.yaml:35:10: error: rosters: expected a map of named lists of roster lines, got a list"});
}

TEST_CASE("currency and contract hours: defaults, values, and located errors") {
    const LoadResult plain = load_scenario_text(mini, "ok.yaml");
    REQUIRE(plain.ok());
    CHECK(plain.spec->currency.empty());
    CHECK(plain.spec->groups[0].contract_hours_per_week == 37);
    const LoadResult given = load_scenario_text(
        with(mini, "    absence: 15%", "    absence: 15%\n    contract_hours_per_week: 40") + "currency: GBP\n",
        "ok.yaml");
    REQUIRE(given.ok());
    CHECK(given.spec->currency == "GBP");
    CHECK(given.spec->groups[0].contract_hours_per_week == 40);
    const Msgs zero = errors_of(with(mini, "    absence: 15%", "    absence: 15%\n    contract_hours_per_week: 0"));
    REQUIRE(zero.size() == 1);
    CHECK(zero[0] ==
          "bad.yaml:32:30: error: groups.handlers.contract_hours_per_week: expected a positive number, got 0");
    const Msgs week = errors_of(with(mini, "    absence: 15%", "    absence: 15%\n    contract_hours_per_week: 169"));
    REQUIRE(week.size() == 1);
    CHECK(week[0].rfind("bad.yaml:32:30: error: groups.handlers.contract_hours_per_week: expected", 0) == 0);
    CHECK(errors_of(mini + "currency: [GBP]\n").size() == 1);
    CHECK(errors_of(mini + "currency: \"a very long currency name\"\n") ==
          Msgs{"bad.yaml:35:11: error: currency: expected a currency of at most 16 bytes (GBP, £), got 25"});
}
