#include "crsim/fit/handle_by_hour_fit.hpp"

#include <cmath>

namespace crsim::fit {

HandleByHourFit fit_handle_by_hour(const std::vector<double>& handle_s, const std::vector<int>& hour) {
    constexpr std::size_t hours = 24;
    HandleByHourFit fit;
    fit.calls.assign(hours, 0);
    fit.means_s.assign(hours, 0.0);
    std::vector<double> sums(hours, 0.0);
    double sum = 0, squares = 0;
    for (std::size_t i = 0; i < handle_s.size(); ++i) {
        const auto h = static_cast<std::size_t>(hour[i]);
        ++fit.calls[h];
        sums[h] += handle_s[i];
        sum += handle_s[i];
        squares += handle_s[i] * handle_s[i];
    }
    const double n = static_cast<double>(handle_s.size());
    if (n < 2 || sum <= 0) return fit;
    const double mean = sum / n;
    const double variance = (squares - n * mean * mean) / (n - 1);
    fit.shape = variance > 0 ? mean * mean / variance : 1.0;
    // The hours with their own mean, and the rest together.
    double rest_sum = 0;
    std::size_t rest_calls = 0, own = 0;
    for (std::size_t h = 0; h < hours; ++h) {
        if (fit.calls[h] > 0) fit.means_s[h] = sums[h] / static_cast<double>(fit.calls[h]);
        if (fit.calls[h] >= min_calls_per_hour) {
            ++own;
        } else {
            rest_sum += sums[h];
            rest_calls += fit.calls[h];
        }
    }
    const double rest_mean = rest_calls ? rest_sum / static_cast<double>(rest_calls) : mean;
    auto mean_of = [&](std::size_t h) { return fit.calls[h] >= min_calls_per_hour ? fit.means_s[h] : rest_mean; };
    const std::size_t means = own + (rest_calls > 0 ? 1 : 0);
    if (means < 2) return fit;
    fit.extra_parameters = means - 1;
    double lr = 0;
    for (std::size_t h = 0; h < hours; ++h)
        if (fit.calls[h] > 0 && mean_of(h) > 0)
            lr += 2 * fit.shape * static_cast<double>(fit.calls[h]) * std::log(mean / mean_of(h));
    fit.lr = lr;
    if (lr <= 2.0 * static_cast<double>(fit.extra_parameters)) return fit;
    for (std::size_t h = 0; h < hours; ++h) fit.factors.push_back(mean_of(h) > 0 ? mean_of(h) / mean : 1.0);
    return fit;
}

}  // namespace crsim::fit
