#include "crsim/fit/staffing_noise_fit.hpp"

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

namespace crsim::fit {
namespace {

// A day's intervals that speak about staffing: calls, someone on duty, a handle time.
bool informative(const IntervalObservation& o, double people) {
    return o.offered > 0 && people > 0 && o.handle_mean_s > 0;
}

// Erlang A's abandonments of one day with every interval's people multiplied by `factor`.
double day_abandoned(const std::vector<StaffingPool>& pools, std::size_t day, double interval_s, double factor) {
    double a = 0;
    for (const StaffingPool& pool : pools)
        for (std::size_t i = 0; i < pool.observed[day].size(); ++i) {
            const IntervalObservation& o = pool.observed[day][i];
            if (informative(o, pool.people[day][i]))
                a += erlang_a_abandoned(o.offered, interval_s, o.handle_mean_s, pool.patience_mean_s,
                                        factor * pool.people[day][i]);
        }
    return a;
}

/// A gamma(mean 1, cv) factor as `bins` equally likely values: each bin's conditional mean, so the
/// mean is kept exactly (with shape k and scale θ = 1/k, E[g; g < q] = P(k + 1, q/θ)).
std::vector<double> gamma_bin_means(double cv, int bins) {
    const double shape = 1 / (cv * cv), scale = cv * cv;
    const boost::math::gamma_distribution<> g(shape, scale);
    std::vector<double> means;
    double below = 0;
    for (int j = 1; j <= bins; ++j) {
        const double upper =
            j == bins ? 1.0 : boost::math::gamma_p(shape + 1, boost::math::quantile(g, double(j) / bins) / scale);
        means.push_back(bins * (upper - below));
        below = upper;
    }
    return means;
}

/// One interval of a pool: Erlang A's abandonments at whole numbers of people, computed as needed,
/// and between them linearly (erlang_a_abandoned does the same).
class IntervalCurve {
public:
    IntervalCurve(const IntervalObservation& o, double patience_mean_s, double interval_s)
        : o_(o), patience_(patience_mean_s), interval_s_(interval_s) {}

    double at(double people) {
        const double below = std::floor(people);
        const auto n = static_cast<std::size_t>(below);
        while (whole_.size() < n + 2)
            whole_.push_back(erlang_a_abandoned(o_.offered, interval_s_, o_.handle_mean_s, patience_,
                                                static_cast<double>(whole_.size())));
        return whole_[n] + (people - below) * (whole_[n + 1] - whole_[n]);
    }

private:
    IntervalObservation o_;
    double patience_, interval_s_;
    std::vector<double> whole_;
};

}  // namespace

double centre_staffing_noise(const std::vector<StaffingPool>& pools, double interval_s, double daily_cv) {
    if (!(daily_cv > 0)) return 1;
    const std::vector<double> factors = gamma_bin_means(daily_cv, 64);
    std::vector<IntervalCurve> curves;
    std::vector<double> people;
    double target = 0;
    for (const StaffingPool& pool : pools)
        for (std::size_t d = 0; d < pool.observed.size(); ++d)
            for (std::size_t i = 0; i < pool.observed[d].size(); ++i)
                if (informative(pool.observed[d][i], pool.people[d][i])) {
                    curves.emplace_back(pool.observed[d][i], pool.patience_mean_s, interval_s);
                    people.push_back(pool.people[d][i]);
                    target += curves.back().at(people.back());
                }
    // More people on average, fewer abandonments: the root is bracketed when the ends differ in sign.
    auto excess = [&](double mean) {
        double a = 0;
        for (std::size_t c = 0; c < curves.size(); ++c)
            for (const double g : factors) a += curves[c].at(mean * g * people[c]);
        return a / static_cast<double>(factors.size()) - target;
    };
    double lo = 0.5, hi = 2;
    if (target <= 0 || excess(lo) < 0 || excess(hi) > 0) return 1;
    while (hi - lo > 1e-6) {
        const double mid = (lo + hi) / 2;
        (excess(mid) > 0 ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

StaffingNoiseFit estimate_staffing_noise(const std::vector<StaffingPool>& pools, double interval_s) {
    StaffingNoiseFit fit;
    if (pools.empty()) return fit;
    const std::size_t days = pools.front().observed.size();
    // The factors searched: a day staffed at a quarter or four times the reconstruction is not a
    // day this can say anything about.
    const double lowest = std::log(0.25), highest = std::log(4.0);
    struct Day {
        std::size_t day;
        double log_factor, expected, slope;
    };
    std::vector<Day> solved;
    double squares = 0, expected_total = 0;
    std::size_t intervals = 0;
    for (std::size_t d = 0; d < days; ++d) {
        double seen = 0;
        for (const StaffingPool& pool : pools)
            for (std::size_t i = 0; i < pool.observed[d].size(); ++i)
                if (informative(pool.observed[d][i], pool.people[d][i])) seen += pool.observed[d][i].abandoned;
        if (seen < min_day_abandoned) continue;
        auto excess = [&](double log_factor) {
            return day_abandoned(pools, d, interval_s, std::exp(log_factor)) - seen;
        };
        // More people, fewer abandonments: the root is bracketed when the ends differ in sign.
        double lo = lowest, hi = highest;
        if (excess(lo) < 0 || excess(hi) > 0) continue;
        for (int k = 0; k < 60 && hi - lo > 1e-7; ++k) {
            const double mid = (lo + hi) / 2;
            (excess(mid) > 0 ? lo : hi) = mid;
        }
        const double x = (lo + hi) / 2, step = 0.02;
        const double slope = (excess(x + step) - excess(x - step)) / (2 * step);
        if (!(slope < 0)) continue;
        solved.push_back({d, x, seen, slope});
        const double factor = std::exp(x);
        for (const StaffingPool& pool : pools)
            for (std::size_t i = 0; i < pool.observed[d].size(); ++i) {
                const IntervalObservation& o = pool.observed[d][i];
                if (!informative(o, pool.people[d][i])) continue;
                const double a = erlang_a_abandoned(o.offered, interval_s, o.handle_mean_s, pool.patience_mean_s,
                                                    factor * pool.people[d][i]);
                squares += (o.abandoned - a) * (o.abandoned - a);
                expected_total += a;
                ++intervals;
            }
    }
    fit.days = solved.size();
    if (fit.days < min_days || expected_total <= 0 || intervals <= fit.days) return fit;
    // Each day's factor is fitted to its own intervals, one degree of freedom a day.
    fit.dispersion =
        squares / expected_total * static_cast<double>(intervals) / static_cast<double>(intervals - fit.days);
    double mean = 0, sampling = 0;
    for (const Day& d : solved) {
        mean += d.log_factor;
        sampling += fit.dispersion * d.expected / (d.slope * d.slope);
    }
    const double n = static_cast<double>(fit.days);
    mean /= n;
    sampling /= n;
    double spread = 0;
    for (const Day& d : solved) spread += (d.log_factor - mean) * (d.log_factor - mean);
    spread /= n - 1;
    fit.log_factor_sd = std::sqrt(spread);
    fit.sampling_sd = std::sqrt(sampling);
    fit.daily_cv = spread > sampling ? std::sqrt(std::exp(spread - sampling) - 1) : 0;
    return fit;
}

}  // namespace crsim::fit
