#include "crsim/staffing/sequential_screen.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "crsim/model/target_periods.hpp"

namespace crsim::staffing {

namespace {

/// The Student-t quantile at p with `df` degrees of freedom (fractional when a bucket's figure has
/// fewer replications than the run).
double t_quantile(double p, double df) { return boost::math::quantile(boost::math::students_t(df), p); }

}  // namespace

std::vector<std::size_t> screening_looks(std::size_t n) {
    std::vector<std::size_t> looks;
    for (const std::size_t k : {(n + 3) / 4, (n + 1) / 2})
        if (k >= 3 && k < n && (looks.empty() || k > looks.back())) looks.push_back(k);
    return looks;
}

bool clearly_fails(const model::TargetCheck& check, std::size_t k, std::size_t n, double confidence) {
    const model::Figure& f = check.target.value;
    if (std::isnan(f.mean) || f.n < 3 || k >= n) return false;
    // The figure's replications so far and at the end (a bucket without calls in a replication has
    // fewer than the run): the rest are expected in the same proportion.
    const double seen = static_cast<double>(f.n);
    const double all = seen * static_cast<double>(n) / static_cast<double>(k);
    const double to_come = all - seen;
    // ci95 is the 95% two-sided half-width: back to the spread of one replication.
    const double sd = std::isnan(f.ci95) ? 0.0 : f.ci95 / t_quantile(0.975, seen - 1) * std::sqrt(seen);
    // The mean over all n is (seen·mean + to_come·rest)/all; the rest's mean, predicted from what
    // was seen, spreads by sd·√(1/seen + 1/to_come) around it.
    const double spread = to_come / all * sd * std::sqrt(1 / seen + 1 / to_come);
    const double hope = t_quantile(screen_confidence, seen - 1) * spread;
    // What the criterion asks of the mean over all n replications.
    const double margin = t_quantile(confidence, all - 1) * sd / std::sqrt(all);
    const double goal = model::judged_goal(check.target);
    return model::judged_minimum(check.target) ? f.mean + hope < goal + margin : f.mean - hope > goal - margin;
}

bool some_clearly_fails(const std::vector<model::TargetCheck>& checks, std::size_t k, std::size_t n,
                        double confidence) {
    for (const model::TargetCheck& c : checks)
        if (clearly_fails(c, k, n, confidence)) return true;
    return false;
}

}  // namespace crsim::staffing
