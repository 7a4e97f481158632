#pragma once
/// \file
/// Arrivals of one call class from the days of a log: weekly volume, weekly profile and the
/// day-to-day variation beyond Poisson (`daily_cv`).

#include <array>
#include <cstdint>
#include <vector>

namespace crsim::fit {

/// What one weekday's daily totals say about overdispersion.
struct WeekdayDispersion {
    std::size_t days = 0;
    double mean = 0;      ///< mean daily total
    double variance = 0;  ///< sample variance of the daily totals (divisor days - 1)
    double cv = 0;        ///< sqrt(max(0, variance - mean)) / mean: this weekday's own estimate
};

/// The fitted arrival process of one class.
struct ArrivalFit {
    std::uint64_t calls = 0;
    double per_week = 0, per_week_se = 0;
    /// Mean calls in each interval of the week, Monday 00:00 first (7 × intervals a day values).
    std::vector<double> profile;
    double interval_s = 3600;
    double daily_cv = 0, daily_cv_se = 0;
    std::array<WeekdayDispersion, 7> weekdays{};  ///< Monday first
    std::vector<std::vector<double>> counts;      ///< the data fitted, calls[day][interval]: for the fit report
    int first_weekday = 0;                        ///< of counts' first day, 0 = Monday
};

/// Fits arrivals from `counts[d][i]`: calls on day d of the period (consecutive days, the first a
/// `first_weekday`, 0 = Monday) in interval i of the day (each `interval_s` long).
///
/// The profile averages each interval of the week over the days of that weekday in the period,
/// and per_week is its sum, so weekdays seen five times in a month weigh no more than those seen
/// four times. daily_cv is the method of moments for a gamma(mean 1, cv) multiplier of each day's
/// Poisson arrivals: Var(N) = m + m² cv² for a day of mean m, estimated per weekday (so the weekly
/// shape is not counted as noise) and pooled as Σ (n_w - 1)(s²_w - m_w) / Σ (n_w - 1) m_w², taken as
/// 0 when negative. Its standard error uses Var(s²) ≈ 2 σ⁴ / (n - 1) (normal theory).
/// Days with `missing[d]` true (a gap in the log, not a quiet day) are left out of everything.
ArrivalFit fit_arrivals(const std::vector<std::vector<double>>& counts, int first_weekday, double interval_s,
                        const std::vector<bool>& missing = {});

}  // namespace crsim::fit
