#pragma once
/// \file
/// Confidence intervals for the difference of two means: paired (common random numbers) and
/// unpaired (Welch).

#include <cstddef>
#include <span>

namespace crsim::stats {

/// The difference of two means, mean(b) − mean(a), with the half-width of its confidence interval.
struct DifferenceInterval {
    double mean;        ///< NaN when either side has no value
    double half_width;  ///< NaN when the interval is undefined (too few values)
    double df;          ///< the Student-t degrees of freedom used (NaN when undefined)
};

/// Paired interval over b[i] − a[i] (a and b the same length): the Student-t interval of the mean
/// of the differences, with n − 1 degrees of freedom. Pairs in which either value is NaN are left
/// out. This is the interval that common random numbers make narrow.
DifferenceInterval paired_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);

/// Welch's unpaired interval for mean(b) − mean(a): half-width t(ν) · √(s²a/na + s²b/nb) with the
/// Welch–Satterthwaite ν. NaN values are left out; each side needs two values. When both sides
/// have no spread the half-width is 0.
DifferenceInterval welch_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);

}  // namespace crsim::stats
