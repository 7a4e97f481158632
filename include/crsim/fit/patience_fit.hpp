#pragma once
/// \file
/// Fitting patience (time to abandon) from waits that are censored: an abandoned call's wait is
/// an observed patience, an answered call's wait only a lower bound on its caller's patience.

#include <cstddef>
#include <string>
#include <vector>

#include "crsim/fit/family_fit.hpp"

namespace crsim::fit {

/// The Kaplan–Meier (product-limit) estimate of the survival function of patience.
struct KaplanMeier {
    std::vector<double> times;     ///< distinct observed patience values, ascending
    std::vector<double> survival;  ///< S just after each time
    std::vector<double> at_risk;   ///< waits >= that time
    double last_time = 0;          ///< the longest wait of any call, abandoned or answered
    double restricted_mean = 0;    ///< ∫_0^last_time S(t) dt: the mean patience capped at last_time
    double median = 0;             ///< first time S <= 0.5; NaN when S stays above 0.5
};

/// Kaplan–Meier from patience values observed (`events`) and lower bounds (`censored`).
KaplanMeier kaplan_meier(const std::vector<double>& events, const std::vector<double>& censored);

/// Exponential, Weibull and lognormal fitted by censored maximum likelihood, and the choice.
struct PatienceFit {
    std::size_t events = 0;    ///< abandoned calls
    std::size_t censored = 0;  ///< answered calls (waits > 0 carry information)
    double naive_mean = 0;     ///< mean wait of the abandoned calls: what ignoring censoring gives
    KaplanMeier km;
    std::vector<FamilyFit> fits;  ///< exponential, Weibull, lognormal (empty when no call abandoned)
    std::size_t chosen = 0;
    std::string reason;  ///< why `chosen`, in a sentence with the figures

    bool has_patience() const { return !fits.empty(); }
    const FamilyFit& best() const { return fits[chosen]; }
};

/// Fits patience from the waits of abandoned calls (`abandoned`) and of answered calls
/// (`answered`). Waits under resolution/2 that ended in abandonment are taken as resolution/2.
/// With no abandoned call there is nothing to fit: has_patience() is false (callers never
/// abandoned while the log was kept).
PatienceFit fit_patience(const std::vector<double>& abandoned, const std::vector<double>& answered,
                         double resolution_s = 1.0);

}  // namespace crsim::fit
