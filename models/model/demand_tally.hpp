#pragma once
// The demand figures of one replication (DemandCounts): counted when a caller's demand arrives,
// whole run (the reporting window) and per week, by the rules of the recorder.

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

class DemandTally {
public:
    explicit DemandTally(const ScenarioSpec& spec)
        : warmup_s_(spec.warmup_s),
          window_from_s_(spec.window ? spec.window->from_s : spec.warmup_s),
          window_to_s_(spec.window ? spec.window->to_s : spec.horizon_s) {
        if (!spec.demand.any()) return;
        whole_.resize(spec.classes.size());
        weeks_.assign(spec.classes.size(), std::vector<DemandCounts>(
                                               static_cast<std::size_t>(std::ceil(spec.horizon_s / seconds_per_week))));
    }

    /// Applies `update(counts)` to class `cls`'s counts of time t (before the horizon).
    template <class Update>
    void count(std::size_t cls, double t, Update update) {
        if (t < warmup_s_) return;
        if (t >= window_from_s_ && t < window_to_s_) update(whole_[cls]);
        const auto week = static_cast<std::size_t>(t / seconds_per_week);
        if (week < weeks_[cls].size()) update(weeks_[cls][week]);
    }

    /// Moves the counts into `result`.
    void finish(ReplicationResult& result) {
        result.demand = std::move(whole_);
        result.demand_weeks = std::move(weeks_);
    }

private:
    double warmup_s_, window_from_s_, window_to_s_;
    std::vector<DemandCounts> whole_;               // per class
    std::vector<std::vector<DemandCounts>> weeks_;  // [class][week]
};

}  // namespace crsim::model
