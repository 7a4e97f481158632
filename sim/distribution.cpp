#include "crsim/sim/distribution.hpp"

#include <algorithm>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "crsim/sim/unit_exponential.hpp"

namespace crsim::sim {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

std::string fmt(double x) {
    std::ostringstream os;
    os.precision(6);
    os << x;
    return os.str();
}

void require_positive(const char* dist, const char* name, double value) {
    if (!(std::isfinite(value) && value > 0.0)) {
        throw std::invalid_argument(std::string(dist) + ": " + name + " must be positive and finite, got " +
                                    fmt(value));
    }
}

void require_finite(const char* dist, const char* name, double value) {
    if (!std::isfinite(value)) {
        throw std::invalid_argument(std::string(dist) + ": " + name + " must be finite, got " + fmt(value));
    }
}

}  // namespace

Distribution Distribution::exponential(double mean) {
    require_positive("exponential", "mean", mean);
    return Distribution(Exponential{mean});
}

Distribution Distribution::lognormal(double mean, double sd) {
    require_positive("lognormal", "mean", mean);
    require_positive("lognormal", "sd (use deterministic for a constant)", sd);
    const double cv = sd / mean;
    const double sigma2 = std::log1p(cv * cv);
    if (!std::isfinite(sigma2)) {
        throw std::invalid_argument("lognormal: sd (" + fmt(sd) + ") is too large for the mean (" + fmt(mean) + ")");
    }
    return Distribution(Lognormal{mean, sd, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)});
}

Distribution Distribution::gamma(double mean, double sd) {
    require_positive("gamma", "mean", mean);
    require_positive("gamma", "sd (use deterministic for a constant)", sd);
    const double cv = sd / mean;
    // Below this the shape (1/cv^2) is beyond what the sampler handles in finite time and the
    // draws are a constant anyway.
    constexpr double min_cv = 1e-6;
    if (cv < min_cv) {
        throw std::invalid_argument("gamma: sd (" + fmt(sd) + ") must be at least " + fmt(min_cv) +
                                    " times the mean (" + fmt(mean) + "); use deterministic for a constant");
    }
    return Distribution(Gamma{1.0 / (cv * cv), sd * cv, true});
}

Distribution Distribution::gamma_shape_scale(double shape, double scale) {
    require_positive("gamma", "shape", shape);
    require_positive("gamma", "scale", scale);
    return Distribution(Gamma{shape, scale, false});
}

Distribution Distribution::weibull(double shape, double scale) {
    require_positive("weibull", "shape", shape);
    require_positive("weibull", "scale", scale);
    return Distribution(Weibull{shape, scale});
}

Distribution Distribution::uniform(double low, double high) {
    require_finite("uniform", "low", low);
    require_finite("uniform", "high", high);
    if (low > high) {
        throw std::invalid_argument("uniform: low (" + fmt(low) + ") must not exceed high (" + fmt(high) + ")");
    }
    return Distribution(Uniform{low, high});
}

Distribution Distribution::deterministic(double value) {
    require_finite("deterministic", "value", value);
    return Distribution(Deterministic{value});
}

Distribution Distribution::empirical(std::vector<double> observations) {
    if (observations.empty()) {
        throw std::invalid_argument("empirical: the list of observations must not be empty");
    }
    for (const double x : observations) {
        require_finite("empirical", "every observation", x);
    }
    const auto n = static_cast<double>(observations.size());
    const double mean = std::accumulate(observations.begin(), observations.end(), 0.0) / n;
    double ss = 0.0;
    for (const double x : observations) {
        ss += (x - mean) * (x - mean);
    }
    auto values = std::make_shared<const std::vector<double>>(std::move(observations));
    return Distribution(Empirical{std::move(values), mean, std::sqrt(ss / n)});
}

// Boost's distribution objects are built per draw: they only hold parameters, so this costs
// nothing, and unlike keeping them as members it needs no `mutable` (several of their
// operator()s are non-const) and keeps a shared Distribution free of writes.
template <class A>
double Distribution::draw(const Variant& v, Engine& engine) {
    // The constructor bound this to the alternative v holds: saying so spares the check of get_if.
    if (!std::holds_alternative<A>(v)) __builtin_unreachable();
    const A& d = *std::get_if<A>(&v);
    if constexpr (std::is_same_v<A, Exponential>) {
        return d.mean * unit_exponential(engine);
    } else if constexpr (std::is_same_v<A, Lognormal>) {
        return boost::random::lognormal_distribution<double>(d.mu, d.sigma)(engine);
    } else if constexpr (std::is_same_v<A, Gamma>) {
        return boost::random::gamma_distribution<double>(d.shape, d.scale)(engine);
    } else if constexpr (std::is_same_v<A, Weibull>) {
        return boost::random::weibull_distribution<double>(d.shape, d.scale)(engine);
    } else if constexpr (std::is_same_v<A, Uniform>) {
        // Boost's uniform_real requires low < high (it would loop forever on equality).
        return d.low < d.high ? boost::random::uniform_real_distribution<double>(d.low, d.high)(engine) : d.low;
    } else if constexpr (std::is_same_v<A, Deterministic>) {
        return d.value;
    } else {
        static_assert(std::is_same_v<A, Empirical>);
        const auto& values = *d.values;
        return values[boost::random::uniform_int_distribution<std::size_t>(0, values.size() - 1)(engine)];
    }
}

double Distribution::mean() const {
    return std::visit(Overloaded{
                          [](const Exponential& d) { return d.mean; },
                          [](const Lognormal& d) { return d.mean; },
                          [](const Gamma& d) { return d.shape * d.scale; },
                          [](const Weibull& d) { return d.scale * std::tgamma(1.0 + 1.0 / d.shape); },
                          [](const Uniform& d) { return 0.5 * (d.low + d.high); },
                          [](const Deterministic& d) { return d.value; },
                          [](const Empirical& d) { return d.mean; },
                      },
                      v_);
}

double Distribution::sd() const {
    return std::visit(Overloaded{
                          [](const Exponential& d) { return d.mean; },
                          [](const Lognormal& d) { return d.sd; },
                          [](const Gamma& d) { return std::sqrt(d.shape) * d.scale; },
                          [](const Weibull& d) {
                              const double g1 = std::tgamma(1.0 + 1.0 / d.shape);
                              const double g2 = std::tgamma(1.0 + 2.0 / d.shape);
                              return d.scale * std::sqrt(std::max(0.0, g2 - g1 * g1));
                          },
                          [](const Uniform& d) { return (d.high - d.low) / std::sqrt(12.0); },
                          [](const Deterministic&) { return 0.0; },
                          [](const Empirical& d) { return d.sd; },
                      },
                      v_);
}

Distribution Distribution::scaled(double factor) const {
    require_positive("scaled", "factor", factor);
    return std::visit(Overloaded{
                          [&](const Exponential& d) { return exponential(d.mean * factor); },
                          [&](const Lognormal& d) { return lognormal(d.mean * factor, d.sd * factor); },
                          [&](const Gamma& d) {
                              return Distribution(Gamma{d.shape, d.scale * factor, d.by_moments});
                          },
                          [&](const Weibull& d) { return weibull(d.shape, d.scale * factor); },
                          [&](const Uniform& d) { return uniform(d.low * factor, d.high * factor); },
                          [&](const Deterministic& d) { return deterministic(d.value * factor); },
                          [&](const Empirical& d) {
                              std::vector<double> v = *d.values;
                              for (double& x : v) {
                                  x *= factor;
                              }
                              return empirical(std::move(v));
                          },
                      },
                      v_);
}

std::string Distribution::describe() const {
    return std::visit(
        Overloaded{
            [](const Exponential& d) { return "exponential(mean=" + fmt(d.mean) + ")"; },
            [](const Lognormal& d) { return "lognormal(mean=" + fmt(d.mean) + ", sd=" + fmt(d.sd) + ")"; },
            [](const Gamma& d) {
                return d.by_moments
                           ? "gamma(mean=" + fmt(d.shape * d.scale) + ", sd=" + fmt(std::sqrt(d.shape) * d.scale) + ")"
                           : "gamma(shape=" + fmt(d.shape) + ", scale=" + fmt(d.scale) + ")";
            },
            [](const Weibull& d) { return "weibull(shape=" + fmt(d.shape) + ", scale=" + fmt(d.scale) + ")"; },
            [](const Uniform& d) { return "uniform(low=" + fmt(d.low) + ", high=" + fmt(d.high) + ")"; },
            [](const Deterministic& d) { return "deterministic(" + fmt(d.value) + ")"; },
            [](const Empirical& d) {
                return "empirical(n=" + std::to_string(d.values->size()) + ", mean=" + fmt(d.mean) +
                       ", sd=" + fmt(d.sd) + ")";
            },
        },
        v_);
}

}  // namespace crsim::sim
