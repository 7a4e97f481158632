#pragma once
// The stationary distribution of a finite continuous-time Markov chain, shared by the chains of
// ctmc.cpp and callback_ctmc.cpp.

#include <Eigen/SparseCore>
#include <vector>

namespace crsim::analytic {

/// Solves pi Q = 0, sum pi = 1 given Q^T as triplets (duplicates summed).
///
/// One state's probability is pinned to 1 and its balance equation dropped: Q^T restricted to the other
/// states is nonsingular for an irreducible chain. (Replacing an equation by the normalisation would add
/// a dense row, which ruins a sparse factorisation.) Small chains use SparseLU. Larger ones are
/// three-dimensional grids in effect (busy mix x two queue lengths), where LU fill-in grows like n^2
/// in work, so they use BiCGSTAB with an incomplete-LU preconditioner, falling back to SparseLU if
/// it does not converge; the caller checks the residual of the result either way.
/// Returns pi with pi[pinned] = 1 (not normalised); throws std::runtime_error when the solve fails.
Eigen::VectorXd stationary(const std::vector<Eigen::Triplet<double>>& generator_t, int n, int pinned);

}  // namespace crsim::analytic
