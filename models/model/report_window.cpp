#include "crsim/model/report_window.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <system_error>

namespace crsim::model {

namespace {

struct Bound {
    int value = 0;
    char unit = 0;  // 'd', 'w' or 0 (none given)
};

/// "14", "14w" or "3d"; nothing when the text is not one of these.
std::optional<Bound> read_bound(std::string_view text) {
    Bound b;
    if (!text.empty() && (text.back() == 'd' || text.back() == 'w')) {
        b.unit = text.back();
        text.remove_suffix(1);
    }
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(text.data(), last, b.value);
    if (text.empty() || ec != std::errc() || end != last) return std::nullopt;
    return b;
}

std::string period_text(double seconds) {
    const double days = seconds / seconds_per_day;
    if (days == static_cast<double>(static_cast<long long>(days))) {
        const auto d = static_cast<long long>(days);
        if (d % 7 == 0) return std::to_string(d / 7) + (d == 7 ? " week" : " weeks");
        return std::to_string(d) + (d == 1 ? " day" : " days");
    }
    return std::to_string(seconds / seconds_per_hour) + " h";
}

}  // namespace

std::string describe(const ReportWindow& w) {
    const bool weeks = w.unit == ReportWindow::Unit::week;
    if (w.from == w.to) return (weeks ? "week " : "day ") + std::to_string(w.from);
    return (weeks ? "weeks " : "days ") + std::to_string(w.from) + "–" + std::to_string(w.to);
}

ReportWindow make_window(ReportWindow::Unit unit, int from, int to, double warmup_s, double horizon_s) {
    ReportWindow w;
    w.unit = unit;
    w.from = from;
    w.to = to;
    const double length = unit == ReportWindow::Unit::week ? seconds_per_week : seconds_per_day;
    if (from < 1)
        throw std::invalid_argument("the window " + describe(w) + " starts before the first " +
                                    (unit == ReportWindow::Unit::week ? "week" : "day") + " (1)");
    if (to < from)
        throw std::invalid_argument("the window ends (" + std::to_string(to) + ") before it starts (" +
                                    std::to_string(from) + ")");
    w.from_s = std::max(static_cast<double>(from - 1) * length, warmup_s);
    w.to_s = static_cast<double>(to) * length;
    if (w.to_s > horizon_s)
        throw std::invalid_argument("the window " + describe(w) + " ends after the run's horizon (" +
                                    period_text(horizon_s) + ")");
    if (w.to_s <= warmup_s)
        throw std::invalid_argument("the window " + describe(w) + " lies inside the warm-up (" + period_text(warmup_s) +
                                    "), which is never measured");
    return w;
}

ReportWindow parse_window(std::string_view text, const ScenarioSpec& spec) {
    for (const NamedWindow& named : spec.windows)
        if (named.name == text) return named.window;
    const std::size_t dash = text.find('-');
    const std::optional<Bound> from = read_bound(text.substr(0, dash));
    const std::optional<Bound> to = dash == std::string_view::npos ? from : read_bound(text.substr(dash + 1));
    if (!from || !to) {
        std::string names;
        for (const NamedWindow& named : spec.windows) names += (names.empty() ? "" : ", ") + named.name;
        throw std::invalid_argument("'" + std::string(text) +
                                    "' is not a window: expected weeks (14-26, 14), days (3d-10d, 3d)" +
                                    (names.empty() ? std::string(" (the scenario names no windows)")
                                                   : " or one of the scenario's windows (" + names + ")"));
    }
    // A unit given on one bound applies to both; two different units are an error.
    if (from->unit && to->unit && from->unit != to->unit)
        throw std::invalid_argument("'" + std::string(text) + "' mixes days and weeks; give both bounds in one unit");
    const char unit = from->unit ? from->unit : to->unit;
    return make_window(unit == 'd' ? ReportWindow::Unit::day : ReportWindow::Unit::week, from->value, to->value,
                       spec.warmup_s, spec.horizon_s);
}

}  // namespace crsim::model
