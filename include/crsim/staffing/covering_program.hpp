#pragma once
/// \file
/// A covering integer program: choose integer headcounts x_j in [lower_j, upper_j] at least cost
/// such that every row i is covered, sum_j a_ij x_j >= requirement_i. Solved by COIN-OR CBC; this
/// header is the whole interface, so the solver could be swapped without touching its callers.

#include <cstddef>
#include <string>
#include <vector>

namespace crsim::staffing {

/// One decision variable (a roster line's headcount) and the rows it covers.
struct CoveringColumn {
    double cost = 0;                   ///< cost of one unit (one person on the line)
    int lower = 0;                     ///< least headcount allowed
    int upper = 0;                     ///< most headcount allowed (>= lower)
    std::vector<std::size_t> rows;     ///< rows this column covers, ascending
    std::vector<double> coefficients;  ///< coverage of each of those rows per unit (> 0)
};

/// min sum cost_j x_j subject to sum_j a_ij x_j >= requirement_i, x integer within its bounds.
struct CoveringProgram {
    std::vector<CoveringColumn> columns;
    std::vector<double> requirements;  ///< per row; rows with a requirement <= 0 are always met
};

/// What the solver found.
struct CoveringSolution {
    enum class Status {
        optimal,     ///< proven optimal (within CBC's integrality tolerance)
        feasible,    ///< a feasible solution, not proven optimal within the time limit
        infeasible,  ///< no headcounts within the bounds cover every row
        unknown,     ///< nothing found within the time limit
    };
    Status status = Status::unknown;
    std::vector<int> headcounts;  ///< per column; empty unless optimal or feasible
    double cost = 0;              ///< of headcounts
    double lower_bound = 0;       ///< no integer solution costs less than this (CBC's best bound)
};

/// Solves `program` with CBC. With `relax_integrality`, solves the linear relaxation instead
/// (headcounts are then rounded up and `cost` is the relaxation's value). Throws
/// std::invalid_argument for a malformed program (bounds, sizes, row indices).
CoveringSolution solve_covering(const CoveringProgram& program, double time_limit_s = 60,
                                bool relax_integrality = false);

/// "optimal", "feasible", "infeasible" or "unknown".
std::string to_string(CoveringSolution::Status status);

}  // namespace crsim::staffing
