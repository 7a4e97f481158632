#include "crsim/model/roster_calendar.hpp"

#include <algorithm>
#include <cmath>

#include "timeline.hpp"

namespace crsim::model {

std::size_t RosterCalendar::room_at(std::size_t room, double t) const { return Timeline(spec_).room_at(room, t); }

std::optional<ShiftInstance> RosterCalendar::under_way_at_start(std::size_t line) const {
    const ShiftSpec& s = spec_.shifts[line];
    if (!std::isfinite(s.length_s)) return ShiftInstance{line, 0.0, 0.0, never, room_at(s.room, 0.0), 1};
    // The evening before t = 0 counts as week 1.
    const double nominal = -seconds_per_day + s.start_s;
    const int weekday = (spec_.start_weekday + 6) % 7;
    if (nominal + s.length_s > 0 && s.days[static_cast<std::size_t>(weekday)] && s.from_week <= 1 && s.to_week >= 1)
        return ShiftInstance{line, nominal, 0.0, nominal + s.length_s, room_at(s.room, 0.0), 1};
    return std::nullopt;
}

std::optional<ShiftInstance> RosterCalendar::on_day(std::size_t line, std::int64_t day) const {
    const ShiftSpec& s = spec_.shifts[line];
    const auto weekday = static_cast<std::size_t>(((spec_.start_weekday + day) % 7 + 7) % 7);
    const auto week = static_cast<int>(day / 7 + 1);
    if (day < 0 || !std::isfinite(s.length_s) || !s.days[weekday] || week < s.from_week || week > s.to_week)
        return std::nullopt;
    const double start = static_cast<double>(day) * seconds_per_day + s.start_s;
    return ShiftInstance{line, start, start, start + s.length_s, room_at(s.room, start), Timeline::week_of(start)};
}

int OvertimeBudget::allow(int week, int wanted, double hours) {
    double& used = used_h_[week];
    int allowed = wanted;
    if (std::isfinite(cap_h_)) allowed = std::min(wanted, static_cast<int>(std::floor((cap_h_ - used) / hours + 1e-9)));
    allowed = std::max(allowed, 0);
    used += allowed * hours;
    return allowed;
}

double OvertimeBudget::allow_expected(int week, double wanted, double hours) {
    if (!std::isfinite(cap_h_)) return wanted;
    double& used = used_h_[week];
    const double allowed = std::clamp((cap_h_ - used) / hours, 0.0, wanted);
    used += allowed * hours;
    return allowed;
}

}  // namespace crsim::model
