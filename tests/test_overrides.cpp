// --set overrides and roster selectors: what each changes, and the message when one cannot apply.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/overrides.hpp"

using namespace crsim::scenario;

namespace {

const bool in_source_dir = [] {
    std::filesystem::current_path(CRSIM_SOURCE_DIR);
    return true;
}();

std::vector<Override> sets(const std::vector<std::string>& arguments) {
    std::vector<Override> out;
    for (const std::string& a : arguments) {
        std::string error;
        const auto o = parse_override(a, error);
        REQUIRE_MESSAGE(o, error);
        out.push_back(*o);
    }
    return out;
}

std::vector<std::string> messages(const LoadResult& r) {
    std::vector<std::string> out;
    for (const Diagnostic& d : r.diagnostics)
        if (!d.warning) out.push_back(d.format());
    return out;
}

LoadResult two_rooms(const std::vector<std::string>& arguments) {
    return load_scenario("scenarios/two-rooms.yaml", sets(arguments));
}

/// Headcount of every roster line, in roster order.
std::vector<int> headcounts(const LoadResult& r) {
    std::vector<int> out;
    for (const auto& s : r.spec->shifts) out.push_back(s.headcount);
    return out;
}

// two-rooms.yaml's roster: hanley lines 0-9, stafford 10-19; lines 4, 9, 14, 19 are nights.
const std::vector<int> base_headcounts = {6, 5, 5, 3, 3, 5, 3, 5, 2, 3, 8, 5, 7, 3, 3, 7, 3, 7, 2, 3};

}  // namespace

TEST_CASE("roster[shift=night].headcount+=3 adds 3 to the night lines and to no other") {
    const LoadResult r = two_rooms({"roster[shift=night].headcount+=3"});
    REQUIRE(r.ok());
    std::vector<int> expected = base_headcounts;
    for (const int i : {4, 9, 14, 19}) expected[static_cast<std::size_t>(i)] += 3;
    CHECK(headcounts(r) == expected);
    std::vector<std::string> changed;
    for (const RosterLineText& line : r.roster)
        if (line.overridden) changed.push_back(line.path);
    CHECK(changed == std::vector<std::string>{"roster[4]", "roster[9]", "roster[14]", "roster[19]"});
}

TEST_CASE("selectors combine keys; days select the lines working on every day named") {
    const LoadResult r = two_rooms({"roster[room=stafford,days=sat].headcount*=1.5", "roster[3].headcount=8"});
    REQUIRE(r.ok());
    std::vector<int> expected = base_headcounts;
    expected[3] = 8;
    // Stafford weekend lines 15-19: 7, 3, 7, 2, 3 times 1.5, rounded to nearest (halves away from 0).
    const std::vector<int> weekend = {11, 5, 11, 3, 5};
    for (std::size_t i = 0; i < weekend.size(); ++i) expected[15 + i] = weekend[i];
    CHECK(headcounts(r) == expected);
}

TEST_CASE("[*] and *= on integers round to the nearest integer") {
    const LoadResult r = two_rooms({"roster[*].headcount*=1.1"});
    REQUIRE(r.ok());
    std::vector<int> expected;
    for (const int h : base_headcounts) expected.push_back(static_cast<int>(std::llround(h * 1.1)));
    CHECK(headcounts(r) == expected);
}

TEST_CASE("= sets durations, shares and new keys; += adds durations and percentages") {
    const LoadResult r =
        two_rooms({"classes.101.patience.mean=5min", "groups.call-handlers.absence=20%", "horizon=8w", "warmup+=1d",
                   "classes.999.targets[0].goal+=2%", "groups.call-handlers.overtime_premium=50%"});
    REQUIRE(r.ok());
    const auto& spec = *r.spec;
    CHECK(spec.horizon_s == 8 * 7 * 86400.0);
    CHECK(spec.warmup_s == 8 * 86400.0);
    CHECK(spec.groups[0].absence == doctest::Approx(0.20));
    CHECK(spec.groups[0].overtime_premium == doctest::Approx(0.5));
    CHECK(spec.classes[1].patience->mean() == doctest::Approx(300));
    CHECK(spec.classes[0].targets[0].goal == doctest::Approx(0.92));
}

TEST_CASE("overrides change the scenario's fingerprint") {
    const LoadResult plain = two_rooms({});
    const LoadResult changed = two_rooms({"horizon=5w"});
    REQUIRE(plain.ok());
    REQUIRE(changed.ok());
    CHECK(plain.spec->sha256 != changed.spec->sha256);
}

TEST_CASE("an override that matches nothing is an error naming the --set argument, with a suggestion") {
    CHECK(messages(two_rooms({"roster[shift=nigth].headcount+=3"})) ==
          std::vector<std::string>{"--set 'roster[shift=nigth].headcount+=3': error: roster[shift=nigth]: no roster "
                                   "line has shift 'nigth'; did you mean 'night'? (lines have shift early, day, late, "
                                   "evening or night)"});
    CHECK(messages(two_rooms({"roster[shft=night].headcount+=3"})) ==
          std::vector<std::string>{"--set 'roster[shft=night].headcount+=3': error: roster[shft=night]: a roster line "
                                   "has no key 'shft'; did you mean 'shift'?"});
    CHECK(messages(two_rooms({"classes.1011.patience.mean=4min"})) ==
          std::vector<std::string>{"--set 'classes.1011.patience.mean=4min': error: classes.1011: no key '1011' in "
                                   "classes; did you mean '101'?"});
    CHECK(messages(two_rooms({"groups.call-handlers.absense=3%"})) ==
          std::vector<std::string>{"--set 'groups.call-handlers.absense=3%': error: groups.call-handlers.absense: no "
                                   "key 'absense' in groups.call-handlers; did you mean 'absence'?"});
    CHECK(messages(two_rooms({"roster[40].headcount=1"})) ==
          std::vector<std::string>{"--set 'roster[40].headcount=1': error: roster[40]: no item 40 in roster (indexes "
                                   "go from 0 to 19)"});
    CHECK(messages(two_rooms({"roster[room=hanley,shift=night,days=mon-fri,overtime=true].headcount=1"})) ==
          std::vector<std::string>{"--set 'roster[room=hanley,shift=night,days=mon-fri,overtime=true].headcount=1': "
                                   "error: roster[room=hanley,shift=night,days=mon-fri,overtime=true]: no roster line "
                                   "has overtime 'true' (lines have overtime false)"});
}

TEST_CASE("a bad value set is reported by validation, located at the --set argument") {
    CHECK(messages(two_rooms({"roster[0].headcount=x", "warmup=9w"})) ==
          std::vector<std::string>{
              "--set 'roster[0].headcount=x': error: roster[0].headcount: expected an integer, got 'x'",
              "--set 'warmup=9w': error: warmup: expected less than the horizon (5w), got 9w"});
    CHECK(messages(two_rooms({"roster[*].days+=2"})) ==
          std::vector<std::string>{"--set 'roster[*].days+=2': error: roster[0].days: cannot add 'weekdays': expected "
                                   "a number, a duration or a percentage there"});
    CHECK(messages(two_rooms({"horizon+=2"})) ==
          std::vector<std::string>{"--set 'horizon+=2': error: horizon: the value is a duration (5w): += takes a "
                                   "duration such as 30s or 2min, got '2'"});
}

TEST_CASE("selectors cover the lines of named rosters blocks too") {
    const std::string yaml = R"(horizon: 1w
rooms: {north: {}}
classes:
  A: {priority: 1, arrivals: {per_day: 10}, handle_time: 5min, wrap_up: 0s, patience: never, connection: 0s, rooms: {north: 100%}}
groups:
  g: {takes: [A]}
roster:
  - {room: north, group: g, shift: always, headcount: 2}
rosters:
  extra:
    - {room: north, group: g, shift: always, headcount: 1, overtime: true}
)";
    std::string error;
    const auto o = parse_override("roster[overtime=true].headcount+=4", error);
    REQUIRE(o);
    const LoadResult r = load_scenario_text(yaml, "mini.yaml", {*o});
    REQUIRE_MESSAGE(r.ok(), (r.diagnostics.empty() ? "" : r.diagnostics.front().format()));
    REQUIRE(r.spec->shifts.size() == 2);
    CHECK(r.spec->shifts[0].headcount == 2);
    CHECK(r.spec->shifts[1].headcount == 5);
    REQUIRE(r.roster.size() == 2);
    CHECK(r.roster[1].path == "rosters.extra[0]");
    CHECK(r.roster[1].overridden);
}

TEST_CASE("malformed --set arguments are refused before loading") {
    std::string error;
    CHECK_FALSE(parse_override("horizon", error));
    CHECK(error ==
          "expected PATH=VALUE, PATH+=VALUE or PATH*=VALUE (e.g. classes.101.patience.mean=5min), got 'horizon'");
    CHECK_FALSE(parse_override("roster[.headcount=3", error));
    CHECK(error == "'roster[.headcount=3': unclosed '[' in the path");
    CHECK_FALSE(parse_override("classes..101=3", error));
    CHECK(error == "'classes..101=3': an empty key in the path (two dots, or a leading dot)");
    CHECK_FALSE(parse_override("horizon*=", error));
    CHECK(error == "'horizon*=': nothing after the operator");
}
