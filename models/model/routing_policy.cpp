#include "crsim/model/routing_policy.hpp"

#include <algorithm>

namespace crsim::model {

RoutingPolicy::RoutingPolicy(const ScenarioSpec& spec)
    : spec_(spec), several_rooms_(spec.rooms.size() > 1), n_classes_(spec.classes.size()) {
    for (const GroupSpec& g : spec.groups)
        for (std::size_t k = 0; k < n_classes_; ++k)  // 1 where a spec built in code leaves it out
            handle_factors_.push_back(k < g.handle_factor.size() ? g.handle_factor[k] : 1.0);
    std::vector<std::uint32_t> order(spec.classes.size());
    for (std::uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return spec.classes[a].priority < spec.classes[b].priority; });
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i == 0 || spec.classes[order[i]].priority != spec.classes[order[i - 1]].priority)
            priority_levels_.emplace_back();
        priority_levels_.back().push_back(order[i]);
    }
    levels_taken_by_.resize(spec.groups.size());
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        for (const auto& level : priority_levels_) {
            std::vector<std::uint32_t> taken;
            for (const std::uint32_t k : level)
                if (takes(g, k)) taken.push_back(k);
            if (!taken.empty()) levels_taken_by_[g].push_back(std::move(taken));
        }
    }
}

}  // namespace crsim::model
