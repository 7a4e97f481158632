#pragma once
/// \file
/// How uncertain a roster reconstructed from a call log is, day by day: the scenario key
/// `staffing_daily_cv` estimated from how far each day's abandonments stray from what Erlang A
/// predicts with the reconstructed staffing, beyond the spread that chance alone gives a day, and
/// `staffing_daily_mean`, the centre of that spread that keeps the abandonment the reconstruction
/// was calibrated to.

#include <cstddef>
#include <vector>

#include "crsim/fit/session_gap_choice.hpp"

namespace crsim::fit {

/// One pool of people and the calls it serves first (a skill group), over the period.
struct StaffingPool {
    std::vector<std::vector<IntervalObservation>> observed;  ///< [day][interval]
    std::vector<std::vector<double>> people;                 ///< [day][interval], fractional
    double patience_mean_s = 0;
};

/// The estimate and the figures it comes from. Each usable day d (at least
/// `min_day_abandoned` abandonments in intervals with someone on duty) gets the factor f_d by which
/// its staffing would have to be multiplied for Erlang A to predict its abandonments exactly. The
/// spread of ln f_d over the days is partly chance: a day's abandonments vary around their
/// expectation even with the staffing exactly right. That part is measured inside the days: the
/// dispersion φ = Σ (o_i - A_i)² / Σ A_i of the intervals' abandonments o_i around Erlang A's A_i
/// (each day at its own f_d; φ = 1 would be Poisson, a queue's abandonments come in bursts), so a
/// day's ln f_d has sampling variance φ A_d / (dA_d/d ln f)². What remains,
/// σ² = var(ln f_d) - mean sampling variance (0 when negative), is the staffing's own day-to-day
/// spread, written as the cv of a gamma(mean 1) factor, √(exp σ² - 1).
struct StaffingNoiseFit {
    std::size_t days = 0;      ///< days used
    double log_factor_sd = 0;  ///< sd of ln f_d over those days
    double sampling_sd = 0;    ///< √(mean sampling variance of ln f_d)
    double dispersion = 1;     ///< φ
    double daily_cv = 0;       ///< the estimate (0 with fewer than `min_days` days)
    double daily_mean = 1;     ///< the factor's mean (centre_staffing_noise), set by the fit
};

inline constexpr double min_day_abandoned = 10;
inline constexpr std::size_t min_days = 5;

StaffingNoiseFit estimate_staffing_noise(const std::vector<StaffingPool>& pools, double interval_s);

/// The mean m of the day factor m·g, g ~ gamma(mean 1, `daily_cv`), that keeps the abandonment:
/// over the pools' intervals with calls and people (`people` as the roster has them), Erlang A's
/// abandonments averaged over g at m·g·people sum to what they are at the people themselves. The
/// session gap was chosen so that the reconstructed staffing reproduces the period's abandonments;
/// abandonment is convex in the people on duty, so a mean-1 spread would raise it (Jensen) and the
/// day-to-day uncertainty would move the outcomes' mean instead of only spreading them. Erlang A
/// with a fractional headcount interpolates between whole numbers, as the model's random rounding
/// of a shift's people does on average. 1 without spread; searched within [0.5, 2].
double centre_staffing_noise(const std::vector<StaffingPool>& pools, double interval_s, double daily_cv);

}  // namespace crsim::fit
