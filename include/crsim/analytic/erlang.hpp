#pragma once
/// \file
/// Steady-state Erlang C (M/M/N) and Erlang A (M/M/N+M) figures for one call class and one pool.
///
/// Definitions used throughout, the same as the simulated summaries' (README.md, "Running a
/// scenario and reading the results"):
/// - p_wait: share of arrivals that find every agent busy (by PASTA, the time-share of that state);
/// - mean_wait_s: mean time in queue over all offered calls, abandoned and unqueued ones included;
/// - service_level(t): share of offered calls answered within t seconds (an abandoned call counts
///   against it), i.e. P(wait <= t and served);
/// - occupancy: mean share of agents busy, i.e. carried load / agents;
/// - p_abandon: share of offered calls that abandon (Erlang A only; 0 for Erlang C).
/// Every figure is computed in log space or from series of positive terms, so loads of many hundred
/// Erlangs neither overflow nor lose precision to cancellation.

#include <limits>
#include <stdexcept>
#include <string>

namespace crsim::analytic {

/// The largest pool the formulas handle (their cost grows with the agents): more is an error,
/// as is a staffing target whose answer would exceed it.
inline constexpr int max_agents = 1'000'000;

/// Thrown when a queue without abandonment is offered at least as much load as its agents can carry.
class UnstableQueueError : public std::domain_error {
public:
    /// Builds the error; `what()` names the load and the agents.
    UnstableQueueError(double offered_load_erlangs, int agents);
};

/// One class of calls offered to one pool: Poisson arrivals, exponential handle and patience times.
struct ErlangDemand {
    double arrivals_per_hour = 0;                                      ///< Poisson arrival rate (> 0).
    double handle_mean_s = 0;                                          ///< Mean of the exponential handle time (> 0).
    double patience_mean_s = std::numeric_limits<double>::infinity();  ///< Mean patience; infinity = Erlang C.
};

/// The Erlang-B blocking probability of `agents` servers offered `offered_load_erlangs`, by the stable recursion.
double erlang_b(double offered_load_erlangs, int agents);

/// The steady state of one pool of agents under an ErlangDemand: Erlang C without patience, else Erlang A.
class ErlangQueue {
public:
    /// Solves the model; throws std::invalid_argument on bad parameters and UnstableQueueError for an
    /// Erlang C queue with load >= agents.
    ErlangQueue(const ErlangDemand& demand, int agents);

    /// Number of agents.
    int agents() const { return agents_; }
    /// Offered load in Erlangs (arrival rate x mean handle time).
    double offered_load() const { return load_; }
    /// True for Erlang A (finite mean patience), false for Erlang C.
    bool has_abandonment() const { return theta_ > 0; }

    /// Share of arrivals that find all agents busy.
    double p_wait() const { return p_wait_; }
    /// Mean time in queue over all offered calls, in seconds.
    double mean_wait_s() const { return mean_queue_ / lambda_; }
    /// Mean number of calls waiting.
    double mean_queue_length() const { return mean_queue_; }
    /// Share of offered calls that abandon (0 for Erlang C).
    double p_abandon() const { return p_abandon_; }
    /// Mean share of agents busy (carried load / agents).
    double occupancy() const { return load_ * (1.0 - p_abandon_) / agents_; }
    /// Average speed of answer: the mean wait of the calls that are answered, in seconds (NaN when
    /// none is). Erlang C: mean_wait_s(); Erlang A: ∫ P(answered, wait > t) dt / P(answered), numerically.
    double asa_s() const;
    /// Share of offered calls answered within `threshold_s` seconds (abandoned calls count against it).
    double service_level(double threshold_s) const;

private:
    int agents_;
    double lambda_;  // arrivals per second
    double mu_;      // services per second per agent
    double theta_;   // abandonments per second per waiting call; 0 without abandonment
    double load_;
    double p_wait_ = 0;
    double mean_queue_ = 0;
    double p_abandon_ = 0;
    double log_pi_n_ = 0;  // Erlang A: log P(exactly `agents` calls in system)
};

/// The outcome of a staffing search for a service-level target.
struct StaffingResult {
    int agents = 0;                  ///< Smallest number of agents meeting the target.
    double service_level = 0;        ///< The service level those agents achieve.
    double beta = 0;                 ///< Halfin-Whitt beta used by the square-root estimate.
    double sqrt_staffing_exact = 0;  ///< R + beta * sqrt(R), before rounding.
    int sqrt_staffing_estimate = 0;  ///< ceil(R + beta * sqrt(R)).
};

/// The Halfin-Whitt beta for which alpha(beta) * exp(-beta * sqrt(R) * threshold/handle) = 1 - target, where
/// alpha(beta) = 1 / (1 + beta Phi(beta) / phi(beta)) is the QED limit of Erlang C's p_wait.
double halfin_whitt_beta(double offered_load_erlangs, double threshold_over_handle, double target);

/// Smallest number of agents whose service level within `threshold_s` reaches `target` (0 < target < 1),
/// with the square-root-staffing estimate alongside; throws std::invalid_argument on bad input.
StaffingResult staff_for_service_level(const ErlangDemand& demand, double threshold_s, double target);

}  // namespace crsim::analytic
