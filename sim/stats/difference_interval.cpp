#include "crsim/stats/difference_interval.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "crsim/stats/confidence_interval.hpp"
#include "crsim/stats/tally.hpp"

namespace crsim::stats {

namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

void check_level(double level, const char* who) {
    if (!(level > 0.0 && level < 1.0))
        throw std::invalid_argument(std::string(who) + ": level must be in (0, 1), got " + std::to_string(level));
}

Tally defined_tally(std::span<const double> values) {
    Tally t;
    for (const double x : values)
        if (!std::isnan(x)) t.add(x);
    return t;
}

}  // namespace

DifferenceInterval paired_difference(std::span<const double> a, std::span<const double> b, double level) {
    check_level(level, "paired_difference");
    if (a.size() != b.size()) throw std::invalid_argument("paired_difference: the two samples differ in length");
    std::vector<double> differences;
    differences.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!std::isnan(a[i]) && !std::isnan(b[i])) differences.push_back(b[i] - a[i]);
    if (differences.empty()) return {undefined, undefined, undefined};
    const Estimate e = estimate(differences, level);
    const double df = differences.size() < 2 ? undefined : static_cast<double>(differences.size() - 1);
    return {e.mean, e.half_width, df};
}

DifferenceInterval welch_difference(std::span<const double> a, std::span<const double> b, double level) {
    check_level(level, "welch_difference");
    const Tally ta = defined_tally(a), tb = defined_tally(b);
    if (ta.count() == 0 || tb.count() == 0) return {undefined, undefined, undefined};
    const double mean = tb.mean() - ta.mean();
    if (ta.count() < 2 || tb.count() < 2) return {mean, undefined, undefined};
    const double va = ta.variance() / static_cast<double>(ta.count());
    const double vb = tb.variance() / static_cast<double>(tb.count());
    const double se2 = va + vb;
    if (se2 == 0) return {mean, 0.0, undefined};
    const double df =
        se2 * se2 / (va * va / static_cast<double>(ta.count() - 1) + vb * vb / static_cast<double>(tb.count() - 1));
    const boost::math::students_t t(df);
    return {mean, boost::math::quantile(t, 0.5 * (1.0 + level)) * std::sqrt(se2), df};
}

}  // namespace crsim::stats
