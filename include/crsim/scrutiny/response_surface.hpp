#pragma once
/// \file
/// A quadratic response surface: many simulated figures as smooth functions of a few parameters
/// (scaled to [0, 1]), fitted by least squares to a central composite design of simulated points.
/// `crsim calibrate` fits the reported weeks on it, and re-fits every bootstrap history on the same
/// surface without simulating again.

#include <Eigen/Dense>
#include <vector>

namespace crsim::scrutiny {

/// The points of a central composite design around `centre` inside [0, 1]^d: the centre, the 2d
/// axis points at ± `half_width` and the 2^d corners. A box that would leave [0, 1] is moved
/// inside it (its width kept), so every point is simulable.
std::vector<Eigen::VectorXd> central_composite_design(Eigen::VectorXd centre, double half_width);

/// Each figure as a full quadratic in the parameters: 1, u_j, u_j u_k (j <= k).
class QuadraticSurface {
public:
    /// Least-squares fit to `values` (one row per point of `points`, one column per figure).
    QuadraticSurface(const std::vector<Eigen::VectorXd>& points, const Eigen::MatrixXd& values);

    /// Every figure at `u`.
    Eigen::VectorXd at(const Eigen::VectorXd& u) const;
    /// d(figure)/du: one row per figure.
    Eigen::MatrixXd jacobian(const Eigen::VectorXd& u) const;

private:
    Eigen::VectorXd terms(const Eigen::VectorXd& u) const;
    Eigen::MatrixXd term_jacobian(const Eigen::VectorXd& u) const;  // d(terms)/du
    Eigen::Index dims_;
    Eigen::MatrixXd coefficients_;  // one row per term, one column per figure
};

/// The u in the box [lower, upper] that minimises sum_i ((observed_i - q_i(u)) / scale_i)^2 on
/// `surface`: projected Gauss–Newton with Levenberg damping from `start`.
Eigen::VectorXd fit_on_surface(const QuadraticSurface& surface, const Eigen::VectorXd& observed,
                               const Eigen::VectorXd& scale, Eigen::VectorXd start, const Eigen::VectorXd& lower,
                               const Eigen::VectorXd& upper);

/// The objective above at `u`.
double surface_objective(const QuadraticSurface& surface, const Eigen::VectorXd& observed, const Eigen::VectorXd& scale,
                         const Eigen::VectorXd& u);

}  // namespace crsim::scrutiny
