#pragma once
/// \file
/// Quantiles of non-negative values (such as waits in seconds) in bounded memory.
///
/// Hand-written on purpose (issue 16): Boost.Accumulators' p_square and extended_p_square keep a
/// few markers whose error has no bound, and a t-digest or KLL sketch (not a Debian package) bounds
/// the rank error, not the error in seconds. A wait target is judged in seconds ("answered within
/// 10 s"), and replications must give the same figures on every machine: fixed bins whose width is
/// a known fraction of the value give a stated error in seconds, deterministically.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace crsim::stats {

/// A histogram of non-negative values with quantile estimates, in memory independent of the count.
///
/// Bins: zeros are counted exactly; (0, 2^-10) s is one bin; [2^-10, 256) s has 256 equal bins
/// per power of two (width at most 1/256 of the value, 0.5 s at the top); [256 s, 48 h) has
/// 0.5 s bins; values from 48 h up share one overflow bin. The exact minimum and maximum are
/// kept. Bins are stored in pages of 1024 allocated on first use, so memory follows the spread
/// of the values (about 40 KB for values under 4 minutes, at most 2.8 MB).
///
/// quantile() follows the inverse-ECDF with linear interpolation between order statistics
/// (Hyndman & Fan type 7, as numpy's default). Each order statistic is estimated inside the bin
/// that holds it, so an estimate below 48 h is off by less than one bin width: under 0.5 s, and
/// under 0.4 % of the value (or 1 ms) below 256 s. Ranks inside the zero mass give exactly 0;
/// p = 0 and p = 1 give the exact min and max. In the overflow bin values are spread evenly up
/// to max().
class QuantileHistogram {
public:
    /// Values at or above this (48 h) share the overflow bin.
    static constexpr double overflow_threshold = 48.0 * 3600.0;

    /// Records one value; throws std::invalid_argument unless it is finite and >= 0.
    void add(double x) {
        if (x == 0.0) {  // the commonest wait, an answer on arrival: inline, and no bin to find
            ++count_;
            ++zeros_;  // min() is then 0: min_ is the least of the other values
            return;
        }
        add_nonzero(x);
    }

    /// Number of values recorded.
    std::uint64_t count() const { return count_; }

    /// Number of values exactly equal to 0.
    std::uint64_t zero_count() const { return zeros_; }

    /// The type-7 quantile estimate for p in [0, 1]; NaN when empty.
    double quantile(double p) const;

    /// Smallest value recorded; NaN when empty.
    double min() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : zeros_ > 0 ? 0.0 : min_; }

    /// Largest value recorded; NaN when empty.
    double max() const { return count_ > 0 ? max_ : std::numeric_limits<double>::quiet_NaN(); }

private:
    void add_nonzero(double x);
    static constexpr std::size_t page_size = 1024;

    static std::size_t bin_index(double x);
    static double bin_lower(std::size_t i);
    static double bin_upper(std::size_t i);
    double order_statistic(std::uint64_t rank) const;  // 0-based rank < count_

    std::uint64_t count_ = 0;
    std::uint64_t zeros_ = 0;
    std::uint64_t overflow_ = 0;
    double min_ = std::numeric_limits<double>::infinity();  // of the values other than 0
    double max_ = 0.0;
    std::vector<std::vector<std::uint64_t>> pages_;  // an empty page has no values yet
    std::vector<std::uint64_t> page_totals_;         // lets quantile() skip whole pages
};

}  // namespace crsim::stats
