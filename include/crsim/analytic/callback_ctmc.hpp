#pragma once
/// \file
/// The exact continuous-time Markov chain of one room with call-back work: live call classes with
/// non-preemptive priority and abandonment, where a class may offer callers a call-back, and
/// deferrable work (a backlog of online reports, e-mails). The reference the simulator's call-back
/// lists (model/callback_desk.hpp) are validated against.
///
/// Model (all times exponential, arrivals Poisson, `agents` identical agents taking every class):
/// - a live call finding an idle agent is answered; otherwise, if its class offers call-backs and at
///   least `offer_from_queue` live calls of its own or a higher priority wait, it is offered a
///   call-back and accepts with probability `accept`: it then joins its class's call-back list;
///   otherwise it waits in its class's queue and abandons at the patience rate;
/// - a deferrable item finding an idle agent is served; otherwise it joins its class's backlog;
/// - a freed agent takes the live call of highest priority (lowest number), else the front of the
///   call-back list or backlog of highest class priority, else stays idle. Call-backs always reach the
///   caller and take the class's handle time; nothing is interrupted.
///
/// State: busy agents per class, live calls waiting per class, tasks in each call-back list or backlog.
/// Priorities must be distinct (FIFO between equal ones would need arrival order in the state). Queues
/// and lists are truncated at caps grown until the probability of any being at its cap is below the
/// tolerance (arrivals beyond a cap are lost, so that probability bounds the error).

#include <cstddef>
#include <limits>
#include <vector>

namespace crsim::analytic {

/// One class of a CallbackSystem: live calls, or deferrable work.
struct CallbackClass {
    double arrivals_per_hour = 0;                                      ///< Poisson arrival rate (> 0)
    double handle_mean_s = 0;                                          ///< mean of the exponential handle time (> 0)
    double patience_mean_s = std::numeric_limits<double>::infinity();  ///< live calls; infinity = none
    int priority = 0;                                                  ///< lower number first; distinct
    bool deferrable = false;       ///< deferrable work: never abandons, served only when no live call waits
    bool offers_callback = false;  ///< live classes: callers who would wait may be offered a call-back
    int offer_from_queue = 0;      ///< offered when at least this many live calls of this or higher priority wait
    double accept = 0;             ///< chance that an offered caller accepts (0–1)
};

/// A room of identical agents and its classes.
struct CallbackSystem {
    std::vector<CallbackClass> classes;
    int agents = 1;
};

/// Numerical limits of the solver.
struct CallbackOptions {
    std::size_t max_states = 400'000;    ///< refuse (std::length_error) a larger chain
    double truncation_tolerance = 1e-9;  ///< largest accepted probability of a queue or list at its cap
};

/// Steady-state figures of one class.
struct CallbackClassResult {
    double p_wait = 0;                ///< share of arrivals finding every agent busy (PASTA)
    double p_abandon = 0;             ///< share of arrivals that abandon
    double p_offered = 0;             ///< share of arrivals offered a call-back
    double p_accepted = 0;            ///< share of arrivals that accept one
    double mean_callback_wait_s = 0;  ///< mean time from acceptance to the start of the call-back
    double mean_queue_s = 0;          ///< live: time in queue over all arrivals; deferrable: wait over all items
    double mean_busy_agents = 0;      ///< agents serving the class, call-backs included
};

/// The stationary solution of a CallbackSystem.
struct CallbackResult {
    std::vector<CallbackClassResult> classes;  ///< in the order given
    double occupancy = 0;                      ///< mean share of agents busy
    std::size_t states = 0;
    double truncation_mass = 0;  ///< largest probability of a queue or list at its cap
    double residual = 0;         ///< max |pi Q| of the solution
};

/// Builds and solves the chain; std::invalid_argument on a malformed system, std::domain_error when the
/// work that never abandons (deferrable work, calls without patience) overloads the agents,
/// std::length_error when the chain would exceed max_states.
CallbackResult solve_callbacks(const CallbackSystem& system, const CallbackOptions& options = {});

}  // namespace crsim::analytic
