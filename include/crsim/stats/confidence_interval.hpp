#pragma once
/// \file
/// Student-t confidence intervals for the mean of independent replications.

#include <cstddef>
#include <span>

namespace crsim::stats {

/// A point estimate with the half-width of its confidence interval.
struct Estimate {
    double mean;        ///< sample mean (NaN when n == 0)
    double half_width;  ///< t-based half-width (NaN when n < 2: print as null)
    std::size_t n;      ///< number of values
};

/// The two-sided Student-t critical value: the (1 + level) / 2 quantile with `df` (> 0) degrees of freedom.
double t_quantile(double level, std::size_t df);

/// Mean and half-width t_quantile(level, n - 1) * s / sqrt(n) of `values`; level in (0, 1).
Estimate estimate(std::span<const double> values, double level = 0.95);

}  // namespace crsim::stats
