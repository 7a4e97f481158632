#include "crsim/fit/skill_groups.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <map>

#include "crsim/fit/staffing_estimate.hpp"

namespace crsim::fit {

namespace {

bool contains(const std::vector<std::uint32_t>& outer, const std::vector<std::uint32_t>& inner) {
    return std::includes(outer.begin(), outer.end(), inner.begin(), inner.end());
}

std::uint32_t main_class(const std::vector<double>& calls) {
    return static_cast<std::uint32_t>(std::max_element(calls.begin(), calls.end()) - calls.begin());
}

/// True when agents answering `inner` (calls per class) could be agents of the group answering
/// `outer` who happened to take few calls of the classes only the outer set has: for each such class
/// at least nested_merge_p of binomial draws at the outer group's share would be as low. The bank's
/// A02 answered 1,970 calls, 8 of them NW, while the agents who take NW answered 20% NW: A02 did not
/// take NW, and merging them would give NW callers people who never answered them.
bool could_be_one_group(const std::vector<double>& inner, const std::vector<double>& outer,
                        const std::vector<std::uint32_t>& outer_set) {
    double inner_total = 0, outer_total = 0;
    for (double n : inner) inner_total += n;
    for (double n : outer) outer_total += n;
    for (std::uint32_t k : outer_set) {
        const double share = outer[k] / outer_total;
        if (share <= 0 || share >= 1 || inner[k] >= share * inner_total) continue;
        const boost::math::binomial_distribution<double> draws(inner_total, share);
        if (boost::math::cdf(draws, inner[k]) < nested_merge_p) return false;
    }
    return true;
}

}  // namespace

SkillGroups infer_skill_groups(const std::vector<std::vector<double>>& answered, std::size_t classes) {
    SkillGroups result;
    result.group_of_agent.assign(answered.size(), -1);
    // (1), (2): the sets of classes of the agents who answered enough.
    std::map<std::vector<std::uint32_t>, std::vector<std::int32_t>> by_set;
    std::vector<std::int32_t> few;
    for (std::size_t a = 0; a < answered.size(); ++a) {
        double total = 0;
        for (double n : answered[a]) total += n;
        if (total <= 0) continue;
        if (total < min_calls_for_skills) {
            few.push_back(static_cast<std::int32_t>(a));
            continue;
        }
        std::vector<std::uint32_t> set;
        for (std::uint32_t k = 0; k < answered[a].size(); ++k)
            if (answered[a][k] >= skill_share * total) set.push_back(k);
        by_set[set].push_back(static_cast<std::int32_t>(a));
    }
    auto calls_of = [&](const std::vector<std::int32_t>& agents) {
        std::vector<double> calls(classes, 0.0);
        for (std::int32_t a : agents)
            for (std::size_t k = 0; k < answered[static_cast<std::size_t>(a)].size() && k < classes; ++k)
                calls[k] += answered[static_cast<std::size_t>(a)][k];
        return calls;
    };
    auto total_of = [&](const std::vector<std::int32_t>& agents) {
        double total = 0;
        for (double n : calls_of(agents)) total += n;
        return total;
    };
    // (3): nested sets merged, smallest first, each into the smallest set that contains it.
    for (bool merged = true; merged;) {
        merged = false;
        for (auto inner = by_set.begin(); inner != by_set.end() && !merged; ++inner) {
            auto best = by_set.end();
            for (auto outer = by_set.begin(); outer != by_set.end(); ++outer) {
                if (outer == inner || !contains(outer->first, inner->first)) continue;
                if (total_of(outer->second) <= total_of(inner->second)) continue;  // a few agents do not absorb many
                if (!could_be_one_group(calls_of(inner->second), calls_of(outer->second), outer->first)) continue;
                if (best == by_set.end() || outer->first.size() < best->first.size() ||
                    (outer->first.size() == best->first.size() && total_of(outer->second) > total_of(best->second)))
                    best = outer;
            }
            if (best == by_set.end()) continue;
            best->second.insert(best->second.end(), inner->second.begin(), inner->second.end());
            by_set.erase(inner);
            merged = true;
        }
    }
    // (4): a group answering under small_group_share of the calls joins the group whose class mix
    // is nearest (total variation distance), keeping that group's classes.
    double all_calls = 0;
    for (const auto& [set, agents] : by_set) all_calls += total_of(agents);
    auto mix_of = [&](const std::vector<std::int32_t>& agents) {
        std::vector<double> calls = calls_of(agents);
        const double total = total_of(agents);
        for (double& c : calls) c /= total;
        return calls;
    };
    for (bool merged = by_set.size() > 1; merged && by_set.size() > 1;) {
        merged = false;
        auto smallest = by_set.begin();
        for (auto it = by_set.begin(); it != by_set.end(); ++it)
            if (total_of(it->second) < total_of(smallest->second)) smallest = it;
        if (total_of(smallest->second) >= small_group_share * all_calls) break;
        const std::vector<double> mix = mix_of(smallest->second);
        auto nearest = by_set.end();
        double nearest_distance = 0;
        for (auto it = by_set.begin(); it != by_set.end(); ++it) {
            if (it == smallest) continue;
            const std::vector<double> other = mix_of(it->second);
            double distance = 0;
            for (std::size_t k = 0; k < classes; ++k) distance += std::abs(mix[k] - other[k]) / 2;
            if (nearest == by_set.end() || distance < nearest_distance) {
                nearest = it;
                nearest_distance = distance;
            }
        }
        nearest->second.insert(nearest->second.end(), smallest->second.begin(), smallest->second.end());
        by_set.erase(smallest);
        merged = true;
    }
    for (auto& [set, agents] : by_set) {
        SkillGroup g;
        g.takes = set;
        g.agents = agents;
        result.groups.push_back(std::move(g));
    }
    if (result.groups.empty() && !few.empty()) {
        // Nobody answered enough: one group of everyone, taking what they answered.
        SkillGroup g;
        g.agents = few;
        result.groups.push_back(std::move(g));
        few.clear();
        const std::vector<double> calls = calls_of(result.groups.front().agents);
        for (std::uint32_t k = 0; k < classes; ++k)
            if (calls[k] > 0) result.groups.front().takes.push_back(k);
    }
    for (SkillGroup& g : result.groups) {
        g.calls = calls_of(g.agents);
        g.total_calls = 0;
        for (double n : g.calls) g.total_calls += n;
    }
    // (5): agents with few calls.
    for (std::int32_t a : few) {
        const std::uint32_t k = main_class(answered[static_cast<std::size_t>(a)]);
        std::size_t best = 0;
        for (std::size_t g = 1; g < result.groups.size(); ++g) {
            const bool takes_g = std::binary_search(result.groups[g].takes.begin(), result.groups[g].takes.end(), k);
            const bool takes_best =
                std::binary_search(result.groups[best].takes.begin(), result.groups[best].takes.end(), k);
            if (takes_g != takes_best ? takes_g : result.groups[g].calls[k] > result.groups[best].calls[k]) best = g;
        }
        result.groups[best].agents.push_back(a);
        for (std::size_t c = 0; c < answered[static_cast<std::size_t>(a)].size() && c < classes; ++c)
            result.groups[best].calls[c] += answered[static_cast<std::size_t>(a)][c];
        result.groups[best].total_calls = 0;
        for (double n : result.groups[best].calls) result.groups[best].total_calls += n;
    }
    // (6): a group answering at least overflow_share of a class outside its set takes it: in full when
    // the class makes up at least overflow_full_ratio of its share of all calls in the group's calls (a
    // class too small to reach skill_share in anyone's calls, such as the bank's TT), else as overflow,
    // only while more than one of its people is idle (the bank's agents who take PS, NE and NW answered
    // 6% of the internet calls, 0.6% of their own, nearly all while no caller of their classes waited).
    std::vector<double> class_calls(classes, 0.0);
    double answered_calls = 0;
    for (const SkillGroup& g : result.groups)
        for (std::uint32_t k = 0; k < classes; ++k) {
            class_calls[k] += g.calls[k];
            answered_calls += g.calls[k];
        }
    for (SkillGroup& g : result.groups)
        for (std::uint32_t k = 0; k < classes; ++k) {
            if (g.calls[k] <= 0 || g.calls[k] < overflow_share * class_calls[k] ||
                std::binary_search(g.takes.begin(), g.takes.end(), k))
                continue;
            if (g.calls[k] / g.total_calls >= overflow_full_ratio * class_calls[k] / answered_calls)
                g.takes.insert(std::upper_bound(g.takes.begin(), g.takes.end(), k), k);
            else
                g.overflow.push_back(k);
        }
    // (7): a class nobody takes goes to the group that answered most of it.
    for (std::uint32_t k = 0; k < classes && !result.groups.empty(); ++k) {
        const bool taken = std::any_of(result.groups.begin(), result.groups.end(), [&](const SkillGroup& g) {
            return std::binary_search(g.takes.begin(), g.takes.end(), k);
        });
        if (taken) continue;
        const auto most =
            std::max_element(result.groups.begin(), result.groups.end(),
                             [&](const SkillGroup& a, const SkillGroup& b) { return a.calls[k] < b.calls[k]; });
        if (most->calls[k] <= 0) continue;
        most->takes.insert(std::upper_bound(most->takes.begin(), most->takes.end(), k), k);
        most->overflow.erase(std::remove(most->overflow.begin(), most->overflow.end(), k), most->overflow.end());
    }
    std::stable_sort(result.groups.begin(), result.groups.end(),
                     [](const SkillGroup& a, const SkillGroup& b) { return a.total_calls > b.total_calls; });
    for (std::size_t g = 0; g < result.groups.size(); ++g) {
        std::sort(result.groups[g].agents.begin(), result.groups[g].agents.end());
        for (std::int32_t a : result.groups[g].agents)
            result.group_of_agent[static_cast<std::size_t>(a)] = static_cast<std::int32_t>(g);
    }
    return result;
}

std::vector<std::size_t> routing_order(const SkillGroups& groups, std::uint32_t cls) {
    std::vector<std::size_t> order;
    for (std::size_t g = 0; g < groups.groups.size(); ++g)
        if (std::binary_search(groups.groups[g].takes.begin(), groups.groups[g].takes.end(), cls) ||
            std::binary_search(groups.groups[g].overflow.begin(), groups.groups[g].overflow.end(), cls))
            order.push_back(g);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return groups.groups[a].calls[cls] > groups.groups[b].calls[cls];
    });
    return order;
}

}  // namespace crsim::fit
