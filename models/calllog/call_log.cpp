#include "crsim/calllog/call_log.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <unordered_map>

namespace crsim::calllog {

namespace {

constexpr std::size_t max_skip_reasons = 5;

/// The civil seconds of 0000-01-01T00:00 and of 10000-01-01T00:00: the dates of the format.
const double first_civil_s =
    static_cast<double>(std::chrono::sys_days(std::chrono::year{0} / 1 / 1).time_since_epoch().count()) * 86400.0;
const double end_civil_s =
    static_cast<double>(std::chrono::sys_days(std::chrono::year{10000} / 1 / 1).time_since_epoch().count()) * 86400.0;

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

std::string located(const std::string& file, std::uint64_t line, const std::string& message) {
    return file + ":" + std::to_string(line) + ": error: " + message;
}

/// "64 MiB", "1 MiB", "100 bytes".
std::string byte_count(std::uint64_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

/// The bytes of a log, read in chunks as they are needed, so that a log is never held whole and a
/// stream without end (/dev/zero) is stopped by the limits of ReadOptions, not by the memory.
class ByteSource {
public:
    ByteSource(std::istream& in, const std::string& name, std::uint64_t max_bytes)
        : in_(in), name_(name), max_bytes_(max_bytes) {}

    /// The byte `ahead` places on, or -1 at the end of the log.
    int peek(std::size_t ahead = 0) {
        if (buffer_.size() - pos_ <= ahead && !fill(ahead + 1)) return -1;
        return static_cast<unsigned char>(buffer_[pos_ + ahead]);
    }
    void skip(std::size_t n = 1) {
        pos_ += n;
        consumed_ += n;
    }
    std::uint64_t consumed() const { return consumed_; }

private:
    bool fill(std::size_t need) {
        while (buffer_.size() - pos_ < need && !end_) {
            buffer_.erase(0, pos_);
            pos_ = 0;
            if (consumed_ + buffer_.size() > max_bytes_)
                throw CallLogError(name_ + ":0: error: the file is longer than " + byte_count(max_bytes_) +
                                   ", the limit for a log or table (--allow-large reads it anyway)");
            char chunk[1 << 16];
            in_.read(chunk, sizeof chunk);
            const auto got = static_cast<std::size_t>(in_.gcount());
            if (in_.bad()) throw CallLogError(name_ + ":0: error: cannot read the file");
            if (got == 0) end_ = true;
            buffer_.append(chunk, got);
        }
        return buffer_.size() - pos_ >= need;
    }

    std::istream& in_;
    const std::string& name_;
    std::uint64_t max_bytes_;
    std::string buffer_;
    std::size_t pos_ = 0;
    std::uint64_t consumed_ = 0;
    bool end_ = false;
};

/// One CSV record split into fields, RFC 4180 quoting ("" inside quotes is a quote). A line ends
/// with LF, CRLF or a lone CR.
struct RecordReader {
    ByteSource& source;
    const std::string& name;
    std::uint64_t max_record_bytes;
    std::uint64_t line = 1;  // line at the next byte

    bool done() { return source.peek() < 0; }

    /// Consumes a line end at the next byte, if there is one.
    bool line_end() {
        const int c = source.peek();
        if (c != '\n' && c != '\r') return false;
        source.skip(c == '\r' && source.peek(1) == '\n' ? 2 : 1);
        ++line;
        return true;
    }

    /// Reads the next record into `fields`; returns the line it started on. `quote_error` is set
    /// when a quoted field runs to the end of the text.
    std::uint64_t next(std::vector<std::string>& fields, bool& quote_error) {
        fields.clear();
        quote_error = false;
        const std::uint64_t start_line = line;
        const std::uint64_t start = source.consumed();
        std::string field;
        bool quoted = false;
        bool was_quoted = false;
        for (int c; (c = source.peek()) >= 0;) {
            if (source.consumed() - start >= max_record_bytes)
                throw CallLogError(
                    located(name, start_line,
                            "a row longer than " + byte_count(max_record_bytes) +
                                ", the limit for a row of a log or table (--allow-large reads it anyway)"));
            if (quoted) {
                if (c == '"') {
                    source.skip();
                    if (source.peek() == '"') {
                        field += '"';
                        source.skip();
                    } else {
                        quoted = false;
                    }
                } else if (c == '\n' || c == '\r') {
                    const bool crlf = c == '\r' && source.peek(1) == '\n';
                    line_end();
                    field += crlf ? "\r\n" : std::string(1, static_cast<char>(c));
                } else {
                    field += static_cast<char>(c);
                    source.skip();
                }
                continue;
            }
            if (c == '"' && trim(field).empty() && !was_quoted) {
                field.clear();
                quoted = true;
                was_quoted = true;
                source.skip();
                continue;
            }
            if (c == ',') {
                fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
                source.skip();
                continue;
            }
            if (line_end()) {
                fields.push_back(std::move(field));
                return start_line;
            }
            field += static_cast<char>(c);
            source.skip();
        }
        if (quoted) quote_error = true;
        fields.push_back(std::move(field));
        return start_line;
    }
};

std::string quote(std::string_view s) {
    constexpr std::size_t shown = 40;
    if (s.size() > shown) return "'" + std::string(s.substr(0, shown)) + "…'";
    return "'" + std::string(s) + "'";
}

/// A row that cannot be read: the message without the location.
struct BadRow {
    std::string message;
};

/// A class or room name becomes a name in a scenario, in JSON and in CSV, which must be UTF-8.
void utf8_name(std::string_view name, const char* column) {
    if (const auto bad = invalid_utf8_at(name)) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "column '%s': expected UTF-8 text, got the byte 0x%02x at byte %zu (iconv converts a log to "
                      "UTF-8)",
                      column, static_cast<unsigned>(static_cast<unsigned char>(name[*bad])), *bad + 1);
        throw BadRow{text};
    }
}

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

std::int64_t day_number(double civil_s) {
    // Clamped far beyond the format's dates, so that no time, however absurd, converts out of range.
    const double day = std::floor(civil_s / 86400.0);
    return std::isnan(day) ? 0 : static_cast<std::int64_t>(std::clamp(day, -1e15, 1e15));
}

std::optional<std::size_t> invalid_utf8_at(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xbf;  // the allowed range of the second byte
        if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            low = b == 0xe0 ? 0xa0 : 0x80;
            high = b == 0xed ? 0x9f : 0xbf;
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            low = b == 0xf0 ? 0x90 : 0x80;
            high = b == 0xf4 ? 0x8f : 0xbf;
        } else {
            return i;
        }
        if (i + length > s.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xbf)) return i + k;
        }
        i += length;
    }
    return std::nullopt;
}

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

std::map<std::string, std::string, std::less<>> parse_column_pairs(std::string_view text,
                                                                   const std::function<bool(std::string_view)>& known,
                                                                   std::string_view expected) {
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
        if (!known(canonical))
            throw std::invalid_argument("unknown column '" + canonical + "': expected " + std::string(expected));
        if (!result.emplace(canonical, std::string(trim(pair.substr(eq + 1)))).second)
            throw std::invalid_argument("column '" + canonical + "' mapped twice");
    }
    return result;
}

std::map<std::string, std::string, std::less<>> parse_column_map(std::string_view text) {
    return parse_column_pairs(
        text,
        [](std::string_view canonical) {
            bool known = false;
            for (std::string_view c : required_columns) known = known || c == canonical;
            for (std::string_view c : optional_columns) known = known || c == canonical;
            return known;
        },
        "arrival, class, outcome, wait_s, handle_s, wrap_s, agent, room or priority");
}

struct CsvRecords::Impl {
    Impl(std::istream& in, std::string display_name, const ReadOptions& options)
        : name(std::move(display_name)),
          source(in, name, options.max_bytes),
          reader{source, name, options.max_record_bytes} {
        if (source.peek(0) == 0xEF && source.peek(1) == 0xBB && source.peek(2) == 0xBF)
            source.skip(3);  // a UTF-8 byte-order mark
    }
    std::string name;
    ByteSource source;
    RecordReader reader;
};

CsvRecords::CsvRecords(std::istream& in, std::string name, const ReadOptions& options)
    : impl_(std::make_unique<Impl>(in, std::move(name), options)) {}

CsvRecords::~CsvRecords() = default;

bool CsvRecords::done() { return impl_->reader.done(); }

std::uint64_t CsvRecords::next(std::vector<std::string>& fields, bool& quote_error) {
    return impl_->reader.next(fields, quote_error);
}

CallLog read_call_log(std::istream& in, const std::string& display_name, const ReadOptions& options) {
    CsvRecords reader(in, display_name, options);
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
    const std::optional<std::size_t> col_priority = column_of("priority", false);

    CallLog log;
    log.has_wrap = col_wrap.has_value();
    log.has_agent = col_agent.has_value();
    log.has_room = col_room.has_value();
    log.has_priority = col_priority.has_value();
    std::unordered_map<std::string, std::uint32_t> class_index, agent_index, room_index, priority_index;
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
        if (*v > max_duration_s)
            throw BadRow{
                std::string("column '") + column +
                "': expected at most 1e10 seconds (about 317 years, the longest duration of a scenario), got " +
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
                if (!(call.arrival_s >= first_civil_s && call.arrival_s < end_civil_s))
                    throw BadRow{"column 'arrival': " + quote(arrival) + " seconds from --origin " +
                                 format_local_datetime(*options.origin_s) +
                                 " falls outside the years 0000 to 9999 that a log may span"};
            } else {
                throw BadRow{"column 'arrival': expected a local date-time YYYY-MM-DDTHH:MM:SS, got " + quote(arrival)};
            }
            const std::string_view cls = trim(fields[col_class]);
            if (cls.empty()) throw BadRow{"column 'class': empty"};
            utf8_name(cls, "class");
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
                utf8_name(room, "room");
            }
            // Interned only once the row is known good, so a skipped row adds no name.
            call.cls = intern(class_index, log.classes, cls);
            if (col_room) call.room = static_cast<std::int32_t>(intern(room_index, log.rooms, room));
            if (col_agent && call.outcome == Outcome::answered && !trim(fields[*col_agent]).empty())
                call.agent = static_cast<std::int32_t>(intern(agent_index, log.agents, trim(fields[*col_agent])));
            if (col_priority && !trim(fields[*col_priority]).empty())
                call.priority =
                    static_cast<std::int32_t>(intern(priority_index, log.priorities, trim(fields[*col_priority])));
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

std::ifstream open_log_file(const std::string& path, const ReadOptions& options) {
    // Checked before reading: a directory cannot be read, and a regular file's size is known.
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (std::filesystem::is_directory(status)) throw CallLogError(located(path, 0, "a directory, not a call log file"));
    if (std::filesystem::is_regular_file(status)) {
        const std::uintmax_t size = std::filesystem::file_size(path, error);
        if (!error && size > options.max_bytes)
            throw CallLogError(located(path, 0,
                                       "the file holds " + std::to_string(size) + " bytes, more than " +
                                           byte_count(options.max_bytes) +
                                           ", the limit for a log or table (--allow-large reads it anyway)"));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CallLogError(located(path, 0, "cannot open the file"));
    return in;
}

CallLog read_call_log_file(const std::string& path, const ReadOptions& options) {
    std::ifstream in = open_log_file(path, options);
    return read_call_log(in, path, options);
}

std::string csv_quoted(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
    std::string out = "\"";
    for (const char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

void write_csv_field(std::ostream& out, std::string_view field) { out << csv_quoted(field); }

}  // namespace crsim::calllog
