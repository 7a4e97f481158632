#pragma once
// The Weibull maximum-likelihood equations, censored or not: for a given shape k the best scale is
// closed-form, leaving one increasing equation in k.

#include <vector>

namespace crsim::fit::detail {

/// The shape k maximising the Weibull likelihood of `events` (observed, > 0) and `censored` (lower
/// bounds): the root of Σ t^k ln t / Σ t^k - 1/k - mean(ln event) over all times t. 0 when there is
/// no root in [0.01, 100] (or no event).
double weibull_shape(const std::vector<double>& events, const std::vector<double>& censored);

/// The scale for shape k: (Σ t^k / events)^(1/k).
double weibull_scale(const std::vector<double>& events, const std::vector<double>& censored, double k);

}  // namespace crsim::fit::detail
