#pragma once
// A first-come-first-served queue of waiting calls with O(1) removal from anywhere.
//
// A caller who abandons leaves from the middle of the queue. Rather than search for it, the
// queue keeps its entry and recognises it as gone because the call's serial number moved on
// when the call left; gone entries are dropped as they reach the front.

#include <cstdint>
#include <deque>

namespace crsim::model {

/// Identifies one call: its pool slot and the serial number the slot had while it held the call.
struct CallRef {
    std::uint32_t slot = 0;
    std::uint32_t serial = 0;
};

/// Waiting calls in arrival order.
class CallQueue {
public:
    /// Appends a call that has just started waiting.
    void push(CallRef call) {
        entries_.push_back(call);
        ++waiting_;
    }

    /// The oldest call still waiting, if any; `is_current(ref)` says whether a ref still waits.
    template <class IsCurrent>
    const CallRef* front(IsCurrent is_current) {
        while (!entries_.empty() && !is_current(entries_.front())) entries_.pop_front();
        return entries_.empty() ? nullptr : &entries_.front();
    }

    /// Removes the front entry (after front() returned it).
    void pop_front() {
        entries_.pop_front();
        --waiting_;
    }

    /// Records that a call left from somewhere in the queue (its entry goes stale).
    void forget_one() { --waiting_; }

    /// Calls still waiting.
    std::size_t size() const { return waiting_; }

private:
    std::deque<CallRef> entries_;
    std::size_t waiting_ = 0;
};

}  // namespace crsim::model
