#pragma once
// The day, week and hour of the week of a time, found once per hour rather than once per call.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "period_clock.hpp"

namespace crsim::model {

/// PeriodClock's day, week and hour of the week of t, remembered for the stretch of time that has
/// the same three: the model asks at every call attempt, nearly always within the stretch of the
/// last one, where three divisions and a remainder become two comparisons.
///
/// The stretch is found with the clock's own formulas, so every answer is exactly the clock's,
/// even for a time within rounding of an hour boundary.
class PeriodPlaces {
public:
    struct Places {
        std::size_t day = 0, week = 0, hour_of_week = 0;
    };

    explicit PeriodPlaces(PeriodClock clock) : clock_(clock) {}

    /// The places of t (t >= 0).
    const Places& at(double t) {
        if (!(t >= from_ && t < to_)) [[unlikely]]
            enter(t);
        return places_;
    }

    /// The end of the stretch of times that share the places of the last `at`.
    double stretch_end() const { return to_; }

private:
    // The hour since Monday 00:00 before t = 0, as PeriodClock::hour_of_week counts it before
    // taking the remainder: with the day and the week it only grows with t, so the times that
    // share all three make one interval.
    std::size_t hour(double t) const { return static_cast<std::size_t>((t + clock_.offset_s) / seconds_per_hour); }
    bool same(double t, double u) const {
        return hour(t) == hour(u) && clock_.day(t) == clock_.day(u) && clock_.week(t) == clock_.week(u);
    }
    void enter(double t) {
        places_ = {clock_.day(t), clock_.week(t), clock_.hour_of_week(t)};
        // [from_, to_): from t up to the first time with other places. Usually that is the clock's
        // next hour boundary; within rounding of a boundary it may lie a unit in the last place
        // off, or an hour further, so then it is bisected (the bits of non-negative doubles
        // order as the doubles do; + 0.0 makes a -0.0 +0.0).
        constexpr double up = std::numeric_limits<double>::infinity();
        double end = clock_.next_hour(t);
        while (!(end > t) || same(t, end)) end = std::max(clock_.next_hour(end), std::nextafter(end, up));
        if (!same(t, std::nextafter(end, -up))) {
            auto below = std::bit_cast<std::uint64_t>(t + 0.0), above = std::bit_cast<std::uint64_t>(end);
            while (above - below > 1) {
                const std::uint64_t middle = below + (above - below) / 2;
                (same(t, std::bit_cast<double>(middle)) ? below : above) = middle;
            }
            end = std::bit_cast<double>(above);
        }
        from_ = t;
        to_ = end;
    }

    PeriodClock clock_;
    double from_ = 1, to_ = 0;  // empty until the first call
    Places places_;
};

}  // namespace crsim::model
