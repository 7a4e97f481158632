#include "crsim/fit/session_gap_choice.hpp"

#include <cmath>
#include <limits>

#include "crsim/analytic/erlang.hpp"

namespace crsim::fit {

double erlang_a_abandoned(double offered, double interval_s, double handle_mean_s, double patience_mean_s,
                          double agents) {
    if (offered <= 0) return 0;
    if (agents <= 0) return offered;
    analytic::ErlangDemand demand;
    demand.arrivals_per_hour = offered * 3600 / interval_s;
    demand.handle_mean_s = handle_mean_s;
    demand.patience_mean_s = patience_mean_s;
    auto at = [&](int n) { return n <= 0 ? 1.0 : analytic::ErlangQueue(demand, n).p_abandon(); };
    const double below = std::floor(agents);
    const double share = agents - below;
    const int n = static_cast<int>(below);
    const double p = share > 0 ? (1 - share) * at(n) + share * at(n + 1) : at(n);
    return offered * p;
}

GapChoice choose_session_gap(const std::vector<std::vector<IntervalObservation>>& observed, double interval_s,
                             double patience_mean_s,
                             const std::function<std::vector<std::vector<double>>(double gap_s)>& on_duty) {
    GapChoice choice;
    double best = std::numeric_limits<double>::infinity();
    for (const double gap : session_gap_candidates_s) {
        const std::vector<std::vector<double>> people = on_duty(gap);
        double score = 0;
        for (std::size_t d = 0; d < observed.size(); ++d)
            for (std::size_t i = 0; i < observed[d].size(); ++i) {
                const IntervalObservation& o = observed[d][i];
                if (o.offered <= 0 || people[d][i] < 1 || o.handle_mean_s <= 0) continue;
                const double predicted =
                    erlang_a_abandoned(o.offered, interval_s, o.handle_mean_s, patience_mean_s, people[d][i]);
                score += (predicted - o.abandoned) * (predicted - o.abandoned);
            }
        choice.scores.push_back({gap, score});
        if (score < best) {
            best = score;
            choice.gap_s = gap;
        }
    }
    return choice;
}

}  // namespace crsim::fit
