#include "crsim/fit/duration_fit.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <stdexcept>

#include "crsim/calllog/call_log.hpp"
#include "likelihood.hpp"
#include "weibull_shape.hpp"

namespace crsim::fit {

namespace {

using detail::Sample;
using detail::Theta;

/// Gamma shape k solving ln k - ψ(k) = s (s = ln mean - mean ln x > 0), by Newton's method from
/// Minka's closed-form start.
double gamma_shape(double s) {
    double k = (3 - s + std::sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
    for (int i = 0; i < 100; ++i) {
        const double f = std::log(k) - boost::math::digamma(k) - s;
        const double df = 1 / k - boost::math::trigamma(k);
        const double next = k - f / df;
        const double step = next > 0 ? next : k / 2;
        if (std::abs(step - k) < 1e-12 * k) return step;
        k = step;
    }
    return k;
}

/// sup |F_n - F| over a sorted sample.
double ks_distance(const std::vector<double>& sorted, const FamilyFit& fit) {
    const double n = static_cast<double>(sorted.size());
    double d = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const double f = fit.cdf(sorted[i]);
        d = std::max({d, static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n});
    }
    return d;
}

}  // namespace

DurationFit fit_durations(std::vector<double> values, double resolution_s) {
    if (values.size() < 2) throw std::invalid_argument("at least two durations are needed to fit a distribution");
    DurationFit result;
    result.n = values.size();
    double sum = 0;
    for (double& x : values) {
        sum += x;
        if (x < resolution_s / 2) {
            x = resolution_s / 2;
            ++result.zeros;
        }
    }
    std::sort(values.begin(), values.end());
    if (values.front() == values.back()) throw std::invalid_argument("all durations are equal: nothing to fit");
    const double n = static_cast<double>(values.size());
    result.sample_mean = sum / n;
    double squares = 0, logs = 0, adjusted_sum = 0;
    for (double x : values) {
        adjusted_sum += x;
        logs += std::log(x);
    }
    for (double x : values) squares += (x - adjusted_sum / n) * (x - adjusted_sum / n);
    result.sample_sd = std::sqrt(squares / (n - 1));
    result.sample_mean_se = result.sample_sd / std::sqrt(n);
    const double mean = adjusted_sum / n, mean_log = logs / n;

    Sample sample;
    sample.events = values;
    // Closed forms and one-dimensional equations give each maximum directly; describe_fit then
    // measures the curvature there for the standard errors.
    double log_var = 0;
    for (double x : values) log_var += (std::log(x) - mean_log) * (std::log(x) - mean_log);
    const double sigma = std::sqrt(log_var / n);
    const double shape = gamma_shape(std::log(mean) - mean_log);
    const double weibull_k = detail::weibull_shape(values, {});

    result.fits.push_back(
        detail::describe_fit(Family::exponential, detail::theta_of(Family::exponential, mean, 0), sample));
    result.fits.push_back(
        detail::describe_fit(Family::gamma, detail::theta_of(Family::gamma, shape, mean / shape), sample));
    result.fits.push_back(
        detail::describe_fit(Family::lognormal, detail::theta_of(Family::lognormal, mean_log, sigma), sample));
    if (weibull_k > 0)
        result.fits.push_back(detail::describe_fit(
            Family::weibull, detail::theta_of(Family::weibull, weibull_k, detail::weibull_scale(values, {}, weibull_k)),
            sample));
    else
        result.fits.push_back(FamilyFit{Family::weibull});
    bool any = false;
    for (std::size_t i = 0; i < result.fits.size(); ++i) {
        FamilyFit& f = result.fits[i];
        if (!f.ok) continue;
        f.distance = ks_distance(values, f);
        if (!fits_in_scenario(f)) continue;
        if (!any || f.aic < result.fits[result.chosen].aic) result.chosen = i;
        any = true;
    }
    if (!any) throw std::invalid_argument("no distribution could be fitted to these durations");
    result.values = std::move(values);
    return result;
}

FamilyFit DurationFit::with_sample_mean() const {
    FamilyFit f = best();
    if (!(f.mean > 0)) return f;
    const double ratio = sample_mean / f.mean;
    switch (f.family) {
        case Family::exponential:
            f.p1 = sample_mean;
            break;
        case Family::gamma:
        case Family::weibull:
            f.p2 *= ratio;  // the scale
            break;
        case Family::lognormal:
            f.p1 += std::log(ratio);  // mu
            break;
    }
    f.mean = sample_mean;
    f.mean_se *= ratio;
    f.sd *= ratio;
    return f;
}

bool fits_in_scenario(const FamilyFit& f) {
    return f.mean >= 0 && f.mean <= calllog::max_duration_s && f.sd >= 0 && f.sd <= calllog::max_duration_s;
}

}  // namespace crsim::fit
