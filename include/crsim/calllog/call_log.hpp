#pragma once
/// \file
/// The call-log format: one row per call that asked for a person, as a telephony system exports it.
/// CSV with a header; columns by name in any order, extra columns ignored. Read by `crsim fit` and
/// `crsim backtest`, written by `crsim run --calls-log`. The format is documented in README.md
/// ("The call-log format").

#include <cstdint>
#include <fstream>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace crsim::calllog {

/// How a call ended.
enum class Outcome : std::uint8_t { answered, abandoned };

/// One call. Times are local civil seconds since 1970-01-01 00:00 (no time zone, no daylight
/// saving: the clock on the wall of the centre, as the log gives it).
struct CallRecord {
    double arrival_s = 0;
    std::uint32_t cls = 0;  ///< index into CallLog::classes
    Outcome outcome = Outcome::answered;
    double wait_s = 0;           ///< to answer or to hanging up
    double handle_s = 0;         ///< talk time; answered calls only (0 for abandoned ones)
    double wrap_s = -1;          ///< after-call work; < 0 when not recorded
    std::int32_t agent = -1;     ///< index into CallLog::agents, or -1
    std::int32_t room = -1;      ///< index into CallLog::rooms, or -1
    std::int32_t priority = -1;  ///< index into CallLog::priorities, or -1 (no column, or empty)
    std::uint64_t line = 0;      ///< line of the file it came from (1 = the header)
};

/// A whole log, rows in file order.
struct CallLog {
    std::vector<std::string> classes;  ///< in order of first appearance
    std::vector<std::string> agents;
    std::vector<std::string> rooms;
    std::vector<std::string> priorities;  ///< the `priority` column's values (any text), in order of first appearance
    std::vector<CallRecord> calls;
    bool has_wrap = false, has_agent = false, has_room = false, has_priority = false;
    std::uint64_t skipped = 0;              ///< bad rows left out (only with skip_bad)
    std::vector<std::string> skip_reasons;  ///< the first few bad rows' messages (only with skip_bad)
};

/// The columns of the format, by their canonical names.
inline constexpr std::string_view required_columns[] = {"arrival", "class", "outcome", "wait_s", "handle_s"};
inline constexpr std::string_view optional_columns[] = {"wrap_s", "agent", "room", "priority"};

/// The longest wait, handle or wrap-up time a log may hold: the longest duration of a scenario.
inline constexpr double max_duration_s = 1e10;

/// How to read a log.
struct ReadOptions {
    /// Canonical column name -> the header the file uses for it (`--map arrival=CallStart`).
    std::map<std::string, std::string, std::less<>> column_names;
    /// For an `arrival` column in seconds: the local date-time of second 0 (civil seconds since
    /// 1970-01-01). Without it, numeric arrivals are an error.
    std::optional<double> origin_s;
    /// Leave bad rows out, counting them, instead of stopping at the first.
    bool skip_bad = false;
    /// The most bytes a log may hold, and one row (--allow-large lifts both): beyond them the
    /// reading stops with an error, so a stream without end (/dev/zero) is refused, not read.
    std::uint64_t max_bytes = default_max_bytes;
    std::uint64_t max_record_bytes = default_max_record_bytes;
    static constexpr std::uint64_t default_max_bytes = std::uint64_t{64} << 20;
    static constexpr std::uint64_t default_max_record_bytes = std::uint64_t{1} << 20;
};

/// A problem with the log: `FILE:LINE: error: what` (line 0 for the file as a whole).
struct CallLogError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The CSV records of a stream, read one at a time as the call-log reader reads them (RFC 4180
/// quoting; LF, CRLF or CR line ends; a UTF-8 byte-order mark skipped), never the whole stream at
/// once, within the limits of size of `options`: CallLogError beyond them, naming `name`.
class CsvRecords {
public:
    CsvRecords(std::istream& in, std::string name, const ReadOptions& options);
    ~CsvRecords();
    CsvRecords(const CsvRecords&) = delete;
    CsvRecords& operator=(const CsvRecords&) = delete;

    /// Nothing more to read.
    bool done();
    /// Reads the next record into `fields`; returns the line it starts on. `quote_error` is set
    /// when a quoted field runs to the end of the stream.
    std::uint64_t next(std::vector<std::string>& fields, bool& quote_error);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Opens the file at `path` to read as a log (or a table beside it): CallLogError when it is a
/// directory, a regular file larger than options.max_bytes, or cannot be opened.
std::ifstream open_log_file(const std::string& path, const ReadOptions& options);

/// Reads a log from `in`; `display_name` names it in messages. Throws CallLogError for a missing
/// column, a bad header or (without skip_bad) the first bad row, naming its line.
CallLog read_call_log(std::istream& in, const std::string& display_name, const ReadOptions& options = {});

/// Reads the log file at `path` (CallLogError also when it cannot be opened).
CallLog read_call_log_file(const std::string& path, const ReadOptions& options = {});

/// Parses `COLUMN=HEADER,...` into canonical -> header names, each COLUMN one that `known` accepts.
/// Throws std::invalid_argument for an unknown name (saying `expected`), a repeated one or a
/// malformed pair. The `--map` of every CSV format read (call logs, weekly KPIs).
std::map<std::string, std::string, std::less<>> parse_column_pairs(std::string_view text,
                                                                   const std::function<bool(std::string_view)>& known,
                                                                   std::string_view expected);

/// Parses `--map` text `arrival=CallStart,class=Queue` into canonical -> header names. Throws
/// std::invalid_argument for an unknown canonical name, a repeated one or a malformed pair.
std::map<std::string, std::string, std::less<>> parse_column_map(std::string_view text);

/// A local date-time `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a space instead of `T`), or a date alone
/// (midnight), as civil seconds since 1970-01-01; nothing when it is not one.
std::optional<double> parse_local_datetime(std::string_view text);

/// Civil seconds since 1970-01-01 written as `YYYY-MM-DDTHH:MM:SS` with `decimals` digits of the
/// second after a point (none when 0).
std::string format_local_datetime(double civil_s, int decimals = 0);

/// Days since 1970-01-01 of the local date containing civil second `civil_s`.
std::int64_t day_number(double civil_s);

/// 0 Monday … 6 Sunday of day number `day`.
int weekday_of_day(std::int64_t day);

/// The offset of the first byte of `s` that is not part of well-formed UTF-8 (no overlong forms, no
/// surrogates, nothing above U+10FFFF), or nothing when all of it is.
std::optional<std::size_t> invalid_utf8_at(std::string_view s);

/// `YYYY-MM-DD` of day number `day`.
std::string format_date(std::int64_t day);

/// One CSV field, quoted (RFC 4180: quotes doubled) when it holds a comma, a quote or a line break:
/// the one quoting rule of crsim's CSV files (report::csv_field guards formulas before it).
std::string csv_quoted(std::string_view field);

/// Writes csv_quoted(field).
void write_csv_field(std::ostream& out, std::string_view field);

}  // namespace crsim::calllog
