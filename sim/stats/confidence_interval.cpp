#include "crsim/stats/confidence_interval.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "crsim/stats/tally.hpp"

namespace crsim::stats {

double t_quantile(double level, std::size_t df) {
    if (!(level > 0.0 && level < 1.0)) {
        throw std::invalid_argument("t_quantile: level must be in (0, 1), got " + std::to_string(level));
    }
    if (df == 0) {
        throw std::invalid_argument("t_quantile: degrees of freedom must be positive");
    }
    const boost::math::students_t dist(static_cast<double>(df));
    return boost::math::quantile(dist, 0.5 * (1.0 + level));
}

Estimate estimate(std::span<const double> values, double level) {
    if (!(level > 0.0 && level < 1.0)) {
        throw std::invalid_argument("estimate: level must be in (0, 1), got " + std::to_string(level));
    }
    Tally t;
    for (const double v : values) {
        t.add(v);
    }
    const std::size_t n = values.size();
    const double half = n < 2 ? std::numeric_limits<double>::quiet_NaN()
                              : t_quantile(level, n - 1) * t.sd() / std::sqrt(static_cast<double>(n));
    return Estimate{t.mean(), half, n};
}

}  // namespace crsim::stats
