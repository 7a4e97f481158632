#pragma once
/// \file
/// The scenario's routing graph: call classes → the staff groups that may take them → the rooms
/// where those groups are rostered (→ the room a room merges into). Built with Boost.Graph, and
/// read before a run to find classes nobody can answer, groups that do nothing and empty rooms.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// A problem the routing graph shows: an error stops a run, a warning does not.
struct RoutingIssue {
    bool error = false;   ///< true: the scenario cannot be run as it stands
    std::string message;  ///< one sentence naming the class, group or room
};

/// Classes, groups and rooms as vertices of one directed graph; see the file comment.
class RoutingGraph {
public:
    /// What a vertex stands for.
    enum class Kind { call_class, group, room };

    /// A vertex: its kind and its index in the ScenarioSpec vector of that kind.
    struct Vertex {
        Kind kind = Kind::call_class;  ///< which ScenarioSpec vector `index` refers to
        std::size_t index = 0;         ///< position in spec.classes, spec.groups or spec.rooms
    };

    /// An edge: class → group (`factor` = the group's handle factor for the class), group → room
    /// (a roster line; factor 1) or room → room (a merge from `week`).
    struct Edge {
        double factor = 1;  ///< handle-time factor on class → group edges, else 1
        int week = 1;       ///< room → room edges: the week the merge happens, else 1
    };

    /// Builds the graph of `spec`, which must outlive this object.
    explicit RoutingGraph(const ScenarioSpec& spec);
    ~RoutingGraph();

    /// Groups that may take class `k`, in spec order.
    std::vector<std::size_t> groups_of_class(std::size_t k) const;
    /// Rooms in which group `g` has roster lines, in spec order.
    std::vector<std::size_t> rooms_of_group(std::size_t g) const;
    /// Groups with roster lines in room `r`, in spec order.
    std::vector<std::size_t> groups_in_room(std::size_t r) const;

    /// Errors (a class no group takes) and warnings (a group that takes nothing or has no roster
    /// line, a class only unrostered groups take, a room with no staff), errors first.
    std::vector<RoutingIssue> issues() const;

    /// Multi-line text "class → groups → rooms", one class and one room per line, for `crsim check`.
    std::string describe() const;

private:
    std::vector<std::size_t> targets(std::size_t vertex, Kind kind) const;
    std::vector<std::size_t> sources(std::size_t vertex, Kind kind) const;

    const ScenarioSpec& spec_;
    // The Boost graph, defined in routing_graph.cpp so that Boost.Graph's headers (some 80,000
    // lines) are compiled there only, not in every file that asks the graph a question.
    struct Graph;
    std::unique_ptr<Graph> graph_;
    std::size_t first_group_ = 0;  // vertices: classes, then groups, then rooms
    std::size_t first_room_ = 0;
};

}  // namespace crsim::model
