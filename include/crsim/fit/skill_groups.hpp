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

/// Agents whose set of classes is contained in another group's join that group only when the few
/// calls they answered of each class they lack are no rarer than this binomial tail at the other
/// group's share of the class.
inline constexpr double nested_merge_p = 0.001;

/// A group whose agents answered at least this share of a class outside its set takes the class as
/// overflow: only while more than one of its people is idle.
inline constexpr double overflow_share = 0.01;

/// Such a class is taken in full when it makes up at least this fraction of its share of all calls
/// in the group's calls (a class too small to reach skill_share in anyone's calls), as overflow below.
inline constexpr double overflow_full_ratio = 0.5;

/// One inferred group: the classes it takes (indices of the log's classes) and its agents.
struct SkillGroup {
    std::vector<std::uint32_t> takes;  ///< ascending
    /// Ascending: classes it takes only while more than one of its people is idle.
    std::vector<std::uint32_t> overflow;
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
/// calls (ties: the one with more calls), unless it answered so few of a class it lacks that a
/// binomial draw at the other's share of that class would be as low with probability under
/// nested_merge_p: a log shows what agents did, not
/// what they could do, so an agent seen only on PS among many colleagues who also take NE is taken
/// to be one of them, unless they answered so few NE calls that they plainly did not take them;
/// (4) a group answering under small_group_share of all calls joins the group with the nearest class
/// mix (total variation distance) and takes that group's classes; (5) an agent with fewer calls
/// joins the group that answered most calls of the agent's most answered class; (6) a group that
/// answered at least overflow_share of a class outside its set takes it as overflow; (7) a class no
/// group takes is taken by the group that answered most of its calls.
SkillGroups infer_skill_groups(const std::vector<std::vector<double>>& answered, std::size_t classes);

/// For class `cls`, the groups that take it, the one that answered most of its calls first: the
/// routing of a call that finds people of several groups idle.
std::vector<std::size_t> routing_order(const SkillGroups& groups, std::uint32_t cls);

}  // namespace crsim::fit
