#pragma once
// The call-back lists and backlogs of a replication: tasks to ring callers back (callback_spec.hpp)
// and items of deferrable work (DeferrableSpec), waiting apart from the live queues. A freed person looks here after
// the live queues: a task is taken ahead of the oldest live call the person may take only when its priority number is
// lower; with the default priority (below_live_calls) only when no such live call waits; a backlog always so. Between
// lists, a lower priority number first, then the class's priority (a backlog's `order`), then the
// order of the scenario; within a list the oldest task first. The lists
// are not tied to a room: any room's people of the groups that take the class may ring back.

#include <cstdint>
#include <vector>

#include "call_queue.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Which call-back a task is, or an item of deferrable work.
enum class CallbackKind : std::uint8_t {
    accepted,   ///< a caller accepted the call-back offer (virtual queue)
    abandoned,  ///< an abandoned call is rung back
    backlog,    ///< an item of deferrable work; its `cls` is the index of its DeferrableSpec
};

/// The call-back lists of every class, and the wait estimate that decides an offer.
class CallbackDesk {
public:
    explicit CallbackDesk(const ScenarioSpec& spec);

    /// Does the scenario have call-back or deferrable work at all?
    bool any() const { return !lists_.empty(); }

    /// Tasks waiting in every list.
    std::size_t waiting() const { return waiting_; }

    /// How tasks of (`cls`, `kind`) try to reach the caller.
    const CallbackAttempts& attempts(std::size_t cls, CallbackKind kind) const;

    /// The wait a caller is told to expect: the calls waiting ahead of it plus itself, each taking
    /// the class's mean busy time (talk and wrap-up of a factor-1 handler), shared among the people
    /// on duty and not on a break who take the class (`takers`). Infinite with nobody to take it.
    double estimated_wait_s(std::size_t cls, std::size_t calls_ahead, int takers) const;

    /// Appends a task (of class `cls`, or of backlog `cls`) that starts waiting now.
    void push(std::size_t cls, CallbackKind kind, CallRef task);

    /// A list and the class (or backlog) and kind of its tasks.
    struct List {
        CallQueue tasks;
        std::uint32_t cls = 0;
        CallbackKind kind = CallbackKind::accepted;
        int priority = below_live_calls;
        int rank = 0;  // after priority: the class's priority, or a backlog's order
    };

    /// The list whose front task a person should take next, or nullptr: the first list, in the
    /// desk's order, with a waiting task that `may_take(list)` allows and that goes ahead of a live
    /// call of priority `live_priority` (none waiting for the person: below_live_calls with
    /// `live_waiting` false). `is_waiting(ref)` recognises tasks still waiting.
    template <class IsWaiting, class MayTake>
    List* next_for(bool live_waiting, int live_priority, IsWaiting is_waiting, MayTake may_take) {
        for (const std::size_t i : order_) {
            List& list = lists_[i];
            if (live_waiting && list.priority >= live_priority) break;  // the rest come later still
            if (list.tasks.size() == 0 || !may_take(static_cast<const List&>(list))) continue;
            if (list.tasks.front(is_waiting) != nullptr) return &list;
        }
        return nullptr;
    }

    /// Removes the front task of `list` (after next_for returned it).
    void pop_front(List& list) {
        list.tasks.pop_front();
        --waiting_;
    }

private:
    std::vector<List> lists_;
    std::vector<std::size_t> order_;     // lists_ in the order they are served
    std::vector<std::int32_t> list_of_;  // [class * 2 + kind], then one per backlog: index into lists_, or -1
    std::vector<double> mean_busy_s_;    // per class
    std::size_t waiting_ = 0;
    const ScenarioSpec& spec_;
};

}  // namespace crsim::model
