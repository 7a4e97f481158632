#pragma once
/// \file
/// A parametric family of durations fitted by maximum likelihood, with what the fit reports.

#include <string_view>

namespace crsim::fit {

/// The families crsim fits to handle times and patience.
enum class Family { exponential, gamma, lognormal, weibull };

/// "exponential", "gamma", "lognormal", "weibull": as the scenario format's `dist` names them.
std::string_view family_name(Family family);

/// One family fitted to one sample. Parameters in the family's usual form: exponential (mean),
/// gamma (shape, scale), lognormal (mu, sigma of the logarithm), Weibull (shape, scale).
struct FamilyFit {
    Family family = Family::exponential;
    bool ok = false;  ///< the maximum was found (false: the other figures are meaningless)
    int parameters = 1;
    double p1 = 0, p2 = 0;        ///< the parameters (p2 unused by the exponential)
    double p1_se = 0, p2_se = 0;  ///< their standard errors (inverse observed information)
    double log_likelihood = 0;
    double aic = 0;  ///< 2 * parameters - 2 * log_likelihood
    double mean = 0, mean_se = 0, sd = 0;
    /// Goodness of fit: for a complete sample the Kolmogorov–Smirnov distance sup |F_n - F|; for
    /// censored data the largest gap sup |S_KM - S| from the Kaplan–Meier curve at the times when at
    /// least 30 waits are still at risk.
    double distance = 0;
    /// Censored data only: the share of `mean` that lies beyond the longest time observed,
    /// ∫_tmax^∞ S(t) dt / mean: how much of the mean is extrapolation.
    double tail_share = 0;

    /// P(X <= x) of the fitted distribution.
    double cdf(double x) const;
    /// P(X > x).
    double survival(double x) const { return 1 - cdf(x); }
};

/// A scenario can hold the fit: its mean and standard deviation finite and at most the longest
/// duration of a scenario (1e10 s). A family beyond that is never the one written.
bool fits_in_scenario(const FamilyFit& f);

}  // namespace crsim::fit
