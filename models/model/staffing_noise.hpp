#pragma once
// Staffing on the day: the people who turn up are not exactly the roster. A scenario's
// `staffing_daily_cv` and `staffing_daily_mean` draw one gamma(that mean, that cv) factor per day,
// shared by every roster line, and each shift starting that day has its headcount multiplied by it,
// rounded so the expected headcount is the rostered one times the factor. A
// roster reconstructed from a call log is uncertain the same way (`crsim fit` estimates the cv from
// how far each day's abandonments stray from the reconstruction's, and the mean that keeps the
// abandonment the reconstruction was calibrated to), and the spread it adds to each day is what a
// backtest's intervals should hold.

#include <boost/random/uniform_01.hpp>
#include <cmath>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/distribution.hpp"
#include "crsim/sim/random_stream.hpp"

namespace crsim::model {

/// The day's staffing factor of one replication.
class StaffingNoise {
public:
    /// The stream `staffing/day` is seeded only when the roster is not taken as it is: without it a replication
    /// costs what it did.
    StaffingNoise(double daily_cv, double daily_mean, const sim::StreamFactory& streams)
        : active_(daily_cv > 0 || daily_mean != 1.0),
          factor_dist_(daily_cv > 0 ? sim::Distribution::gamma(daily_mean, daily_mean * daily_cv)
                                    : sim::Distribution::deterministic(daily_mean)) {
        if (active_) engine_ = streams.make("staffing/day");
    }

    /// A new day begins: its factor is drawn, and where the day's rounding starts (nothing is drawn
    /// without noise, so a scenario without the keys consumes no random number).
    void new_day() {
        if (!active_) return;
        factor_ = factor_dist_.sample(engine_);
        carried_ = boost::random::uniform_01<double>()(engine_);
    }

    /// The people of a shift starting today out of `rostered`. The day's shifts are rounded in turn
    /// with the remainder carried from one to the next, from a uniform start (systematic rounding):
    /// each shift's expected people are its rostered ones times the factor, as with a coin per
    /// shift, but the day's total stays within one person of the factor's share. A roster read
    /// from a call log is mostly shifts of one person; a coin per shift would add a binomial spread
    /// of the people on duty that the fitted day-to-day spread does not contain.
    int people(int rostered) {
        if (!active_ || rostered <= 0) return rostered;
        const double wanted = rostered * factor_ + carried_;
        const double whole = std::floor(wanted);
        carried_ = wanted - whole;
        return static_cast<int>(whole);
    }

private:
    bool active_;
    sim::Distribution factor_dist_;
    sim::Engine engine_;
    double factor_ = 1.0;
    double carried_ = 0.0;
};

}  // namespace crsim::model
