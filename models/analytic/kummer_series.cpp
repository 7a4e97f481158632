// T(b, x) = sum_m t_m with t_m = prod_{j=1..m} x/(b+j), and W(b, x) = sum_m m t_m.
//
// Summed term by term, T needs about x - b terms when x > b (the terms rise until m = x - b) and about
// sqrt(b) when x is near b: for a patience of 1e10 s that is as many terms as calls arrive in one
// patience, tens of millions. Beyond kummer_direct_max_terms terms the closed forms below are used:
//
// (1) Incomplete gamma. P(b, x) = x^b e^(-x) sum_m x^m / Gamma(b+m+1) (DLMF 8.7.1 with 8.2.7), and
//     t_m = Gamma(b+1) x^m / Gamma(b+m+1), so
//         T(b, x) = Gamma(b+1) x^(-b) e^x P(b, x),   log T = log P(b, x) + G(b, x),
//         G(b, x) = x - b log x + lgamma(b+1) = -b log1pmx((x-b)/b) + log(2 pi b)/2 + stirling(b),
//     the second form (Stirling's series for lgamma) without the cancellation of the first when b is large.
// (2) The weighted sum. Summing (b+m+1) t_{m+1} = x t_m over m >= 0 gives W = (x - b) T + b: a sum of
//     positive terms when x >= b; for x < b it cancels as T approaches b/(b-x), so there we use
// (3) the continued fraction of the lower incomplete gamma function (DLMF 8.9.2, Legendre's), which with
//     (1) reads T = b / f,  f = b + a_1/(b+1 + a_2/(b+2 + ...)),  a_{2k+1} = -(b+k) x,  a_{2k} = k x.
//     It converges in a few dozen terms once x is 3 sqrt(b) or more below b, and t_m being proportional
//     to x^m, W = x dT/dx = -x T (log f)', so the derivative is carried through the evaluation: no cancellation.
// P(b, x) near x = b, where the continued fraction and Boost's own series slow down for huge b, comes
// from Temme's uniform asymptotic expansion (Boost.Math's igamma_temme_large; Boost 1.74's gamma_q uses
// a series in b/x there, which needs millions of terms when b is near x and above 1e10).
#include "kummer_series.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/log1p.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace crsim::analytic {

namespace {

/// lgamma(b+1) - ((b + 1/2) log b - b + log(2 pi)/2), for b >= 10: Stirling's series, whose first omitted
/// term, 1/(156 b^13), is below 1e-15 there.
double stirling_remainder(double b) {
    const double r = 1 / (b * b);
    return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r * (1.0 / 1680 - r * (1.0 / 1188 - r * 691.0 / 360360))))) /
           b;
}

/// G(b, x) = x - b log x + lgamma(b+1), the logarithm of T / P(b, x).
double log_gamma_prefix_inverse(double b, double x) {
    if (b < 10) return x - b * std::log(x) + std::lgamma(b + 1);
    return -b * boost::math::log1pmx((x - b) / b) + 0.5 * std::log(2 * std::numbers::pi * b) + stirling_remainder(b);
}

/// log P(b, x), the regularised lower incomplete gamma function.
double log_gamma_p(double b, double x) {
    if (x < b) return std::log(boost::math::gamma_p(b, x));
    // Q(b, x) <= exp(-b log1pmx-part) falls below half an ulp of 1 well before this exponent.
    const double exponent = -b * boost::math::log1pmx((x - b) / b);
    if (exponent > 50) return 0;
    const double q = b > 200 ? boost::math::detail::igamma_temme_large(
                                   b, x, boost::math::policies::policy<>(),
                                   static_cast<const boost::integral_constant<int, 53>*>(nullptr))
                             : boost::math::gamma_q(b, x);
    return std::log1p(-q);
}

/// T and W by the continued fraction (3), evaluated forwards by Lentz's method with the derivative of
/// log f in log x carried alongside (x d/dx of a numerator is the numerator itself). Every level is scaled
/// by a power of two near 1/b, exactly, so that a numerator, of the order of b x, cannot overflow.
LogKummerSums continued_fraction(double b, double x) {
    constexpr double tiny = 1e-300;  // Lentz's guard against a zero denominator
    constexpr double tolerance = 1e-16;
    constexpr int max_terms = 100'000;
    const double scale = std::ldexp(1.0, -std::ilogb(b));
    double log_f = 0, c = b * scale, dc = 0, d = 0, dd = 0, dlog_f = 0;
    for (int n = 1;; ++n) {
        if (n > max_terms) throw std::runtime_error("Erlang A continued fraction did not converge");
        const int k = n / 2;
        const double a = (n % 2 ? -(b + k) * scale : k * scale) * (x * scale);
        const double level = (b + n) * scale;
        double denominator = level + a * d;
        if (denominator == 0) denominator = tiny;
        const double next_d = 1 / denominator;
        dd = -next_d * next_d * (a * d + a * dd);
        d = next_d;
        const double next_c = level + a / c;
        dc = a / c - a * dc / (c * c);
        c = next_c == 0 ? tiny : next_c;
        const double step = c * d;
        const double dlog_step = dc / c + dd / d;
        log_f += std::log(step);
        dlog_f += dlog_step;
        if (std::abs(step - 1) < tolerance && std::abs(dlog_step) <= tolerance * std::abs(dlog_f)) break;
    }
    // T = b / f = 1 / prod of the steps, and W = x dT/dx = -T d(log f)/d(log x).
    LogKummerSums s;
    s.log_sum = -log_f;  // log_f sums the logarithms of f_n / f_{n-1}, f_0 = b (scaled)
    s.log_weighted_sum = s.log_sum + std::log(-dlog_f);
    return s;
}

}  // namespace

std::optional<LogKummerSums> log_kummer_series_direct(double b, double x, long max_terms) {
    // Terms rise while x > b + m and then fall faster than geometrically. Once the next ratio
    // r = x/(b+m+1) is below 1 it bounds all later ratios, so the tail after term m is at most
    // term*r/(1-r) (and sum_{i>=1} (m+i) term r^i for the weighted sum): we stop when both bounds are below
    // 1e-17 of the partial sums, which makes the truncation error smaller than double rounding.
    // Terms are rescaled by 1e-250 whenever they grow large; `log_scale` remembers the factor.
    constexpr double rescale_at = 1e250;
    constexpr double tolerance = 1e-17;
    double term = 1, sum = 1, weighted = 0, log_scale = 0;
    for (long m = 1;; ++m) {
        if (m > max_terms) return std::nullopt;
        term *= x / (b + m);
        sum += term;
        weighted += static_cast<double>(m) * term;
        if (term > rescale_at) {
            term /= rescale_at;
            sum /= rescale_at;
            weighted /= rescale_at;
            log_scale += std::log(rescale_at);
        }
        const double r = x / (b + m + 1);
        if (r < 1) {
            const double tail = term * r / (1 - r);
            const double weighted_tail = term * (m * r / (1 - r) + r / ((1 - r) * (1 - r)));
            if (tail <= tolerance * sum && weighted_tail <= tolerance * weighted) break;
            if (term == 0) break;  // underflow: the rest is exactly negligible
        }
    }
    LogKummerSums s;
    s.log_sum = std::log(sum) + log_scale;
    if (weighted > 0) s.log_weighted_sum = std::log(weighted) + log_scale;
    return s;
}

LogKummerSums log_kummer_closed_form(double b, double x) {
    // Three standard deviations of the Gamma(b) law below its mean: there the continued fraction needs
    // fewer than about 60 terms, and above it W = b - (b-x) T loses at most a factor of about 10 to cancellation.
    if (b - x >= 3 * std::sqrt(b)) return continued_fraction(b, x);
    LogKummerSums s;
    s.log_sum = log_gamma_p(b, x) + log_gamma_prefix_inverse(b, x);
    // W = T ((x - b) + b / T), with 1/T <= 1 so that nothing overflows.
    s.log_weighted_sum = s.log_sum + std::log((x - b) + b * std::exp(-s.log_sum));
    return s;
}

LogKummerSums log_kummer_series(double b, double x) {
    if (auto direct = log_kummer_series_direct(b, x, kummer_direct_max_terms)) return *direct;
    return log_kummer_closed_form(b, x);
}

}  // namespace crsim::analytic
