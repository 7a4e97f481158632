#include "crsim/model/roster_calendar.hpp"

#include <algorithm>
#include <cmath>

#include "timeline.hpp"

namespace crsim::model {

std::size_t RosterCalendar::room_at(std::size_t room, double t) const { return Timeline(spec_).room_at(room, t); }

std::optional<ShiftInstance> RosterCalendar::under_way_at_start(const ShiftSpec& s, std::size_t line) const {
    if (!std::isfinite(s.length_s)) return ShiftInstance{line, 0.0, 0.0, never, room_at(s.room, 0.0), 1};
    // The evening before t = 0 counts as week 1.
    const double nominal = -seconds_per_day + s.start_s;
    const int weekday = (spec_.start_weekday + 6) % 7;
    if (nominal + s.length_s > 0 && s.days[static_cast<std::size_t>(weekday)] && s.from_week <= 1 && s.to_week >= 1)
        return ShiftInstance{line, nominal, 0.0, nominal + s.length_s, room_at(s.room, 0.0), 1};
    return std::nullopt;
}

std::optional<ShiftInstance> RosterCalendar::on_day(const ShiftSpec& s, std::size_t line, std::int64_t day) const {
    const auto weekday = static_cast<std::size_t>(((spec_.start_weekday + day) % 7 + 7) % 7);
    const auto week = static_cast<int>(day / 7 + 1);
    if (day < 0 || !std::isfinite(s.length_s) || !s.days[weekday] || week < s.from_week || week > s.to_week)
        return std::nullopt;
    const double start = static_cast<double>(day) * seconds_per_day + s.start_s;
    return ShiftInstance{line, start, start, start + s.length_s, room_at(s.room, start), Timeline::week_of(start)};
}

RosteredCost RosterCalendar::rostered_cost(const ShiftSpec& line, int headcount, double from_s, double to_s) const {
    RosteredCost cost;
    cost.groups.assign(spec_.groups.size(), 0.0);
    cost.rooms.assign(spec_.rooms.size(), 0.0);
    cost.contract_hours.assign(spec_.groups.size(), 0.0);
    cost.cells.assign(spec_.rooms.size() * spec_.groups.size(), 0.0);
    cost.cell_contract_hours = cost.cells;
    if (headcount <= 0 || !(to_s > from_s)) return cost;
    const Timeline timeline(spec_);
    const GroupSpec& group = spec_.groups[line.group];
    const double rate = group.cost_per_hour * (line.overtime ? 1 + group.overtime_premium : 1);
    OvertimeBudget overtime(line.weekly_cap_hours);
    // Every shift from t = 0 books its week's overtime cap, those before the window too.
    for_each_shift(line, 0, to_s, [&](const ShiftInstance& shift) {
        const int people = line.overtime
                               ? overtime.allow(shift.week, headcount, (shift.end_s - shift.start_s) / seconds_per_hour)
                               : headcount;
        const double paid_s = std::min(shift.end_s, to_s) - std::max(shift.start_s, from_s);
        if (paid_s <= 0 || people == 0) return;
        const double hours = people * timeline.employed(line, shift.start_s) * paid_s / seconds_per_hour;
        cost.rooms[shift.room] += hours * rate;
        cost.groups[line.group] += hours * rate;
        const std::size_t cell = shift.room * spec_.groups.size() + line.group;
        cost.cells[cell] += hours * rate;
        if (!line.overtime) {
            cost.contract_hours[line.group] += hours;
            cost.cell_contract_hours[cell] += hours;
        }
    });
    for (const double g : cost.groups) cost.total += g;
    return cost;
}

RosteredCost RosterCalendar::rostered_cost(double from_s, double to_s) const {
    RosteredCost cost;
    cost.groups.assign(spec_.groups.size(), 0.0);
    cost.rooms.assign(spec_.rooms.size(), 0.0);
    cost.contract_hours.assign(spec_.groups.size(), 0.0);
    cost.cells.assign(spec_.rooms.size() * spec_.groups.size(), 0.0);
    cost.cell_contract_hours = cost.cells;
    for (const ShiftSpec& line : spec_.shifts) {
        const RosteredCost c = rostered_cost(line, line.headcount, from_s, to_s);
        for (std::size_t g = 0; g < c.groups.size(); ++g) cost.groups[g] += c.groups[g];
        for (std::size_t g = 0; g < c.groups.size(); ++g) cost.contract_hours[g] += c.contract_hours[g];
        for (std::size_t r = 0; r < c.rooms.size(); ++r) cost.rooms[r] += c.rooms[r];
        for (std::size_t i = 0; i < c.cells.size(); ++i) {
            cost.cells[i] += c.cells[i];
            cost.cell_contract_hours[i] += c.cell_contract_hours[i];
        }
    }
    for (const double g : cost.groups) cost.total += g;
    return cost;
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
