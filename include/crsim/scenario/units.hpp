#pragma once
/// \file
/// Parsing of the scenario format's scalar notations: durations with units (`30s`, `3min`, `7.5h`,
/// `1d`, `8w`), clock times (`07:00`), weekdays (`mon`..`sun`), shares (`0.15`, `15%`), percentages
/// (`5`, `5%`) and ISO dates. Each parser returns the value or a message saying what was expected.

#include <optional>
#include <string>
#include <string_view>

namespace crsim::scenario {

/// A parsed value, or (when `value` is empty) the reason the text could not be parsed.
template <class T>
struct Parsed {
    std::optional<T> value;
    std::string error;

    /// True when parsing succeeded.
    explicit operator bool() const { return value.has_value(); }
};

/// A plain decimal number such as `12`, `-0.5` or `1e3` (no `inf`, `nan`, hex or `%`).
Parsed<double> parse_number(std::string_view text);

/// A duration `<number><unit>` (one space allowed between) in seconds; units s, min, h, d, w; or
/// several such parts, largest unit first, each unit once (`8h30min`, `1d 12h`): their sum.
/// A bare number is an error. A negative number parses; callers check the sign they need.
Parsed<double> parse_duration(std::string_view text);

/// A clock time `HH:MM` (or `H:MM`) from 00:00 to 23:59, in seconds after midnight.
Parsed<double> parse_clock_time(std::string_view text);

/// A weekday `mon`, `tue`, … `sun` as 0 (Monday) … 6 (Sunday).
Parsed<int> parse_weekday(std::string_view text);

/// A share of a whole: `0.15` or `15%` both give 0.15. The range is not checked.
Parsed<double> parse_share(std::string_view text);

/// A percentage: `5` or `5%` both give 5. The range is not checked.
Parsed<double> parse_percent(std::string_view text);

/// The weekday (0 Monday … 6 Sunday) of an ISO date `YYYY-MM-DD`, checking that the date exists.
Parsed<int> parse_iso_date_weekday(std::string_view text);

/// An ISO date `YYYY-MM-DD` as a day number (days since 1970-01-01), checking that the date exists.
Parsed<long long> parse_iso_date_days(std::string_view text);

/// Seconds written back in the format's notation, with the largest unit giving at least 1
/// and at most two decimals (`3600` → `1h`, `5400` → `1.5h`, `1800` → `30min`, `45` → `45s`), or else in
/// seconds with up to 6 significant digits; infinity is `never`.
std::string format_duration(double seconds);

/// A value written back into a scenario (a --set result, a sweep point): the shortest text that
/// reads back to exactly `x` (model::format_number), and `inf`, `-inf` or `nan` beyond the finite.
std::string format_exact(double x);

/// A number rounded to 6 significant digits for a message (`0.95`, `168`, `1e-07`); results are
/// written exactly, by model::format_number, instead.
std::string format_rounded(double value);

}  // namespace crsim::scenario
