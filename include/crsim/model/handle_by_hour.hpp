#pragma once
/// \file
/// A class's handle time by hour of day: talk times that are longer in the evening than in the
/// morning (as real logs show), as a multiplier of the class's handle time for each hour.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace crsim::model {

/// Multipliers of a class's handle time for calls arriving in each hour of the day (t = 0 is a
/// midnight). Empty: the same handle time all day.
struct HandleByHour {
    std::vector<double> factors;  ///< empty, or 24 numbers > 0, hour 0 (00:00–01:00) first

    bool empty() const { return factors.empty(); }

    /// The multiplier of a call arriving at `t_s`.
    double factor_at(double t_s) const {
        const auto hour = static_cast<std::size_t>(std::fmod(t_s, 86400.0) / 3600.0);
        return factors[std::min<std::size_t>(hour, 23)];
    }

    /// The time-average multiplier over [from_s, to_s) (1 when empty): for the analytic load of an interval.
    double mean_factor(double from_s, double to_s) const {
        if (factors.empty() || to_s <= from_s) return 1.0;
        double sum = 0;
        for (double t = from_s; t < to_s;) {
            const double next = std::min(to_s, (std::floor(t / 3600.0 + 1e-9) + 1) * 3600.0);
            sum += factor_at(t) * (next - t);
            t = next;
        }
        return sum / (to_s - from_s);
    }
};

}  // namespace crsim::model
