// Erlang C and Erlang A in log space.
//
// Erlang A (M/M/N+M) is a birth-death chain: births at rate lambda; deaths at rate n*mu for n <= N and
// N*mu + (n-N)*theta above. With a = N*mu/theta and y = lambda/theta the queue part of the stationary
// distribution is pi(N+k) = pi(N) * t_k with t_k = prod_{j=1..k} y/(a+j), so every figure reduces to the
// series T(b, x) = sum_m prod_{j=1..m} x/(b+j) (Kummer's 1F1(1; b+1; x)), a series of positive terms:
//   S = T(a, y),   E[queue] = pi(N) * sum_k k t_k,   P(abandon) = theta E[queue] / lambda,
//   pi(N) = 1 / (1/B - 1 + S)  with B the Erlang-B value of N agents for load lambda/mu.
// For the service level, a call that finds k waiting is served with probability a/(a+k+1) and its offered
// wait is a sum of exponentials with rates N*mu + j*theta (j = 0..k). Writing that law's density with a
// beta integral and summing over k against pi(N+k) gives, with z = exp(-theta t),
//   P(served and wait > t) = pi(N) * a/(a+1) * z^(a+1) * exp(y(1-z)) * T(a+1, y z),
// the same series again (the closed form of Mandelbaum & Zeltyn's incomplete-gamma expression, but
// summed without the cancellation that a ratio of incomplete gammas suffers when y is far below a).
// kummer_series.cpp sums T term by term for ordinary queues and by closed forms (incomplete gamma,
// continued fraction) when that would take more than kummer_direct_max_terms terms.
#include "crsim/analytic/erlang.hpp"

#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <sstream>

#include "kummer_series.hpp"

namespace crsim::analytic {

namespace {

/// log(exp(x) + exp(y)) without overflow; either argument may be -inf.
double log_add_exp(double x, double y) {
    if (x < y) std::swap(x, y);
    if (y == -std::numeric_limits<double>::infinity()) return x;
    return x + std::log1p(std::exp(y - x));
}

/// log(1 + exp(x)) without overflow.
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

/// log(1/B(n)) for n = agents and agents - 1, where B is Erlang B for `load`.
///
/// The inverse obeys I(n) = 1 + (n/load) I(n-1), I(0) = 1; kept as a logarithm it neither overflows
/// (I(n) grows like n!/load^n when n >> load) nor loses precision (each step adds positive terms).
struct LogInverseErlangB {
    double at_agents = 0;
    double at_agents_minus_one = 0;
};

LogInverseErlangB log_inverse_erlang_b(double load, int agents) {
    LogInverseErlangB r;
    double log_i = 0;  // log I(0)
    for (int n = 1; n <= agents; ++n) {
        r.at_agents_minus_one = log_i;
        log_i = softplus(std::log(n / load) + log_i);
    }
    r.at_agents = log_i;
    return r;
}

std::string describe_instability(double load, int agents) {
    std::ostringstream msg;
    msg << "offered load " << load << " Erlangs is not below " << agents
        << " agents: the Erlang C queue is unstable (waits grow without bound); add agents or give a patience"
           " (Erlang A)";
    return msg.str();
}

void require(bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(what);
}

}  // namespace

UnstableQueueError::UnstableQueueError(double offered_load_erlangs, int agents)
    : std::domain_error(describe_instability(offered_load_erlangs, agents)) {}

double erlang_b(double offered_load_erlangs, int agents) {
    require(offered_load_erlangs >= 0 && std::isfinite(offered_load_erlangs), "offered load must be finite and >= 0");
    require(agents >= 0, "agents must be >= 0");
    require(agents <= max_agents, "agents must be at most 1000000");
    if (agents == 0) return 1;
    if (offered_load_erlangs == 0) return 0;
    return std::exp(-log_inverse_erlang_b(offered_load_erlangs, agents).at_agents);
}

ErlangQueue::ErlangQueue(const ErlangDemand& demand, int agents) : agents_(agents) {
    require(agents >= 1, "agents must be at least 1");
    require(agents <= max_agents, "agents must be at most 1000000");
    require(demand.arrivals_per_hour > 0 && std::isfinite(demand.arrivals_per_hour),
            "arrivals per hour must be positive and finite");
    require(demand.handle_mean_s > 0 && std::isfinite(demand.handle_mean_s), "handle time must be positive and finite");
    require(demand.patience_mean_s > 0, "patience must be positive (or infinite for none)");
    lambda_ = demand.arrivals_per_hour / 3600.0;
    mu_ = 1.0 / demand.handle_mean_s;
    theta_ = std::isinf(demand.patience_mean_s) ? 0.0 : 1.0 / demand.patience_mean_s;
    load_ = lambda_ * demand.handle_mean_s;  // same expression as staff_for_service_level, so N > R agrees
    const LogInverseErlangB log_inv_b = log_inverse_erlang_b(load_, agents);

    if (theta_ == 0) {
        const double rho = load_ / agents;
        if (!(rho < 1)) throw UnstableQueueError(load_, agents);
        // C = 1 / ((1 - rho) / B + rho): the usual B / (1 - rho (1 - B)) rearranged around log(1/B).
        p_wait_ = std::exp(-log_add_exp(std::log1p(-rho) + log_inv_b.at_agents, std::log(rho)));
        mean_queue_ = p_wait_ * rho / (1 - rho);
        p_abandon_ = 0;
        return;
    }

    const double a = agents * mu_ / theta_;
    const double y = lambda_ / theta_;
    const LogKummerSums s = log_kummer_series(a, y);
    // sum_{n<N} pi(n) / pi(N) = 1/B(N) - 1 = (N/load) / B(N-1).
    const double log_below = std::log(agents / load_) + log_inv_b.at_agents_minus_one;
    log_pi_n_ = -log_add_exp(log_below, s.log_sum);
    p_wait_ = std::exp(log_pi_n_ + s.log_sum);
    mean_queue_ = std::exp(log_pi_n_ + s.log_weighted_sum);
    p_abandon_ = mean_queue_ / y;  // theta E[Q] / lambda
}

/// Mean wait of the calls that are answered: ∫ P(answered, wait > t) dt / P(answered).
double ErlangQueue::asa_s() const {
    // Erlang C answers every call, so the mean over answered calls is the mean over all.
    if (!has_abandonment()) return mean_wait_s();
    const double served = 1 - p_abandon();
    if (!(served > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (p_wait() <= 0) return 0;
    // t = scale·x/(1−x) maps [0, 1) onto [0, ∞); the scale is the mean wait of those who wait,
    // so the integrand's mass sits in the middle of [0, 1] whatever the load.
    const double scale = std::max(mean_wait_s() / p_wait(), 1e-3);
    auto late = [&](double x) {
        if (x >= 1) return 0.0;
        const double t = scale * x / (1 - x);
        return std::max(0.0, served - service_level(t)) * scale / ((1 - x) * (1 - x));
    };
    // Adaptive Gauss–Kronrod (Boost.Math) to a relative error of 1e-9: the integrand is smooth
    // inside (0, 1) and vanishes at 1.
    return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(late, 0.0, 1.0, 15, 1e-9) / served;
}

double ErlangQueue::service_level(double threshold_s) const {
    require(threshold_s >= 0 && !std::isnan(threshold_s), "threshold must be >= 0");
    if (theta_ == 0) {
        if (std::isinf(threshold_s)) return 1;
        return 1 - p_wait_ * std::exp(-(agents_ * mu_ - lambda_) * threshold_s);
    }
    if (std::isinf(threshold_s)) return 1 - p_abandon_;
    const double a = agents_ * mu_ / theta_;
    const double y = lambda_ / theta_;
    const double theta_t = theta_ * threshold_s;
    const double log_prefactor = std::log(a / (a + 1)) - (a + 1) * theta_t - y * std::expm1(-theta_t);
    const LogKummerSums t = log_kummer_series(a + 1, y * std::exp(-theta_t));
    const double served_late = std::exp(log_pi_n_ + log_prefactor + t.log_sum);
    const double sl = 1 - p_abandon_ - served_late;
    return sl < 0 ? 0 : (sl > 1 ? 1 : sl);
}

double halfin_whitt_beta(double offered_load_erlangs, double threshold_over_handle, double target) {
    require(offered_load_erlangs > 0, "offered load must be positive");
    require(threshold_over_handle >= 0, "threshold must be >= 0");
    require(target > 0 && target < 1, "target must lie strictly between 0 and 1");
    // Halfin & Whitt (1981): with N = R + beta sqrt(R), Erlang C's p_wait tends to
    // alpha(beta) = 1/(1 + beta Phi(beta)/phi(beta)), and N mu - lambda = beta sqrt(R) mu, so
    // P(wait > t) ~ alpha(beta) exp(-beta sqrt(R) mu t). The left side falls from 1 at beta = 0, so bisect.
    const double log_goal = std::log1p(-target);
    const double decay = std::sqrt(offered_load_erlangs) * threshold_over_handle;
    auto log_tail = [&](double beta) {
        if (beta <= 0) return 0.0;
        const double cdf = 0.5 * std::erfc(-beta / std::numbers::sqrt2);  // Phi(beta)
        // log(beta Phi(beta) / phi(beta)), with 1/phi(beta) = sqrt(2 pi) exp(beta^2 / 2) kept in log form.
        const double log_ratio = std::log(beta * cdf * std::sqrt(2 * std::numbers::pi)) + 0.5 * beta * beta;
        return -softplus(log_ratio) - beta * decay;
    };
    double lo = 0, hi = 1;
    while (log_tail(hi) > log_goal) hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
        const double mid = 0.5 * (lo + hi);
        (log_tail(mid) > log_goal ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

StaffingResult staff_for_service_level(const ErlangDemand& demand, double threshold_s, double target) {
    require(target > 0 && target < 1, "target must lie strictly between 0 and 1");
    require(threshold_s >= 0 && std::isfinite(threshold_s), "threshold must be finite and >= 0");
    require(demand.arrivals_per_hour > 0 && std::isfinite(demand.arrivals_per_hour),
            "arrivals per hour must be positive and finite");
    require(demand.handle_mean_s > 0 && std::isfinite(demand.handle_mean_s), "handle time must be positive and finite");
    const double load = demand.arrivals_per_hour / 3600.0 * demand.handle_mean_s;

    StaffingResult r;
    r.beta = halfin_whitt_beta(load, threshold_s / demand.handle_mean_s, target);
    r.sqrt_staffing_exact = load + r.beta * std::sqrt(load);
    if (!(r.sqrt_staffing_exact <= max_agents)) {
        char text[96];
        std::snprintf(text, sizeof text, "an offered load of %.3g Erlangs needs about %.3g agents", load,
                      r.sqrt_staffing_exact);
        throw std::invalid_argument(std::string(text) + ", more than the 1000000 this calculator handles");
    }
    r.sqrt_staffing_estimate = static_cast<int>(std::ceil(r.sqrt_staffing_exact));

    // Erlang C needs N > R; Erlang A is defined for any N >= 1. The service level rises with N, so walk
    // from the estimate: down while the next smaller pool still meets the target, else up until it does.
    const bool abandons = !std::isinf(demand.patience_mean_s);
    const int lowest = abandons ? 1 : static_cast<int>(std::floor(load)) + 1;
    const long highest = static_cast<long>(lowest + 20 * (load + 10 * std::sqrt(load) + 100));
    auto level = [&](int n) { return ErlangQueue(demand, n).service_level(threshold_s); };
    int n = std::max(lowest, r.sqrt_staffing_estimate);
    double sl = level(n);
    if (sl >= target) {
        while (n > lowest) {
            const double below = level(n - 1);
            if (below < target) break;
            --n;
            sl = below;
        }
    } else {
        while (sl < target) {
            if (++n > highest)
                throw std::runtime_error("no number of agents up to " + std::to_string(highest) +
                                         " meets the service-level target");
            sl = level(n);
        }
    }
    r.agents = n;
    r.service_level = sl;
    return r;
}

}  // namespace crsim::analytic
