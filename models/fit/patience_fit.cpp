#include "crsim/fit/patience_fit.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <cstdio>
#include <limits>

#include "likelihood.hpp"
#include "weibull_shape.hpp"

namespace crsim::fit {

namespace {

using detail::Sample;
using detail::Theta;

/// Waits still at risk below which the Kaplan–Meier curve is too noisy to judge a family by.
constexpr double min_at_risk = 30;

/// sup |S_KM - S| at the event times with at least min_at_risk waits at risk, on both sides of each
/// step of the Kaplan–Meier curve (the last few waits make the curve fall in steps of 1/3, 1/2, 1).
double km_distance(const KaplanMeier& km, const FamilyFit& fit) {
    double d = 0, before = 1;
    for (std::size_t j = 0; j < km.times.size() && km.at_risk[j] >= min_at_risk; ++j) {
        const double s = fit.survival(km.times[j]);
        d = std::max({d, std::abs(before - s), std::abs(km.survival[j] - s)});
        before = km.survival[j];
    }
    return d;
}

/// ∫_0^t S(u) du of a fitted family.
double restricted_mean(const FamilyFit& fit, double t) {
    if (t <= 0) return 0;
    return boost::math::quadrature::gauss_kronrod<double, 61>::integrate([&](double u) { return fit.survival(u); }, 0.0,
                                                                         t, 8, 1e-9);
}

std::string figure(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f s", value);
    return text;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", value);
    return text;
}

std::string share(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * value);
    return text;
}

}  // namespace

KaplanMeier kaplan_meier(const std::vector<double>& events, const std::vector<double>& censored) {
    struct Observation {
        double time;
        bool event;
    };
    std::vector<Observation> all;
    all.reserve(events.size() + censored.size());
    for (double t : events) all.push_back({t, true});
    for (double t : censored) all.push_back({t, false});
    std::sort(all.begin(), all.end(), [](const Observation& a, const Observation& b) { return a.time < b.time; });
    KaplanMeier km;
    km.median = std::numeric_limits<double>::quiet_NaN();
    if (all.empty()) return km;
    km.last_time = all.back().time;
    double s = 1, previous_time = 0;
    std::size_t i = 0;
    const std::size_t n = all.size();
    while (i < n) {
        const double t = all[i].time;
        std::size_t deaths = 0, j = i;
        for (; j < n && all[j].time == t; ++j) deaths += all[j].event;
        if (deaths > 0) {
            const double at_risk = static_cast<double>(n - i);
            km.restricted_mean += s * (t - previous_time);
            previous_time = t;
            s *= 1 - static_cast<double>(deaths) / at_risk;
            km.times.push_back(t);
            km.survival.push_back(s);
            km.at_risk.push_back(at_risk);
            if (std::isnan(km.median) && s <= 0.5) km.median = t;
        }
        i = j;
    }
    km.restricted_mean += s * (km.last_time - previous_time);
    return km;
}

PatienceFit fit_patience(const std::vector<double>& abandoned, const std::vector<double>& answered,
                         double resolution_s) {
    PatienceFit result;
    Sample sample;
    for (double t : abandoned) {
        result.naive_mean += t;
        sample.events.push_back(std::max(t, resolution_s / 2));
    }
    for (double t : answered)
        if (t > 0) sample.censored.push_back(t);
    result.events = sample.events.size();
    result.censored = answered.size();
    if (result.events == 0) return result;
    result.naive_mean /= static_cast<double>(result.events);
    result.km = kaplan_meier(sample.events, sample.censored);

    // Exponential: events over total exposure, in closed form.
    double exposure = 0;
    for (double t : sample.events) exposure += t;
    for (double t : sample.censored) exposure += t;
    const double exp_mean = exposure / static_cast<double>(result.events);
    result.fits.push_back(
        detail::describe_fit(Family::exponential, detail::theta_of(Family::exponential, exp_mean, 0), sample));

    // Weibull: one equation in the shape, the scale in closed form.
    if (const double k = detail::weibull_shape(sample.events, sample.censored); k > 0)
        result.fits.push_back(detail::describe_fit(
            Family::weibull,
            detail::theta_of(Family::weibull, k, detail::weibull_scale(sample.events, sample.censored, k)), sample));
    else
        result.fits.push_back(FamilyFit{Family::weibull});

    // Lognormal: no closed form with censoring; Nelder–Mead from the exponential's median.
    if (result.events >= 2) {
        const Theta start = {std::log(exp_mean * std::log(2.0)), 0.0};
        const Theta best = detail::maximise(
            [&](const Theta& t) { return detail::log_likelihood(Family::lognormal, t, sample); }, start, 0.5);
        result.fits.push_back(detail::describe_fit(Family::lognormal, best, sample));
    } else {
        result.fits.push_back(FamilyFit{Family::lognormal});
    }

    for (FamilyFit& f : result.fits) {
        if (!f.ok) continue;
        f.distance = km_distance(result.km, f);
        const double inside = restricted_mean(f, result.km.last_time);
        f.tail_share = std::isfinite(f.mean) && f.mean > 0 ? std::max(0.0, 1 - inside / f.mean) : 1;
    }

    // The choice. AIC ranks the families by how well they fit the observed waits; but patience
    // beyond the longest wait is never observed, and a family may put most of its mean out there
    // (a lognormal's heavy tail often does). A family's mean is taken as supported by the data when
    // at most half of it lies beyond the longest wait; the supported family with the lowest AIC wins.
    // If none is supported, the data say little about the mean: the exponential is kept, whose mean
    // (exposure / abandonments) carries the average hazard seen beyond the observed range. The
    // distance from the Kaplan–Meier curve is reported beside each to show the fit in the range.
    std::size_t chosen = 0;
    bool found = false;
    for (std::size_t i = 0; i < result.fits.size(); ++i) {
        const FamilyFit& f = result.fits[i];
        if (!f.ok || f.tail_share > 0.5 || !fits_in_scenario(f)) continue;
        if (!found || f.aic < result.fits[chosen].aic) chosen = i;
        found = true;
    }
    std::size_t lowest_aic = 0;
    for (std::size_t i = 0; i < result.fits.size(); ++i)
        if (result.fits[i].ok && (!result.fits[lowest_aic].ok || result.fits[i].aic < result.fits[lowest_aic].aic))
            lowest_aic = i;
    const FamilyFit& aic_best = result.fits[lowest_aic];
    if (found) {
        result.chosen = chosen;
        const FamilyFit& c = result.fits[chosen];
        result.reason =
            std::string(family_name(c.family)) + ": " +
            (chosen == lowest_aic ? "lowest AIC" : "lowest AIC among the families whose mean the data support") +
            ", within " + number(c.distance) + " of the Kaplan-Meier curve, " + share(c.tail_share) +
            " of its mean beyond the longest wait (" + figure(result.km.last_time) + ")";
        if (chosen != lowest_aic)
            result.reason += "; " + std::string(family_name(aic_best.family)) + " fits better (AIC " +
                             std::to_string(static_cast<long long>(std::llround(c.aic - aic_best.aic))) +
                             " lower) but puts " + share(aic_best.tail_share) + " of its mean of " +
                             figure(aic_best.mean) + " beyond the longest wait";
    } else {
        result.chosen = 0;
        result.reason = "exponential: every family puts more than half of its mean beyond the longest wait (" +
                        figure(result.km.last_time) +
                        "), so the mean is an extrapolation; the exponential's (exposure / abandonments) carries "
                        "the average hazard seen beyond it";
        if (lowest_aic != 0)
            result.reason += "; " + std::string(family_name(aic_best.family)) + " has the lowest AIC but a mean of " +
                             figure(aic_best.mean);
    }
    return result;
}

}  // namespace crsim::fit
