// The exact CTMC of a small control room, solved with Eigen's SparseLU.
//
// A state is a flat vector of counts: busy[room][class] then waiting[queue][class]. Only states that
// respect work conservation are generated: a queue holds calls only while every agent who could take
// them is busy. The stationary distribution solves pi Q = 0, sum pi = 1: we fix one state's probability,
// solve the remaining balance equations with a sparse LU and normalise.
#include "crsim/analytic/ctmc.hpp"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <boost/container_hash/hash.hpp>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "stationary.hpp"

namespace crsim::analytic {

namespace {

/// Rates per second of one class, and its shares per room.
struct ClassRates {
    double lambda = 0;
    double mu = 0;
    double theta = 0;  // 0 = no abandonment
    std::vector<double> shares;
};

/// Where each count sits in a state vector, and which queue serves which room.
struct Layout {
    int rooms = 0;
    int classes = 0;
    int queues = 0;
    std::vector<int> agents;         // per room
    std::vector<int> queue_of_room;  // per room
    bool overflow = false;           // immediate overflow between two rooms

    int busy(int room, int cls) const { return room * classes + cls; }
    int waiting(int queue, int cls) const { return rooms * classes + queue * classes + cls; }
    int width() const { return (rooms + queues) * classes; }
};

using State = std::vector<int>;
using StateIndex = std::unordered_map<State, int, boost::hash<State>>;

/// Every vector of per-class busy counts with sum <= agents.
std::vector<State> busy_compositions(int classes, int agents) {
    std::vector<State> out;
    State b(classes, 0);
    // Depth-first over classes; the last class takes any remainder up to what is left.
    auto rec = [&](auto&& self, int k, int left) -> void {
        if (k == classes) {
            out.push_back(b);
            return;
        }
        for (int n = 0; n <= left; ++n) {
            b[k] = n;
            self(self, k + 1, left - n);
        }
        b[k] = 0;
    };
    rec(rec, 0, agents);
    return out;
}

int busy_sum(const State& s, const Layout& l, int room) {
    int n = 0;
    for (int k = 0; k < l.classes; ++k) n += s[l.busy(room, k)];
    return n;
}

/// True when queue `q` may hold calls: every agent of every room it serves is busy.
bool queue_may_fill(const State& s, const Layout& l, int q) {
    for (int r = 0; r < l.rooms; ++r)
        if (l.queue_of_room[r] == q && busy_sum(s, l, r) < l.agents[r]) return false;
    return true;
}

/// Calls `visit(state)` for every admissible state under the given caps.
template <typename Visit>
void for_each_state(const Layout& l, const std::vector<int>& caps, Visit&& visit) {
    std::vector<std::vector<State>> per_room;
    for (int r = 0; r < l.rooms; ++r) per_room.push_back(busy_compositions(l.classes, l.agents[r]));
    State s(l.width(), 0);
    // Odometer over the queue counts of the queues that may fill, given the busy part in `s`.
    auto queues = [&]() {
        std::vector<int> slots;
        for (int q = 0; q < l.queues; ++q)
            if (queue_may_fill(s, l, q))
                for (int k = 0; k < l.classes; ++k) slots.push_back(l.waiting(q, k));
        for (int q = 0; q < l.queues; ++q)
            for (int k = 0; k < l.classes; ++k) s[l.waiting(q, k)] = 0;
        while (true) {
            visit(static_cast<const State&>(s));
            std::size_t i = 0;
            for (; i < slots.size(); ++i) {
                const int cls = (slots[i] - l.rooms * l.classes) % l.classes;
                if (++s[slots[i]] <= caps[cls]) break;
                s[slots[i]] = 0;
            }
            if (i == slots.size()) break;
        }
    };
    auto rooms = [&](auto&& self, int r) -> void {
        if (r == l.rooms) {
            queues();
            return;
        }
        for (const State& b : per_room[r]) {
            for (int k = 0; k < l.classes; ++k) s[l.busy(r, k)] = b[k];
            self(self, r + 1);
        }
    };
    rooms(rooms, 0);
}

/// Number of admissible states under the given caps, counted without building them (as a double, so a
/// hopeless cap cannot overflow the count).
double count_states(const Layout& l, const std::vector<int>& caps) {
    double per_full_queue = 1;
    for (int c : caps) per_full_queue *= c + 1.0;
    std::vector<std::vector<State>> per_room;
    for (int r = 0; r < l.rooms; ++r) per_room.push_back(busy_compositions(l.classes, l.agents[r]));
    double total = 0;
    State s(l.width(), 0);
    auto rooms = [&](auto&& self, int r) -> void {
        if (r == l.rooms) {
            double n = 1;
            for (int q = 0; q < l.queues; ++q)
                if (queue_may_fill(s, l, q)) n *= per_full_queue;
            total += n;
            return;
        }
        for (const State& b : per_room[r]) {
            for (int k = 0; k < l.classes; ++k) s[l.busy(r, k)] = b[k];
            self(self, r + 1);
        }
    };
    rooms(rooms, 0);
    return total;
}

/// One chain under fixed caps and its stationary distribution.
struct Solved {
    std::vector<State> states;
    Eigen::VectorXd pi;
    double residual = 0;
};

/// The state whose probability is pinned while solving: all agents busy and no call waiting, which
/// carries a sizeable share of the mass in the loaded systems these models are for, so the unknowns
/// stay within a few orders of magnitude of 1.
int reference_state(const std::vector<State>& states, const Layout& l) {
    for (std::size_t i = 0; i < states.size(); ++i) {
        bool all_busy = true, none_waiting = true;
        for (int r = 0; r < l.rooms; ++r) all_busy = all_busy && busy_sum(states[i], l, r) == l.agents[r];
        for (int q = 0; q < l.queues; ++q)
            for (int k = 0; k < l.classes; ++k) none_waiting = none_waiting && states[i][l.waiting(q, k)] == 0;
        if (all_busy && none_waiting) return static_cast<int>(i);
    }
    return 0;
}

Solved solve_chain(const Layout& l, const std::vector<ClassRates>& rates, const std::vector<int>& by_priority,
                   const std::vector<int>& caps) {
    Solved out;
    StateIndex index;
    for_each_state(l, caps, [&](const State& s) {
        index.emplace(s, static_cast<int>(out.states.size()));
        out.states.push_back(s);
    });
    const int n = static_cast<int>(out.states.size());

    struct Move {
        int from, to;
        double rate;
    };
    std::vector<Move> moves;
    std::vector<double> exit(n, 0.0);
    auto add = [&](int from, const State& next, double rate) {
        if (rate <= 0) return;
        const auto it = index.find(next);
        if (it == index.end()) throw std::logic_error("ctmc: transition leaves the generated state space");
        moves.push_back({from, it->second, rate});
        exit[from] += rate;
    };

    for (int i = 0; i < n; ++i) {
        const State& s = out.states[i];
        State next;
        for (int k = 0; k < l.classes; ++k) {
            for (int r = 0; r < l.rooms; ++r) {
                // Arrival of class k homed to room r: home agent, else (immediate) the other room's, else wait.
                const double rate = rates[k].lambda * rates[k].shares[r];
                if (rate <= 0) continue;
                next = s;
                if (busy_sum(s, l, r) < l.agents[r]) {
                    ++next[l.busy(r, k)];
                } else if (l.overflow && busy_sum(s, l, 1 - r) < l.agents[1 - r]) {
                    ++next[l.busy(1 - r, k)];
                } else {
                    const int slot = l.waiting(l.queue_of_room[r], k);
                    if (s[slot] == caps[k]) continue;  // lost at the cap; its probability is reported
                    ++next[slot];
                }
                add(i, next, rate);
            }
            for (int r = 0; r < l.rooms; ++r) {
                // Service completion: the freed agent takes the highest-priority waiting call it may take.
                const int busy = s[l.busy(r, k)];
                if (busy == 0) continue;
                next = s;
                --next[l.busy(r, k)];
                const int q = l.queue_of_room[r];
                for (int j : by_priority) {
                    if (next[l.waiting(q, j)] > 0) {
                        --next[l.waiting(q, j)];
                        ++next[l.busy(r, j)];
                        break;
                    }
                }
                add(i, next, busy * rates[k].mu);
            }
            for (int q = 0; q < l.queues; ++q) {
                const int waiting = s[l.waiting(q, k)];
                if (waiting == 0 || rates[k].theta == 0) continue;
                next = s;
                --next[l.waiting(q, k)];
                add(i, next, waiting * rates[k].theta);
            }
        }
    }

    // Scale rates so the fastest state leaves at rate 1: pi is unchanged and the system is well scaled.
    const double scale = 1.0 / std::max(1e-300, *std::max_element(exit.begin(), exit.end()));
    std::vector<Eigen::Triplet<double>> full;
    full.reserve(moves.size() + n);
    for (const Move& m : moves) full.emplace_back(m.to, m.from, m.rate * scale);
    for (int i = 0; i < n; ++i) full.emplace_back(i, i, -exit[i] * scale);
    Eigen::SparseMatrix<double> generator_t(n, n);
    generator_t.setFromTriplets(full.begin(), full.end());
    out.pi = stationary(full, n, reference_state(out.states, l));
    // Rounding can leave probabilities of order -1e-17 in states of negligible mass.
    out.pi = out.pi.cwiseMax(0.0);
    out.pi /= out.pi.sum();
    out.residual = (generator_t * out.pi).cwiseAbs().maxCoeff();
    return out;
}

Layout make_layout(const CtmcSystem& system) {
    Layout l;
    l.rooms = static_cast<int>(system.agents_per_room.size());
    l.classes = static_cast<int>(system.classes.size());
    l.agents = system.agents_per_room;
    l.overflow = l.rooms == 2 && system.overflow == CtmcSystem::Overflow::immediate;
    // With immediate overflow both rooms draw from one queue (exact: see the header); otherwise each
    // room has its own.
    l.queues = l.overflow ? 1 : l.rooms;
    for (int r = 0; r < l.rooms; ++r) l.queue_of_room.push_back(l.overflow ? 0 : r);
    return l;
}

std::vector<ClassRates> validate(const CtmcSystem& system) {
    auto fail = [](const std::string& what) { throw std::invalid_argument("ctmc: " + what); };
    const std::size_t rooms = system.agents_per_room.size();
    if (rooms < 1 || rooms > 2) fail("one or two rooms are supported");
    for (int a : system.agents_per_room)
        if (a < 1) fail("every room needs at least one agent");
    if (system.classes.empty()) fail("at least one class is needed");
    std::vector<ClassRates> rates;
    for (std::size_t k = 0; k < system.classes.size(); ++k) {
        const CtmcClass& c = system.classes[k];
        const std::string name = "class " + std::to_string(k) + ": ";
        if (!(c.arrivals_per_hour > 0) || !std::isfinite(c.arrivals_per_hour))
            fail(name + "arrivals per hour must be positive");
        if (!(c.handle_mean_s > 0) || !std::isfinite(c.handle_mean_s)) fail(name + "handle time must be positive");
        if (!(c.patience_mean_s > 0)) fail(name + "patience must be positive (infinity for none)");
        for (std::size_t j = 0; j < k; ++j)
            if (system.classes[j].priority == c.priority)
                fail(name + "priority equals that of class " + std::to_string(j) +
                     "; FIFO between classes of equal priority is not Markovian in queue counts");
        ClassRates r;
        r.lambda = c.arrivals_per_hour / 3600.0;
        r.mu = 1.0 / c.handle_mean_s;
        r.theta = std::isinf(c.patience_mean_s) ? 0.0 : 1.0 / c.patience_mean_s;
        r.shares = c.room_shares.empty() && rooms == 1 ? std::vector<double>{1.0} : c.room_shares;
        if (r.shares.size() != rooms) fail(name + "room_shares needs one share per room");
        double total = 0;
        for (double s : r.shares) {
            if (!(s >= 0)) fail(name + "room shares must be >= 0");
            total += s;
        }
        if (std::abs(total - 1) > 1e-9) fail(name + "room shares must sum to 1");
        rates.push_back(r);
    }
    return rates;
}

/// Classes that never abandon must fit in the agents that can serve them, or no truncation converges.
void check_stability(const Layout& l, const std::vector<ClassRates>& rates) {
    std::vector<double> load(l.queues, 0.0), agents(l.queues, 0.0);
    for (int r = 0; r < l.rooms; ++r) agents[l.queue_of_room[r]] += l.agents[r];
    for (const ClassRates& c : rates)
        if (c.theta == 0)
            for (int r = 0; r < l.rooms; ++r) load[l.queue_of_room[r]] += c.lambda * c.shares[r] / c.mu;
    for (int q = 0; q < l.queues; ++q) {
        if (load[q] >= agents[q]) {
            std::ostringstream msg;
            msg << "ctmc: classes without abandonment offer " << load[q] << " Erlangs to " << agents[q]
                << " agents; the queue is unstable";
            throw std::domain_error(msg.str());
        }
    }
}

}  // namespace

CtmcResult solve(const CtmcSystem& system, const CtmcOptions& options) {
    const std::vector<ClassRates> rates = validate(system);
    const Layout l = make_layout(system);
    check_stability(l, rates);
    std::vector<int> by_priority(l.classes);
    std::iota(by_priority.begin(), by_priority.end(), 0);
    std::stable_sort(by_priority.begin(), by_priority.end(),
                     [&](int a, int b) { return system.classes[a].priority < system.classes[b].priority; });

    // Grow each class's cap until the probability of its queue sitting at the cap is negligible. The
    // next cap extrapolates the geometric decay seen between cap-1 and cap; the loop re-checks it.
    std::vector<int> caps(l.classes, 16);
    Solved solved;
    std::vector<double> at_cap(l.classes), below_cap(l.classes);
    for (int round = 0;; ++round) {
        const double count = count_states(l, caps);
        if (count > static_cast<double>(options.max_states)) {
            std::ostringstream msg;
            msg << "ctmc: reaching truncation tolerance " << options.truncation_tolerance << " needs " << count
                << " states, more than the limit of " << options.max_states
                << " (the load may be too close to capacity for an exact model)";
            if (round > 0)
                msg << "; the last solved chain left " << *std::max_element(at_cap.begin(), at_cap.end())
                    << " probability at a queue cap";
            throw std::length_error(msg.str());
        }
        solved = solve_chain(l, rates, by_priority, caps);
        std::fill(at_cap.begin(), at_cap.end(), 0.0);
        std::fill(below_cap.begin(), below_cap.end(), 0.0);
        // Per class, the worst queue's marginal probability at the cap and one below.
        std::vector<std::vector<double>> at(l.queues, std::vector<double>(l.classes, 0.0));
        std::vector<std::vector<double>> below = at;
        for (std::size_t i = 0; i < solved.states.size(); ++i) {
            const State& s = solved.states[i];
            for (int q = 0; q < l.queues; ++q)
                for (int k = 0; k < l.classes; ++k) {
                    const int n = s[l.waiting(q, k)];
                    if (n == caps[k]) at[q][k] += solved.pi[i];
                    if (n == caps[k] - 1) below[q][k] += solved.pi[i];
                }
        }
        for (int q = 0; q < l.queues; ++q)
            for (int k = 0; k < l.classes; ++k)
                if (at[q][k] > at_cap[k]) {
                    at_cap[k] = at[q][k];
                    below_cap[k] = below[q][k];
                }
        bool done = true;
        for (int k = 0; k < l.classes; ++k) {
            if (at_cap[k] <= options.truncation_tolerance) continue;
            done = false;
            const double ratio = below_cap[k] > 0 ? at_cap[k] / below_cap[k] : 1.0;
            int grow = caps[k];  // doubling when the decay is not yet visible
            if (ratio > 0 && ratio < 0.98) {
                const double needed = std::log(options.truncation_tolerance / at_cap[k]) / std::log(ratio);
                grow = static_cast<int>(std::ceil(1.25 * needed)) + 2;
                grow = std::clamp(grow, 4, 3 * caps[k]);
            }
            caps[k] += grow;
        }
        if (done) break;
    }

    CtmcResult result;
    result.states = solved.states.size();
    result.queue_caps = caps;
    result.truncation_mass = *std::max_element(at_cap.begin(), at_cap.end());
    result.residual = solved.residual;
    result.classes.assign(l.classes, {});
    result.room_occupancy.assign(l.rooms, 0.0);
    std::vector<double> p_wait(l.classes, 0.0);
    for (std::size_t i = 0; i < solved.states.size(); ++i) {
        const State& s = solved.states[i];
        const double p = solved.pi[i];
        for (int r = 0; r < l.rooms; ++r) {
            const int busy = busy_sum(s, l, r);
            result.room_occupancy[r] += p * busy / l.agents[r];
            // An arrival homed to r waits (or is lost at a cap) when no agent it may use is idle.
            const bool none_idle = busy == l.agents[r] && (!l.overflow || busy_sum(s, l, 1 - r) == l.agents[1 - r]);
            if (none_idle)
                for (int k = 0; k < l.classes; ++k) p_wait[k] += p * rates[k].shares[r];
            for (int k = 0; k < l.classes; ++k) result.classes[k].mean_busy_agents += p * s[l.busy(r, k)];
        }
        for (int q = 0; q < l.queues; ++q)
            for (int k = 0; k < l.classes; ++k) result.classes[k].mean_queue_length += p * s[l.waiting(q, k)];
    }
    for (int k = 0; k < l.classes; ++k) {
        CtmcClassResult& c = result.classes[k];
        c.p_wait = p_wait[k];
        c.mean_wait_s = c.mean_queue_length / rates[k].lambda;
        c.p_abandon = rates[k].theta * c.mean_queue_length / rates[k].lambda;
    }
    const int total_agents = std::accumulate(l.agents.begin(), l.agents.end(), 0);
    for (int r = 0; r < l.rooms; ++r) result.occupancy += result.room_occupancy[r] * l.agents[r] / total_agents;
    return result;
}

}  // namespace crsim::analytic
