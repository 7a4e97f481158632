#include "crsim/model/erlang_estimates.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

#include "crsim/analytic/erlang.hpp"
#include "crsim/model/interval_load.hpp"
#include "crsim/model/routing_policy.hpp"

namespace crsim::model {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------
// Erlang estimates

/// Erlang figures of one pool with a whole number of agents.
struct PoolPoint {
    bool stable = true;
    std::vector<double> service_level;
    double p_abandon = 0;
    double mean_queue_s = 0;
    double wait_of_served_s = 0;  // NaN when nobody is served
};

PoolPoint pool_point(double arrivals_per_s, double handle_s, double patience_s, int agents,
                     const std::vector<double>& thresholds_s, double connection_s) {
    PoolPoint p;
    p.service_level.assign(thresholds_s.size(), 0.0);
    if (agents == 0) {
        // Nobody there: Erlang C never empties; under Erlang A every caller waits out their patience.
        if (!std::isfinite(patience_s)) p.stable = false;
        p.p_abandon = 1;
        p.mean_queue_s = patience_s;
        p.wait_of_served_s = nan;
        return p;
    }
    try {
        const analytic::ErlangQueue q({arrivals_per_s * seconds_per_hour, handle_s, patience_s}, agents);
        for (std::size_t i = 0; i < thresholds_s.size(); ++i) {
            // Published answer times include the connection: its mean shifts the threshold.
            const double queue_threshold = thresholds_s[i] - connection_s;
            p.service_level[i] = queue_threshold < 0 ? 0.0 : q.service_level(queue_threshold);
        }
        p.p_abandon = q.p_abandon();
        p.mean_queue_s = q.mean_wait_s();
        p.wait_of_served_s = q.asa_s();
    } catch (const analytic::UnstableQueueError&) {
        p.stable = false;
    }
    return p;
}

/// Accumulates offered-call-weighted figures of one class.
struct EstimateSums {
    double offered = 0, answered = 0, abandoned = 0, queue_s = 0, answered_wait_s = 0;
    std::vector<double> within;
};

}  // namespace

std::vector<AnalyticBounds> erlang_bounds(const ScenarioSpec& spec) {
    std::vector<AnalyticFigures> separate = erlang_estimates(spec, RoutingPolicy::Reach::home_room);
    std::vector<AnalyticFigures> pooled = erlang_estimates(spec, RoutingPolicy::Reach::every_room);
    std::vector<AnalyticBounds> out(separate.size());
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = {std::move(separate[k]), std::move(pooled[k])};
    return out;
}

std::vector<AnalyticFigures> erlang_estimates(const ScenarioSpec& spec, RoutingPolicy::Reach reach) {
    const std::size_t n_classes = spec.classes.size(), n_groups = spec.groups.size(), n_rooms = spec.rooms.size();
    const std::vector<IntervalLoad> intervals = tabulate_intervals(spec, spec.warmup_s, spec.horizon_s);
    const double offset = calendar_offset_s(spec);
    const RoutingPolicy policy(spec);

    // Pools: the connected components of the graph whose vertices are classes in their home rooms
    // and groups in rooms, joined where a group may answer the class there (its home room, or, for
    // the pooled bound, any room when it may overflow). Within a pool every call may reach every person, so it is one
    // M/M/N(+M) queue served in arrival order: priority ignored, skills and overflow delays assumed
    // to pool fully.
    const std::size_t n_class_rooms = n_classes * n_rooms;
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> links(n_class_rooms + n_groups * n_rooms);
    for (std::size_t k = 0; k < n_classes; ++k) {
        for (std::size_t g = 0; g < n_groups; ++g) {
            if (!policy.takes(g, k)) continue;
            for (std::size_t home = 0; home < n_rooms; ++home)
                for (std::size_t r = 0; r < n_rooms; ++r)
                    if (policy.reaches(k, home, r, reach))
                        boost::add_edge(k * n_rooms + home, n_class_rooms + g * n_rooms + r, links);
        }
    }
    std::vector<std::size_t> pool_of(boost::num_vertices(links));
    const std::size_t n_pools = boost::connected_components(links, pool_of.data());

    std::vector<AnalyticFigures> out(n_classes);
    std::vector<EstimateSums> sums(n_classes);
    for (std::size_t k = 0; k < n_classes; ++k) {
        out[k].erlang_a = spec.classes[k].patience.has_value();
        sums[k].within.assign(spec.classes[k].thresholds_s.size(), 0.0);
    }
    // Rosters repeat weekly, so most intervals recur: remember each pool's figures.
    std::map<std::tuple<std::size_t, double, double, double, int>, PoolPoint> memo;

    for (const IntervalLoad& in : intervals) {
        const double length = in.end_s - in.start_s;
        // Per pool: arrival rate, people, and the sums that give its mean busy time and abandonment rate.
        std::vector<double> rate(n_pools, 0.0), people(n_pools, 0.0), busy(n_pools, 0.0), theta(n_pools, 0.0);
        for (std::size_t g = 0; g < n_groups; ++g)
            for (std::size_t r = 0; r < n_rooms; ++r)
                people[pool_of[n_class_rooms + g * n_rooms + r]] += std::max(0.0, in.staffed[r][g]);
        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double abandon_rate = c.patience ? 1.0 / c.patience->mean() : 0.0;
            for (std::size_t home = 0; home < n_rooms; ++home) {
                const double lambda = in.arrivals_per_s[k][home];
                if (lambda <= 0) continue;
                const std::size_t pool = pool_of[k * n_rooms + home];
                // The class's busy time in this pool: its groups' busy times weighted by their people.
                double weight = 0, work = 0;
                for (std::size_t g = 0; g < n_groups; ++g)
                    for (std::size_t r = 0; r < n_rooms; ++r)
                        if (policy.takes(g, k) && pool_of[n_class_rooms + g * n_rooms + r] == pool) {
                            weight += std::max(0.0, in.staffed[r][g]);
                            work += std::max(0.0, in.staffed[r][g]) * in.work_s[k][g];
                        }
                rate[pool] += lambda;
                busy[pool] += lambda * (weight > 0 ? work / weight : in.base_work_s[k]);
                theta[pool] += lambda * abandon_rate;
            }
        }

        for (std::size_t k = 0; k < n_classes; ++k) {
            const ClassSpec& c = spec.classes[k];
            const double own_theta = c.patience ? 1.0 / c.patience->mean() : 0.0;
            bool offered_here = false, overloaded = false;
            for (std::size_t home = 0; home < n_rooms; ++home) {
                const double lambda = in.arrivals_per_s[k][home];
                if (lambda <= 0) continue;
                offered_here = true;
                const std::size_t pool = pool_of[k * n_rooms + home];
                const double handle = busy[pool] / rate[pool];
                // One abandonment rate for the pool: the arrival-weighted mean of its classes' rates.
                const double pool_theta = theta[pool] / rate[pool];
                const double patience = pool_theta > 0 ? 1.0 / pool_theta : never;
                const double offered = lambda * length;
                EstimateSums& s = sums[k];
                if (handle <= 0) {  // no work to do: every call is answered at once
                    s.offered += offered;
                    s.answered += offered;
                    for (double& w : s.within) w += offered;
                    continue;
                }
                // A fractional number of people is a mixture of the whole numbers around it.
                const int lo = static_cast<int>(std::floor(people[pool] + 1e-9));
                const double frac = people[pool] - lo < 1e-9 ? 0.0 : people[pool] - lo;
                auto point = [&](int n) -> PoolPoint {
                    const auto key = std::make_tuple(k, rate[pool], handle, patience, n);
                    auto it = memo.find(key);
                    if (it == memo.end())
                        it = memo.emplace(key, pool_point(rate[pool], handle, patience, n, c.thresholds_s,
                                                          c.connection.mean()))
                                 .first;
                    PoolPoint p = it->second;
                    // In a pool of classes with different patience, each abandons at its own rate
                    // over the pool's mean time in queue (exact for a pool of one class: θ E[W]).
                    if (p.stable && n > 0) p.p_abandon = std::min(1.0, own_theta * p.mean_queue_s);
                    if (n == 0 && own_theta == 0) p.stable = false;  // nobody there and nobody hangs up
                    return p;
                };
                const PoolPoint a = point(lo);
                const PoolPoint b = frac > 0 ? point(lo + 1) : a;
                if (!a.stable || !b.stable) {
                    overloaded = true;
                    continue;
                }
                const double wa = 1 - frac, wb = frac;
                s.offered += offered;
                for (std::size_t i = 0; i < s.within.size(); ++i)
                    s.within[i] += offered * (wa * a.service_level[i] + wb * b.service_level[i]);
                s.abandoned += offered * (wa * a.p_abandon + wb * b.p_abandon);
                s.queue_s += offered * (wa * a.mean_queue_s + wb * b.mean_queue_s);
                for (const auto& [w, p] : {std::pair{wa, &a}, std::pair{wb, &b}}) {
                    const double answered = offered * w * (1 - p->p_abandon);
                    if (answered <= 0 || std::isnan(p->wait_of_served_s)) continue;
                    s.answered += answered;
                    s.answered_wait_s += answered * p->wait_of_served_s;
                }
            }
            if (offered_here) ++out[k].intervals;
            if (overloaded && out[k].overloaded_intervals++ == 0)
                out[k].first_overloaded = week_span_label(in.start_s + offset, in.end_s + offset);
        }
    }

    for (std::size_t k = 0; k < n_classes; ++k) {
        AnalyticFigures& f = out[k];
        const EstimateSums& s = sums[k];
        f.service_level.assign(s.within.size(), nan);
        if (f.overloaded_intervals > 0 || s.offered <= 0) continue;
        for (std::size_t i = 0; i < s.within.size(); ++i) f.service_level[i] = s.within[i] / s.offered;
        f.abandoned_pct = 100 * s.abandoned / s.offered;
        f.mean_queue_s = s.queue_s / s.offered;
        if (s.answered > 0) f.asa_s = s.answered_wait_s / s.answered + spec.classes[k].connection.mean();
    }
    return out;
}

}  // namespace crsim::model
