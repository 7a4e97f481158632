#pragma once
/// \file
/// The idle gap that ends an agent's stretch of duty, chosen from the data: the gap whose
/// reconstructed staffing, put through Erlang A hour by hour, reproduces the period's own
/// abandonments best.

#include <functional>
#include <vector>

#include "crsim/fit/staffing_estimate.hpp"

namespace crsim::fit {

/// What the log shows in each interval of each day of the period (all classes together).
struct IntervalObservation {
    double offered = 0, abandoned = 0;
    double handle_mean_s = 0;  ///< mean handle (and wrap-up) time of the interval's answered calls
};

/// The gaps tried, in seconds: 5 min to 1 h.
inline constexpr double session_gap_candidates_s[] = {300, 600, 900, 1200, 1800, 2700, 3600};

/// Erlang A's expected abandonments in one interval of `interval_s` with `agents` people (a
/// fraction of a person interpolates between the whole numbers around it), Poisson arrivals of
/// `offered` per interval, exponential handle of the given mean and patience of `patience_mean_s`.
double erlang_a_abandoned(double offered, double interval_s, double handle_mean_s, double patience_mean_s,
                          double agents);

/// One candidate's score: the sum over intervals with calls and at least one person on duty of the
/// squared difference between Erlang A's abandonments and the observed ones.
struct GapScore {
    double gap_s = 0, score = 0;
};

/// The candidate gap (session_gap_candidates_s) with the lowest score, and every score.
/// `observed[day][interval]`, `on_duty(gap)` the people on duty (summed over rooms) for that gap.
struct GapChoice {
    double gap_s = 1800;
    std::vector<GapScore> scores;
};
GapChoice choose_session_gap(const std::vector<std::vector<IntervalObservation>>& observed, double interval_s,
                             double patience_mean_s,
                             const std::function<std::vector<std::vector<double>>(double gap_s)>& on_duty);

}  // namespace crsim::fit
