#pragma once
/// \file
/// The series behind every Erlang A figure: T(b, x) = sum_{m>=0} prod_{j=1..m} x/(b+j), Kummer's
/// M(1; b+1; x), and its weighted sum W(b, x) = sum_m m prod_{j=1..m} x/(b+j), both in log space.

#include <limits>
#include <optional>

namespace crsim::analytic {

/// log T(b, x) and log W(b, x) (W = 0, log W = -inf, when x = 0).
struct LogKummerSums {
    double log_sum = 0;                                                  ///< log T(b, x).
    double log_weighted_sum = -std::numeric_limits<double>::infinity();  ///< log W(b, x).
};

/// The direct series is used whenever it converges within this many terms (every ordinary queue: the
/// terms fall geometrically once m > x - b); beyond, the closed forms take over.
inline constexpr long kummer_direct_max_terms = 10'000;

/// The series summed term by term, for b > 0 and x >= 0; empty when it needs more than `max_terms` terms.
std::optional<LogKummerSums> log_kummer_series_direct(double b, double x, long max_terms);

/// The same sums through the regularised incomplete gamma function or a continued fraction, in a time that
/// hardly depends on b and x; for b > 0 and x > 0.
LogKummerSums log_kummer_closed_form(double b, double x);

/// The direct series when it converges within kummer_direct_max_terms terms, else the closed forms.
LogKummerSums log_kummer_series(double b, double x);

}  // namespace crsim::analytic
