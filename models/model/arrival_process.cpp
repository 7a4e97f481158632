#include "arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace crsim::model {

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, int start_weekday, double horizon_s, sim::Engine& gaps,
                               sim::Engine& days)
    : spec_(spec),
      replayed_(!spec.times_s.empty()),
      offset_s_(start_weekday * seconds_per_day),
      horizon_s_(horizon_s),
      rate_scale_(spec.per_week / std::accumulate(spec.profile.begin(), spec.profile.end(), 0.0) / spec.interval_s),
      intervals_per_week_(static_cast<std::int64_t>(spec.profile.size())),
      intervals_per_day_(static_cast<std::int64_t>(std::llround(seconds_per_day / spec.interval_s))),
      gaps_(gaps),
      days_(days),
      multiplier_day_(start_weekday - 1),
      day_factor_(spec.daily_cv > 0 ? sim::Distribution::gamma(1.0, spec.daily_cv)
                                    : sim::Distribution::deterministic(1.0)),
      u_(offset_s_) {
    if (spec.times_s.empty()) enter_interval(static_cast<std::int64_t>(std::floor(u_ / spec.interval_s)));
}

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, int start_weekday, double horizon_s, sim::Engine& gaps,
                               sim::Engine& days, const std::vector<RateSegment>& surges)
    : ArrivalProcess(spec, start_weekday, horizon_s, gaps, days) {
    for (RateSegment s : surges) {
        s.from_s += offset_s_;
        s.to_s += offset_s_;
        surges_.push_back(s);
    }
}

void ArrivalProcess::enter_interval(std::int64_t interval) {
    interval_ = interval;
    interval_end_ = static_cast<double>(interval + 1) * spec_.interval_s;
    rate_ = spec_.profile[static_cast<std::size_t>(interval % intervals_per_week_)] * rate_scale_ *
            day_multiplier(interval / intervals_per_day_);
    if (!spec_.week_factors.empty()) rate_ *= week_factor(interval);
}

double ArrivalProcess::week_factor(std::int64_t interval) const {
    // Intervals divide a day and t = 0 is a midnight, so an interval lies within one week of the run.
    const auto week = static_cast<std::int64_t>(
        std::floor((static_cast<double>(interval) * spec_.interval_s - offset_s_) / seconds_per_week));
    if (week < 0 || week >= static_cast<std::int64_t>(spec_.week_factors.size())) return 1.0;
    return spec_.week_factors[static_cast<std::size_t>(week)];
}

double ArrivalProcess::day_multiplier(std::int64_t day) {
    // Days are visited in increasing order, so each day's multiplier is drawn exactly once, in
    // order, from its own stream: the draws do not depend on how many calls arrived.
    while (multiplier_day_ < day) {
        multiplier_ = day_factor_.sample(days_);
        ++multiplier_day_;
    }
    return multiplier_;
}

double ArrivalProcess::next_replayed() {
    return trace_index_ < spec_.times_s.size() ? spec_.times_s[trace_index_++]
                                               : std::numeric_limits<double>::infinity();
}

double ArrivalProcess::next_across(double budget) {
    for (;;) {
        const double capacity = rate_ * (interval_end_ - u_);
        if (budget < capacity) {
            u_ += budget / rate_;
            return u_ - offset_s_;
        }
        budget -= capacity;
        u_ = interval_end_;
        if (u_ - offset_s_ >= horizon_s_) return std::numeric_limits<double>::infinity();
        enter_interval(interval_ + 1);
    }
}

double ArrivalProcess::next_with_surges() {
    if (!spec_.times_s.empty()) return next();  // a replayed trace: surges do not apply
    double budget = sim::unit_exponential(gaps_);
    for (;;) {
        while (surge_ < surges_.size() && surges_[surge_].to_s <= u_) ++surge_;
        double end = interval_end_;
        double rate = rate_;
        if (surge_ < surges_.size()) {
            const RateSegment& s = surges_[surge_];
            if (s.from_s <= u_) {
                end = std::min(end, s.to_s);
                rate = rate_ * s.factor + s.extra_per_s;
            } else {
                end = std::min(end, s.from_s);
            }
        }
        const double capacity = rate * (end - u_);
        if (budget < capacity) {
            u_ += budget / rate;
            surge_share_ = rate > rate_ ? (rate - rate_) / rate : 0.0;
            return u_ - offset_s_;
        }
        budget -= capacity;
        u_ = end;
        if (u_ - offset_s_ >= horizon_s_) return std::numeric_limits<double>::infinity();
        if (u_ >= interval_end_) enter_interval(interval_ + 1);
    }
}

}  // namespace crsim::model
