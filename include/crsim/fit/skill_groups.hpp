#pragma once
/// \file
/// Skill groups inferred from which classes each agent answers, and the routing between them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace crsim::fit {

/// Agents with fewer answered calls than this say too little about their skills: they join the
/// group that answers most of their main class.
inline constexpr double min_calls_for_skills = 20;

/// A group whose agents answered a smaller share of all calls is too small to stand alone.
inline constexpr double small_group_share = 0.05;

/// One inferred group: the classes it takes (indices of the log's classes) and its agents.
struct SkillGroup {
    std::vector<std::uint32_t> takes;  ///< ascending
    std::vector<std::int32_t> agents;  ///< indices of the log's agents
    std::vector<double> calls;         ///< calls its agents answered, per class of the log
    double total_calls = 0;
};

/// The groups, largest (most calls answered) first, and each agent's group.
struct SkillGroups {
    std::vector<SkillGroup> groups;
    std::vector<std::int32_t> group_of_agent;  ///< per agent of the log; -1: answered nothing counted
};

/// Groups from `answered[agent][class]`, the calls each agent answered per class. The rule:
/// (1) an agent with at least min_calls_for_skills calls takes the classes that make up at least
/// skill_share of their calls; (2) agents with the same set of classes form a group; (3) a set
/// contained in another is merged into the smallest set containing it whose agents answered more
/// calls (ties: the one with more calls), because a log shows what agents did, not what they could
/// do: an agent seen only on PS among many colleagues who also take NE is taken to be one of them;
/// (4) a group answering under small_group_share of all calls joins the group with the nearest class
/// mix (total variation distance) and takes that group's classes; (5) an agent with fewer calls
/// joins the group that answered most calls of the agent's most answered class; (6) a class no
/// group takes is taken by the group that answered most of its calls.
SkillGroups infer_skill_groups(const std::vector<std::vector<double>>& answered, std::size_t classes);

/// For class `cls`, the groups that take it, the one that answered most of its calls first: the
/// routing of a call that finds people of several groups idle.
std::vector<std::size_t> routing_order(const SkillGroups& groups, std::uint32_t cls);

}  // namespace crsim::fit
