#pragma once
/// \file
/// Running count, mean, variance, minimum and maximum of a series of observations.

#include <cstdint>
#include <limits>

namespace crsim::stats {

/// Accumulates observations in O(1) memory with Welford's numerically stable update.
///
/// An empty tally has no mean, minimum or maximum: those return NaN, as does variance() with
/// fewer than two observations (the sample variance is undefined there). NaN rather than 0 keeps
/// "nothing observed" distinct from "observed zero"; print it as null.
class Tally {
public:
    /// Records one observation.
    void add(double x) {
        ++count_;
        const double delta = x - mean_;
        mean_ += delta / static_cast<double>(count_);
        m2_ += delta * (x - mean_);
        sum_ += x;
        if (x < min_) {
            min_ = x;
        }
        if (x > max_) {
            max_ = x;
        }
    }

    /// Number of observations.
    std::uint64_t count() const { return count_; }

    /// Sum of the observations (0 when empty).
    double sum() const { return sum_; }

    /// Arithmetic mean; NaN when empty.
    double mean() const { return count_ > 0 ? mean_ : nan(); }

    /// Sample variance with divisor n - 1; NaN with fewer than two observations.
    double variance() const;

    /// Sample standard deviation; NaN with fewer than two observations.
    double sd() const;

    /// Smallest observation; NaN when empty.
    double min() const { return count_ > 0 ? min_ : nan(); }

    /// Largest observation; NaN when empty.
    double max() const { return count_ > 0 ? max_ : nan(); }

private:
    static double nan() { return std::numeric_limits<double>::quiet_NaN(); }

    std::uint64_t count_ = 0;
    double mean_ = 0.0;
    double m2_ = 0.0;  // sum of squared deviations from the current mean
    double sum_ = 0.0;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace crsim::stats
