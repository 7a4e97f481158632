// GCC 12 with the sanitizers warns, falsely, that the storage of an empty boost::optional inside
// Boost.Graph's add_vertex is used uninitialized when it is inlined here; keep that noise out.
#pragma GCC diagnostic ignored "-Wuninitialized"

#include "crsim/model/routing_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "crsim/model/number_text.hpp"
#include "crsim/model/routing_policy.hpp"

namespace crsim::model {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out;
}

std::string percent(double share) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g%%", share * 100);
    return buffer;
}

}  // namespace

/// The Boost graph; bidirectional so that in-degrees (who reaches a room) are cheap.
struct RoutingGraph::Graph
    : boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, RoutingGraph::Vertex, RoutingGraph::Edge> {
};

RoutingGraph::RoutingGraph(const ScenarioSpec& spec) : spec_(spec), graph_(std::make_unique<Graph>()) {
    first_group_ = spec.classes.size();
    first_room_ = first_group_ + spec.groups.size();
    for (std::size_t k = 0; k < spec.classes.size(); ++k) boost::add_vertex(Vertex{Kind::call_class, k}, *graph_);
    for (std::size_t g = 0; g < spec.groups.size(); ++g) boost::add_vertex(Vertex{Kind::group, g}, *graph_);
    for (std::size_t r = 0; r < spec.rooms.size(); ++r) boost::add_vertex(Vertex{Kind::room, r}, *graph_);

    const RoutingPolicy policy(spec);
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        for (std::size_t k = 0; k < spec.classes.size(); ++k)
            if (policy.takes(g, k)) boost::add_edge(k, first_group_ + g, Edge{policy.handle_factor(g, k), 1}, *graph_);
    // One edge per (group, room) pair however many roster lines it has: the graph says who can
    // be where; how many are there is the capacity check's business.
    for (const ShiftSpec& s : spec.shifts)
        if (!boost::edge(first_group_ + s.group, first_room_ + s.room, *graph_).second)
            boost::add_edge(first_group_ + s.group, first_room_ + s.room, Edge{}, *graph_);
    for (const RoomMergeSpec& m : spec.merges)
        for (const std::size_t r : m.rooms)
            boost::add_edge(first_room_ + r, first_room_ + m.into, Edge{1, m.week}, *graph_);
}

RoutingGraph::~RoutingGraph() = default;

std::vector<std::size_t> RoutingGraph::targets(std::size_t vertex, Kind kind) const {
    std::vector<std::size_t> out;
    for (const auto e : boost::make_iterator_range(boost::out_edges(vertex, *graph_))) {
        const Vertex& v = (*graph_)[boost::target(e, *graph_)];
        if (v.kind == kind) out.push_back(v.index);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::size_t> RoutingGraph::sources(std::size_t vertex, Kind kind) const {
    std::vector<std::size_t> out;
    for (const auto e : boost::make_iterator_range(boost::in_edges(vertex, *graph_))) {
        const Vertex& v = (*graph_)[boost::source(e, *graph_)];
        if (v.kind == kind) out.push_back(v.index);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::size_t> RoutingGraph::groups_of_class(std::size_t k) const { return targets(k, Kind::group); }

std::vector<std::size_t> RoutingGraph::rooms_of_group(std::size_t g) const {
    return targets(first_group_ + g, Kind::room);
}

std::vector<std::size_t> RoutingGraph::groups_in_room(std::size_t r) const {
    return sources(first_room_ + r, Kind::group);
}

std::vector<RoutingIssue> RoutingGraph::issues() const {
    std::vector<RoutingIssue> errors, warnings;
    for (std::size_t k = 0; k < spec_.classes.size(); ++k) {
        const std::vector<std::size_t> groups = groups_of_class(k);
        const std::string name = "class '" + spec_.classes[k].name + "'";
        if (groups.empty()) {
            errors.push_back({true, name + ": no group takes it, so its calls can never be answered"});
            continue;
        }
        const bool rostered =
            std::any_of(groups.begin(), groups.end(), [&](std::size_t g) { return !rooms_of_group(g).empty(); });
        if (!rostered)
            warnings.push_back({false, name + ": no group that takes it has a roster line, so nobody answers it"});
    }
    for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
        const std::string name = "group '" + spec_.groups[g].name + "'";
        if (boost::in_degree(first_group_ + g, *graph_) == 0)
            warnings.push_back({false, name + ": takes no class, so its people answer nothing"});
        if (rooms_of_group(g).empty()) warnings.push_back({false, name + ": has no roster line"});
    }
    for (std::size_t r = 0; r < spec_.rooms.size(); ++r) {
        // A room merged away from the first week never receives a call, so needs no staff; one that
        // others merge into has staff from the merge on.
        bool gone_from_start = false;
        for (const auto e : boost::make_iterator_range(boost::out_edges(first_room_ + r, *graph_)))
            if ((*graph_)[e].week <= 1) gone_from_start = true;
        // In-edges are roster lines (group → room) and merges into this room (room → room).
        const bool receives_staff = boost::in_degree(first_room_ + r, *graph_) > 0;
        if (!receives_staff && !gone_from_start)
            warnings.push_back({false, "room '" + spec_.rooms[r].name + "': no roster line puts anybody there"});
    }
    errors.insert(errors.end(), warnings.begin(), warnings.end());
    return errors;
}

std::string RoutingGraph::describe() const {
    std::ostringstream out;
    out << "routing: classes → groups (handle factor) → rooms\n";
    const RoutingPolicy policy(spec_);
    for (std::size_t k = 0; k < spec_.classes.size(); ++k) {
        const ClassSpec& c = spec_.classes[k];
        std::vector<std::string> groups, homes;
        for (const auto e : boost::make_iterator_range(boost::out_edges(k, *graph_))) {
            const std::size_t g = (*graph_)[boost::target(e, *graph_)].index;
            std::string text = spec_.groups[g].name;
            if ((*graph_)[e].factor != 1) text += " (×" + format_number((*graph_)[e].factor) + ")";
            groups.push_back(text);
        }
        for (std::size_t r = 0; r < c.room_shares.size() && r < spec_.rooms.size(); ++r)
            if (c.room_shares[r] > 0) homes.push_back(spec_.rooms[r].name + " " + percent(c.room_shares[r]));
        out << "  class " << c.name << " → " << (groups.empty() ? "(no group)" : join(groups)) << "; calls to "
            << join(homes);
        if (spec_.rooms.size() > 1)
            out << (policy.overflows(k)
                        ? "; overflow to other rooms after " + format_number(policy.overflow_after_s(k)) + "s"
                        : "; no overflow");
        out << '\n';
    }
    for (std::size_t g = 0; g < spec_.groups.size(); ++g) {
        std::vector<std::string> rooms;
        for (const std::size_t r : rooms_of_group(g)) rooms.push_back(spec_.rooms[r].name);
        out << "  group " << spec_.groups[g].name << " → " << (rooms.empty() ? "(no roster line)" : join(rooms))
            << '\n';
    }
    for (std::size_t r = 0; r < spec_.rooms.size(); ++r)
        for (const auto e : boost::make_iterator_range(boost::out_edges(first_room_ + r, *graph_)))
            out << "  room " << spec_.rooms[r].name << " → merges into "
                << spec_.rooms[(*graph_)[boost::target(e, *graph_)].index].name << " from week " << (*graph_)[e].week
                << '\n';
    return out.str();
}

}  // namespace crsim::model
