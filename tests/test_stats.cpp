#include <doctest/doctest.h>

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "crsim/sim/distribution.hpp"
#include "crsim/sim/random_stream.hpp"
#include "crsim/stats/confidence_interval.hpp"
#include "crsim/stats/difference_interval.hpp"
#include "crsim/stats/quantile_histogram.hpp"
#include "crsim/stats/tally.hpp"

using namespace crsim::stats;
using crsim::sim::Distribution;
using crsim::sim::make_stream;

TEST_SUITE("tally") {
    TEST_CASE("a tally of a small data set gives its textbook summary") {
        Tally t;
        for (const double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) {
            t.add(x);
        }
        CHECK(t.count() == 8);
        CHECK(t.sum() == 40.0);
        CHECK(t.mean() == doctest::Approx(5.0));
        CHECK(t.variance() == doctest::Approx(32.0 / 7.0));
        CHECK(t.sd() == doctest::Approx(std::sqrt(32.0 / 7.0)));
        CHECK(t.min() == 2.0);
        CHECK(t.max() == 9.0);
    }

    TEST_CASE("an empty tally reports NaN, and one observation has no variance") {
        Tally t;
        CHECK(t.count() == 0);
        CHECK(t.sum() == 0.0);
        CHECK(std::isnan(t.mean()));
        CHECK(std::isnan(t.variance()));
        CHECK(std::isnan(t.min()));
        CHECK(std::isnan(t.max()));
        t.add(3.5);
        CHECK(t.mean() == 3.5);
        CHECK(std::isnan(t.variance()));
        CHECK(t.min() == 3.5);
        CHECK(t.max() == 3.5);
    }

    TEST_CASE("the variance stays exact for data with a large offset") {
        // The naive sum-of-squares formula loses every digit here; Welford's does not.
        Tally t;
        for (const double x : {4.0, 7.0, 13.0, 16.0}) {
            t.add(1e9 + x);
        }
        CHECK(t.variance() == doctest::Approx(30.0).epsilon(1e-9));
    }
}

namespace {

// The type-7 quantile of sorted values: the documented definition of QuantileHistogram.
double exact_quantile(const std::vector<double>& sorted, double p) {
    const double h = p * static_cast<double>(sorted.size() - 1);
    const auto j = static_cast<std::size_t>(std::floor(h));
    if (j + 1 >= sorted.size()) {
        return sorted[j];
    }
    return sorted[j] + (h - static_cast<double>(j)) * (sorted[j + 1] - sorted[j]);
}

const std::vector<double> probabilities = {0.0, 0.001, 0.01, 0.05, 0.1,   0.25,  0.5,    0.75,
                                           0.8, 0.9,   0.95, 0.99, 0.995, 0.999, 0.9999, 1.0};

}  // namespace

TEST_SUITE("quantile histogram") {
    TEST_CASE("quantiles of exponential samples are within half a second, and relatively close when small") {
        for (const double mean : {5.0, 120.0, 3600.0}) {
            auto e = make_stream(77, 0, "quantiles");
            const auto d = Distribution::exponential(mean);
            QuantileHistogram h;
            std::vector<double> xs(100000);
            for (double& x : xs) {
                x = d.sample(e);
                h.add(x);
            }
            std::sort(xs.begin(), xs.end());
            CHECK(h.count() == xs.size());
            CHECK(h.min() == xs.front());
            CHECK(h.max() == xs.back());
            for (const double p : probabilities) {
                const double exact = exact_quantile(xs, p);
                const double est = h.quantile(p);
                INFO("mean ", mean, " p ", p, " exact ", exact, " estimate ", est);
                // Documented bound: under one bin width, i.e. 0.5 s, and 1/256 of the value below 256 s.
                CHECK(std::abs(est - exact) < 0.5);
                if (exact < 200) {
                    CHECK(std::abs(est - exact) <= exact / 200 + 1e-3);
                }
            }
        }
    }

    TEST_CASE("a quantile inside a mass of zeros is exactly zero") {
        auto e = make_stream(78, 0, "zeros");
        const auto d = Distribution::exponential(60);
        QuantileHistogram h;
        std::vector<double> xs;
        for (int i = 0; i < 10000; ++i) {
            const double x = i % 10 < 7 ? 0.0 : d.sample(e);
            xs.push_back(x);
            h.add(x);
        }
        std::sort(xs.begin(), xs.end());
        CHECK(h.zero_count() == 7000);
        CHECK(h.quantile(0.0) == 0.0);
        CHECK(h.quantile(0.5) == 0.0);
        CHECK(h.quantile(0.6998) == 0.0);
        for (const double p : {0.69995, 0.7, 0.71, 0.8, 0.9, 0.99, 1.0}) {
            INFO("p ", p);
            CHECK(h.quantile(p) == doctest::Approx(exact_quantile(xs, p)).epsilon(0.01).scale(1.0));
            CHECK(std::abs(h.quantile(p) - exact_quantile(xs, p)) < 0.5);
        }
    }

    TEST_CASE("values past 48 hours go to the overflow bin and keep the exact maximum") {
        QuantileHistogram h;
        for (const double x : {10.0, 20.0, 30.0, 50 * 3600.0, 60 * 3600.0, 70 * 3600.0}) {
            h.add(x);
        }
        CHECK(h.max() == 70 * 3600.0);
        CHECK(h.quantile(1.0) == 70 * 3600.0);
        CHECK(h.quantile(0.2) == doctest::Approx(20.0).epsilon(0.01));
        const double q = h.quantile(0.8);  // inside the overflow bin: between 48 h and the max
        CHECK(q >= QuantileHistogram::overflow_threshold);
        CHECK(q <= 70 * 3600.0);
    }

    TEST_CASE("values on bin edges stay in their own bin") {
        QuantileHistogram h;
        for (const double x : {0.5, 1.0, 128.0, 256.0, 256.5, std::ldexp(1.0, -10)}) {
            h.add(x);
            h.add(x);
            h.add(x);
        }
        std::vector<double> xs = {std::ldexp(1.0, -10), 0.5, 1.0, 128.0, 256.0, 256.5};
        for (std::size_t i = 0; i < xs.size(); ++i) {
            // The middle of three equal values: an estimate inside [x, x + width).
            const double est = h.quantile((3.0 * static_cast<double>(i) + 1.0) / 17.0);
            INFO("value ", xs[i], " estimate ", est);
            CHECK(est >= xs[i]);
            CHECK(est < xs[i] + std::max(xs[i] / 256.0, 0.5 * (xs[i] >= 256.0)) + 1e-12);
        }
    }

    TEST_CASE("an empty histogram has no quantiles and bad input throws") {
        QuantileHistogram h;
        CHECK(std::isnan(h.quantile(0.5)));
        CHECK(std::isnan(h.max()));
        CHECK_THROWS_AS(h.add(-1.0), std::invalid_argument);
        CHECK_THROWS_AS(h.add(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
        CHECK_THROWS_AS(h.add(std::numeric_limits<double>::infinity()), std::invalid_argument);
        CHECK_THROWS_AS(h.quantile(1.5), std::invalid_argument);
        CHECK_THROWS_AS(h.quantile(-0.1), std::invalid_argument);
        CHECK(h.count() == 0);
    }
}

TEST_SUITE("confidence intervals") {
    TEST_CASE("the interval of a small data set matches the hand computation") {
        // mean 5, s = sqrt(32/7) = 2.13809, t(0.975, 7) = 2.364624, half-width = t s / sqrt(8) = 1.78748.
        const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
        const Estimate est = estimate(v);
        CHECK(est.n == 8);
        CHECK(est.mean == doctest::Approx(5.0));
        CHECK(std::abs(t_quantile(0.95, 7) - 2.364624) < 1e-6);
        CHECK(std::abs(est.half_width - 1.787480) < 1e-4);
        CHECK(std::abs(t_quantile(0.95, 1) - 12.706205) < 1e-5);
        CHECK(std::abs(t_quantile(0.99, 30) - 2.749996) < 1e-5);
        CHECK(estimate(v, 0.99).half_width > est.half_width);
    }

    TEST_CASE("fewer than two values give no half-width") {
        const std::vector<double> one = {9.0};
        const Estimate e1 = estimate(one);
        CHECK(e1.n == 1);
        CHECK(e1.mean == 9.0);
        CHECK(std::isnan(e1.half_width));
        const Estimate e0 = estimate(std::vector<double>{});
        CHECK(e0.n == 0);
        CHECK(std::isnan(e0.mean));
        CHECK(std::isnan(e0.half_width));
    }

    TEST_CASE("bad levels and zero degrees of freedom throw") {
        const std::vector<double> v = {1, 2};
        CHECK_THROWS_AS(estimate(v, 1.0), std::invalid_argument);
        CHECK_THROWS_AS(estimate(v, 0.0), std::invalid_argument);
        CHECK_THROWS_AS(t_quantile(0.95, 0), std::invalid_argument);
    }

    TEST_CASE("95% intervals from normal samples of ten cover the true mean about 95% of the time") {
        // 2000 intervals: coverage has standard error sqrt(0.95 * 0.05 / 2000) = 0.0049; allow 5 SE.
        auto e = make_stream(80, 0, "coverage");
        boost::random::normal_distribution<double> normal(50.0, 10.0);
        int covered = 0;
        std::vector<double> v(10);
        for (int i = 0; i < 2000; ++i) {
            for (double& x : v) {
                x = normal(e);
            }
            const Estimate est = estimate(v);
            covered += std::abs(est.mean - 50.0) <= est.half_width;
        }
        CHECK(std::abs(covered / 2000.0 - 0.95) < 5 * 0.0049);
    }
}

TEST_SUITE("difference intervals") {
    TEST_CASE("paired and Welch intervals of a small data set match the hand computation") {
        // b - a = {1, 2, 2, 1}: mean 1.5, s = sqrt(1/3), t(0.975, 3) = 3.182446, half-width 0.918693.
        // Welch: s²a/4 = 5/12, s²b/4 = 1/2, nu = (11/12)² / ((5/12)²/3 + (1/2)²/3) = 5.950820,
        // t(0.975, nu) = 2.451822, half-width t · sqrt(11/12) = 2.347441.
        const std::vector<double> a = {1, 2, 3, 4}, b = {2, 4, 5, 5};
        const DifferenceInterval paired = paired_difference(a, b);
        CHECK(paired.mean == doctest::Approx(1.5));
        CHECK(std::abs(paired.half_width - 0.918693) < 1e-6);
        CHECK(paired.df == 3);
        const DifferenceInterval welch = welch_difference(a, b);
        CHECK(welch.mean == doctest::Approx(1.5));
        CHECK(std::abs(welch.df - 5.950820) < 1e-6);
        CHECK(std::abs(welch.half_width - 2.347441) < 1e-6);
    }

    TEST_CASE("identical samples differ by exactly zero; pairs with an undefined side are left out") {
        const std::vector<double> a = {0.7, 0.71, 0.69, 0.72};
        const DifferenceInterval same = paired_difference(a, a);
        CHECK(same.mean == 0.0);
        CHECK(same.half_width == 0.0);
        CHECK(welch_difference(a, a).mean == 0.0);
        CHECK(welch_difference(a, a).half_width > 0.0);
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const std::vector<double> x = {1, nan, 3, 5}, y = {2, 9, nan, 7};
        const DifferenceInterval p = paired_difference(x, y);  // pairs (1, 2) and (5, 7)
        CHECK(p.mean == doctest::Approx(1.5));
        CHECK(p.df == 1);
        CHECK(std::isnan(paired_difference(std::vector<double>{1}, std::vector<double>{2}).half_width));
        CHECK_THROWS_AS(paired_difference(x, std::vector<double>{1}), std::invalid_argument);
        const std::vector<double> flat_a = {1, 1, 1}, flat_b = {3, 3};
        CHECK(welch_difference(flat_a, flat_b).half_width == 0.0);
        CHECK(welch_difference(flat_a, flat_b).mean == 2.0);
    }

    TEST_CASE(
        "with correlated pairs, both intervals cover the true difference about 95% of the time and the paired one is "
        "narrower") {
        // a ~ N(50, 10), b = a + 1 + N(0, 2): the true difference is 1. 2000 experiments of ten
        // pairs: coverage has standard error 0.0049; allow 5 SE.
        auto e = make_stream(81, 0, "difference coverage");
        boost::random::normal_distribution<double> common(50.0, 10.0), own(0.0, 2.0);
        int paired_covered = 0, welch_covered = 0, paired_narrower = 0;
        std::vector<double> a(10), b(10);
        for (int i = 0; i < 2000; ++i) {
            for (std::size_t j = 0; j < a.size(); ++j) {
                a[j] = common(e);
                b[j] = a[j] + 1.0 + own(e);
            }
            const DifferenceInterval p = paired_difference(a, b), w = welch_difference(a, b);
            paired_covered += std::abs(p.mean - 1.0) <= p.half_width;
            welch_covered += std::abs(w.mean - 1.0) <= w.half_width;
            paired_narrower += p.half_width < w.half_width;
        }
        CHECK(std::abs(paired_covered / 2000.0 - 0.95) < 5 * 0.0049);
        CHECK(welch_covered / 2000.0 > 0.95 - 5 * 0.0049);  // Welch is conservative for these
        CHECK(paired_narrower == 2000);
    }
}
