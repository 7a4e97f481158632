#pragma once
// Log-likelihoods of the fitted families, censored or not, and the numerical tools the fits share:
// a Nelder–Mead maximiser and standard errors from the observed information (a numerical Hessian
// inverted with Eigen), with the delta method for the mean.

#include <functional>
#include <vector>

#include "crsim/fit/family_fit.hpp"

namespace crsim::fit::detail {

/// Observed values (density) and lower bounds (survival) of one sample.
struct Sample {
    std::vector<double> events;
    std::vector<double> censored;
};

/// Parameters in an unconstrained form, so every step of a maximiser is a valid distribution:
/// exponential (ln mean); gamma (ln shape, ln scale); lognormal (mu, ln sigma); Weibull (ln shape, ln scale).
using Theta = std::vector<double>;

/// Sum of log f over the events and log S over the censored values.
double log_likelihood(Family family, const Theta& theta, const Sample& sample);

/// The family's usual parameters (p1, p2) from theta, and back.
void natural_parameters(Family family, const Theta& theta, double& p1, double& p2);
Theta theta_of(Family family, double p1, double p2);

/// Mean and sd of the family at theta (infinite when they do not exist in double range).
double family_mean(Family family, const Theta& theta);
double family_sd(Family family, const Theta& theta);

/// Maximises f from `start` by Nelder–Mead with initial steps `step`; returns the argmax.
Theta maximise(const std::function<double(const Theta&)>& f, Theta start, double step);

/// Fills a FamilyFit at the maximum `theta`: parameters, their standard errors, log-likelihood,
/// AIC, mean and its standard error. Leaves ok false when the information matrix is not positive
/// definite (the maximum is not a proper one).
FamilyFit describe_fit(Family family, const Theta& theta, const Sample& sample);

}  // namespace crsim::fit::detail
