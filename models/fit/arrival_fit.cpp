#include "crsim/fit/arrival_fit.hpp"

#include <cmath>
#include <numeric>

namespace crsim::fit {

ArrivalFit fit_arrivals(const std::vector<std::vector<double>>& counts, int first_weekday, double interval_s,
                        const std::vector<bool>& missing) {
    ArrivalFit fit;
    fit.interval_s = interval_s;
    fit.counts = counts;
    fit.first_weekday = first_weekday;
    const auto per_day = static_cast<std::size_t>(std::llround(86400.0 / interval_s));
    fit.profile.assign(7 * per_day, 0.0);
    std::array<std::vector<double>, 7> totals;
    for (std::size_t d = 0; d < counts.size(); ++d) {
        if (d < missing.size() && missing[d]) continue;
        const std::size_t w = (static_cast<std::size_t>(first_weekday) + d) % 7;
        double total = 0;
        for (std::size_t i = 0; i < per_day && i < counts[d].size(); ++i) {
            fit.profile[w * per_day + i] += counts[d][i];
            total += counts[d][i];
        }
        totals[w].push_back(total);
        fit.calls += static_cast<std::uint64_t>(std::llround(total));
    }
    double variance_of_week = 0;
    double numerator = 0, denominator = 0, cv2_variance_weighted = 0;
    for (std::size_t w = 0; w < 7; ++w) {
        WeekdayDispersion& wd = fit.weekdays[w];
        wd.days = totals[w].size();
        if (wd.days == 0) continue;
        for (std::size_t i = 0; i < per_day; ++i) fit.profile[w * per_day + i] /= static_cast<double>(wd.days);
        wd.mean = std::accumulate(totals[w].begin(), totals[w].end(), 0.0) / static_cast<double>(wd.days);
        fit.per_week += wd.mean;
        if (wd.days < 2) continue;
        for (double t : totals[w]) wd.variance += (t - wd.mean) * (t - wd.mean);
        wd.variance /= static_cast<double>(wd.days - 1);
        variance_of_week += wd.variance / static_cast<double>(wd.days);
        if (wd.mean <= 0) continue;
        wd.cv = std::sqrt(std::max(0.0, wd.variance - wd.mean)) / wd.mean;
        const double weight = static_cast<double>(wd.days - 1);
        numerator += weight * (wd.variance - wd.mean);
        denominator += weight * wd.mean * wd.mean;
        // Var of (n-1)(s² - m) ≈ (n-1)² · 2σ⁴/(n-1), with σ² estimated by the larger of s² and m.
        const double sigma2 = std::max(wd.variance, wd.mean);
        cv2_variance_weighted += weight * 2 * sigma2 * sigma2;
    }
    fit.per_week_se = std::sqrt(variance_of_week);
    if (denominator > 0) {
        const double cv2 = std::max(0.0, numerator / denominator);
        const double cv2_se = std::sqrt(cv2_variance_weighted) / denominator;
        fit.daily_cv = std::sqrt(cv2);
        // Delta method for the square root; at cv = 0 report the bound sqrt(se of cv²) instead.
        fit.daily_cv_se = fit.daily_cv > 0 ? cv2_se / (2 * fit.daily_cv) : std::sqrt(cv2_se);
    }
    return fit;
}

}  // namespace crsim::fit
