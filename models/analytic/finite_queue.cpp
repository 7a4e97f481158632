#include "crsim/analytic/finite_queue.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace crsim::analytic {

FiniteQueue::FiniteQueue(double offered_load_erlangs, int agents, int capacity) {
    const double a = offered_load_erlangs;
    if (!(a >= 0 && std::isfinite(a))) throw std::invalid_argument("offered load must be finite and >= 0");
    if (agents < 1 || capacity < agents || capacity > 1'000'000)
        throw std::invalid_argument("need 1 <= agents <= capacity <= 1000000");
    if (a == 0) return;  // the system is always empty
    // Unnormalised log p_n by the birth-death recursion, then normalised with the largest term
    // factored out: no overflow for hundreds of Erlangs, and every term is positive.
    std::vector<double> log_p(static_cast<std::size_t>(capacity) + 1);
    log_p[0] = 0;
    for (int n = 1; n <= capacity; ++n)
        log_p[static_cast<std::size_t>(n)] = log_p[static_cast<std::size_t>(n) - 1] + std::log(a / std::min(n, agents));
    const double top = *std::max_element(log_p.begin(), log_p.end());
    double total = 0, waiting = 0, queue = 0;
    for (int n = 0; n <= capacity; ++n) {
        const double p = std::exp(log_p[static_cast<std::size_t>(n)] - top);
        total += p;
        if (n >= agents && n < capacity) waiting += p;
        queue += p * std::max(0, n - agents);
    }
    p_blocked_ = std::exp(log_p.back() - top) / total;
    p_wait_ = waiting / total;
    mean_queue_ = queue / total;
}

}  // namespace crsim::analytic
