#include "crsim/scenario/units.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <sstream>

#include "crsim/model/number_text.hpp"

namespace crsim::scenario {

namespace {

constexpr std::string_view duration_expected = "expected a duration with a unit (s, min, h, d, w), e.g. 30s";

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of the longest prefix of `s` that is a decimal number: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?
std::size_t number_prefix(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
    }
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) {
        ++i;
        ++digits;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0) {
        return 0;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) {
            ++j;
        }
        if (j < s.size() && is_digit(s[j])) {
            while (j < s.size() && is_digit(s[j])) {
                ++j;
            }
            i = j;
        }
    }
    return i;
}

/// Converts text already known to match number_prefix in full.
std::optional<double> to_double(std::string_view s) {
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

template <class T>
Parsed<T> fail(std::string message) {
    return Parsed<T>{std::nullopt, std::move(message)};
}

template <class T>
Parsed<T> success(T value) {
    return Parsed<T>{value, {}};
}

std::string quoted(std::string_view s) {
    std::string out(1, '\'');
    out += s;
    out += '\'';
    return out;
}

constexpr std::array<std::string_view, 7> day_names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

}  // namespace

Parsed<double> parse_number(std::string_view text) {
    const std::string_view s = trim(text);
    if (s.empty() || number_prefix(s) != s.size()) {
        std::string without_commas(s);
        without_commas.erase(std::remove(without_commas.begin(), without_commas.end(), ','), without_commas.end());
        if (without_commas.size() < s.size() && !without_commas.empty() &&
            number_prefix(without_commas) == without_commas.size())
            return fail<double>(quoted(s) + " is not a number: thousands separators are not allowed (write " +
                                without_commas + ")");
        return fail<double>("expected a number, got " + quoted(s));
    }
    const auto value = to_double(s);
    if (!value) {
        return fail<double>("number out of range: " + quoted(s));
    }
    return success(*value);
}

Parsed<double> parse_duration(std::string_view text) {
    // One number and unit (7.5h), or several, largest unit first, each unit once (8h30min, 1d 12h):
    // the same as the sum of the parts.
    struct Unit {
        std::string_view name;
        double factor;
    };
    static constexpr std::array<Unit, 5> units = {{{"w", 604800}, {"d", 86400}, {"h", 3600}, {"min", 60}, {"s", 1}}};
    const std::string_view s = trim(text);
    std::string_view rest = s;
    double total = 0;
    std::size_t next_unit = 0;  // the units before this one are used up
    for (bool first = true; first || !rest.empty(); first = false) {
        const std::size_t n = number_prefix(rest);
        if (n == 0) {
            if (first) return fail<double>(std::string(duration_expected) + ", got " + quoted(s));
            return fail<double>("expected a number after the unit in " + quoted(s) + " (e.g. 8h30min)");
        }
        if (!first && (rest.front() == '-' || rest.front() == '+'))
            return fail<double>("only the first part of a duration may carry a sign, in " + quoted(s));
        std::string_view unit = rest.substr(n);
        if (unit.empty()) {
            if (first) return fail<double>(std::string(duration_expected));
            return fail<double>("expected a unit (s, min, h, d, w) after each number of " + quoted(s));
        }
        if (unit.front() == ' ') unit.remove_prefix(1);
        std::size_t letters = 0;
        while (letters < unit.size() && std::isalpha(static_cast<unsigned char>(unit[letters]))) ++letters;
        const std::string_view name = unit.substr(0, letters);
        const auto found = std::find_if(units.begin(), units.end(), [&](const Unit& u) { return u.name == name; });
        if (found == units.end()) {
            // The whole tail is shown for a single part (as before compound durations existed).
            const std::string_view shown = first && letters == unit.size() ? unit : name.empty() ? unit : name;
            return fail<double>("unknown unit " + quoted(shown) + ": expected s, min, h, d or w");
        }
        const auto index = static_cast<std::size_t>(found - units.begin());
        if (index < next_unit)
            return fail<double>("the units of " + quoted(s) +
                                " must go from the largest to the smallest, each once (e.g. 1d12h, 8h30min)");
        next_unit = index + 1;
        const auto value = to_double(rest.substr(0, n));
        if (!value || !std::isfinite(*value * found->factor))
            return fail<double>("duration out of range: " + quoted(s));
        total += *value * found->factor;
        rest = unit.substr(letters);
        if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
    if (!std::isfinite(total)) return fail<double>("duration out of range: " + quoted(s));
    return success(total);
}

Parsed<double> parse_clock_time(std::string_view text) {
    const std::string_view s = trim(text);
    const auto bad = [&] { return fail<double>("expected a clock time HH:MM from 00:00 to 23:59, got " + quoted(s)); };
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3) {
        return bad();
    }
    int hours = 0;
    for (std::size_t i = 0; i < colon; ++i) {
        if (!is_digit(s[i])) {
            return bad();
        }
        hours = hours * 10 + (s[i] - '0');
    }
    if (!is_digit(s[colon + 1]) || !is_digit(s[colon + 2])) {
        return bad();
    }
    const int minutes = (s[colon + 1] - '0') * 10 + (s[colon + 2] - '0');
    if (hours > 23 || minutes > 59) {
        return bad();
    }
    return success(hours * 3600.0 + minutes * 60.0);
}

Parsed<int> parse_weekday(std::string_view text) {
    const std::string_view s = trim(text);
    for (std::size_t i = 0; i < day_names.size(); ++i) {
        if (s == day_names[i]) {
            return success(static_cast<int>(i));
        }
    }
    return fail<int>("unknown day " + quoted(s) + ": expected mon, tue, wed, thu, fri, sat or sun");
}

namespace {

/// A number with an optional '%' after it, divided by `percent_divisor` when the '%' is there:
/// parse_share (100) and parse_percent (1). `expected` names the notation in the error.
Parsed<double> parse_proportion(std::string_view text, double percent_divisor, const char* expected) {
    const std::string_view s = trim(text);
    const bool percent = !s.empty() && s.back() == '%';
    const std::string_view digits = trim(percent ? s.substr(0, s.size() - 1) : s);
    if (digits.empty() || number_prefix(digits) != digits.size()) {
        return fail<double>(std::string("expected ") + expected + ", got " + quoted(s));
    }
    const auto value = to_double(digits);
    if (!value) {
        return fail<double>("number out of range: " + quoted(s));
    }
    return success(percent ? *value / percent_divisor : *value);
}

}  // namespace

Parsed<double> parse_share(std::string_view text) { return parse_proportion(text, 100, "a share such as 0.15 or 15%"); }

Parsed<double> parse_percent(std::string_view text) {
    return parse_proportion(text, 1, "a percentage such as 5 or 5%");
}

Parsed<long long> parse_iso_date_days(std::string_view text) {
    const std::string_view s = trim(text);
    const bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-' && is_digit(s[0]) && is_digit(s[1]) &&
                       is_digit(s[2]) && is_digit(s[3]) && is_digit(s[5]) && is_digit(s[6]) && is_digit(s[8]) &&
                       is_digit(s[9]);
    if (!shape) {
        return fail<long long>("expected an ISO date YYYY-MM-DD, got " + quoted(s));
    }
    const auto num = [&](std::size_t from, std::size_t len) {
        int v = 0;
        for (std::size_t i = from; i < from + len; ++i) {
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const std::chrono::year_month_day date{std::chrono::year{num(0, 4)},
                                           std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                           std::chrono::day{static_cast<unsigned>(num(8, 2))}};
    if (!date.ok()) {
        return fail<long long>("no such date " + quoted(s));
    }
    return success(static_cast<long long>(std::chrono::sys_days{date}.time_since_epoch().count()));
}

Parsed<int> parse_iso_date_weekday(std::string_view text) {
    const Parsed<long long> days = parse_iso_date_days(text);
    if (!days) {
        return fail<int>(days.error);
    }
    // 1970-01-01 was a Thursday (3, counting Monday as 0).
    return success(static_cast<int>(((*days.value + 3) % 7 + 7) % 7));
}

std::string format_exact(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    return model::format_number(x);
}

std::string format_rounded(double value) {
    std::ostringstream os;
    os.precision(6);
    os << value;
    return os.str();
}

std::string format_duration(double seconds) {
    if (std::isinf(seconds)) {
        return seconds > 0 ? "never" : "-never";
    }
    struct Unit {
        double factor;
        const char* name;
    };
    static constexpr std::array<Unit, 4> units = {{{604800, "w"}, {86400, "d"}, {3600, "h"}, {60, "min"}}};
    // The largest unit giving at least 1 with at most two decimals: 8.5h rather than 510min.
    for (const Unit& u : units) {
        const double q = seconds / u.factor;
        const double hundredths = q * 100;
        if (std::abs(q) >= 1 && std::abs(hundredths - std::round(hundredths)) < 1e-6) {
            return format_rounded(std::round(hundredths) / 100) + u.name;
        }
    }
    return format_rounded(seconds) + "s";
}

}  // namespace crsim::scenario
