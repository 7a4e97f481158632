#pragma once
/// \file
/// One record per period of fixed length (hour, day, week), linear or cyclic.

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace crsim::stats {

namespace detail {
/// floor(t / length) as an index; throws std::out_of_range for negative or non-finite t.
inline std::size_t period_index(double t, double length) {
    if (!(t >= 0.0 && std::isfinite(t))) {
        throw std::out_of_range("period buckets: time must be finite and non-negative, got " + std::to_string(t));
    }
    return static_cast<std::size_t>(std::floor(t / length));
}
/// Throws std::invalid_argument unless the period length is positive and finite.
inline void check_length(double length) {
    if (!(length > 0.0 && std::isfinite(length))) {
        throw std::invalid_argument("period buckets: period length must be positive, got " + std::to_string(length));
    }
}
}  // namespace detail

/// One Record per period index floor(t / period_length), created on first use.
template <class Record>
class PeriodBuckets {
public:
    /// Periods of `period_length`; at most `max_periods` of them, or unbounded when 0.
    explicit PeriodBuckets(double period_length, std::size_t max_periods = 0)
        : length_(period_length), max_(max_periods) {
        detail::check_length(period_length);
    }

    /// The record of the period containing time t (>= 0); throws std::out_of_range past max_periods.
    Record& at(double t) {
        const std::size_t i = detail::period_index(t, length_);
        if (max_ != 0 && i >= max_) {
            throw std::out_of_range("period buckets: time " + std::to_string(t) + " is past the last period");
        }
        if (i >= records_.size()) {
            records_.resize(i + 1);
        }
        return records_[i];
    }

    /// The record of period i (i < size()).
    Record& operator[](std::size_t i) { return records_[i]; }
    /// The record of period i (i < size()).
    const Record& operator[](std::size_t i) const { return records_[i]; }

    /// Number of periods created so far (one past the highest index used).
    std::size_t size() const { return records_.size(); }
    /// The period length.
    double period_length() const { return length_; }

    /// Iteration over the records in period order.
    auto begin() { return records_.begin(); }
    /// End of iteration.
    auto end() { return records_.end(); }
    /// Iteration over the records in period order.
    auto begin() const { return records_.begin(); }
    /// End of iteration.
    auto end() const { return records_.end(); }

private:
    double length_;
    std::size_t max_;
    std::vector<Record> records_;
};

/// One Record per slot floor(t / period_length) mod cycle_count, e.g. hour of week (3600, 168).
template <class Record>
class CyclicBuckets {
public:
    /// `cycle_count` (> 0) slots of `period_length` each, all created up front.
    CyclicBuckets(double period_length, std::size_t cycle_count) : length_(period_length), records_(cycle_count) {
        detail::check_length(period_length);
        if (cycle_count == 0) {
            throw std::invalid_argument("cyclic buckets: cycle count must be positive");
        }
    }

    /// The index of the slot containing time t (>= 0).
    std::size_t index_of(double t) const { return detail::period_index(t, length_) % records_.size(); }

    /// The record of the slot containing time t (>= 0).
    Record& at(double t) { return records_[index_of(t)]; }

    /// The record of slot i (i < size()).
    Record& operator[](std::size_t i) { return records_[i]; }
    /// The record of slot i (i < size()).
    const Record& operator[](std::size_t i) const { return records_[i]; }

    /// Number of slots in a cycle.
    std::size_t size() const { return records_.size(); }
    /// The period length.
    double period_length() const { return length_; }

    /// Iteration over the slots in order.
    auto begin() { return records_.begin(); }
    /// End of iteration.
    auto end() { return records_.end(); }
    /// Iteration over the slots in order.
    auto begin() const { return records_.begin(); }
    /// End of iteration.
    auto end() const { return records_.end(); }

private:
    double length_;
    std::vector<Record> records_;
};

}  // namespace crsim::stats
