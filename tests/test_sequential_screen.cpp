// The sequential screen of `crsim staff` (sequential_screen.hpp): when it looks, and that it drops
// clearly failing candidates while almost never dropping one that all the replications would pass.
#include <doctest/doctest.h>

#include <boost/math/distributions/students_t.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "crsim/staffing/sequential_screen.hpp"

namespace {

using crsim::staffing::clearly_fails;

double t_quantile(double p, double df) { return boost::math::quantile(boost::math::students_t(df), p); }

/// A service-level check (at least `goal`) whose figure is the mean of the first k values.
crsim::model::TargetCheck check_of(const std::vector<double>& values, std::size_t k, double goal) {
    const double n = static_cast<double>(k);
    const double mean = std::accumulate(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), 0.0) / n;
    double ss = 0;
    for (std::size_t i = 0; i < k; ++i) ss += (values[i] - mean) * (values[i] - mean);
    const double sd = std::sqrt(ss / (n - 1));
    crsim::model::TargetCheck c;
    c.target.metric = crsim::model::TargetSpec::Metric::service_level;
    c.target.goal = goal;
    c.target.value = {.mean = mean, .ci95 = t_quantile(0.975, n - 1) * sd / std::sqrt(n), .n = k};
    return c;
}

/// The search's rule on all n values: the one-sided 95% lower bound reaches the goal.
bool passes(const std::vector<double>& values, double goal) {
    const crsim::model::TargetCheck c = check_of(values, values.size(), goal);
    const double n = static_cast<double>(values.size());
    const double se = c.target.value.ci95 / t_quantile(0.975, n - 1);
    return c.target.value.mean - t_quantile(0.95, n - 1) * se >= goal;
}

}  // namespace

TEST_CASE("the screen looks after a quarter and a half of the replications, never with fewer than 3") {
    CHECK(crsim::staffing::screening_looks(20) == std::vector<std::size_t>{5, 10});
    CHECK(crsim::staffing::screening_looks(10) == std::vector<std::size_t>{3, 5});
    CHECK(crsim::staffing::screening_looks(5) == std::vector<std::size_t>{3});
    CHECK(crsim::staffing::screening_looks(4).empty());
    CHECK(crsim::staffing::screening_looks(2).empty());
}

TEST_CASE("a check clearly fails when even its hopeful prediction over all replications misses the bound") {
    // 5 of 20 replications seen, ci95 0.05: one replication's spread is 0.05 / t(0.975, 4) · √5;
    // the mean of the 15 to come may lie t(0.99, 4) · 15/20 · sd · √(1/5 + 1/15) above what was seen,
    // and all 20 must have a mean of at least 0.8 + t(0.95, 19) · sd / √20.
    const double sd = 0.05 / t_quantile(0.975, 4) * std::sqrt(5.0);
    const double edge = 0.8 + t_quantile(0.95, 19) * sd / std::sqrt(20.0) -
                        t_quantile(0.99, 4) * 0.75 * sd * std::sqrt(1 / 5.0 + 1 / 15.0);
    CHECK(edge == doctest::Approx(0.7571).epsilon(1e-3));
    crsim::model::TargetCheck c;
    c.target.metric = crsim::model::TargetSpec::Metric::service_level;
    c.target.goal = 0.8;
    c.target.value = {.mean = edge - 0.001, .ci95 = 0.05, .n = 5};
    CHECK(clearly_fails(c, 5, 20, 0.95));
    c.target.value.mean = edge + 0.001;
    CHECK_FALSE(clearly_fails(c, 5, 20, 0.95));
    // All replications seen: nothing is screened, the judgement decides.
    CHECK_FALSE(clearly_fails(c, 20, 20, 0.95));
    // A maximum (abandoned at most 10%) mirrors it.
    c.target.metric = crsim::model::TargetSpec::Metric::abandoned_pct;
    c.target.goal = 10;
    c.target.value = {.mean = 10 + (0.8 - edge) * 100 + 0.1, .ci95 = 5, .n = 5};
    CHECK(clearly_fails(c, 5, 20, 0.95));
    c.target.value.mean -= 0.2;
    CHECK_FALSE(clearly_fails(c, 5, 20, 0.95));
    // Without a spread or with too few replications there is nothing to go on.
    c.target.value = {.mean = NAN, .ci95 = NAN, .n = 5};
    CHECK_FALSE(clearly_fails(c, 5, 20, 0.95));
    c.target.value = {.mean = 50, .ci95 = 1, .n = 2};
    CHECK_FALSE(clearly_fails(c, 2, 20, 0.95));
}

TEST_CASE("the screen drops under 1% of the candidates all replications pass, and most clear failures") {
    // 20 normal replications per candidate with spread 1 around a true mean; goal 0. At a true mean
    // of t(0.95, 19)/√20 (a candidate on the edge: it passes in about half of the trials), count the
    // trials that all 20 pass but the screen (looking after 5 and 10) dropped: the screen is per
    // look at 99%, so at most about 1% of them. At a true mean of −1 (one spread short) nearly
    // every trial fails, and the screen stops at least 95% of them early.
    boost::random::mt19937 rng(2026);
    boost::random::normal_distribution<double> normal(0, 1);
    const auto dropped = [&](const std::vector<double>& v) {
        for (const std::size_t k : crsim::staffing::screening_looks(v.size()))
            if (clearly_fails(check_of(v, k, 0), k, v.size(), 0.95)) return true;
        return false;
    };
    const int trials = 4000;
    int pass = 0, pass_dropped = 0, short_dropped = 0;
    std::vector<double> v(20);
    for (int i = 0; i < trials; ++i) {
        for (double& x : v) x = t_quantile(0.95, 19) / std::sqrt(20.0) + normal(rng);
        if (!passes(v, 0)) continue;
        ++pass;
        if (dropped(v)) ++pass_dropped;
    }
    for (int i = 0; i < trials; ++i) {
        for (double& x : v) x = -1 + normal(rng);
        if (dropped(v)) ++short_dropped;
    }
    REQUIRE(pass > trials / 3);
    // The share dropped among those passing, with a binomial 3-sigma allowance over 1%.
    const double share = static_cast<double>(pass_dropped) / pass;
    CHECK(share < 0.01 + 3 * std::sqrt(0.01 * 0.99 / pass));
    CHECK(static_cast<double>(short_dropped) / trials > 0.95);
}
