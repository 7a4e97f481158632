#include "crsim/stats/quantile_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace crsim::stats {

namespace {

constexpr int first_octave = -10;  // the log region starts at 2^-10 s
constexpr int octaves = 18;        // ... and ends at 2^8 = 256 s
constexpr std::size_t per_octave = 256;
constexpr double log_region_end = 256.0;
constexpr double linear_width = 0.5;
constexpr std::size_t log_bins = octaves * per_octave;
const double tiny_limit = std::ldexp(1.0, first_octave);

}  // namespace

std::size_t QuantileHistogram::bin_index(double x) {
    if (x < tiny_limit) {
        return 0;
    }
    if (x < log_region_end) {
        int e = 0;
        const double m = std::frexp(x, &e);  // x = m * 2^e with m in [0.5, 1)
        const auto sub = static_cast<std::size_t>((2.0 * m - 1.0) * static_cast<double>(per_octave));
        return 1 + static_cast<std::size_t>(e - 1 - first_octave) * per_octave + sub;
    }
    return 1 + log_bins + static_cast<std::size_t>((x - log_region_end) / linear_width);
}

double QuantileHistogram::bin_lower(std::size_t i) {
    if (i == 0) {
        return 0.0;
    }
    if (i <= log_bins) {
        const std::size_t j = i - 1;
        const double base = std::ldexp(1.0, static_cast<int>(j / per_octave) + first_octave);
        return base + base * static_cast<double>(j % per_octave) / static_cast<double>(per_octave);
    }
    return log_region_end + static_cast<double>(i - 1 - log_bins) * linear_width;
}

double QuantileHistogram::bin_upper(std::size_t i) { return bin_lower(i + 1); }

void QuantileHistogram::add_nonzero(double x) {
    if (!(std::isfinite(x) && x >= 0.0)) {
        throw std::invalid_argument("QuantileHistogram::add: value must be finite and non-negative, got " +
                                    std::to_string(x));
    }
    ++count_;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    if (x >= overflow_threshold) {
        ++overflow_;
        return;
    }
    const std::size_t i = bin_index(x);
    const std::size_t page = i / page_size;
    if (page >= pages_.size()) {
        pages_.resize(page + 1);
        page_totals_.resize(page + 1, 0);
    }
    if (pages_[page].empty()) {
        pages_[page].assign(page_size, 0);
    }
    ++pages_[page][i % page_size];
    ++page_totals_[page];
}

double QuantileHistogram::order_statistic(std::uint64_t rank) const {
    if (rank == 0) {
        return min();
    }
    if (rank + 1 == count_) {
        return max_;
    }
    if (rank < zeros_) {
        return 0.0;
    }
    // Within a bin holding c values, the r-th (0-based) is placed at the centre of the r-th of
    // c equal slices; the true value lies in the same bin, so the error is under a bin width.
    const auto in_bin = [](double lo, double hi, std::uint64_t r, std::uint64_t c) {
        return lo + (static_cast<double>(r) + 0.5) * (hi - lo) / static_cast<double>(c);
    };
    std::uint64_t r = rank - zeros_;
    for (std::size_t p = 0; p < pages_.size(); ++p) {
        if (r >= page_totals_[p]) {
            r -= page_totals_[p];
            continue;
        }
        for (std::size_t b = 0; b < page_size; ++b) {
            const std::uint64_t c = pages_[p][b];
            if (r < c) {
                const std::size_t i = p * page_size + b;
                return std::clamp(in_bin(bin_lower(i), bin_upper(i), r, c), min(), max_);
            }
            r -= c;
        }
    }
    return std::clamp(in_bin(overflow_threshold, max_, r, overflow_), min(), max_);
}

double QuantileHistogram::quantile(double p) const {
    if (!(p >= 0.0 && p <= 1.0)) {
        throw std::invalid_argument("QuantileHistogram::quantile: p must be in [0, 1], got " + std::to_string(p));
    }
    if (count_ == 0) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const double h = p * static_cast<double>(count_ - 1);
    const auto j = static_cast<std::uint64_t>(std::floor(h));
    const double frac = h - static_cast<double>(j);
    const double lo = order_statistic(j);
    if (frac == 0.0 || j + 1 >= count_) {
        return lo;
    }
    return lo + frac * (order_statistic(j + 1) - lo);
}

}  // namespace crsim::stats
