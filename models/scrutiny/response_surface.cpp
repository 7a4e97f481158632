#include "crsim/scrutiny/response_surface.hpp"

#include <algorithm>

namespace crsim::scrutiny {

std::vector<Eigen::VectorXd> central_composite_design(Eigen::VectorXd centre, double half_width) {
    const Eigen::Index d = centre.size();
    for (Eigen::Index j = 0; j < d; ++j) centre[j] = std::clamp(centre[j], half_width, 1.0 - half_width);
    std::vector<Eigen::VectorXd> points{centre};
    for (Eigen::Index j = 0; j < d; ++j)
        for (double sign : {-1.0, 1.0}) {
            Eigen::VectorXd p = centre;
            p[j] += sign * half_width;
            points.push_back(p);
        }
    // With one parameter the corners are the axis points.
    if (d >= 2)
        for (unsigned corner = 0; corner < (1u << d); ++corner) {
            Eigen::VectorXd p = centre;
            for (Eigen::Index j = 0; j < d; ++j) p[j] += (corner >> j & 1u) ? half_width : -half_width;
            points.push_back(p);
        }
    return points;
}

QuadraticSurface::QuadraticSurface(const std::vector<Eigen::VectorXd>& points, const Eigen::MatrixXd& values)
    : dims_(points.front().size()) {
    Eigen::MatrixXd X(static_cast<Eigen::Index>(points.size()), terms(points.front()).size());
    for (std::size_t i = 0; i < points.size(); ++i) X.row(static_cast<Eigen::Index>(i)) = terms(points[i]);
    coefficients_ = X.colPivHouseholderQr().solve(values);
}

Eigen::VectorXd QuadraticSurface::terms(const Eigen::VectorXd& u) const {
    const Eigen::Index d = u.size();
    Eigen::VectorXd t(1 + d + d * (d + 1) / 2);
    Eigen::Index k = 0;
    t[k++] = 1;
    for (Eigen::Index j = 0; j < d; ++j) t[k++] = u[j];
    for (Eigen::Index j = 0; j < d; ++j)
        for (Eigen::Index l = j; l < d; ++l) t[k++] = u[j] * u[l];
    return t;
}

Eigen::MatrixXd QuadraticSurface::term_jacobian(const Eigen::VectorXd& u) const {
    const Eigen::Index d = dims_;
    Eigen::MatrixXd t = Eigen::MatrixXd::Zero(1 + d + d * (d + 1) / 2, d);
    Eigen::Index k = 1;
    for (Eigen::Index j = 0; j < d; ++j) t(k++, j) = 1;
    for (Eigen::Index j = 0; j < d; ++j)
        for (Eigen::Index l = j; l < d; ++l) {
            t(k, j) += u[l];
            t(k, l) += u[j];
            ++k;
        }
    return t;
}

Eigen::VectorXd QuadraticSurface::at(const Eigen::VectorXd& u) const { return coefficients_.transpose() * terms(u); }

Eigen::MatrixXd QuadraticSurface::jacobian(const Eigen::VectorXd& u) const {
    return coefficients_.transpose() * term_jacobian(u);
}

double surface_objective(const QuadraticSurface& surface, const Eigen::VectorXd& observed, const Eigen::VectorXd& scale,
                         const Eigen::VectorXd& u) {
    return ((observed - surface.at(u)).array() / scale.array()).square().sum();
}

Eigen::VectorXd fit_on_surface(const QuadraticSurface& surface, const Eigen::VectorXd& observed,
                               const Eigen::VectorXd& scale, Eigen::VectorXd start, const Eigen::VectorXd& lower,
                               const Eigen::VectorXd& upper) {
    Eigen::VectorXd u = start.cwiseMax(lower).cwiseMin(upper);
    double objective = surface_objective(surface, observed, scale, u);
    double damping = 1e-3;
    for (int iteration = 0; iteration < 200; ++iteration) {
        const Eigen::VectorXd r = (observed - surface.at(u)).array() / scale.array();
        const Eigen::MatrixXd J = surface.jacobian(u).array().colwise() / scale.array();
        const Eigen::MatrixXd A = J.transpose() * J;
        const Eigen::VectorXd g = J.transpose() * r;
        bool accepted = false;
        while (damping < 1e10) {
            Eigen::MatrixXd damped = A;
            damped.diagonal() += damping * A.diagonal() + Eigen::VectorXd::Constant(A.rows(), 1e-12);
            const Eigen::VectorXd next = (u + damped.ldlt().solve(g)).cwiseMax(lower).cwiseMin(upper);
            const double next_objective = surface_objective(surface, observed, scale, next);
            if (next.allFinite() && next_objective < objective) {
                const double moved = (next - u).lpNorm<Eigen::Infinity>();
                u = next;
                objective = next_objective;
                damping = std::max(damping / 3, 1e-9);
                accepted = moved > 1e-10;
                break;
            }
            damping *= 4;
        }
        if (!accepted) break;
    }
    return u;
}

}  // namespace crsim::scrutiny
