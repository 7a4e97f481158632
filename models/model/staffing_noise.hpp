#pragma once
// Staffing on the day: the people who turn up are not exactly the roster. A scenario's
// `staffing_daily_cv` draws one gamma(mean 1, cv) factor per day, shared by every roster line, and
// each shift starting that day has its headcount multiplied by it, rounded up or down at random so
// the expected headcount is the rostered one. A roster reconstructed from a call log is uncertain
// the same way (`crsim fit` estimates the cv from how far each day's abandonments stray from the
// reconstruction's), and the spread it adds to each day is what a backtest's intervals should hold.

#include <boost/random/uniform_01.hpp>
#include <cmath>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/distribution.hpp"
#include "crsim/sim/random_stream.hpp"

namespace crsim::model {

/// The day's staffing factor of one replication.
class StaffingNoise {
public:
    /// The stream `staffing/day` is seeded only when there is noise: without it a replication
    /// costs what it did.
    StaffingNoise(double daily_cv, const sim::StreamFactory& streams)
        : active_(daily_cv > 0),
          factor_dist_(active_ ? sim::Distribution::gamma(1.0, daily_cv) : sim::Distribution::deterministic(1.0)) {
        if (active_) engine_ = streams.make("staffing/day");
    }

    /// A new day begins: its factor is drawn (nothing is drawn without noise, so a scenario without
    /// the key consumes no random number).
    void new_day() {
        if (active_) factor_ = factor_dist_.sample(engine_);
    }

    /// The people of a shift starting today out of `rostered`.
    int people(int rostered) {
        if (!active_ || rostered <= 0) return rostered;
        const double wanted = rostered * factor_;
        const double below = std::floor(wanted);
        const bool up = boost::random::uniform_01<double>()(engine_) < wanted - below;
        return static_cast<int>(below) + (up ? 1 : 0);
    }

private:
    bool active_;
    sim::Distribution factor_dist_;
    sim::Engine engine_;
    double factor_ = 1.0;
};

}  // namespace crsim::model
