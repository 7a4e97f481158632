// The call-log reader: columns by name in any order, --map, quoting, and bad rows named by line.
#include <doctest/doctest.h>

#include <cmath>
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
    CHECK_THROWS_WITH_AS(parse_column_map("arrivals=X"),
                         "unknown column 'arrivals': expected arrival, class, outcome, wait_s, handle_s, wrap_s, "
                         "agent, room or priority",
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

TEST_CASE("lines may end with a lone CR, as old exports do; the rows keep their line numbers") {
    const CallLog log = read(
        "arrival,class,outcome,wait_s,handle_s\r2024-01-01T08:00:00,A,answered,1,2\r"
        "2024-01-01T08:00:05,\"B\rC\",abandoned,3,\r2024-01-01T08:00:09,A,answered,1,2\r");
    REQUIRE(log.calls.size() == 3);
    CHECK(log.classes == std::vector<std::string>{"A", "B\rC"});
    CHECK(log.calls[2].line == 5);
}

TEST_CASE("a row or a log beyond the limits of size stops the reading, named") {
    ReadOptions options;
    options.max_record_bytes = 64;
    const std::string header = "arrival,class,outcome,wait_s,handle_s\n";
    CHECK(error_of(header + "2024-01-01T08:00:00," + std::string(100, 'A') + ",answered,1,2\n", options) ==
          "log.csv:2: error: a row longer than 64 bytes, the limit for a row of a log or table (--allow-large reads it "
          "anyway)");
    // A stream without a line end (/dev/zero) is stopped by the limit of a row, not read whole.
    CHECK(error_of(std::string(1000, '\0'), options) ==
          "log.csv:1: error: a row longer than 64 bytes, the limit for a row of a log or table (--allow-large reads it "
          "anyway)");
    options.max_bytes = 100000;
    std::string rows;
    while (rows.size() < 200000) rows += "2024-01-01T08:00:00,A,answered,1,2\n";
    CHECK(
        error_of(header + rows, options) ==
        "log.csv:0: error: the file is longer than 100000 bytes, the limit for a log or table (--allow-large reads it "
        "anyway)");
}

TEST_CASE("absurd times are bad rows, named: an arrival beyond the dates of the format, a duration over 1e10 s") {
    ReadOptions options;
    options.origin_s = 0;
    const std::string header = "arrival,class,outcome,wait_s,handle_s,wrap_s\n";
    CHECK(error_of(header + "0,A,answered,1,2,\n1e300,A,answered,1,2,\n", options) ==
          "log.csv:3: error: column 'arrival': '1e300' seconds from --origin 1970-01-01T00:00:00 falls outside the "
          "years 0000 to 9999 that a log may span (--skip-bad leaves bad rows out, counted)");
    CHECK(error_of(header + "-1e12,A,answered,1,2,\n", options).starts_with("log.csv:2: error: column 'arrival': "));
    // The last second of 9999 is a date of the format; the next is not.
    const double end = *parse_local_datetime("9999-12-31T23:59:59");
    CHECK(read(header + std::to_string(end) + ",A,answered,1,2,\n", options).calls.size() == 1);
    CHECK(error_of(header + std::to_string(end + 1) + ",A,answered,1,2,\n", options).starts_with("log.csv:2: error:"));
    for (const char* column : {"wait_s", "handle_s", "wrap_s"}) {
        std::string row = "0,A,answered,1,2,3\n";
        const std::size_t at = std::string_view(column) == "wait_s"     ? 13
                               : std::string_view(column) == "handle_s" ? 15
                                                                        : 17;
        row.replace(at, 1, "1e15");
        CHECK(error_of(header + row, options) ==
              "log.csv:2: error: column '" + std::string(column) +
                  "': expected at most 1e10 seconds (about 317 years, the longest duration of a scenario), got "
                  "'1e15' (--skip-bad leaves bad rows out, counted)");
    }
    CHECK(read(header + "0,A,answered,1e10,1e10,1e10\n", options).calls.size() == 1);
}

TEST_CASE("class and room names must be UTF-8, as in a scenario") {
    CHECK(error_of("arrival,class,outcome,wait_s,handle_s,room\n2024-01-01T08:00:00,caf\xe9,answered,1,2,r\n") ==
          "log.csv:2: error: column 'class': expected UTF-8 text, got the byte 0xe9 at byte 4 (iconv converts a log "
          "to UTF-8) (--skip-bad leaves bad rows out, counted)");
    CHECK(error_of("arrival,class,outcome,wait_s,handle_s,room\n2024-01-01T08:00:00,A,answered,1,2,\xff\n")
              .starts_with("log.csv:2: error: column 'room': expected UTF-8 text, got the byte 0xff at byte 1"));
    CHECK(read("arrival,class,outcome,wait_s,handle_s\n2024-01-01T08:00:00,caf\xc3\xa9,answered,1,2\n").classes ==
          std::vector<std::string>{"caf\xc3\xa9"});
    CHECK(invalid_utf8_at("ok \xe2\x82\xac") == std::nullopt);
    CHECK(invalid_utf8_at("\xc0\x80") == std::size_t{0});        // an overlong form
    CHECK(invalid_utf8_at("ab\xed\xa0\x80") == std::size_t{3});  // a surrogate
}

TEST_CASE("a day number of any time, however absurd, is defined") {
    CHECK(day_number(1e300) == 1'000'000'000'000'000);
    CHECK(day_number(-1e300) == -1'000'000'000'000'000);
    CHECK(day_number(std::nan("")) == 0);
}
