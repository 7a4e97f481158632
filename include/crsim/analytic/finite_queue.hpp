#pragma once
/// \file
/// The M/M/c/K queue: Poisson arrivals, c agents with exponential handle times, room for at most K
/// calls in the system (waiting or in service), no abandonment. An arrival finding K calls is
/// blocked and lost: a trunk cap of K lines (scenarios/README.md, `trunks`). K = c is Erlang's
/// loss system (Erlang B); K → ∞ tends to Erlang C. Kleinrock, Queueing Systems I (1975), §3.6.

namespace crsim::analytic {

/// The steady state of M/M/c/K with offered load a = λ/μ Erlangs: p_n ∝ aⁿ/n! for n ≤ c and
/// a^c/c! · (a/c)^(n−c) for c < n ≤ K.
class FiniteQueue {
public:
    /// Solves the chain (any load: it is always stable); throws std::invalid_argument unless
    /// load ≥ 0, 1 ≤ agents ≤ capacity ≤ 10⁶.
    FiniteQueue(double offered_load_erlangs, int agents, int capacity);

    /// Share of arrivals that find `capacity` calls in the system and are blocked (by PASTA, P(N = K)).
    double p_blocked() const { return p_blocked_; }
    /// Share of arrivals admitted but finding every agent busy: P(c ≤ N < K).
    double p_wait() const { return p_wait_; }
    /// Mean number of calls waiting.
    double mean_queue_length() const { return mean_queue_; }

private:
    double p_blocked_ = 0, p_wait_ = 0, mean_queue_ = 0;
};

}  // namespace crsim::analytic
