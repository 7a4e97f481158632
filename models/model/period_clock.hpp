#pragma once
// Maps simulated time to the periods results are reported by.

#include <cmath>
#include <cstddef>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Day, week and hour-of-week of a simulated time. Days and weeks count from t = 0 (the run's
/// first day is day 0 here, reported as day 1); hours of the week count from Monday 00:00.
struct PeriodClock {
    double offset_s = 0;  ///< time from Monday 00:00 to t = 0

    std::size_t day(double t) const { return static_cast<std::size_t>(t / seconds_per_day); }
    std::size_t week(double t) const { return static_cast<std::size_t>(t / seconds_per_week); }
    std::size_t hour_of_week(double t) const {
        return static_cast<std::size_t>((t + offset_s) / seconds_per_hour) % 168;
    }
    /// The first hour boundary strictly after t.
    double next_hour(double t) const {
        return (std::floor((t + offset_s) / seconds_per_hour) + 1) * seconds_per_hour - offset_s;
    }
};

}  // namespace crsim::model
