#include "crsim/calllog/call_log.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <unordered_map>

namespace crsim::calllog {

namespace {

constexpr std::size_t max_skip_reasons = 5;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Reads exactly `width` digits at s[pos].
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t width) {
    if (pos + width > s.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (!is_digit(s[i])) return std::nullopt;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

/// A plain decimal number (no inf, nan or hex), finite.
std::optional<double> parse_number(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    if (s.front() == '+') s.remove_prefix(1);
    for (char c : s)
        if (!is_digit(c) && c != '.' && c != '-' && c != 'e' && c != 'E' && c != '+') return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

/// One CSV record split into fields, RFC 4180 quoting ("" inside quotes is a quote).
struct RecordReader {
    std::string_view text;
    std::size_t pos = 0;
    std::uint64_t line = 1;  // line at `pos`

    bool done() const { return pos >= text.size(); }

    /// Reads the next record into `fields`; returns the line it started on. `quote_error` is set
    /// when a quoted field runs to the end of the text.
    std::uint64_t next(std::vector<std::string>& fields, bool& quote_error) {
        fields.clear();
        quote_error = false;
        const std::uint64_t start_line = line;
        std::string field;
        bool quoted = false;
        bool was_quoted = false;
        while (pos < text.size()) {
            const char c = text[pos];
            if (quoted) {
                if (c == '"') {
                    if (pos + 1 < text.size() && text[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                        continue;
                    }
                    quoted = false;
                    ++pos;
                    continue;
                }
                if (c == '\n') ++line;
                field += c;
                ++pos;
                continue;
            }
            if (c == '"' && trim(field).empty() && !was_quoted) {
                field.clear();
                quoted = true;
                was_quoted = true;
                ++pos;
                continue;
            }
            if (c == ',') {
                fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
                ++pos;
                continue;
            }
            if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
                ++pos;
                continue;
            }
            if (c == '\n') {
                ++pos;
                ++line;
                fields.push_back(std::move(field));
                return start_line;
            }
            field += c;
            ++pos;
        }
        if (quoted) quote_error = true;
        fields.push_back(std::move(field));
        return start_line;
    }
};

std::string located(const std::string& file, std::uint64_t line, const std::string& message) {
    return file + ":" + std::to_string(line) + ": error: " + message;
}

std::string quote(std::string_view s) {
    constexpr std::size_t shown = 40;
    if (s.size() > shown) return "'" + std::string(s.substr(0, shown)) + "…'";
    return "'" + std::string(s) + "'";
}

/// A row that cannot be read: the message without the location.
struct BadRow {
    std::string message;
};

}  // namespace

std::optional<double> parse_local_datetime(std::string_view text) {
    const std::string_view s = trim(text);
    const auto year = digits(s, 0, 4);
    if (!year || s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    const auto month = digits(s, 5, 2);
    const auto day = digits(s, 8, 2);
    if (!month || !day) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                           std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) return std::nullopt;
    const double day_s = static_cast<double>(std::chrono::sys_days(date).time_since_epoch().count()) * 86400.0;
    if (s.size() == 10) return day_s;
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    const auto hour = digits(s, 11, 2);
    const auto minute = digits(s, 14, 2);
    if (!hour || !minute || s.size() < 16 || s[13] != ':' || *hour > 23 || *minute > 59) return std::nullopt;
    double second = 0;
    if (s.size() > 16) {
        if (s[16] != ':') return std::nullopt;
        const auto whole = digits(s, 17, 2);
        if (!whole || *whole > 59) return std::nullopt;
        second = *whole;
        if (s.size() > 19) {
            if (s[19] != '.' || s.size() == 20) return std::nullopt;
            double scale = 0.1;
            for (std::size_t i = 20; i < s.size(); ++i) {
                if (!is_digit(s[i])) return std::nullopt;
                second += (s[i] - '0') * scale;
                scale /= 10;
            }
        }
    }
    return day_s + *hour * 3600.0 + *minute * 60.0 + second;
}

std::int64_t day_number(double civil_s) { return static_cast<std::int64_t>(std::floor(civil_s / 86400.0)); }

int weekday_of_day(std::int64_t day) {
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    return static_cast<int>(((day + 3) % 7 + 7) % 7);
}

std::string format_date(std::int64_t day) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

std::string format_local_datetime(double civil_s, int decimals) {
    decimals = std::clamp(decimals, 0, 9);
    const double scale = std::pow(10.0, decimals);
    // Round once, in whole units of the last decimal, so that 59.9996 s never prints as "60".
    const auto units = static_cast<std::int64_t>(std::llround(civil_s * scale));
    const auto per_day = static_cast<std::int64_t>(86400 * scale);
    std::int64_t day = units / per_day;
    std::int64_t rest = units % per_day;
    if (rest < 0) {
        rest += per_day;
        --day;
    }
    const auto per_second = static_cast<std::int64_t>(scale);
    const std::int64_t whole = rest / per_second;
    char text[64];
    std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d", format_date(day).c_str(), static_cast<int>(whole / 3600),
                  static_cast<int>(whole / 60 % 60), static_cast<int>(whole % 60));
    std::string result = text;
    if (decimals > 0) {
        std::string fraction = std::to_string(rest % per_second);
        result += '.' +
                  std::string(static_cast<std::size_t>(decimals) -
                                  std::min(fraction.size(), static_cast<std::size_t>(decimals)),
                              '0') +
                  fraction;
    }
    return result;
}

std::map<std::string, std::string, std::less<>> parse_column_map(std::string_view text) {
    std::map<std::string, std::string, std::less<>> result;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view pair = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || trim(pair.substr(0, eq)).empty() || trim(pair.substr(eq + 1)).empty())
            throw std::invalid_argument("expected COLUMN=HEADER pairs separated by commas, got '" + std::string(pair) +
                                        "'");
        const std::string canonical(trim(pair.substr(0, eq)));
        bool known = false;
        for (std::string_view c : required_columns) known = known || c == canonical;
        for (std::string_view c : optional_columns) known = known || c == canonical;
        if (!known)
            throw std::invalid_argument("unknown column '" + canonical +
                                        "': expected arrival, class, outcome, wait_s, handle_s, wrap_s, agent or room");
        if (!result.emplace(canonical, std::string(trim(pair.substr(eq + 1)))).second)
            throw std::invalid_argument("column '" + canonical + "' mapped twice");
    }
    return result;
}

CallLog read_call_log(std::istream& in, const std::string& display_name, const ReadOptions& options) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw CallLogError(located(display_name, 0, "cannot read the file"));
    std::string_view body = text;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // a UTF-8 byte-order mark
    RecordReader reader{body};
    std::vector<std::string> fields;
    bool quote_error = false;

    // The header: find each column by the name it goes by in this file.
    std::uint64_t header_line = 1;
    while (!reader.done()) {
        header_line = reader.next(fields, quote_error);
        if (!(fields.size() == 1 && trim(fields[0]).empty())) break;
        fields.clear();
    }
    if (fields.empty()) throw CallLogError(located(display_name, 1, "empty file: expected a header line"));
    std::unordered_map<std::string, std::size_t> header;
    for (std::size_t i = 0; i < fields.size(); ++i) header.emplace(std::string(trim(fields[i])), i);
    const std::size_t width = fields.size();
    auto column_of = [&](std::string_view canonical, bool required) -> std::optional<std::size_t> {
        const auto mapped = options.column_names.find(canonical);
        const std::string name = mapped == options.column_names.end() ? std::string(canonical) : mapped->second;
        std::size_t count = 0;
        for (const std::string& f : fields) count += trim(f) == name;
        if (count > 1)
            throw CallLogError(located(display_name, header_line, "column '" + name + "' appears more than once"));
        const auto found = header.find(name);
        if (found != header.end()) return found->second;
        if (required) {
            std::string message = "missing column '";
            message.append(name).append("'");
            if (name != canonical) message.append(" (for ").append(canonical).append(")");
            message.append("; the header has:");
            for (const std::string& f : fields) message.append(" ").append(trim(f));
            if (name == canonical) message.append(" (--map ").append(canonical).append("=HEADER renames one)");
            throw CallLogError(located(display_name, header_line, message));
        }
        return std::nullopt;
    };
    const std::size_t col_arrival = *column_of("arrival", true);
    const std::size_t col_class = *column_of("class", true);
    const std::size_t col_outcome = *column_of("outcome", true);
    const std::size_t col_wait = *column_of("wait_s", true);
    const std::size_t col_handle = *column_of("handle_s", true);
    const std::optional<std::size_t> col_wrap = column_of("wrap_s", false);
    const std::optional<std::size_t> col_agent = column_of("agent", false);
    const std::optional<std::size_t> col_room = column_of("room", false);

    CallLog log;
    log.has_wrap = col_wrap.has_value();
    log.has_agent = col_agent.has_value();
    log.has_room = col_room.has_value();
    std::unordered_map<std::string, std::uint32_t> class_index, agent_index, room_index;
    auto intern = [](std::unordered_map<std::string, std::uint32_t>& index, std::vector<std::string>& names,
                     std::string_view name) {
        const auto [it, added] = index.emplace(std::string(name), static_cast<std::uint32_t>(names.size()));
        if (added) names.emplace_back(name);
        return it->second;
    };
    auto seconds = [](std::string_view value, const char* column, bool allow_empty) -> std::optional<double> {
        if (allow_empty && trim(value).empty()) return std::nullopt;
        const std::optional<double> v = parse_number(value);
        if (!v || *v < 0)
            throw BadRow{std::string("column '") + column + "': expected a number of seconds >= 0, got " +
                         quote(value)};
        return v;
    };

    while (!reader.done()) {
        const std::uint64_t line = reader.next(fields, quote_error);
        if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // a blank line
        try {
            if (quote_error) throw BadRow{"a quoted field is not closed"};
            if (fields.size() != width)
                throw BadRow{"expected " + std::to_string(width) + " fields as in the header, got " +
                             std::to_string(fields.size())};
            CallRecord call;
            call.line = line;
            const std::string_view arrival = trim(fields[col_arrival]);
            if (const std::optional<double> t = parse_local_datetime(arrival)) {
                call.arrival_s = *t;
            } else if (const std::optional<double> s = parse_number(arrival)) {
                if (!options.origin_s)
                    throw BadRow{"column 'arrival': " + quote(arrival) +
                                 " is a number of seconds: give the date-time of second 0 with --origin"};
                call.arrival_s = *options.origin_s + *s;
            } else {
                throw BadRow{"column 'arrival': expected a local date-time YYYY-MM-DDTHH:MM:SS, got " + quote(arrival)};
            }
            const std::string_view cls = trim(fields[col_class]);
            if (cls.empty()) throw BadRow{"column 'class': empty"};
            const std::string_view outcome = trim(fields[col_outcome]);
            if (outcome == "answered")
                call.outcome = Outcome::answered;
            else if (outcome == "abandoned")
                call.outcome = Outcome::abandoned;
            else
                throw BadRow{"column 'outcome': expected answered or abandoned, got " + quote(outcome)};
            call.wait_s = *seconds(fields[col_wait], "wait_s", false);
            if (call.outcome == Outcome::answered) {
                call.handle_s = *seconds(fields[col_handle], "handle_s", false);
                if (col_wrap) call.wrap_s = seconds(fields[*col_wrap], "wrap_s", true).value_or(-1);
            }
            std::string_view room;
            if (col_room) {
                room = trim(fields[*col_room]);
                if (room.empty()) throw BadRow{"column 'room': empty"};
            }
            // Interned only once the row is known good, so a skipped row adds no name.
            call.cls = intern(class_index, log.classes, cls);
            if (col_room) call.room = static_cast<std::int32_t>(intern(room_index, log.rooms, room));
            if (col_agent && call.outcome == Outcome::answered && !trim(fields[*col_agent]).empty())
                call.agent = static_cast<std::int32_t>(intern(agent_index, log.agents, trim(fields[*col_agent])));
            log.calls.push_back(call);
        } catch (const BadRow& bad) {
            const std::string message = located(display_name, line, bad.message);
            if (!options.skip_bad) throw CallLogError(message + " (--skip-bad leaves bad rows out, counted)");
            ++log.skipped;
            if (log.skip_reasons.size() < max_skip_reasons) log.skip_reasons.push_back(message);
        }
    }
    return log;
}

CallLog read_call_log_file(const std::string& path, const ReadOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CallLogError(located(path, 0, "cannot open the file"));
    return read_call_log(in, path, options);
}

void write_csv_field(std::ostream& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out << field;
        return;
    }
    out << '"';
    for (char c : field) {
        if (c == '"') out << '"';
        out << c;
    }
    out << '"';
}

}  // namespace crsim::calllog
