#pragma once
/// \file
/// A class's mean handle time by hour of day, fitted where the data supports it: a multiplier per
/// hour against one flat mean, chosen by AIC.

#include <cstddef>
#include <vector>

namespace crsim::fit {

/// An hour of the day with fewer answered calls than this gets no mean of its own: such hours share one.
inline constexpr std::size_t min_calls_per_hour = 100;

/// The hourly profile of a class's mean handle time.
struct HandleByHourFit {
    std::vector<double> factors;       ///< 24 multipliers of the overall mean; empty: flat chosen
    std::vector<std::size_t> calls;    ///< answered calls per hour of the day
    std::vector<double> means_s;       ///< their mean handle time (0 without calls)
    double shape = 1;                  ///< gamma shape of the likelihood, mean² / variance
    double lr = 0;                     ///< likelihood-ratio statistic, hourly means against one mean
    std::size_t extra_parameters = 0;  ///< means beyond the flat one
    bool chosen() const { return !factors.empty(); }
};

/// Fits `handle_s` (answered calls' handle times) with `hour` (each call's hour of arrival, 0–23).
/// Hours with at least min_calls_per_hour calls get their own mean, the others one mean together.
/// The likelihood is a gamma's of the pooled shape k = mean² / variance with the mean free per
/// hour: LR = 2k Σ n_h ln(m / m_h) (m the overall mean, m_h the hour's). The profile is chosen when
/// it lowers the AIC, LR > 2 × extra_parameters; its factors are m_h / m (hours sharing a mean share
/// its factor), so the call-weighted mean factor is 1 and the class's mean handle time is kept.
HandleByHourFit fit_handle_by_hour(const std::vector<double>& handle_s, const std::vector<int>& hour);

}  // namespace crsim::fit
