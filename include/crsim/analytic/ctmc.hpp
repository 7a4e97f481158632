#pragma once
/// \file
/// The exact continuous-time Markov chain of a small control room with exponential times: several call
/// classes with non-preemptive priority and abandonment, one room or two rooms with an overflow rule.
/// It is the reference the simulator is validated against where no closed formula exists.
///
/// Model (all times exponential, arrivals Poisson):
/// - each class's calls go to room r with probability room_shares[r]; every agent takes every class;
/// - an arriving call is answered by an idle agent of its home room; failing that, with `immediate`
///   overflow, by an idle agent of the other room; failing that it waits;
/// - a freed agent takes the waiting call of highest priority (lowest number), oldest first, from its
///   own room's queue or, with `immediate` overflow, from both rooms' queues;
/// - a waiting call abandons at its class's patience rate; service is never interrupted.
///
/// State: per room, busy agents per class; per queue, waiting calls per class, where with `never` each
/// room has its own queue and with `immediate` the rooms share one. Sharing is exact, not an
/// approximation: with immediate overflow a call waits only when every agent of both rooms is busy, and
/// any freed agent picks from both queues by (priority, arrival), so a waiting call's home room never
/// influences a later transition and FIFO across rooms holds exactly. Order within one class needs no
/// state because waiting calls of a class are exchangeable. Classes must have distinct priorities: FIFO
/// between classes of equal priority would need the arrival order in the state.
/// Queues are truncated at caps grown until the stationary probability of any queue being at its cap is
/// below `truncation_tolerance` (arrivals that would exceed a cap are lost, so that probability bounds
/// the error); the result reports it.

#include <cstddef>
#include <limits>
#include <vector>

namespace crsim::analytic {

/// One call class of a CTMC model.
struct CtmcClass {
    double arrivals_per_hour = 0;                                      ///< Poisson arrival rate of the class (> 0).
    double handle_mean_s = 0;                                          ///< Mean of the exponential handle time (> 0).
    double patience_mean_s = std::numeric_limits<double>::infinity();  ///< Mean patience; infinity = none.
    int priority = 0;                 ///< Lower number = higher priority; distinct across classes.
    std::vector<double> room_shares;  ///< Share of the class's calls homed to each room (sums to 1); empty = {1}.
};

/// A small system: classes, agents per room (one or two rooms) and the overflow rule between rooms.
struct CtmcSystem {
    /// How rooms help each other.
    enum class Overflow {
        never,     ///< Rooms are independent.
        immediate  ///< Idle agents of either room answer and take waiting calls of both rooms.
    };
    std::vector<CtmcClass> classes;       ///< At least one class.
    std::vector<int> agents_per_room;     ///< One or two rooms, each with at least one agent.
    Overflow overflow = Overflow::never;  ///< Ignored with one room.
};

/// Numerical limits of the solver.
struct CtmcOptions {
    std::size_t max_states = 100'000;    ///< Refuse (std::length_error) to build a larger chain.
    double truncation_tolerance = 1e-9;  ///< Largest accepted probability of a queue being at its cap.
};

/// Steady-state figures of one class.
struct CtmcClassResult {
    double p_wait = 0;             ///< Share of arrivals that find no eligible idle agent (PASTA).
    double mean_wait_s = 0;        ///< Mean time in queue over all offered calls (Little: E[queue] / lambda).
    double p_abandon = 0;          ///< Share of offered calls that abandon (theta E[queue] / lambda).
    double mean_queue_length = 0;  ///< Mean number of the class's calls waiting.
    double mean_busy_agents = 0;   ///< Mean number of agents serving the class (all rooms).
};

/// The stationary solution of a CtmcSystem.
struct CtmcResult {
    std::vector<CtmcClassResult> classes;  ///< Per class, in the order given.
    std::vector<double> room_occupancy;    ///< Mean share of each room's agents busy.
    double occupancy = 0;                  ///< Mean share of all agents busy.
    std::size_t states = 0;                ///< Size of the solved chain.
    std::vector<int> queue_caps;           ///< Final truncation cap of each class's queue(s).
    double truncation_mass = 0;            ///< Largest stationary probability of a queue being at its cap.
    double residual = 0;                   ///< max |pi Q| of the solution, a check on the linear solve.
};

/// Builds and solves the chain; throws std::invalid_argument on a malformed system, std::domain_error if
/// classes without patience overload their agents, std::length_error if the chain would exceed max_states.
CtmcResult solve(const CtmcSystem& system, const CtmcOptions& options = {});

}  // namespace crsim::analytic
