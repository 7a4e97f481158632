// The exact CTMC of one room with call-back lists and deferrable work (callback_ctmc.hpp).
//
// A state is busy[class], waiting[class] (live calls), listed[class] (call-back list or backlog), flat.
// States are generated breadth-first from the empty room by the transitions themselves, so only
// reachable ones exist; queues and lists hold work only while every agent is busy.
#include "crsim/analytic/callback_ctmc.hpp"

#include <algorithm>
#include <boost/container_hash/hash.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "stationary.hpp"

namespace crsim::analytic {

namespace {

using State = std::vector<int>;

/// Rates per second and the service order, fixed for a system.
struct Rates {
    int k = 0;       // classes
    int agents = 0;  // in the room
    std::vector<double> lambda, mu, theta, accept;
    std::vector<bool> deferrable, offers;
    std::vector<int> offer_from;
    std::vector<int> order;  // classes by priority, most urgent first

    int busy(int c) const { return c; }
    int waiting(int c) const { return k + c; }
    int listed(int c) const { return 2 * k + c; }
};

Rates rates_of(const CallbackSystem& system) {
    Rates r;
    r.k = static_cast<int>(system.classes.size());
    r.agents = system.agents;
    if (r.k == 0) throw std::invalid_argument("callback ctmc: no class");
    if (system.agents < 1) throw std::invalid_argument("callback ctmc: agents must be at least 1");
    for (const CallbackClass& c : system.classes) {
        if (!(c.arrivals_per_hour > 0) || !(c.handle_mean_s > 0) || !(c.patience_mean_s > 0))
            throw std::invalid_argument("callback ctmc: rates and means must be positive");
        if (c.offers_callback && (c.deferrable || c.accept < 0 || c.accept > 1 || c.offer_from_queue < 0))
            throw std::invalid_argument("callback ctmc: a call-back offer needs a live class, accept in [0, 1]");
        r.lambda.push_back(c.arrivals_per_hour / 3600.0);
        r.mu.push_back(1.0 / c.handle_mean_s);
        r.theta.push_back(c.deferrable || std::isinf(c.patience_mean_s) ? 0.0 : 1.0 / c.patience_mean_s);
        r.accept.push_back(c.offers_callback ? c.accept : 0.0);
        r.deferrable.push_back(c.deferrable);
        r.offers.push_back(c.offers_callback);
        r.offer_from.push_back(c.offer_from_queue);
    }
    r.order.resize(static_cast<std::size_t>(r.k));
    std::iota(r.order.begin(), r.order.end(), 0);
    std::sort(r.order.begin(), r.order.end(),
              [&](int a, int b) { return system.classes[a].priority < system.classes[b].priority; });
    for (int i = 1; i < r.k; ++i)
        if (system.classes[r.order[i - 1]].priority == system.classes[r.order[i]].priority)
            throw std::invalid_argument("callback ctmc: priorities must be distinct");
    // Work that never leaves unserved must fit in the room, or no truncation converges.
    double lasting = 0;
    for (int c = 0; c < r.k; ++c)
        if (r.theta[c] == 0) lasting += r.lambda[c] / r.mu[c];
    if (lasting >= r.agents)
        throw std::domain_error("callback ctmc: work that never abandons needs " + std::to_string(lasting) +
                                " agents, the room has " + std::to_string(r.agents));
    return r;
}

int busy_total(const State& s, const Rates& r) {
    int n = 0;
    for (int c = 0; c < r.k; ++c) n += s[r.busy(c)];
    return n;
}

/// Live calls waiting ahead of a new call of class `c`: those of its own or a higher priority.
int calls_ahead(const State& s, const Rates& r, int c) {
    int n = 0;
    for (const int j : r.order) {
        if (!r.deferrable[j]) n += s[r.waiting(j)];
        if (j == c) break;
    }
    return n;
}

/// Calls edge(next, rate) for each transition out of `s` under the caps (an arrival beyond a cap is lost).
template <class Edge>
void transitions(const State& s, const Rates& r, const std::vector<int>& cap_waiting,
                 const std::vector<int>& cap_listed, Edge edge) {
    const bool full = busy_total(s, r) == r.agents;
    for (int c = 0; c < r.k; ++c) {
        State t = s;
        const auto to_queue = [&](int slot, int cap, double rate) {
            if (s[slot] >= cap || rate <= 0) return;
            State u = s;
            ++u[slot];
            edge(u, rate);
        };
        if (!full) {
            ++t[r.busy(c)];
            edge(t, r.lambda[c]);
        } else if (r.deferrable[c]) {
            to_queue(r.listed(c), cap_listed[c], r.lambda[c]);
        } else if (r.offers[c] && calls_ahead(s, r, c) >= r.offer_from[c]) {
            to_queue(r.listed(c), cap_listed[c], r.lambda[c] * r.accept[c]);
            to_queue(r.waiting(c), cap_waiting[c], r.lambda[c] * (1 - r.accept[c]));
        } else {
            to_queue(r.waiting(c), cap_waiting[c], r.lambda[c]);
        }
        if (s[r.waiting(c)] > 0 && r.theta[c] > 0) {
            State u = s;
            --u[r.waiting(c)];
            edge(u, s[r.waiting(c)] * r.theta[c]);
        }
        if (s[r.busy(c)] > 0) {
            State u = s;
            --u[r.busy(c)];
            // The freed agent: the most urgent live call, else the most urgent list's front.
            bool taken = false;
            for (const int j : r.order) {
                if (u[r.waiting(j)] > 0) {
                    --u[r.waiting(j)];
                    ++u[r.busy(j)];
                    taken = true;
                    break;
                }
            }
            for (const int j : r.order) {
                if (taken) break;
                if (u[r.listed(j)] > 0) {
                    --u[r.listed(j)];
                    ++u[r.busy(j)];
                    taken = true;
                }
            }
            edge(u, s[r.busy(c)] * r.mu[c]);
        }
    }
}

struct Chain {
    std::vector<State> states;
    Eigen::VectorXd pi;
    double residual = 0;
};

Chain solve_chain(const Rates& r, const std::vector<int>& cap_waiting, const std::vector<int>& cap_listed,
                  std::size_t max_states) {
    Chain out;
    std::unordered_map<State, int, boost::hash<State>> index;
    std::vector<Eigen::Triplet<double>> generator_t;  // Q^T
    const auto add = [&](const State& s) {
        const auto [it, fresh] = index.emplace(s, static_cast<int>(out.states.size()));
        if (fresh) {
            if (out.states.size() >= max_states)
                throw std::length_error("callback ctmc: more than " + std::to_string(max_states) +
                                        " states (is the room overloaded?)");
            out.states.push_back(s);
        }
        return it->second;
    };
    add(State(static_cast<std::size_t>(3 * r.k), 0));
    for (std::size_t i = 0; i < out.states.size(); ++i) {
        const State s = out.states[i];
        const int from = static_cast<int>(i);
        double leaving = 0;
        transitions(s, r, cap_waiting, cap_listed, [&](const State& next, double rate) {
            generator_t.emplace_back(add(next), from, rate);
            leaving += rate;
        });
        generator_t.emplace_back(from, from, -leaving);
    }
    const int n = static_cast<int>(out.states.size());
    out.pi = stationary(generator_t, n, 0);
    out.pi /= out.pi.sum();
    Eigen::VectorXd flow = Eigen::VectorXd::Zero(n);
    for (const auto& t : generator_t) flow[t.row()] += t.value() * out.pi[t.col()];
    out.residual = flow.cwiseAbs().maxCoeff();
    return out;
}

}  // namespace

CallbackResult solve_callbacks(const CallbackSystem& system, const CallbackOptions& options) {
    const Rates r = rates_of(system);
    std::vector<int> cap_waiting(static_cast<std::size_t>(r.k)), cap_listed(static_cast<std::size_t>(r.k));
    for (int c = 0; c < r.k; ++c) {
        cap_waiting[c] = r.deferrable[c] ? 0 : 8;
        cap_listed[c] = r.deferrable[c] || r.offers[c] ? 8 : 0;
    }
    while (true) {
        const Chain chain = solve_chain(r, cap_waiting, cap_listed, options.max_states);
        // The probability of each queue and list being at its cap: grow those above the tolerance.
        std::vector<double> at_waiting_cap(static_cast<std::size_t>(r.k), 0.0), at_listed_cap = at_waiting_cap;
        for (std::size_t i = 0; i < chain.states.size(); ++i) {
            const State& s = chain.states[i];
            for (int c = 0; c < r.k; ++c) {
                if (cap_waiting[c] > 0 && s[r.waiting(c)] == cap_waiting[c]) at_waiting_cap[c] += chain.pi[i];
                if (cap_listed[c] > 0 && s[r.listed(c)] == cap_listed[c]) at_listed_cap[c] += chain.pi[i];
            }
        }
        bool grown = false;
        for (int c = 0; c < r.k; ++c) {
            if (at_waiting_cap[c] > options.truncation_tolerance) {
                cap_waiting[c] += std::max(4, cap_waiting[c] / 2);
                grown = true;
            }
            if (at_listed_cap[c] > options.truncation_tolerance) {
                cap_listed[c] += std::max(4, cap_listed[c] / 2);
                grown = true;
            }
        }
        if (grown) continue;

        CallbackResult out;
        out.states = chain.states.size();
        out.residual = chain.residual;
        for (int c = 0; c < r.k; ++c)
            out.truncation_mass = std::max({out.truncation_mass, at_waiting_cap[c], at_listed_cap[c]});
        out.classes.resize(static_cast<std::size_t>(r.k));
        double busy = 0;
        for (std::size_t i = 0; i < chain.states.size(); ++i) {
            const State& s = chain.states[i];
            const double p = chain.pi[i];
            const bool full = busy_total(s, r) == r.agents;
            busy += p * busy_total(s, r);
            for (int c = 0; c < r.k; ++c) {
                CallbackClassResult& f = out.classes[c];
                if (full) f.p_wait += p;
                if (full && r.offers[c] && calls_ahead(s, r, c) >= r.offer_from[c]) f.p_offered += p;
                f.mean_busy_agents += p * s[r.busy(c)];
                // Expected counts for now; turned into rates and times below (Little's law).
                f.p_abandon += p * s[r.waiting(c)];
                f.mean_callback_wait_s += p * s[r.listed(c)];
            }
        }
        out.occupancy = busy / r.agents;
        for (int c = 0; c < r.k; ++c) {
            CallbackClassResult& f = out.classes[c];
            const double waiting = f.p_abandon, listed = f.mean_callback_wait_s;
            f.p_accepted = f.p_offered * r.accept[c];
            f.p_abandon = r.theta[c] * waiting / r.lambda[c];
            f.mean_queue_s = (r.deferrable[c] ? listed : waiting) / r.lambda[c];
            f.mean_callback_wait_s = f.p_accepted > 0 ? listed / (r.lambda[c] * f.p_accepted) : 0.0;
        }
        return out;
    }
}

}  // namespace crsim::analytic
