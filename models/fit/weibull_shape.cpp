#include "weibull_shape.hpp"

#include <algorithm>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>

namespace crsim::fit::detail {

namespace {

/// Σ u^k and Σ u^k ln u over all times, with u = t / t_max so that no power overflows.
struct PowerSums {
    double power = 0, power_log = 0;
};

PowerSums power_sums(const std::vector<double>& events, const std::vector<double>& censored, double t_max, double k) {
    PowerSums s;
    auto add = [&](double t) {
        if (t <= 0) return;
        const double lu = std::log(t / t_max);
        const double p = std::exp(k * lu);
        s.power += p;
        s.power_log += p * lu;
    };
    for (double t : events) add(t);
    for (double t : censored) add(t);
    return s;
}

double largest(const std::vector<double>& events, const std::vector<double>& censored) {
    double t_max = 0;
    for (double t : events) t_max = std::max(t_max, t);
    for (double t : censored) t_max = std::max(t_max, t);
    return t_max;
}

}  // namespace

double weibull_shape(const std::vector<double>& events, const std::vector<double>& censored) {
    if (events.empty()) return 0;
    const double t_max = largest(events, censored);
    double mean_log_u = 0;
    for (double t : events) mean_log_u += std::log(t / t_max);
    mean_log_u /= static_cast<double>(events.size());
    auto equation = [&](double k) {
        const PowerSums s = power_sums(events, censored, t_max, k);
        return s.power_log / s.power - 1 / k - mean_log_u;
    };
    const double low = 0.01, high = 100;
    if (!(equation(low) < 0 && equation(high) > 0)) return 0;
    std::uintmax_t iterations = 200;
    const auto [a, b] = boost::math::tools::toms748_solve(equation, low, high,
                                                          boost::math::tools::eps_tolerance<double>(50), iterations);
    return (a + b) / 2;
}

double weibull_scale(const std::vector<double>& events, const std::vector<double>& censored, double k) {
    const double t_max = largest(events, censored);
    const PowerSums s = power_sums(events, censored, t_max, k);
    return t_max * std::pow(s.power / static_cast<double>(events.size()), 1 / k);
}

}  // namespace crsim::fit::detail
