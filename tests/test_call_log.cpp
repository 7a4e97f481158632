// The call-log reader: columns by name in any order, --map, quoting, and bad rows named by line.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "crsim/calllog/call_log.hpp"

using namespace crsim::calllog;

namespace {

CallLog read(const std::string& text, const ReadOptions& options = {}) {
    std::istringstream in(text);
    return read_call_log(in, "log.csv", options);
}

std::string error_of(const std::string& text, const ReadOptions& options = {}) {
    try {
        read(text, options);
    } catch (const CallLogError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a call log is read by column name, in any order, extra columns ignored") {
    const CallLog log = read(
        "wait_s,extra,class,arrival,outcome,handle_s,agent\r\n"
        "12,x,101,2024-01-01T08:00:05,answered,300,A1\r\n"
        "\r\n"
        "40.5,y,999,2024-01-01 08:01:00.25,abandoned,,\r\n");
    REQUIRE(log.calls.size() == 2);
    CHECK(log.classes == std::vector<std::string>{"101", "999"});
    CHECK(log.has_agent);
    CHECK_FALSE(log.has_room);
    const CallRecord& a = log.calls[0];
    // 2024-01-01 is day 19723 since 1970-01-01.
    CHECK(a.arrival_s == doctest::Approx(19723 * 86400.0 + 8 * 3600 + 5));
    CHECK(a.outcome == Outcome::answered);
    CHECK(a.wait_s == 12);
    CHECK(a.handle_s == 300);
    CHECK(a.agent == 0);
    CHECK(a.line == 2);
    const CallRecord& b = log.calls[1];
    CHECK(b.arrival_s == doctest::Approx(19723 * 86400.0 + 8 * 3600 + 60.25));
    CHECK(b.outcome == Outcome::abandoned);
    CHECK(b.cls == 1);
    CHECK(b.agent == -1);
    CHECK(b.line == 4);
    CHECK(weekday_of_day(day_number(a.arrival_s)) == 0);  // a Monday
}

TEST_CASE("--map renames columns and quoted fields may hold commas and quotes") {
    ReadOptions options;
    options.column_names = parse_column_map("arrival=CallStart, class=Queue,outcome=Result,wait_s=Wait,handle_s=Talk");
    const CallLog log = read(
        "CallStart,Queue,Result,Wait,Talk\n"
        "2024-03-01T10:00:00,\"Non, \"\"urgent\"\"\",answered,0,60\n",
        options);
    REQUIRE(log.calls.size() == 1);
    CHECK(log.classes[0] == "Non, \"urgent\"");
    CHECK_THROWS_WITH_AS(
        parse_column_map("arrivals=X"),
        "unknown column 'arrivals': expected arrival, class, outcome, wait_s, handle_s, wrap_s, agent or room",
        std::invalid_argument);
    CHECK_THROWS_AS(parse_column_map("arrival=X,arrival=Y"), std::invalid_argument);
    CHECK_THROWS_AS(parse_column_map("arrival"), std::invalid_argument);
}

TEST_CASE("bad rows are errors naming their line, or counted with skip_bad") {
    const std::string header = "arrival,class,outcome,wait_s,handle_s\n";
    CHECK(error_of(header + "2024-01-01T00:00:00,A,answered,1,2\n2024-01-01T00:00:01,A,lost,1,2\n") ==
          "log.csv:3: error: column 'outcome': expected answered or abandoned, got 'lost' (--skip-bad leaves bad rows "
          "out, counted)");
    CHECK(error_of(header + "2024-01-01T00:00:00,A,answered,-1,2\n") ==
          "log.csv:2: error: column 'wait_s': expected a number of seconds >= 0, got '-1' (--skip-bad leaves bad rows "
          "out, counted)");
    CHECK(error_of(header + "2024-01-01T00:00:00,A,answered,1,\n").find("log.csv:2: error: column 'handle_s'") == 0);
    CHECK(error_of(header + "2024-02-30T00:00:00,A,answered,1,2\n").find("log.csv:2: error: column 'arrival'") == 0);
    CHECK(error_of(header + "2024-01-01T00:00:00,A,answered,1\n").find("log.csv:2: error: expected 5 fields") == 0);
    CHECK(error_of(header + "60,A,answered,1,2\n").find("give the date-time of second 0 with --origin") !=
          std::string::npos);
    CHECK(error_of("arrival,class,outcome,handle_s\n") ==
          "log.csv:1: error: missing column 'wait_s'; the header has: arrival class outcome handle_s (--map "
          "wait_s=HEADER renames one)");
    CHECK(error_of("") == "log.csv:1: error: empty file: expected a header line");

    ReadOptions skip;
    skip.skip_bad = true;
    const CallLog log = read(header +
                                 "2024-01-01T00:00:00,A,answered,1,2\nnonsense\n2024-01-01T00:00:09,B,oops,1,2\n"
                                 "2024-01-01T00:00:10,A,abandoned,3,\n",
                             skip);
    CHECK(log.calls.size() == 2);
    CHECK(log.skipped == 2);
    REQUIRE(log.skip_reasons.size() == 2);
    CHECK(log.skip_reasons[0] == "log.csv:3: error: expected 5 fields as in the header, got 1");
    CHECK(log.classes == std::vector<std::string>{"A"});  // B's row was bad: no class B
}

TEST_CASE("arrivals in seconds need an origin") {
    ReadOptions options;
    options.origin_s = parse_local_datetime("2024-01-01T06:00");
    const CallLog log = read("arrival,class,outcome,wait_s,handle_s\n90.5,A,answered,0,1\n", options);
    CHECK(log.calls[0].arrival_s == doctest::Approx(19723 * 86400.0 + 6 * 3600 + 90.5));
}

TEST_CASE("local date-times are written back to the millisecond without rounding to 60 s") {
    const double t = *parse_local_datetime("1999-10-01T23:59:59.9996");
    CHECK(format_local_datetime(t, 3) == "1999-10-02T00:00:00.000");
    CHECK(format_local_datetime(*parse_local_datetime("1999-10-01T07:02:45"), 0) == "1999-10-01T07:02:45");
    CHECK(format_date(day_number(t)) == "1999-10-01");
    CHECK(weekday_of_day(day_number(t)) == 4);  // a Friday
    CHECK_FALSE(parse_local_datetime("1999-10-01T24:00:00"));
    CHECK_FALSE(parse_local_datetime("1999-10-01X07:00"));
}
