// Erlang C and Erlang A against closed forms from the literature and against independent brute force.
//
// Sources of the reference values:
// - M/M/c delay probability C(c, R) = (R^c/c!)(c/(c-R)) / (sum_{k<c} R^k/k! + (R^c/c!)(c/(c-R))) and its
//   special cases C = rho (M/M/1) and C = 2 rho^2 / (1 + rho) (M/M/2): Kleinrock, Queueing Systems I
//   (1975), sections 3.3-3.5; the exact rationals below are that formula worked by hand.
// - Erlang B for 10 Erlangs on 10 circuits, 0.2146: any Erlang-B table (e.g. the ITU-T traffic
//   engineering handbook's tables); Erlang A with vanishing patience tends to Erlang B.
// - Erlang A with patience mean = handle mean: the number in system has the death rate n*mu in every
//   state, the M/M/inf chain, so it is Poisson(R) (noted by Mandelbaum & Zeltyn, "The Palm/Erlang-A
//   queue, with applications to call centers", 2005).
// No published Erlang A table with our service-level definition was at hand, so the remaining Erlang A
// cases are checked against the birth-death chain summed directly in long double and, for the
// service level, against the tagged call's absorption probabilities integrated by RK4; both are
// computed independently of the library's series.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>
#include <vector>

#include "../models/analytic/kummer_series.hpp"
#include "crsim/analytic/erlang.hpp"
#include "relative_error.hpp"

namespace an = crsim::analytic;

namespace {

/// `x` rounded to 4 significant figures, to compare with a value printed in a table.
double sig4(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", x);
    return std::stod(buffer);
}

/// The M/M/N(+M) chain's figures by direct summation of the stationary distribution in long double.
struct BruteForce {
    long double p_wait = 0, mean_queue = 0, p_abandon = 0, service_level = 0;
};

BruteForce brute_force(const an::ErlangDemand& d, int agents, double threshold_s) {
    const long double lambda = d.arrivals_per_hour / 3600.0L;
    const long double mu = 1.0L / d.handle_mean_s;
    const long double theta = std::isinf(d.patience_mean_s) ? 0.0L : 1.0L / d.patience_mean_s;
    // Unnormalised weights w(n); long double's exponent range holds 500 Erlangs without scaling.
    std::vector<long double> w{1.0L};
    for (int n = 1;; ++n) {
        const long double death = n <= agents ? n * mu : agents * mu + (n - agents) * theta;
        w.push_back(w.back() * lambda / death);
        if (n > agents + 10 && lambda / death < 1 && w.back() < 1e-40L * w[agents]) break;
    }
    long double total = 0;
    for (long double x : w) total += x;
    BruteForce b;
    for (std::size_t n = agents; n < w.size(); ++n) {
        b.p_wait += w[n] / total;
        b.mean_queue += (n - agents) * w[n] / total;
    }
    b.p_abandon = theta * b.mean_queue / lambda;
    // Service level: u_k(t) = P(served by t | k calls ahead), a pure-death chain towards service with
    // rates N mu + j theta and killing at the caller's own abandonment rate theta:
    //   u_k' = (N mu + k theta)(u_{k-1} - u_k) - theta u_k,  u_{-1} = 1,  u_k(0) = 0.
    // u_k depends only on u_0..u_{k-1}, so integrating the first `integrated` positions gives them
    // exactly as integrating all would, and u falls with k (more calls ahead, later service): the
    // positions left out add at most u_{integrated-1} to the service level. Without abandonment the
    // chain runs to ~9,200 positions at 500 Erlangs on 505 agents, of which u_k is above 1e-30 for
    // fewer than 200; integrating all of them took 12 s of CPU under ASan (-O0 test code), doubling
    // from 256 until the last u is negligible takes a fraction of a second. The step stays the one
    // for the whole chain, so the figures are those of integrating every position.
    const std::size_t positions = w.size() - agents;
    const long double top_rate = agents * mu + positions * theta + theta;
    const int steps = std::max(1, static_cast<int>(std::ceil(threshold_s * top_rate / 0.02L)));
    const long double h = threshold_s / steps;
    std::vector<long double> u;
    for (std::size_t integrated = std::min<std::size_t>(256, positions);;
         integrated = std::min(2 * integrated, positions)) {
        u.assign(integrated, 0.0L);
        std::vector<long double> k1(integrated), k2(integrated), k3(integrated), k4(integrated), tmp(integrated);
        auto derivative = [&](const std::vector<long double>& x, std::vector<long double>& dx) {
            for (std::size_t k = 0; k < integrated; ++k) {
                const long double ahead = k == 0 ? 1.0L : x[k - 1];
                dx[k] = (agents * mu + k * theta) * (ahead - x[k]) - theta * x[k];
            }
        };
        for (int s = 0; s < steps; ++s) {
            derivative(u, k1);
            for (std::size_t k = 0; k < integrated; ++k) tmp[k] = u[k] + h / 2 * k1[k];
            derivative(tmp, k2);
            for (std::size_t k = 0; k < integrated; ++k) tmp[k] = u[k] + h / 2 * k2[k];
            derivative(tmp, k3);
            for (std::size_t k = 0; k < integrated; ++k) tmp[k] = u[k] + h * k3[k];
            derivative(tmp, k4);
            for (std::size_t k = 0; k < integrated; ++k) u[k] += h / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
        }
        if (integrated == positions || u.back() < 1e-30L) break;
    }
    b.service_level = 1 - b.p_wait;
    for (std::size_t k = 0; k < u.size(); ++k) b.service_level += w[agents + k] / total * u[k];
    return b;
}

an::ErlangDemand demand(double per_hour, double handle_s, double patience_s = inf) {
    an::ErlangDemand d;
    d.arrivals_per_hour = per_hour;
    d.handle_mean_s = handle_s;
    d.patience_mean_s = patience_s;
    return d;
}

}  // namespace

TEST_CASE("Erlang C reduces to the M/M/1 and M/M/2 closed forms") {
    // M/M/1, rho = 0.5: C = rho, Wq = rho / (mu - lambda) = 0.5 / (1/60 - 1/120) s = 60 s.
    const an::ErlangQueue one(demand(30, 60), 1);
    CHECK(rel(one.p_wait(), 0.5) < 1e-12);
    CHECK(rel(one.mean_wait_s(), 60.0) < 1e-12);
    CHECK(rel(one.occupancy(), 0.5) < 1e-12);
    CHECK(rel(one.service_level(30), 1 - 0.5 * std::exp(-30.0 / 120)) < 1e-12);
    // M/M/2 with R = 1.5 (rho = 0.75): C = 2 rho^2 / (1 + rho) = 9/14.
    const an::ErlangQueue two(demand(90, 60), 2);
    CHECK(rel(two.p_wait(), 9.0 / 14) < 1e-12);
}

TEST_CASE("Erlang C reproduces hand-worked table values to 4 significant figures") {
    // R = 2 Erlangs on 3 agents: C = (8/6)(3/1) / (1 + 2 + 2 + 4) = 4/9 = 0.4444.
    CHECK(sig4(an::ErlangQueue(demand(120, 60), 3).p_wait()) == 0.4444);
    CHECK(rel(an::ErlangQueue(demand(120, 60), 3).p_wait(), 4.0 / 9) < 1e-12);
    // R = 3 on 5 agents: C = (243/120)(5/2) / (1 + 3 + 4.5 + 4.5 + 3.375 + 5.0625) = 81/343 = 0.2362;
    // mean wait = C * handle / (N - R) = 0.2362 * 180 s / 2 = 21.25 s.
    const an::ErlangQueue q(demand(60, 180), 5);
    CHECK(rel(q.p_wait(), 81.0 / 343) < 1e-12);
    CHECK(sig4(q.p_wait()) == 0.2362);
    CHECK(sig4(q.mean_wait_s()) == 21.25);
    CHECK(rel(q.mean_wait_s(), 81.0 / 343 * 90) < 1e-12);
    CHECK(rel(q.occupancy(), 0.6) < 1e-12);
}

TEST_CASE("Erlang B matches the table value for 10 Erlangs on 10 circuits") {
    CHECK(sig4(an::erlang_b(10, 10)) == 0.2146);
    CHECK(an::erlang_b(10, 0) == 1.0);
    CHECK(an::erlang_b(1, 2000) == doctest::Approx(0.0));  // underflows gracefully, no NaN
}

TEST_CASE("Erlang C refuses a load at or above the agents") {
    CHECK_THROWS_AS(an::ErlangQueue(demand(120, 180), 6), an::UnstableQueueError);  // R = 6
    CHECK_THROWS_AS(an::ErlangQueue(demand(130, 180), 6), an::UnstableQueueError);
    // Erlang A with the same load is stable.
    const an::ErlangQueue a(demand(130, 180, 120), 6);
    CHECK(a.p_wait() > 0);
    CHECK(a.p_wait() < 1);
}

TEST_CASE("Erlang C agrees with the brute-force chain, including 500 Erlangs") {
    for (const auto& [per_hour, handle_s, pool] :
         {std::tuple{360.0, 240.0, 27}, std::tuple{5000.0, 360.0, 520}, std::tuple{5000.0, 360.0, 505}}) {
        // A plain variable, not the binding: CAPTURE's lambda cannot capture a binding in clang 14.
        const int agents = pool;
        CAPTURE(agents);
        const an::ErlangDemand d = demand(per_hour, handle_s);
        const an::ErlangQueue q(d, agents);
        const BruteForce b = brute_force(d, agents, 20);
        CHECK(std::isfinite(q.p_wait()));
        CHECK(q.p_wait() > 0);
        CHECK(q.p_wait() < 1);
        CHECK(rel(q.p_wait(), static_cast<double>(b.p_wait)) < 1e-9);
        CHECK(rel(q.mean_queue_length(), static_cast<double>(b.mean_queue)) < 1e-9);
        CHECK(rel(q.service_level(20), static_cast<double>(b.service_level)) < 1e-7);
    }
}

TEST_CASE("Erlang A with patience equal to handle time has a Poisson number in system") {
    // R = 8 Erlangs, N = 8: P(wait) = P(X >= 8), E[queue] = E[(X - 8)^+] for X ~ Poisson(8).
    const an::ErlangQueue q(demand(96, 300, 300), 8);
    long double pmf = std::exp(-8.0L), below = 0, mean_below = 0;
    for (int n = 0; n < 8; ++n) {
        below += pmf;
        mean_below += (8 - n) * pmf;  // E[(X-8)^+] = E[X] - 8 + E[(8-X)^+]
        pmf *= 8.0L / (n + 1);
    }
    CHECK(rel(q.p_wait(), static_cast<double>(1 - below)) < 1e-12);
    CHECK(rel(q.mean_queue_length(), static_cast<double>(mean_below)) < 1e-10);
    // 1 - P(X <= 7) for Poisson(8) = 0.5470 (Poisson tables).
    CHECK(sig4(q.p_wait()) == 0.5470);
}

TEST_CASE("Erlang A with vanishing patience tends to Erlang B") {
    // With patience 1 ms against a 10 min handle time, every caller who waits abandons: p_abandon -> B(10, 10).
    const an::ErlangQueue q(demand(60, 600, 0.001), 10);
    CHECK(sig4(q.p_abandon()) == 0.2146);
    // The gap is of the order of lambda * patience, the chance of another arrival during a wait.
    CHECK(rel(q.p_wait(), an::erlang_b(10, 10)) < 1e-4);
}

TEST_CASE("Erlang A with very long patience tends to Erlang C") {
    const an::ErlangQueue c(demand(360, 240), 27);
    const an::ErlangQueue a(demand(360, 240, 1e8), 27);
    CHECK(rel(a.p_wait(), c.p_wait()) < 1e-5);
    CHECK(rel(a.mean_wait_s(), c.mean_wait_s()) < 1e-4);
    CHECK(rel(a.service_level(20), c.service_level(20)) < 1e-5);
}

TEST_CASE("the Erlang A series' closed forms agree with the direct sum where they take over") {
    // Each (b, x) needs between 5,000 and 10,000 terms of the direct series, so the direct sum is what
    // an Erlang A queue uses there, and one more step of load would hand it to the closed form; one
    // case per closed form: above capacity (P(b, x) = 1 to double precision) with b below and above 10,
    // at capacity (Temme's expansion of P), just below it (Boost's gamma_p) and well below it (the
    // continued fraction). The direct sum's own rounding over 10,000 terms is about 1e-12.
    struct Case {
        double b, x;
    };
    for (const Case c : {Case{1000, 10000}, Case{2.5, 9000}, Case{1e6, 1e6}, Case{1e6, 999000}, Case{1e6, 996500}}) {
        CAPTURE(c.b);
        CAPTURE(c.x);
        REQUIRE_FALSE(an::log_kummer_series_direct(c.b, c.x, an::kummer_direct_max_terms / 2));
        const auto direct = an::log_kummer_series_direct(c.b, c.x, an::kummer_direct_max_terms);
        REQUIRE(direct);
        const an::LogKummerSums closed = an::log_kummer_closed_form(c.b, c.x);
        // Differences of logarithms are relative differences of the sums; T grows like e^x, so the
        // rounding of x alone moves it by x * 2^-53 relatively (1e-12 at x = 9000).
        const double tolerance = 1e-12 + c.x * 0x1p-53;
        CHECK(std::abs(closed.log_sum - direct->log_sum) < tolerance);
        CHECK(std::abs(closed.log_weighted_sum - direct->log_weighted_sum) < tolerance);
    }
}

TEST_CASE("Erlang A with a patience of 1e12 s at 99.9% load departs from Erlang C by theory's first-order term") {
    // 10 agents at 99.9% load: the direct series would need about 43,000 terms, so the continued fraction
    // takes over. With c^2 = (N mu - lambda)^2 / (N mu theta) (about 41,700 here), the queue's geometric law
    // rho^k is damped by prod_j (1 + j theta / (N mu)), about exp(-k^2 / (2 c^2 (1 - rho)^2)), which shifts
    // the mean of that law (k ~ exponential with mean m = 1/(1-rho): E[k^3] = 6 m^3, E[k^2] = 2 m^2) by
    // -(6 - 2) m^3 / (2 c^2 m^2) = -2/c^2 of itself; p_wait, near 1, moves far less.
    const double per_hour = 149.85, handle_s = 240, patience_s = 1e12;
    const an::ErlangQueue c(demand(per_hour, handle_s), 10);
    const an::ErlangQueue a(demand(per_hour, handle_s, patience_s), 10);
    const double n_mu = 10 / handle_s, lambda = per_hour / 3600;
    const double c2 = (n_mu - lambda) * (n_mu - lambda) / (n_mu / patience_s);
    CHECK(rel(1 - a.mean_wait_s() / c.mean_wait_s(), 2 / c2) < 0.01);
    CHECK(rel(a.p_wait(), c.p_wait()) < 0.01 / c2);
    CHECK(rel(a.service_level(20), c.service_level(20)) < 2 / c2);
}

TEST_CASE("Erlang A far above capacity with a patience of 1e10 s abandons the excess load") {
    // 120 Erlangs on 100 agents: the queue holds about (lambda - N mu) * patience = 8e8 calls, as many
    // terms as the direct series would need (seconds of CPU). Every agent is busy all but a vanishing
    // share of the time, so the agents carry 100 Erlangs and the rest abandons: 1/6 of the calls.
    const an::ErlangQueue q(demand(1800, 240, 1e10), 100);
    // The figures pass through logarithms near 7.3e7 (log T), whose last bit is 1.5e-8: that, not the
    // closed form, limits the agreement.
    CHECK(rel(q.p_abandon(), 1.0 / 6) < 3e-8);
    CHECK(rel(q.p_wait(), 1) < 1e-12);
    // Little's law in the queue: E[queue] = lambda * P(abandon) * patience.
    CHECK(rel(q.mean_wait_s(), 1.0 / 6 * 1e10) < 3e-8);
}

TEST_CASE("Erlang A agrees with the brute-force chain below, at and above capacity, including 500 Erlangs") {
    struct Case {
        double per_hour, handle_s, patience_s;
        int agents;
        double threshold_s;
    };
    for (const Case& c : {Case{240, 180, 120, 12, 20}, Case{240, 180, 120, 12, 60}, Case{240, 180, 600, 10, 30},
                          Case{5000, 360, 180, 480, 20}, Case{5000, 360, 180, 520, 20}, Case{30, 600, 60, 2, 15}}) {
        CAPTURE(c.agents);
        CAPTURE(c.threshold_s);
        const an::ErlangDemand d = demand(c.per_hour, c.handle_s, c.patience_s);
        const an::ErlangQueue q(d, c.agents);
        const BruteForce b = brute_force(d, c.agents, c.threshold_s);
        CHECK(q.p_wait() > 0);
        CHECK(q.p_wait() < 1);
        CHECK(rel(q.p_wait(), static_cast<double>(b.p_wait)) < 1e-9);
        CHECK(rel(q.mean_queue_length(), static_cast<double>(b.mean_queue)) < 1e-9);
        CHECK(rel(q.p_abandon(), static_cast<double>(b.p_abandon)) < 1e-9);
        CHECK(rel(q.service_level(c.threshold_s), static_cast<double>(b.service_level)) < 1e-7);
        // Carried load equals busy agents: occupancy = R (1 - P(abandon)) / N.
        CHECK(rel(q.occupancy(), q.offered_load() * (1 - q.p_abandon()) / c.agents) < 1e-12);
    }
}

TEST_CASE("Erlang A service level runs from the no-wait share to the served share") {
    const an::ErlangQueue q(demand(240, 180, 120), 11);
    CHECK(rel(q.service_level(0), 1 - q.p_wait()) < 1e-12);
    double previous = q.service_level(0);
    for (double t : {5.0, 20.0, 60.0, 300.0, 3600.0}) {
        const double sl = q.service_level(t);
        CHECK(sl > previous);
        previous = sl;
    }
    CHECK(rel(q.service_level(36000), 1 - q.p_abandon()) < 1e-12);
    CHECK(q.service_level(inf) == doctest::Approx(1 - q.p_abandon()));
}

TEST_CASE("staffing search returns the smallest number of agents meeting the target") {
    struct Case {
        an::ErlangDemand d;
        double threshold_s, target;
    };
    for (const Case& c :
         {Case{demand(360, 240), 20, 0.8}, Case{demand(360, 240, 180), 20, 0.8}, Case{demand(5000, 360), 20, 0.9},
          Case{demand(5000, 360, 300), 10, 0.9}, Case{demand(20, 300, 600), 30, 0.5}}) {
        CAPTURE(c.target);
        const an::StaffingResult r = an::staff_for_service_level(c.d, c.threshold_s, c.target);
        CHECK(r.service_level >= c.target);
        CHECK(an::ErlangQueue(c.d, r.agents).service_level(c.threshold_s) == doctest::Approx(r.service_level));
        // A brute scan from the smallest admissible pool finds the same N.
        const double load = c.d.arrivals_per_hour / 3600 * c.d.handle_mean_s;
        int n = std::isinf(c.d.patience_mean_s) ? static_cast<int>(std::floor(load)) + 1 : 1;
        while (an::ErlangQueue(c.d, n).service_level(c.threshold_s) < c.target) ++n;
        CHECK(r.agents == n);
    }
}

TEST_CASE("the square-root staffing estimate is close to the exact Erlang C staffing") {
    // Halfin-Whitt is an asymptotic approximation: at 500 Erlangs it lands within an agent or two.
    const an::StaffingResult big = an::staff_for_service_level(demand(5000, 360), 20, 0.8);
    CHECK(std::abs(big.sqrt_staffing_estimate - big.agents) <= 2);
    CHECK(big.beta > 0);
    CHECK(rel(big.sqrt_staffing_exact, 500 + big.beta * std::sqrt(500.0)) < 1e-12);
    // At beta the approximation meets the target exactly: alpha(beta) exp(-beta sqrt(R) t/h) = 1 - target.
    const double beta = an::halfin_whitt_beta(500, 20.0 / 360, 0.8);
    const double cdf = 0.5 * std::erfc(-beta / std::sqrt(2.0));
    const double pdf = std::exp(-beta * beta / 2) / std::sqrt(2 * std::numbers::pi);
    const double alpha = 1 / (1 + beta * cdf / pdf);
    CHECK(alpha * std::exp(-beta * std::sqrt(500.0) * 20 / 360) == doctest::Approx(0.2).epsilon(1e-9));
}

TEST_CASE("bad parameters are rejected") {
    CHECK_THROWS_AS(an::ErlangQueue(demand(0, 60), 1), std::invalid_argument);
    CHECK_THROWS_AS(an::ErlangQueue(demand(10, 0), 1), std::invalid_argument);
    CHECK_THROWS_AS(an::ErlangQueue(demand(10, 60), 0), std::invalid_argument);
    CHECK_THROWS_AS(an::ErlangQueue(demand(10, 60, 0), 1), std::invalid_argument);
    CHECK_THROWS_AS(an::staff_for_service_level(demand(10, 60), 20, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(an::ErlangQueue(demand(10, 60), 2).service_level(-1), std::invalid_argument);
}
