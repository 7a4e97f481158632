#include "crsim/model/interval_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/routing_policy.hpp"
#include "routed_demand.hpp"
#include "timeline.hpp"

namespace crsim::model {

namespace {

constexpr const char* weekday_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string clock_text(double seconds_of_day) {
    const auto total = static_cast<long>(std::llround(seconds_of_day));
    char buffer[32];
    if (total % 60 != 0)
        std::snprintf(buffer, sizeof buffer, "%02ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", total / 3600, total / 60 % 60);
    return buffer;
}

/// Mean arrivals per second of `arr` over simulated [a, b).
double mean_rate(const ArrivalSpec& arr, double offset, double a, double b) {
    if (!arr.times_s.empty()) {
        const auto first = std::lower_bound(arr.times_s.begin(), arr.times_s.end(), a);
        const auto last = std::lower_bound(arr.times_s.begin(), arr.times_s.end(), b);
        return static_cast<double>(last - first) / (b - a);
    }
    const double total = std::accumulate(arr.profile.begin(), arr.profile.end(), 0.0);
    const double scale = arr.per_week / total / arr.interval_s;
    const auto n = static_cast<std::int64_t>(arr.profile.size());
    // The profile is constant within each of its own intervals: integrate piece by piece.
    double integral = 0;
    for (double c0 = a + offset; c0 < b + offset;) {
        const auto index = static_cast<std::int64_t>(std::floor(c0 / arr.interval_s + 1e-9));
        const double c1 = std::min(static_cast<double>(index + 1) * arr.interval_s, b + offset);
        integral += arr.profile[static_cast<std::size_t>(((index % n) + n) % n)] * (c1 - c0);
        c0 = c1;
    }
    return scale * integral / (b - a);
}

/// Adds `people` present over simulated [from, to) to the intervals' staffing.
void add_people(std::vector<IntervalLoad>& intervals, std::size_t room, std::size_t group, double from, double to,
                double people) {
    auto it = std::upper_bound(intervals.begin(), intervals.end(), from,
                               [](double t, const IntervalLoad& i) { return t < i.end_s; });
    for (; it != intervals.end() && it->start_s < to; ++it) {
        const double overlap = std::min(to, it->end_s) - std::max(from, it->start_s);
        if (overlap <= 0) continue;
        const double share = people * overlap / (it->end_s - it->start_s);
        it->staffed[room][group] += share;
        it->on_duty[room][group] += share;
    }
}

/// Person-seconds on break within [a, b) when `people` start a break of `length` at a time spread
/// uniformly over [s0, s1) (a point mass at s0 when s1 == s0), each break cut at `end`.
double break_time_within(double people, double s0, double s1, double length, double end, double a, double b) {
    const double e = std::min(end, b);
    auto overlap = [&](double s) { return std::max(0.0, std::min(s + length, e) - std::max(s, a)); };
    if (s1 <= s0) return people * overlap(s0);
    // overlap(s) is linear between these points, so the trapezoid rule on each piece is exact.
    std::vector<double> points = {s0, s1};
    for (const double p : {a - length, a, e - length, e})
        if (p > s0 && p < s1) points.push_back(p);
    std::sort(points.begin(), points.end());
    double integral = 0;
    for (std::size_t i = 0; i + 1 < points.size(); ++i)
        integral += 0.5 * (overlap(points[i]) + overlap(points[i + 1])) * (points[i + 1] - points[i]);
    return people / (s1 - s0) * integral;
}

/// Adds one shift instance of `line`: `people` expected present from `now` to `end`, breaks from
/// `nominal` (the rostered start) as the roster calendar times them, spread evenly in the fluid limit.
void add_shift(std::vector<IntervalLoad>& intervals, const ShiftSpec& line, std::size_t room, double nominal,
               double now, double end, double people) {
    if (people <= 0) return;
    add_people(intervals, room, line.group, now, end, people);
    for (const BreakSpec& br : line.breaks) {
        // Person j of n starts the break at after + spread·j/n if that is within [now, end); in the
        // fluid limit the start is uniform over [after, after + spread).
        const double lo = nominal + br.after_s;
        const double s0 = std::max(lo, now);
        const double s1 = std::min(lo + br.spread_s, end);
        if (br.spread_s > 0 ? s1 <= s0 : (lo < now || lo >= end)) continue;
        const double density = br.spread_s > 0 ? people * (s1 - s0) / br.spread_s : people;
        auto it = std::upper_bound(intervals.begin(), intervals.end(), s0,
                                   [](double t, const IntervalLoad& i) { return t < i.end_s; });
        for (; it != intervals.end() && it->start_s < std::min(s1 + br.length_s, end); ++it) {
            const double on_break = br.spread_s > 0
                                        ? break_time_within(density, s0, s1, br.length_s, end, it->start_s, it->end_s)
                                        : break_time_within(people, lo, lo, br.length_s, end, it->start_s, it->end_s);
            it->staffed[room][line.group] -= on_break / (it->end_s - it->start_s);
        }
    }
}

/// Adds every shift instance of the roster calendar that starts before `to`, with the expected
/// people present (absence, disruptions, attrition, courses) and the fluid form of overtime caps.
void add_roster(const ScenarioSpec& spec, const Timeline& timeline, std::vector<IntervalLoad>& intervals, double to) {
    const RosterCalendar calendar(spec);
    for (std::size_t i = 0; i < spec.shifts.size(); ++i) {
        const ShiftSpec& line = spec.shifts[i];
        OvertimeBudget overtime(line.weekly_cap_hours);
        calendar.for_each_shift(line, i, to, [&](const ShiftInstance& shift) {
            double people = line.headcount * timeline.presence(line, shift.start_s);
            if (line.overtime)
                people = overtime.allow_expected(shift.week, people, (shift.end_s - shift.start_s) / seconds_per_hour);
            add_shift(intervals, line, shift.room, shift.nominal_start_s, shift.start_s, shift.end_s, people);
        });
    }
}

}  // namespace

double calendar_offset_s(const ScenarioSpec& spec) { return spec.start_weekday * seconds_per_day; }

double check_interval_s(const ScenarioSpec& spec) {
    double interval = never;
    for (const ClassSpec& c : spec.classes)
        if (c.arrivals.times_s.empty()) interval = std::min(interval, c.arrivals.interval_s);
    return std::isfinite(interval) ? interval : seconds_per_hour;
}

std::vector<IntervalLoad> tabulate_intervals(const ScenarioSpec& spec, double from_s, double to_s) {
    const double step = check_interval_s(spec);
    const double offset = calendar_offset_s(spec);
    const std::size_t n_classes = spec.classes.size(), n_groups = spec.groups.size(), n_rooms = spec.rooms.size();
    const Timeline timeline(spec);
    const RoutingPolicy policy(spec);

    std::vector<IntervalLoad> intervals;
    for (double t = from_s; t < to_s;) {
        const double index = std::floor((t + offset) / step + 1e-9);
        double end = std::min((index + 1) * step - offset, to_s);
        if (end - t < 1e-6) end = std::min((index + 2) * step - offset, to_s);  // t sat on a boundary
        IntervalLoad in;
        in.start_s = t;
        in.end_s = end;
        in.week = Timeline::week_of(t);
        in.arrivals_per_s.assign(n_classes, std::vector<double>(n_rooms, 0.0));
        in.staffed.assign(n_rooms, std::vector<double>(n_groups, 0.0));
        in.on_duty = in.staffed;
        in.work_s.assign(n_classes, std::vector<double>(n_groups, 0.0));
        in.base_work_s.assign(n_classes, 0.0);
        // Handle times inflated after a change: the factor at the interval's middle (cohorts'
        // learning factors apply to people, not groups, and are left out).
        const double inflation = timeline.handle_factor(0.5 * (t + end), -1);
        std::vector<double> class_rates, backlog_rates;
        for (const ClassSpec& c : spec.classes) class_rates.push_back(mean_rate(c.arrivals, offset, t, end));
        for (const DeferrableSpec& d : spec.deferrables) backlog_rates.push_back(mean_rate(d.arrivals, offset, t, end));
        const RoutedRates routed = route_demand(spec, std::move(class_rates), std::move(backlog_rates), t, end);
        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double rate = routed.classes[k];
            for (std::size_t r = 0; r < n_rooms && r < c.room_shares.size(); ++r)
                in.arrivals_per_s[k][timeline.room_at(r, t)] += rate * c.room_shares[r];
            // A chat takes `slowdown` times the handle time, and a person holds `at_once` of them:
            // per chat, a person is busy that share of the time.
            const double slowdown = c.chat ? c.chat->slowdown : 1.0, per_person = c.chat ? c.chat->at_once : 1.0;
            const double handle = c.handle_time.mean() * c.handle_by_hour.mean_factor(t, end) * slowdown;
            const double wrap = c.wrap_up.mean();
            in.base_work_s[k] = RoutingPolicy::busy_s(handle, 1.0, inflation, wrap) / per_person;
            for (std::size_t g = 0; g < n_groups; ++g)
                in.work_s[k][g] = policy.busy_s(g, k, handle, wrap, inflation) / per_person;
        }
        for (std::size_t d = 0; d < spec.deferrables.size(); ++d)
            in.backlog_work_per_s.push_back(routed.backlogs[d] * spec.deferrables[d].handle_time.mean());
        intervals.push_back(std::move(in));
        t = end;
    }
    add_roster(spec, timeline, intervals, to_s);
    return intervals;
}

std::string week_span_label(double from_s, double to_s) {
    if (to_s - from_s >= seconds_per_week - 1e-6) return "all week";
    const auto day_of = [](double c) { return static_cast<std::int64_t>(std::floor(c / seconds_per_day + 1e-9)); };
    const std::int64_t d0 = day_of(from_s);
    const double tod0 = from_s - static_cast<double>(d0) * seconds_per_day;
    std::int64_t d1 = day_of(to_s);
    double tod1 = to_s - static_cast<double>(d1) * seconds_per_day;
    // An end at midnight reads as 24:00 of the day before.
    if (tod1 < 1e-6 && d1 > d0) {
        --d1;
        tod1 = seconds_per_day;
    }
    std::string text = std::string(weekday_names[((d0 % 7) + 7) % 7]) + " " + clock_text(tod0) + "–";
    if (d1 != d0) text += std::string(weekday_names[((d1 % 7) + 7) % 7]) + " ";
    return text + clock_text(tod1);
}

}  // namespace crsim::model
