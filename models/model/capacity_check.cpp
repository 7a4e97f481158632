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

#include "crsim/model/routing_policy.hpp"

namespace crsim::model {

namespace {

/// Shortfalls below this many Erlangs are rounding, not findings: the max-flow counts in
/// millionths of an Erlang, rounding loads up and capacities down.
constexpr double shortfall_tolerance = 1e-4;

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

}  // namespace

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

/// The figures of an interval's load, its time and week left out: intervals with the same key have
/// the same shortfalls.
std::vector<double> load_key(const IntervalLoad& in) {
    std::vector<double> key(in.base_work_s);
    for (const auto* table : {&in.arrivals_per_s, &in.staffed, &in.on_duty, &in.work_s})
        for (const std::vector<double>& row : *table) key.insert(key.end(), row.begin(), row.end());
    return key;
}

}  // namespace

CapacityReport check_capacity(const ScenarioSpec& spec) {
    CapacityReport report;
    report.interval_s = check_interval_s(spec);
    const std::vector<IntervalLoad> intervals = tabulate_intervals(spec, 0.0, spec.horizon_s);
    report.intervals_checked = intervals.size();
    if (!intervals.empty()) report.last_week = intervals.back().week;
    const double offset = calendar_offset_s(spec);

    // One span of consecutive short intervals within a week.
    struct Span {
        double start = 0, end = 0;
        int week = 1;
        std::vector<ClassShortfall> worst;  // per class: its interval with the largest shortfall
        std::vector<std::string> worst_label;
    };
    std::vector<Span> spans;
    // A weekly pattern repeats the same interval every week (and a flat one every interval): each
    // distinct load is routed once, so a long horizon costs map look-ups, not max-flows.
    std::map<std::vector<double>, std::vector<ClassShortfall>> routed;
    for (const IntervalLoad& in : intervals) {
        auto [known, inserted] = routed.try_emplace(load_key(in));
        if (inserted) known->second = route_interval(spec, in);
        const std::vector<ClassShortfall>& shortfalls = known->second;
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

}  // namespace crsim::model
