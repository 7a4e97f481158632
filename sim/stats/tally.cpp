#include "crsim/stats/tally.hpp"

#include <algorithm>
#include <cmath>

namespace crsim::stats {

void Tally::merge(const Tally& other) {
    if (other.count_ == 0) {
        return;
    }
    if (count_ == 0) {
        *this = other;
        return;
    }
    const auto na = static_cast<double>(count_);
    const auto nb = static_cast<double>(other.count_);
    const double n = na + nb;
    const double delta = other.mean_ - mean_;
    mean_ += delta * nb / n;
    m2_ += other.m2_ + delta * delta * na * nb / n;
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

double Tally::variance() const { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : nan(); }

double Tally::sd() const { return std::sqrt(variance()); }

}  // namespace crsim::stats
