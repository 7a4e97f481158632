#pragma once
/// \file
/// Priorities from a log's `priority` column: the head start (credit of waiting) each priority value
/// gives in the queue, estimated from the order in which waiting callers were answered, and each
/// class's mean head start.

#include <cstdint>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"

namespace crsim::fit {

/// The credits tried, seconds, relative to the most common value among waiting calls: -10 to +10 min.
inline constexpr double head_start_step_s = 15, head_start_range_s = 600;

/// What the priority column says.
struct PriorityFit {
    std::vector<std::string> values;         ///< the priority values seen on calls that waited
    std::vector<std::uint64_t> waited;       ///< calls that waited, per value
    std::vector<double> credit_s;            ///< head start per value, the smallest 0
    std::uint64_t pairs = 0;                 ///< (answered, still waiting) pairs of different values
    std::uint64_t in_order_fcfs = 0;         ///< of them answered in arrival order
    std::uint64_t in_order_fitted = 0;       ///< ... in the order of arrival less the credits
    std::vector<double> class_head_start_s;  ///< per class of the log: mean credit of its calls that waited
    bool used() const { return !credit_s.empty(); }
};

/// Estimates the credits from the calls of [first_day, last_day] that waited (wait_s > 0): calls
/// answered at once carry no evidence about their priority (a source may not even record it for
/// them, as the bank's does not). For every answer of a waiting call and every call still waiting
/// at that moment of a class the answering agent takes (at least skill_share of their calls), the
/// pair is in order when the answered call arrived first once each arrival is moved earlier by its
/// value's credit; the credits maximise the pairs in order (coordinate search over a 15 s grid,
/// the most common value fixed at 0, then shifted so the smallest is 0). A log without a priority
/// column, with one value among waiting calls, or whose fitted order is no better than arrival order
/// gives no credits. `agent_is_person[a]` false leaves that agent's answers out.
PriorityFit fit_priorities(const calllog::CallLog& log, std::int64_t first_day, std::int64_t last_day,
                           const std::vector<bool>& agent_is_person);

}  // namespace crsim::fit
