#include "likelihood.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace crsim::fit {

std::string_view family_name(Family family) {
    switch (family) {
        case Family::exponential:
            return "exponential";
        case Family::gamma:
            return "gamma";
        case Family::lognormal:
            return "lognormal";
        case Family::weibull:
            return "weibull";
    }
    return "?";
}

double FamilyFit::cdf(double x) const {
    if (x <= 0) return 0;
    switch (family) {
        case Family::exponential:
            return -std::expm1(-x / p1);
        case Family::gamma:
            return boost::math::gamma_p(p1, x / p2);
        case Family::lognormal:
            return 0.5 * boost::math::erfc(-(std::log(x) - p1) / (p2 * std::sqrt(2.0)));
        case Family::weibull:
            return -std::expm1(-std::pow(x / p2, p1));
    }
    return 0;
}

namespace detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double half_log_2pi = 0.91893853320467274178;

/// ln P(Z > z) for a standard normal Z, accurate far into the upper tail.
double log_normal_survival(double z) {
    const double q = 0.5 * boost::math::erfc(z / std::sqrt(2.0));
    if (q > 0) return std::log(q);
    // Mills' ratio: P(Z > z) ≈ φ(z)/z for large z.
    return -0.5 * z * z - half_log_2pi - std::log(z);
}

}  // namespace

void natural_parameters(Family family, const Theta& theta, double& p1, double& p2) {
    switch (family) {
        case Family::exponential:
            p1 = std::exp(theta[0]);
            p2 = 0;
            return;
        case Family::gamma:
        case Family::weibull:
            p1 = std::exp(theta[0]);
            p2 = std::exp(theta[1]);
            return;
        case Family::lognormal:
            p1 = theta[0];
            p2 = std::exp(theta[1]);
            return;
    }
}

Theta theta_of(Family family, double p1, double p2) {
    switch (family) {
        case Family::exponential:
            return {std::log(p1)};
        case Family::gamma:
        case Family::weibull:
            return {std::log(p1), std::log(p2)};
        case Family::lognormal:
            return {p1, std::log(p2)};
    }
    return {};
}

double log_likelihood(Family family, const Theta& theta, const Sample& sample) {
    double p1 = 0, p2 = 0;
    natural_parameters(family, theta, p1, p2);
    if (!std::isfinite(p1) || !std::isfinite(p2) || (p1 <= 0 && family != Family::lognormal)) return -INFINITY;
    double sum = 0;
    switch (family) {
        case Family::exponential: {
            for (double x : sample.events) sum += -std::log(p1) - x / p1;
            for (double c : sample.censored) sum -= c / p1;
            break;
        }
        case Family::gamma: {
            const double k = p1, scale = p2;
            const double constant = -boost::math::lgamma(k) - k * std::log(scale);
            for (double x : sample.events) sum += constant + (k - 1) * std::log(x) - x / scale;
            for (double c : sample.censored) {
                const double q = boost::math::gamma_q(k, c / scale);
                sum += q > 0 ? std::log(q) : -INFINITY;
            }
            break;
        }
        case Family::lognormal: {
            const double mu = p1, sigma = p2;
            for (double x : sample.events) {
                const double lx = std::log(x);
                const double z = (lx - mu) / sigma;
                sum += -lx - std::log(sigma) - half_log_2pi - 0.5 * z * z;
            }
            for (double c : sample.censored) sum += log_normal_survival((std::log(c) - mu) / sigma);
            break;
        }
        case Family::weibull: {
            const double k = p1, scale = p2;
            for (double x : sample.events) {
                const double lz = std::log(x / scale);
                sum += std::log(k / scale) + (k - 1) * lz - std::exp(k * lz);
            }
            for (double c : sample.censored) sum -= std::pow(c / scale, k);
            break;
        }
    }
    return std::isnan(sum) ? -INFINITY : sum;
}

double family_mean(Family family, const Theta& theta) {
    double p1 = 0, p2 = 0;
    natural_parameters(family, theta, p1, p2);
    switch (family) {
        case Family::exponential:
            return p1;
        case Family::gamma:
            return p1 * p2;
        case Family::lognormal:
            return std::exp(p1 + 0.5 * p2 * p2);
        case Family::weibull:
            return p2 * std::exp(boost::math::lgamma(1 + 1 / p1));
    }
    return nan;
}

double family_sd(Family family, const Theta& theta) {
    double p1 = 0, p2 = 0;
    natural_parameters(family, theta, p1, p2);
    switch (family) {
        case Family::exponential:
            return p1;
        case Family::gamma:
            return std::sqrt(p1) * p2;
        case Family::lognormal:
            return family_mean(family, theta) * std::sqrt(std::expm1(p2 * p2));
        case Family::weibull: {
            const double g1 = std::exp(boost::math::lgamma(1 + 1 / p1));
            const double g2 = std::exp(boost::math::lgamma(1 + 2 / p1));
            return p2 * std::sqrt(std::max(0.0, g2 - g1 * g1));
        }
    }
    return nan;
}

Theta maximise(const std::function<double(const Theta&)>& f, Theta start, double step) {
    const std::size_t n = start.size();
    std::vector<Theta> simplex(n + 1, start);
    for (std::size_t i = 0; i < n; ++i) simplex[i + 1][i] += step;
    std::vector<double> value(n + 1);
    for (std::size_t i = 0; i <= n; ++i) value[i] = f(simplex[i]);
    std::vector<std::size_t> order(n + 1);
    for (int iteration = 0; iteration < 5000; ++iteration) {
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return value[a] > value[b]; });
        const std::size_t best = order.front(), worst = order.back(), second = order[n - 1];
        double spread = 0;
        for (std::size_t i = 0; i <= n; ++i)
            for (std::size_t j = 0; j < n; ++j) spread = std::max(spread, std::abs(simplex[i][j] - simplex[best][j]));
        if (spread < 1e-10 && std::abs(value[best] - value[worst]) <= 1e-12 * (1 + std::abs(value[best]))) break;
        Theta centre(n, 0.0);
        for (std::size_t i = 0; i <= n; ++i)
            if (i != worst)
                for (std::size_t j = 0; j < n; ++j) centre[j] += simplex[i][j] / static_cast<double>(n);
        auto along = [&](double t) {
            Theta p(n);
            for (std::size_t j = 0; j < n; ++j) p[j] = centre[j] + t * (simplex[worst][j] - centre[j]);
            return p;
        };
        const Theta reflected = along(-1);
        const double f_reflected = f(reflected);
        if (f_reflected > value[best]) {
            const Theta expanded = along(-2);
            const double f_expanded = f(expanded);
            if (f_expanded > f_reflected) {
                simplex[worst] = expanded;
                value[worst] = f_expanded;
            } else {
                simplex[worst] = reflected;
                value[worst] = f_reflected;
            }
            continue;
        }
        if (f_reflected > value[second]) {
            simplex[worst] = reflected;
            value[worst] = f_reflected;
            continue;
        }
        const Theta contracted = f_reflected > value[worst] ? along(-0.5) : along(0.5);
        const double f_contracted = f(contracted);
        if (f_contracted > std::max(value[worst], f_reflected)) {
            simplex[worst] = contracted;
            value[worst] = f_contracted;
            continue;
        }
        for (std::size_t i = 0; i <= n; ++i) {
            if (i == best) continue;
            for (std::size_t j = 0; j < n; ++j)
                simplex[i][j] = simplex[best][j] + 0.5 * (simplex[i][j] - simplex[best][j]);
            value[i] = f(simplex[i]);
        }
    }
    const auto best = std::max_element(value.begin(), value.end()) - value.begin();
    return simplex[static_cast<std::size_t>(best)];
}

FamilyFit describe_fit(Family family, const Theta& theta, const Sample& sample) {
    FamilyFit fit;
    fit.family = family;
    const std::size_t n = theta.size();
    fit.parameters = static_cast<int>(n);
    natural_parameters(family, theta, fit.p1, fit.p2);
    fit.log_likelihood = log_likelihood(family, theta, sample);
    fit.aic = 2.0 * static_cast<double>(n) - 2.0 * fit.log_likelihood;
    fit.mean = family_mean(family, theta);
    fit.sd = family_sd(family, theta);
    if (!std::isfinite(fit.log_likelihood)) return fit;

    // Observed information: minus the Hessian of the log-likelihood at the maximum, by central
    // differences in theta (where the likelihood is close to quadratic).
    auto ll = [&](const Theta& t) { return log_likelihood(family, t, sample); };
    const double h = 1e-4;
    Eigen::MatrixXd information(n, n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i; j < n; ++j) {
            auto at = [&](double di, double dj) {
                Theta t = theta;
                t[i] += di;
                t[j] += dj;
                return ll(t);
            };
            const double second = i == j ? (at(h, 0) - 2 * fit.log_likelihood + at(-h, 0)) / (h * h)
                                         : (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
            information(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = -second;
            information(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = -second;
        }
    }
    const Eigen::LLT<Eigen::MatrixXd> llt(information);
    if (llt.info() != Eigen::Success) return fit;
    const Eigen::MatrixXd covariance =
        llt.solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)));

    // Delta method: gradients of the natural parameters and of the mean with respect to theta.
    auto gradient = [&](auto g) {
        Eigen::VectorXd d(static_cast<Eigen::Index>(n));
        for (std::size_t i = 0; i < n; ++i) {
            Theta up = theta, down = theta;
            up[i] += h;
            down[i] -= h;
            d(static_cast<Eigen::Index>(i)) = (g(up) - g(down)) / (2 * h);
        }
        return d;
    };
    auto se_of = [&](auto g) {
        const Eigen::VectorXd d = gradient(g);
        return std::sqrt(std::max(0.0, d.dot(covariance * d)));
    };
    fit.p1_se = se_of([&](const Theta& t) {
        double a = 0, b = 0;
        natural_parameters(family, t, a, b);
        return a;
    });
    if (n > 1)
        fit.p2_se = se_of([&](const Theta& t) {
            double a = 0, b = 0;
            natural_parameters(family, t, a, b);
            return b;
        });
    fit.mean_se = se_of([&](const Theta& t) { return family_mean(family, t); });
    fit.ok = std::isfinite(fit.mean) && std::isfinite(fit.mean_se);
    return fit;
}

}  // namespace detail
}  // namespace crsim::fit
