#include "crsim/staffing/covering_program.hpp"

#include <coin/Cbc_C_Interface.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace crsim::staffing {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

struct CbcDeleter {
    void operator()(Cbc_Model* model) const { Cbc_deleteModel(model); }
};

void check(const CoveringProgram& program) {
    for (std::size_t j = 0; j < program.columns.size(); ++j) {
        const CoveringColumn& c = program.columns[j];
        const std::string where = "covering program: column " + std::to_string(j);
        if (c.lower < 0 || c.upper < c.lower)
            throw std::invalid_argument(where + ": bounds must be 0 <= lower <= upper");
        if (c.rows.size() != c.coefficients.size())
            throw std::invalid_argument(where + ": as many coefficients as rows expected");
        if (!std::isfinite(c.cost)) throw std::invalid_argument(where + ": the cost must be finite");
        for (std::size_t k = 0; k < c.rows.size(); ++k) {
            if (c.rows[k] >= program.requirements.size())
                throw std::invalid_argument(where + ": row index out of range");
            if (k > 0 && c.rows[k] <= c.rows[k - 1]) throw std::invalid_argument(where + ": rows must ascend");
        }
    }
}

}  // namespace

CoveringSolution solve_covering(const CoveringProgram& program, double time_limit_s, bool relax_integrality) {
    check(program);
    const int n_columns = static_cast<int>(program.columns.size());
    const int n_rows = static_cast<int>(program.requirements.size());

    // Compressed sparse columns, as Cbc_loadProblem takes them.
    std::vector<CoinBigIndex> start{0};
    std::vector<int> index;
    std::vector<double> value, column_lower, column_upper, objective;
    for (const CoveringColumn& c : program.columns) {
        for (std::size_t k = 0; k < c.rows.size(); ++k) {
            if (c.coefficients[k] == 0) continue;
            index.push_back(static_cast<int>(c.rows[k]));
            value.push_back(c.coefficients[k]);
        }
        start.push_back(static_cast<CoinBigIndex>(index.size()));
        column_lower.push_back(c.lower);
        column_upper.push_back(c.upper);
        objective.push_back(c.cost);
    }
    std::vector<double> row_lower(program.requirements), row_upper(program.requirements.size(), infinity);
    for (double& r : row_lower)
        if (r <= 0) r = -infinity;  // always met: no constraint

    std::unique_ptr<Cbc_Model, CbcDeleter> model(Cbc_newModel());
    Cbc_loadProblem(model.get(), n_columns, n_rows, start.data(), index.data(), value.data(), column_lower.data(),
                    column_upper.data(), objective.data(), row_lower.data(), row_upper.data());
    Cbc_setObjSense(model.get(), 1);
    if (!relax_integrality)
        for (int j = 0; j < n_columns; ++j) Cbc_setInteger(model.get(), j);
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setParameter(model.get(), "log", "0");
    Cbc_setParameter(model.get(), "slog", "0");
    Cbc_setMaximumSeconds(model.get(), time_limit_s);
    // A covering program's costs are often whole currency units per hour times whole hours: stop only
    // at proven optimality, not within CBC's default relative gap.
    Cbc_setAllowableGap(model.get(), 1e-7);
    Cbc_setAllowableFractionGap(model.get(), 1e-9);
    Cbc_solve(model.get());

    CoveringSolution solution;
    if (Cbc_isProvenInfeasible(model.get())) {
        solution.status = CoveringSolution::Status::infeasible;
        return solution;
    }
    const double* x = Cbc_getColSolution(model.get());
    const bool has_solution =
        x != nullptr && (Cbc_isProvenOptimal(model.get()) || Cbc_bestSolution(model.get()) != nullptr);
    if (!has_solution || n_columns == 0) {
        if (n_columns == 0) {
            // Nothing to choose: optimal at cost 0 exactly when every requirement is already met.
            bool met = true;
            for (const double r : program.requirements) met = met && r <= 0;
            solution.status = met ? CoveringSolution::Status::optimal : CoveringSolution::Status::infeasible;
        }
        return solution;
    }
    solution.status =
        Cbc_isProvenOptimal(model.get()) ? CoveringSolution::Status::optimal : CoveringSolution::Status::feasible;
    for (int j = 0; j < n_columns; ++j) {
        // Integer columns come back as doubles within CBC's integrality tolerance; a relaxation's
        // values are rounded up so that the headcounts still cover every row.
        const double v = relax_integrality ? std::ceil(x[j] - 1e-6) : std::round(x[j]);
        solution.headcounts.push_back(static_cast<int>(v));
        solution.cost += v * program.columns[static_cast<std::size_t>(j)].cost;
    }
    if (relax_integrality) solution.cost = Cbc_getObjValue(model.get());
    solution.lower_bound = solution.status == CoveringSolution::Status::optimal
                               ? Cbc_getObjValue(model.get())
                               : Cbc_getBestPossibleObjValue(model.get());
    return solution;
}

std::string to_string(CoveringSolution::Status status) {
    switch (status) {
        case CoveringSolution::Status::optimal:
            return "optimal";
        case CoveringSolution::Status::feasible:
            return "feasible";
        case CoveringSolution::Status::infeasible:
            return "infeasible";
        case CoveringSolution::Status::unknown:
            break;
    }
    return "unknown";
}

}  // namespace crsim::staffing
