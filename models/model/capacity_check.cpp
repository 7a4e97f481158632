#include "crsim/model/capacity_check.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "crsim/analytic/erlang.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/routing_policy.hpp"
#include "timeline.hpp"

namespace crsim::model {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr const char* weekday_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/// Shortfalls below this many Erlangs are rounding, not findings: the max-flow counts in
/// millionths of an Erlang, rounding loads up and capacities down.
constexpr double shortfall_tolerance = 1e-4;

double calendar_offset(const ScenarioSpec& spec) { return spec.start_weekday * seconds_per_day; }

// ---------------------------------------------------------------------------------------------
// Tabulating intervals

/// Mean offered calls per second of class `c` over simulated [a, b).
double mean_rate(const ClassSpec& c, double offset, double a, double b) {
    const ArrivalSpec& arr = c.arrivals;
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

// ---------------------------------------------------------------------------------------------
// The max-flow

using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, std::int64_t,
                    boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                    boost::property<boost::edge_reverse_t, FlowTraits::edge_descriptor>>>>;
using FlowEdge = FlowTraits::edge_descriptor;

/// Flow is counted in millionths of an Erlang: push-relabel on doubles can chase rounding residue.
constexpr double units_per_erlang = 1e6;

/// The network source → class → class-in-home-room → group-in-room → sink of one interval.
class FlowNetwork {
public:
    FlowNetwork(const ScenarioSpec& spec, const IntervalLoad& interval, bool conservative) {
        const RoutingPolicy policy(spec);
        const std::size_t n_classes = spec.classes.size(), n_groups = spec.groups.size(), n_rooms = spec.rooms.size();
        const std::size_t class_room0 = 2 + n_classes, group_room0 = class_room0 + n_classes * n_rooms;
        for (std::size_t v = 0; v < group_room0 + n_groups * n_rooms; ++v) boost::add_vertex(graph_);

        loads_.assign(n_classes, 0.0);
        std::vector<double> room_loads(n_classes * n_rooms, 0.0);
        for (std::size_t k = 0; k < n_classes; ++k) {
            for (std::size_t r = 0; r < n_rooms; ++r) {
                room_loads[k * n_rooms + r] = interval.arrivals_per_s[k][r] * interval.base_work_s[k];
                loads_[k] += room_loads[k * n_rooms + r];
            }
        }
        // Millionths of an Erlang, unless the loads or the staff are so large that the sums of
        // the flow would overflow 64 bits: then a coarser unit, so that the verdict stays right.
        double biggest = 0;
        for (const double load : loads_) biggest += load;
        for (std::size_t g = 0; g < n_groups; ++g)
            for (std::size_t r = 0; r < n_rooms; ++r) biggest += std::max(0.0, interval.staffed[r][g]);
        if (!std::isfinite(biggest)) {
            overflow_ = true;  // no unit can hold it: every class is reported as short by all its load
            return;
        }
        constexpr double max_total_units = 1e15;
        units_per_erlang_ = biggest * units_per_erlang > max_total_units ? max_total_units / biggest : units_per_erlang;
        std::int64_t total_units = 0;
        for (std::size_t k = 0; k < n_classes; ++k) {
            for (std::size_t r = 0; r < n_rooms; ++r) {
                const auto units =
                    static_cast<std::int64_t>(std::ceil(room_loads[k * n_rooms + r] * units_per_erlang_));
                total_units += units;
                add(2 + k, class_room0 + k * n_rooms + r, units);
            }
            source_edges_.push_back(add(0, 2 + k, 0));
            load_units_.push_back(static_cast<std::int64_t>(std::ceil(loads_[k] * units_per_erlang_)));
        }
        const std::int64_t unlimited = total_units + 1;
        for (std::size_t g = 0; g < n_groups; ++g) {
            // The group's Erlangs of busy time per Erlang of factor-1 load, over the classes it
            // takes that offer load now: its largest ratio makes the capacity an underestimate,
            // its smallest an overestimate.
            double ratio = 1;
            bool any = false;
            for (std::size_t k = 0; k < n_classes; ++k) {
                if (!policy.takes(g, k) || loads_[k] <= 0 || interval.base_work_s[k] <= 0) continue;
                const double rk = interval.work_s[k][g] / interval.base_work_s[k];
                ratio = !any ? rk : conservative ? std::max(ratio, rk) : std::min(ratio, rk);
                any = true;
            }
            for (std::size_t r = 0; r < n_rooms; ++r) {
                const double people = std::max(0.0, interval.staffed[r][g]);
                // A ratio far below 1 (much faster staff) cannot push a capacity past the total.
                const double capacity = std::min(people / ratio * units_per_erlang_, static_cast<double>(unlimited));
                add(group_room0 + g * n_rooms + r, 1, static_cast<std::int64_t>(std::floor(capacity)));
                for (std::size_t k = 0; k < n_classes; ++k) {
                    if (!policy.takes(g, k)) continue;
                    for (std::size_t home = 0; home < n_rooms; ++home)
                        if (policy.reaches(k, home, r))
                            add(class_room0 + k * n_rooms + home, group_room0 + g * n_rooms + r, unlimited);
                }
            }
        }
    }

    /// Offered load of each class in Erlangs.
    const std::vector<double>& loads() const { return loads_; }

    /// Load in Erlangs that cannot be carried when only the classes marked in `offered` offer theirs.
    double shortfall(const std::vector<bool>& offered) {
        if (overflow_) {
            double all = 0;
            for (std::size_t k = 0; k < offered.size(); ++k)
                if (offered[k]) all += loads_[k];
            return all;
        }
        auto capacity = boost::get(boost::edge_capacity, graph_);
        std::int64_t wanted = 0;
        for (std::size_t k = 0; k < source_edges_.size(); ++k) {
            capacity[source_edges_[k]] = offered[k] ? load_units_[k] : 0;
            wanted += capacity[source_edges_[k]];
        }
        // push_relabel_max_flow resets residual capacities from the capacities on every call.
        const std::int64_t flow = boost::push_relabel_max_flow(graph_, 0, 1);
        return static_cast<double>(wanted - flow) / units_per_erlang_;
    }

private:
    FlowEdge add(std::size_t from, std::size_t to, std::int64_t capacity) {
        const FlowEdge e = boost::add_edge(from, to, graph_).first;
        const FlowEdge back = boost::add_edge(to, from, graph_).first;
        boost::put(boost::edge_capacity, graph_, e, capacity);
        boost::put(boost::edge_capacity, graph_, back, 0);
        boost::put(boost::edge_reverse, graph_, e, back);
        boost::put(boost::edge_reverse, graph_, back, e);
        return e;
    }

    FlowGraph graph_;
    std::vector<FlowEdge> source_edges_;
    std::vector<std::int64_t> load_units_;
    std::vector<double> loads_;
    double units_per_erlang_ = units_per_erlang;
    bool overflow_ = false;
};

/// Each class's shortfall, routing classes in priority order (see the header).
std::vector<double> shortfalls_by_priority(const ScenarioSpec& spec, FlowNetwork& net) {
    const std::size_t n = spec.classes.size();
    std::vector<double> result(n, 0.0);
    std::vector<bool> offered(n, false);
    double before = 0;  // shortfall of the levels already routed
    const RoutingPolicy policy(spec);
    for (const auto& members : policy.priority_levels()) {
        for (const std::size_t k : members) offered[k] = true;
        const double after = net.shortfall(offered);
        const double level_shortfall = std::max(0.0, after - before);
        if (members.size() == 1) {
            result[members[0]] = level_shortfall;
        } else if (level_shortfall > 0) {
            // Equal priority: share the level's shortfall in proportion to what each class would
            // lack on its own (or to load, if none would alone).
            std::vector<double> alone(members.size(), 0.0);
            for (std::size_t i = 0; i < members.size(); ++i) {
                std::vector<bool> one = offered;
                for (const std::size_t k : members) one[k] = k == members[i];
                alone[i] = std::max(0.0, net.shortfall(one) - before);
            }
            double total = std::accumulate(alone.begin(), alone.end(), 0.0);
            if (total <= 0) {
                for (std::size_t i = 0; i < members.size(); ++i) alone[i] = net.loads()[members[i]];
                total = std::accumulate(alone.begin(), alone.end(), 0.0);
            }
            for (std::size_t i = 0; i < members.size(); ++i)
                result[members[i]] = total > 0 ? level_shortfall * alone[i] / total : 0.0;
        }
        before = after;
    }
    return result;
}

// ---------------------------------------------------------------------------------------------
// Text

std::string erlangs(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, x >= 1e9 ? "%.3g" : x >= 0.05 || x == 0 ? "%.1f" : "%.2g", x);
    return buffer;
}

std::string weeks_text(const std::vector<int>& weeks) {
    std::string out = weeks.size() == 1 ? "week " : "weeks ";
    for (std::size_t i = 0; i < weeks.size();) {
        std::size_t j = i;
        while (j + 1 < weeks.size() && weeks[j + 1] == weeks[j] + 1) ++j;
        if (i > 0) out += ", ";
        out += std::to_string(weeks[i]);
        if (j > i) out += "–" + std::to_string(weeks[j]);
        i = j + 1;
    }
    return out;
}

std::string clock_text(double seconds_of_day) {
    const auto total = static_cast<long>(std::llround(seconds_of_day));
    char buffer[32];
    if (total % 60 != 0)
        std::snprintf(buffer, sizeof buffer, "%02ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", total / 3600, total / 60 % 60);
    return buffer;
}

// ---------------------------------------------------------------------------------------------
// Erlang estimates

/// Erlang figures of one pool with a whole number of agents.
struct PoolPoint {
    bool stable = true;
    std::vector<double> service_level;
    double p_abandon = 0;
    double mean_queue_s = 0;
    double wait_of_served_s = 0;  // NaN when nobody is served
};

PoolPoint pool_point(double arrivals_per_s, double handle_s, double patience_s, int agents,
                     const std::vector<double>& thresholds_s, double connection_s) {
    PoolPoint p;
    p.service_level.assign(thresholds_s.size(), 0.0);
    if (agents == 0) {
        // Nobody there: Erlang C never empties; under Erlang A every caller waits out their patience.
        if (!std::isfinite(patience_s)) p.stable = false;
        p.p_abandon = 1;
        p.mean_queue_s = patience_s;
        p.wait_of_served_s = nan;
        return p;
    }
    try {
        const analytic::ErlangQueue q({arrivals_per_s * seconds_per_hour, handle_s, patience_s}, agents);
        for (std::size_t i = 0; i < thresholds_s.size(); ++i) {
            // Published answer times include the connection: its mean shifts the threshold.
            const double queue_threshold = thresholds_s[i] - connection_s;
            p.service_level[i] = queue_threshold < 0 ? 0.0 : q.service_level(queue_threshold);
        }
        p.p_abandon = q.p_abandon();
        p.mean_queue_s = q.mean_wait_s();
        p.wait_of_served_s = q.asa_s();
    } catch (const analytic::UnstableQueueError&) {
        p.stable = false;
    }
    return p;
}

/// Accumulates offered-call-weighted figures of one class.
struct EstimateSums {
    double offered = 0, answered = 0, abandoned = 0, queue_s = 0, answered_wait_s = 0;
    std::vector<double> within;
};

}  // namespace

// ---------------------------------------------------------------------------------------------

double check_interval_s(const ScenarioSpec& spec) {
    double interval = never;
    for (const ClassSpec& c : spec.classes)
        if (c.arrivals.times_s.empty()) interval = std::min(interval, c.arrivals.interval_s);
    return std::isfinite(interval) ? interval : seconds_per_hour;
}

std::vector<IntervalLoad> tabulate_intervals(const ScenarioSpec& spec, double from_s, double to_s) {
    const double step = check_interval_s(spec);
    const double offset = calendar_offset(spec);
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
        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double rate = mean_rate(c, offset, t, end);
            for (std::size_t r = 0; r < n_rooms && r < c.room_shares.size(); ++r)
                in.arrivals_per_s[k][timeline.room_at(r, t)] += rate * c.room_shares[r];
            const double handle = c.handle_time.mean(), wrap = c.wrap_up.mean();
            in.base_work_s[k] = RoutingPolicy::busy_s(handle, 1.0, inflation, wrap);
            for (std::size_t g = 0; g < n_groups; ++g) in.work_s[k][g] = policy.busy_s(g, k, handle, wrap, inflation);
        }
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

std::vector<ClassShortfall> route_interval(const ScenarioSpec& spec, const IntervalLoad& interval) {
    FlowNetwork upper(spec, interval, true), lower(spec, interval, false);
    const std::vector<double> high = shortfalls_by_priority(spec, upper);
    const std::vector<double> low = shortfalls_by_priority(spec, lower);
    std::vector<ClassShortfall> out;
    for (std::size_t k = 0; k < spec.classes.size(); ++k)
        out.push_back({k, upper.loads()[k], high[k], std::min(low[k], high[k])});
    return out;
}

std::string CapacityFinding::describe(const ScenarioSpec& spec) const {
    std::string text = span + " (" + weeks_text(weeks) + (varies ? ", at times" : "") + "): ";
    for (std::size_t i = 0; i < classes.size(); ++i) {
        const ClassShortfall& c = classes[i];
        const bool merged = worst[i] != span;
        std::string by = erlangs(c.shortfall_erlangs);
        if (erlangs(c.shortfall_min_erlangs) != by) by = erlangs(c.shortfall_min_erlangs) + "–" + by;
        if (i > 0) text += "; ";
        text += spec.classes[c.cls].name;
        if (merged) {
            text += " load exceeds what the rostered staff can carry by up to " + by + " Erlangs (" + worst[i] +
                    ": load " + erlangs(c.load_erlangs) + " Erlangs)";
        } else {
            text += " load " + erlangs(c.load_erlangs) + " Erlangs exceeds what the rostered staff can carry by " + by +
                    " Erlangs";
        }
    }
    return text;
}

namespace {

/// Findings that differ only by their figures or hours from week to week (attrition, a merger):
/// those starting on one weekday with the same classes short become one, over the hull of their
/// spans and the union of their weeks, each class at its worst interval of all. Findings alone in
/// their group are kept as they are.
std::vector<CapacityFinding> group_by_weekday(std::vector<CapacityFinding> findings) {
    std::vector<CapacityFinding> grouped;
    std::vector<std::vector<int>> worst_week;  // [group][class entry]: the week of its worst interval
    std::map<std::string, std::size_t> index;  // weekday and classes -> group
    for (CapacityFinding& f : findings) {
        const bool whole_week = f.span == "all week";
        std::string key = whole_week ? "all" : std::to_string(static_cast<int>(f.from_s / seconds_per_day));
        for (const ClassShortfall& c : f.classes) {
            key += ',';
            key += std::to_string(c.cls);
        }
        const auto [it, inserted] = index.emplace(key, grouped.size());
        if (inserted) {
            worst_week.emplace_back(f.classes.size(), f.weeks.front());
            grouped.push_back(std::move(f));
            continue;
        }
        CapacityFinding& g = grouped[it->second];
        g.varies = true;
        g.from_s = std::min(g.from_s, f.from_s);
        g.to_s = std::max(g.to_s, f.to_s);
        std::vector<int> weeks;
        std::set_union(g.weeks.begin(), g.weeks.end(), f.weeks.begin(), f.weeks.end(), std::back_inserter(weeks));
        g.weeks = std::move(weeks);
        for (std::size_t i = 0; i < g.classes.size(); ++i) {
            if (f.classes[i].shortfall_erlangs <= g.classes[i].shortfall_erlangs) continue;
            g.classes[i] = f.classes[i];
            g.worst[i] = f.worst[i];
            worst_week[it->second][i] = f.weeks.front();
        }
    }
    for (std::size_t k = 0; k < grouped.size(); ++k) {
        CapacityFinding& g = grouped[k];
        if (!g.varies) continue;
        if (g.span != "all week") g.span = week_span_label(g.from_s, g.to_s);
        for (std::size_t i = 0; i < g.worst.size(); ++i) {
            // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, bug 105329) on "literal" + string&&.
            std::string label = "week ";
            label += std::to_string(worst_week[k][i]);
            label += ", ";
            g.worst[i] = label + g.worst[i];
        }
    }
    return grouped;
}

}  // namespace

CapacityReport check_capacity(const ScenarioSpec& spec) {
    CapacityReport report;
    report.interval_s = check_interval_s(spec);
    const std::vector<IntervalLoad> intervals = tabulate_intervals(spec, 0.0, spec.horizon_s);
    report.intervals_checked = intervals.size();
    if (!intervals.empty()) report.last_week = intervals.back().week;
    const double offset = calendar_offset(spec);

    // One span of consecutive short intervals within a week.
    struct Span {
        double start = 0, end = 0;
        int week = 1;
        std::vector<ClassShortfall> worst;  // per class: its interval with the largest shortfall
        std::vector<std::string> worst_label;
    };
    std::vector<Span> spans;
    for (const IntervalLoad& in : intervals) {
        const std::vector<ClassShortfall> shortfalls = route_interval(spec, in);
        const bool short_here = std::any_of(shortfalls.begin(), shortfalls.end(), [](const ClassShortfall& c) {
            return c.shortfall_erlangs > shortfall_tolerance;
        });
        if (!short_here) continue;
        if (spans.empty() || spans.back().end != in.start_s || spans.back().week != in.week) {
            Span s;
            s.start = in.start_s;
            s.week = in.week;
            s.worst.assign(shortfalls.size(), ClassShortfall{});
            s.worst_label.assign(shortfalls.size(), "");
            spans.push_back(std::move(s));
        }
        Span& s = spans.back();
        s.end = in.end_s;
        for (const ClassShortfall& c : shortfalls) {
            if (c.shortfall_erlangs <= std::max(shortfall_tolerance, s.worst[c.cls].shortfall_erlangs)) continue;
            s.worst[c.cls] = c;
            s.worst_label[c.cls] = week_span_label(in.start_s + offset, in.end_s + offset);
        }
    }

    // The same finding in several weeks (the usual case: a weekly roster) is reported once.
    std::map<std::string, std::size_t> seen;  // text without the weeks → index in findings
    for (const Span& s : spans) {
        CapacityFinding f;
        f.span = week_span_label(s.start + offset, s.end + offset);
        for (std::size_t k = 0; k < s.worst.size(); ++k) {
            if (s.worst[k].shortfall_erlangs <= shortfall_tolerance) continue;
            f.classes.push_back(s.worst[k]);
            f.worst.push_back(s.worst_label[k]);
        }
        std::string key = f.describe(spec);
        key = key.substr(key.find("): ") + 1);
        key = f.span + key;
        const auto [it, inserted] = seen.emplace(key, report.findings.size());
        if (inserted) {
            f.weeks = {s.week};
            f.from_s = std::fmod(s.start + offset, seconds_per_week);
            f.to_s = f.from_s + (s.end - s.start);
            report.findings.push_back(std::move(f));
        } else {
            report.findings[it->second].weeks.push_back(s.week);
        }
    }
    report.findings = group_by_weekday(std::move(report.findings));
    return report;
}

std::vector<AnalyticBounds> erlang_bounds(const ScenarioSpec& spec) {
    std::vector<AnalyticFigures> separate = erlang_estimates(spec, RoutingPolicy::Reach::home_room);
    std::vector<AnalyticFigures> pooled = erlang_estimates(spec, RoutingPolicy::Reach::every_room);
    std::vector<AnalyticBounds> out(separate.size());
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = {std::move(separate[k]), std::move(pooled[k])};
    return out;
}

std::vector<AnalyticFigures> erlang_estimates(const ScenarioSpec& spec, RoutingPolicy::Reach reach) {
    const std::size_t n_classes = spec.classes.size(), n_groups = spec.groups.size(), n_rooms = spec.rooms.size();
    const std::vector<IntervalLoad> intervals = tabulate_intervals(spec, spec.warmup_s, spec.horizon_s);
    const double offset = calendar_offset(spec);
    const RoutingPolicy policy(spec);

    // Pools: the connected components of the graph whose vertices are classes in their home rooms
    // and groups in rooms, joined where a group may answer the class there (its home room, or, for
    // the pooled bound, any room when it may overflow). Within a pool every call may reach every person, so it is one
    // M/M/N(+M) queue served in arrival order: priority ignored, skills and overflow delays assumed
    // to pool fully.
    const std::size_t n_class_rooms = n_classes * n_rooms;
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> links(n_class_rooms + n_groups * n_rooms);
    for (std::size_t k = 0; k < n_classes; ++k) {
        for (std::size_t g = 0; g < n_groups; ++g) {
            if (!policy.takes(g, k)) continue;
            for (std::size_t home = 0; home < n_rooms; ++home)
                for (std::size_t r = 0; r < n_rooms; ++r)
                    if (policy.reaches(k, home, r, reach))
                        boost::add_edge(k * n_rooms + home, n_class_rooms + g * n_rooms + r, links);
        }
    }
    std::vector<std::size_t> pool_of(boost::num_vertices(links));
    const std::size_t n_pools = boost::connected_components(links, pool_of.data());

    std::vector<AnalyticFigures> out(n_classes);
    std::vector<EstimateSums> sums(n_classes);
    for (std::size_t k = 0; k < n_classes; ++k) {
        out[k].erlang_a = spec.classes[k].patience.has_value();
        sums[k].within.assign(spec.classes[k].thresholds_s.size(), 0.0);
    }
    // Rosters repeat weekly, so most intervals recur: remember each pool's figures.
    std::map<std::tuple<std::size_t, double, double, double, int>, PoolPoint> memo;

    for (const IntervalLoad& in : intervals) {
        const double length = in.end_s - in.start_s;
        // Per pool: arrival rate, people, and the sums that give its mean busy time and abandonment rate.
        std::vector<double> rate(n_pools, 0.0), people(n_pools, 0.0), busy(n_pools, 0.0), theta(n_pools, 0.0);
        for (std::size_t g = 0; g < n_groups; ++g)
            for (std::size_t r = 0; r < n_rooms; ++r)
                people[pool_of[n_class_rooms + g * n_rooms + r]] += std::max(0.0, in.staffed[r][g]);
        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double abandon_rate = c.patience ? 1.0 / c.patience->mean() : 0.0;
            for (std::size_t home = 0; home < n_rooms; ++home) {
                const double lambda = in.arrivals_per_s[k][home];
                if (lambda <= 0) continue;
                const std::size_t pool = pool_of[k * n_rooms + home];
                // The class's busy time in this pool: its groups' busy times weighted by their people.
                double weight = 0, work = 0;
                for (std::size_t g = 0; g < n_groups; ++g)
                    for (std::size_t r = 0; r < n_rooms; ++r)
                        if (policy.takes(g, k) && pool_of[n_class_rooms + g * n_rooms + r] == pool) {
                            weight += std::max(0.0, in.staffed[r][g]);
                            work += std::max(0.0, in.staffed[r][g]) * in.work_s[k][g];
                        }
                rate[pool] += lambda;
                busy[pool] += lambda * (weight > 0 ? work / weight : in.base_work_s[k]);
                theta[pool] += lambda * abandon_rate;
            }
        }

        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double own_theta = c.patience ? 1.0 / c.patience->mean() : 0.0;
            bool offered_here = false, overloaded = false;
            for (std::size_t home = 0; home < n_rooms; ++home) {
                const double lambda = in.arrivals_per_s[k][home];
                if (lambda <= 0) continue;
                offered_here = true;
                const std::size_t pool = pool_of[k * n_rooms + home];
                const double handle = busy[pool] / rate[pool];
                // One abandonment rate for the pool: the arrival-weighted mean of its classes' rates.
                const double pool_theta = theta[pool] / rate[pool];
                const double patience = pool_theta > 0 ? 1.0 / pool_theta : never;
                const double offered = lambda * length;
                EstimateSums& s = sums[k];
                if (handle <= 0) {  // no work to do: every call is answered at once
                    s.offered += offered;
                    s.answered += offered;
                    for (double& w : s.within) w += offered;
                    continue;
                }
                // A fractional number of people is a mixture of the whole numbers around it.
                const int lo = static_cast<int>(std::floor(people[pool] + 1e-9));
                const double frac = people[pool] - lo < 1e-9 ? 0.0 : people[pool] - lo;
                auto point = [&](int n) -> PoolPoint {
                    const auto key = std::make_tuple(k, rate[pool], handle, patience, n);
                    auto it = memo.find(key);
                    if (it == memo.end())
                        it = memo.emplace(key, pool_point(rate[pool], handle, patience, n, c.thresholds_s,
                                                          c.connection.mean()))
                                 .first;
                    PoolPoint p = it->second;
                    // In a pool of classes with different patience, each abandons at its own rate
                    // over the pool's mean time in queue (exact for a pool of one class: θ E[W]).
                    if (p.stable && n > 0) p.p_abandon = std::min(1.0, own_theta * p.mean_queue_s);
                    if (n == 0 && own_theta == 0) p.stable = false;  // nobody there and nobody hangs up
                    return p;
                };
                const PoolPoint a = point(lo);
                const PoolPoint b = frac > 0 ? point(lo + 1) : a;
                if (!a.stable || !b.stable) {
                    overloaded = true;
                    continue;
                }
                const double wa = 1 - frac, wb = frac;
                s.offered += offered;
                for (std::size_t i = 0; i < s.within.size(); ++i)
                    s.within[i] += offered * (wa * a.service_level[i] + wb * b.service_level[i]);
                s.abandoned += offered * (wa * a.p_abandon + wb * b.p_abandon);
                s.queue_s += offered * (wa * a.mean_queue_s + wb * b.mean_queue_s);
                for (const auto& [w, p] : {std::pair{wa, &a}, std::pair{wb, &b}}) {
                    const double answered = offered * w * (1 - p->p_abandon);
                    if (answered <= 0 || std::isnan(p->wait_of_served_s)) continue;
                    s.answered += answered;
                    s.answered_wait_s += answered * p->wait_of_served_s;
                }
            }
            if (offered_here) ++out[k].intervals;
            if (overloaded && out[k].overloaded_intervals++ == 0)
                out[k].first_overloaded = week_span_label(in.start_s + offset, in.end_s + offset);
        }
    }

    for (std::size_t k = 0; k < n_classes; ++k) {
        AnalyticFigures& f = out[k];
        const EstimateSums& s = sums[k];
        f.service_level.assign(s.within.size(), nan);
        if (f.overloaded_intervals > 0 || s.offered <= 0) continue;
        for (std::size_t i = 0; i < s.within.size(); ++i) f.service_level[i] = s.within[i] / s.offered;
        f.abandoned_pct = 100 * s.abandoned / s.offered;
        f.mean_queue_s = s.queue_s / s.offered;
        if (s.answered > 0) f.asa_s = s.answered_wait_s / s.answered + spec.classes[k].connection.mean();
    }
    return out;
}

}  // namespace crsim::model
