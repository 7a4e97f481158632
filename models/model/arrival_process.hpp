#pragma once
// Arrival times of one call class: a non-homogeneous Poisson process with a weekly profile and an
// optional gamma-distributed multiplier per day.

#include <cstdint>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/distribution.hpp"
#include "crsim/sim/random_stream.hpp"
#include "crsim/sim/unit_exponential.hpp"
#include "surge_plan.hpp"

namespace crsim::model {

/// Generates successive arrival times: a replayed trace, or else exactly, by inverting the piecewise-linear cumulative
/// rate.
///
/// Within one profile interval the rate is constant, so the next arrival after t is where the
/// integral of the rate from t reaches an Exp(1) draw; an interval boundary (or a day boundary,
/// where the multiplier changes) is crossed by subtracting that interval's share of the draw.
/// This is exact at every boundary, and intervals with zero rate are simply skipped.
class ArrivalProcess {
public:
    /// `start_weekday` places t = 0 in the weekly profile (0 = Monday). Draws come from the two
    /// engines, which must outlive the process: one for arrival gaps, one for the day multipliers.
    ArrivalProcess(const ArrivalSpec& spec, int start_weekday, double horizon_s, sim::Engine& gaps, sim::Engine& days);

    /// The same, with the rate changed by `surges` (disjoint, ascending; SurgePlan) where they lie.
    ArrivalProcess(const ArrivalSpec& spec, int start_weekday, double horizon_s, sim::Engine& gaps, sim::Engine& days,
                   const std::vector<RateSegment>& surges);

    /// The next arrival time (the first is after t = 0); infinity when none comes before the
    /// horizon (so a class with a tiny rate is not walked through millions of empty weeks).
    double next() {
        if (replayed_) [[unlikely]]
            return next_replayed();
        const double budget = sim::unit_exponential(gaps_);
        // Inline, the usual case: the next arrival lies in the current interval.
        if (budget < rate_ * (interval_end_ - u_)) {
            u_ += budget / rate_;
            return u_ - offset_s_;
        }
        return next_across(budget);
    }

    /// next() following the surges given at construction: the rate is constant between
    /// profile-interval and surge edges, and the Exp(1) draw is spent across them just the same.
    /// (Apart from next() so that the arrivals of a scenario without surges pay nothing for them.)
    double next_with_surges();

    /// The share of the rate at the last arrival that surges added (0 outside them): the chance
    /// that this arrival is one of the surge's extra calls.
    double surge_share() const { return surge_share_; }

private:
    double next_replayed();
    /// next() from an Exp(1) draw `budget` that the current interval does not exhaust. Rare, so kept
    /// out of the model's flattened handlers (noinline).
    [[gnu::noinline]] double next_across(double budget);
    void enter_interval(std::int64_t interval);
    double day_multiplier(std::int64_t day);
    double week_factor(std::int64_t interval) const;

    const ArrivalSpec& spec_;
    bool replayed_;  // the spec's trace of times is replayed: a flag here, so next() reads no vector
    double offset_s_;
    double horizon_s_;   // time from Monday 00:00 to t = 0
    double rate_scale_;  // converts a profile weight to calls per second
    std::int64_t intervals_per_week_;
    std::int64_t intervals_per_day_;
    sim::Engine& gaps_;
    sim::Engine& days_;
    std::int64_t multiplier_day_;  // the day (since Monday of week 0) whose multiplier is current
    sim::Distribution day_factor_;
    double multiplier_ = 1.0;
    std::size_t trace_index_ = 0;
    // Where the process stands, in time since Monday 00:00 of week 0.
    double u_;
    std::int64_t interval_ = 0;
    double interval_end_ = 0;
    double rate_ = 0;  // calls per second in the current interval
    // Surges, in time since Monday 00:00 of week 0 (as u_, so that a boundary reached is exact),
    // and the first of them not yet passed.
    std::vector<RateSegment> surges_;
    std::size_t surge_ = 0;
    double surge_share_ = 0;
};

}  // namespace crsim::model
