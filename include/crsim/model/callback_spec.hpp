#pragma once
/// \file
/// Work that waits in a call-back list rather than on the line: call-backs offered to callers who
/// would wait (a virtual queue), call-backs of abandoned calls (as forces do for 999), and the
/// attempts that try to reach the caller. Plain data checked by the loader (scenarios/README.md).

#include <limits>

#include "crsim/sim/distribution.hpp"

namespace crsim::model {

/// The priority of call-back work that is done only when no live call waits that the person may take.
inline constexpr int below_live_calls = std::numeric_limits<int>::max();

/// How a call-back task tries to reach its caller, and how long it may wait.
struct CallbackAttempts {
    double reach = 1;      ///< chance that one attempt reaches the caller (0–1]
    int max_attempts = 1;  ///< attempts at most before the caller counts as never reached
    sim::Distribution retry_after = sim::Distribution::deterministic(0);     ///< from a failed attempt to the next
    sim::Distribution failed_attempt = sim::Distribution::deterministic(0);  ///< busy time of an attempt that fails
    /// Non-preemptive, compared with the classes' priorities (a lower number first; a tie goes to the
    /// live call); below_live_calls: done only when no live call waits that the person may take.
    int priority = below_live_calls;
    /// A task not started this long after it was created is dropped (counted as never reached).
    double time_limit_s = std::numeric_limits<double>::infinity();
};

/// A virtual queue for a class: a caller who finds nobody free, and whose estimated wait is at least
/// `offer_from_wait_s`, is offered a call-back and accepts it with probability `accept`. An accepted
/// caller leaves the line; the staff who take the class call back with the call's own handle time.
struct CallbackOfferSpec {
    double offer_from_wait_s = 0;  ///< estimated wait from which the offer is made (0: to everyone who would wait)
    double accept = 1;             ///< chance that an offered caller accepts (0–1)
    CallbackAttempts attempts;
};

/// Every abandoned attempt of a class creates a call-back task with its own handle time, done by the
/// staff who take the class (as forces call back every abandoned 999 call, whether or not it rings again).
struct AbandonedCallbackSpec {
    sim::Distribution handle_time = sim::Distribution::deterministic(0);  ///< talk time of a factor-1 handler
    sim::Distribution wrap_up = sim::Distribution::deterministic(0);
    CallbackAttempts attempts;
};

/// The mean busy time (of a factor-1 handler) one abandoned call's call-back task brings: attempt i
/// is made when the i − 1 before it failed, (1 − reach)^(i−1), and keeps a person busy for the talk
/// and wrap-up when it reaches the caller, for failed_attempt when not; so
///   (reach · (handle + wrap-up) + (1 − reach) · failed_attempt) · (1 − (1 − reach)^max_attempts) / reach.
/// Tasks closed at their time limit before an attempt are counted as made: an upper side, for
/// staffing (crsim staff's requirements add abandonment × this).
inline double expected_busy_s(const AbandonedCallbackSpec& work) {
    const CallbackAttempts& a = work.attempts;
    const double per_attempt =
        a.reach * (work.handle_time.mean() + work.wrap_up.mean()) + (1 - a.reach) * a.failed_attempt.mean();
    double attempts = 0, made = 1;  // expected attempts: the sum of the chances that attempt i is made
    for (int i = 0; i < a.max_attempts; ++i, made *= 1 - a.reach) attempts += made;
    return per_attempt * attempts;
}

}  // namespace crsim::model
