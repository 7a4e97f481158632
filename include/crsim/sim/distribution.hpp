#pragma once
/// \file
/// Probability distributions for durations and other continuous quantities, sampled from a stream.

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "crsim/sim/random_stream.hpp"
#include "crsim/sim/unit_exponential.hpp"

namespace crsim::sim {

/// A continuous distribution held by value: cheap to copy, const to sample, safe to share.
///
/// Sampling uses Boost.Random only, so a seed gives the same numbers with every standard
/// library. Invalid parameters throw std::invalid_argument naming the distribution.
class Distribution {
public:
    /// Exponential with the given mean (> 0).
    static Distribution exponential(double mean);

    /// Lognormal given the mean (> 0) and sd (> 0) of the variable itself, not of its logarithm.
    static Distribution lognormal(double mean, double sd);

    /// Gamma given its mean (> 0) and sd (> 0): shape = (mean/sd)^2, scale = sd^2/mean.
    static Distribution gamma(double mean, double sd);

    /// Gamma given its shape (> 0) and scale (> 0).
    static Distribution gamma_shape_scale(double shape, double scale);

    /// Weibull with the given shape (> 0) and scale (> 0).
    static Distribution weibull(double shape, double scale);

    /// Uniform on [low, high); low == high gives the constant low.
    static Distribution uniform(double low, double high);

    /// Always `value`.
    static Distribution deterministic(double value);

    /// Draws one of `observations` (non-empty, finite) with equal probability each, so repeated
    /// values are proportionally likelier; mean() and sd() are those of the list (sd with divisor n).
    static Distribution empirical(std::vector<double> observations);

    /// One draw, using `engine`.
    double sample(Engine& engine) const {
        // A call's durations are mostly exponential or constant: those two are drawn here, inline,
        // for a byte compare instead of a call; the other families jump to the bound sampler.
        if (const auto* e = std::get_if<Exponential>(&v_)) return e->mean * unit_exponential(engine);
        if (const auto* d = std::get_if<Deterministic>(&v_)) return d->value;
        return draw_(v_, engine);
    }

    /// The theoretical mean.
    double mean() const;

    /// The theoretical standard deviation.
    double sd() const;

    /// The distribution of `factor` times this variable (factor > 0); mean and sd scale by factor.
    Distribution scaled(double factor) const;

    /// A short description such as "lognormal(mean=300, sd=180)".
    std::string describe() const;

private:
    struct Exponential {
        double mean;
    };
    struct Lognormal {
        double mean, sd, mu, sigma;
    };
    struct Gamma {
        double shape, scale;
        bool by_moments;
    };
    struct Weibull {
        double shape, scale;
    };
    struct Uniform {
        double low, high;
    };
    struct Deterministic {
        double value;
    };
    // Shared and immutable, so copying a Distribution never copies the observations.
    struct Empirical {
        std::shared_ptr<const std::vector<double>> values;
        double mean = 0, sd = 0;
    };
    using Variant = std::variant<Exponential, Lognormal, Gamma, Weibull, Uniform, Deterministic, Empirical>;

    // Draws from the alternative A of a variant that holds A.
    template <class A>
    static double draw(const Variant& v, Engine& engine);

    // Each alternative is built in place: moving a whole variant in makes GCC 12 with the
    // sanitizers warn (falsely) that the Empirical alternative may be used uninitialized.
    // The sampling code is bound here, once: a draw is then one direct jump to it, where a
    // std::visit would test the alternative again at every draw of every call.
    template <class Alternative>
    explicit Distribution(Alternative a)
        : v_(std::in_place_type<Alternative>, std::move(a)), draw_(&draw<Alternative>) {}

    Variant v_;
    double (*draw_)(const Variant&, Engine&);  // draw<the alternative v_ holds>
};

}  // namespace crsim::sim
