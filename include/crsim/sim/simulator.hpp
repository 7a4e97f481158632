#pragma once
/// \file
/// The discrete-event engine: a clock, an event calendar and a loop. It knows events and time only.
///
/// The calendar is a hand-written 4-ary heap, kept on purpose (issue 16): std::priority_queue hides
/// its array, so cancelled entries could not be compacted away in place, and Boost.Heap's
/// d_ary_heap with mutable handles allocates a node per event. Here an entry is 24 bytes compared by
/// its time first (the order word only on a tie), and cancellation is a generation check:
/// bench_engine measures what that buys (README.md, "Performance").

#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "crsim/sim/event_handler.hpp"

namespace crsim::sim {

/// Simulated time in seconds since the start of the run.
///
/// A double rather than integer ticks: every duration in a study comes from a continuous
/// distribution, and a double resolves better than a microsecond over a century of simulated
/// time, so ticks would only add a unit conversion at every boundary.
using Time = double;

/// Refers to one scheduled event; stays valid (but inert) after the event fires or is cancelled.
class EventHandle {
public:
    EventHandle() = default;

private:
    friend class Simulator;
    EventHandle(std::uint32_t slot, std::uint32_t generation) : slot_(slot), generation_(generation) {}
    std::uint32_t slot_ = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t generation_ = 0;
};

/// Thrown by Simulator::run_until when the event limit set with set_event_limit is reached.
struct EventLimitReached : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A simulator with an O(log n) event calendar and cancellable events.
///
/// Simultaneous events run in order of (time, priority, insertion): a lower priority value runs
/// first, so a model can make a release at time t run before a seize at t. Handlers are plain
/// callables; a handler may schedule and cancel freely, including its own handle.
class Simulator {
public:
    using Handler = EventHandler;

    /// Lowest and highest same-time priority.
    static constexpr int min_priority = -32768;
    static constexpr int max_priority = 32767;

    /// The current simulated time.
    Time now() const { return now_; }

    /// Schedules `handler` at absolute time `at` (not before now()).
    template <class F>
    EventHandle schedule_at(Time at, F&& handler, int priority = 0) {
        // Inline, so the callable is built straight into its slot in the caller's code.
        if (!(at >= now_) || priority < min_priority || priority > max_priority) [[unlikely]]
            reject(at, priority);  // also rejects a NaN time
        const std::uint32_t slot = claim_slot();
        Slot& s = slots_[slot];
        // A free slot's handler is empty: run_taken and cancel_pending empty it, and so does
        // count_executed for an event it drops.
        s.handler.emplace_into_empty(std::forward<F>(handler));
        push(Entry{std::bit_cast<std::uint64_t>(at + 0.0),  // + 0.0 turns -0.0 into +0.0, whose bits order right
                   order_word(priority), slot, s.generation});
        return EventHandle(slot, s.generation);
    }

    /// Identifies a lane (add_lane).
    using Lane = std::uint32_t;

    /// A new lane: a place for at most one pending event, kept beside the heap rather than in it.
    /// A source whose every event schedules its next one (an arrival process, say) runs there
    /// without a heap operation per event; lane events run in the same (time, priority,
    /// insertion) order as any other, so moving a source onto a lane changes no result.
    Lane add_lane();

    /// Schedules `handler` on `lane`, which must have no pending event, at `at` (not before now()).
    /// Lane events cannot be cancelled.
    template <class F>
    void schedule_on_lane(Lane lane, Time at, F&& handler, int priority = 0) {
        if (!(at >= now_) || priority < min_priority || priority > max_priority) [[unlikely]]
            reject(at, priority);
        LaneSlot& l = lanes_[lane];
        if (l.pending) [[unlikely]]
            reject_busy_lane(lane);
        l.handler.emplace_into_empty(std::forward<F>(handler));  // empty while the lane is free
        l.entry = Entry{std::bit_cast<std::uint64_t>(at + 0.0), order_word(priority), lane, 0};
        l.pending = true;
        if (earlier(l.entry, earliest_lane_)) earliest_lane_ = l.entry;
    }

    /// Schedules `handler` after `delay` seconds (delay >= 0).
    template <class F>
    EventHandle schedule_in(Time delay, F&& handler, int priority = 0) {
        return schedule_at(now_ + delay, std::forward<F>(handler), priority);
    }

    /// Cancels a pending event. Returns false, and does nothing, if it already fired or was cancelled.
    bool cancel(EventHandle handle) {
        if (!is_pending(handle)) return false;
        cancel_pending(handle.slot_);
        return true;
    }

    /// True while the event is scheduled and has neither fired nor been cancelled.
    bool is_pending(EventHandle handle) const {
        // A default handle (slot no_slot), the commonest (a timer never set), is told apart
        // without working out the size.
        return handle.slot_ != no_slot && handle.slot_ < slots_.size() &&
               slots_[handle.slot_].generation == handle.generation_;
    }

    /// Runs every event strictly before `horizon`, then sets the clock to `horizon`.
    /// Events at or after the horizon stay scheduled, so a run can be resumed.
    void run_until(Time horizon);

    /// Runs until the calendar is empty or stop() is called.
    void run() { run_until(std::numeric_limits<Time>::infinity()); }

    /// Makes the running loop return after the current event; the clock stays where it is.
    void stop() { stop_requested_ = true; }

    /// Makes run_until throw EventLimitReached once `max_events` events have run in all: the
    /// runaway guard of a model that could make events without end (no limit by default).
    void set_event_limit(std::uint64_t max_events) { event_limit_ = max_events; }

    /// Events executed so far (cancelled ones are not counted).
    std::uint64_t events_executed() const { return executed_; }

    /// Events scheduled and not yet fired or cancelled.
    // It counts the pending lanes on each call rather than keeping a count at every lane event.
    std::size_t pending() const;

    /// Entries the calendar holds, cancelled ones not yet removed included: never more than
    /// max(2 × pending(), pending() + 64), however many events are cancelled.
    std::size_t calendar_size() const { return calendar_.size(); }

private:
    // One calendar entry. Cancelled events leave their entry behind (cheaper than removing it
    // from the middle of the heap); the entry is recognised as dead because its generation no
    // longer matches its slot's, and dead entries are compacted away once they outnumber live ones.
    // An entry sorts by the bits of its time (a non-negative double's bits order like the double)
    // and then by its order word (earlier()).
    struct Entry {
        std::uint64_t time_bits;
        std::uint64_t order;  // priority in the top 16 bits, then the insertion number
        std::uint32_t slot;
        std::uint32_t generation;
        Time time() const { return std::bit_cast<Time>(time_bits); }
    };
    static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();
    struct Slot {
        Handler handler;
        std::uint32_t generation = 1;
        // While the slot is free, the next free one: the free slots form a list through the
        // slots themselves, cheaper to push and pop than a vector of indices (no growth to check).
        std::uint32_t next_free = no_slot;
    };

    // A lane's pending event: its entry (the slot field holds the lane) and its handler.
    struct LaneSlot {
        Entry entry{};
        Handler handler;
        bool pending = false;
    };
    static constexpr Lane no_lane = std::numeric_limits<Lane>::max();
    // Later than any entry: its time bits are above +infinity's (they are a NaN's, so the event
    // loop's horizon check stops at it too).
    static constexpr Entry no_lane_entry{~std::uint64_t{0}, ~std::uint64_t{0}, no_lane, 0};

    // Times nearly always differ, so the time decides with one 64-bit comparison and the order
    // word is read only on a tie: fewer instructions than the 128-bit key's comparison.
    static bool earlier(const Entry& a, const Entry& b) {
        if (a.time_bits != b.time_bits) [[likely]]
            return a.time_bits < b.time_bits;
        return a.order < b.order;
    }
    [[noreturn]] void reject_busy_lane(Lane lane) const;
    [[noreturn]] void limit_reached() const;  // throws EventLimitReached
    // Counts the event about to run from `handler`; past the limit the event is dropped, its
    // handler emptied (as schedule_at and schedule_on_lane expect of a free place) and
    // EventLimitReached thrown.
    void count_executed(Handler& handler) {
        if (++executed_ > event_limit_) [[unlikely]] {
            handler.reset();
            limit_reached();
        }
    }
    /// Runs the event of the earliest lane (earliest_lane_.slot), which is due before any in the heap.
    void run_lane_event();
    void find_earliest_lane();
    bool is_live(const Entry& e) const { return slots_[e.slot].generation == e.generation; }
    [[noreturn]] void reject(Time at, int priority) const;  // throws the error of a bad schedule_at
    std::uint32_t claim_slot() {
        if (free_slot_ == no_slot) [[unlikely]]
            return new_slot();
        const std::uint32_t slot = free_slot_;
        free_slot_ = slots_[slot].next_free;
        return slot;
    }
    std::uint32_t new_slot();
    std::uint64_t order_word(int priority) {
        return (static_cast<std::uint64_t>(priority - min_priority) << 48) | next_insertion_++;
    }
    void cancel_pending(std::uint32_t slot);
    void release_slot(std::uint32_t slot);
    void push(const Entry& e) {
        // A dead root, the handled event's or a cancelled one, is replaced rather than left for a
        // pop: one sift instead of two. The flag answers for the handled event's without a look
        // at the root's slot.
        if (root_spent_ || (!calendar_.empty() && !is_live(calendar_.front()))) return replace_dead_root(e);
        const std::size_t hole = calendar_.size();
        calendar_.push_back(e);
        // The comparison with the parent inline: an entry that stays at the bottom (a new event
        // is usually later than most pending ones) costs no call.
        if (hole > 0 && earlier(e, calendar_[(hole - 1) / heap_arity])) climb(hole);
    }
    /// Moves the entry at `hole` up to its place (it is earlier than its parent).
    void climb(std::size_t hole);
    /// Puts `e` where the heap's dead root is (the event being handled, or a cancelled one).
    void replace_dead_root(const Entry& e);
    void pop_front();
    void sift_down(std::size_t hole, Entry e);
    void sift_up(std::size_t hole, Entry e);
    std::size_t earliest_child(std::size_t first, std::size_t n) const;
    void compact();

    static constexpr std::size_t heap_arity = 4;  // half a binary heap's depth, and cache-friendly

    Time now_ = 0.0;
    std::uint64_t next_insertion_ = 0;
    std::uint64_t executed_ = 0;
    std::uint64_t event_limit_ = std::numeric_limits<std::uint64_t>::max();
    std::size_t dead_entries_ = 0;
    // True while the heap's root is the entry of the event being handled, dead since it started,
    // until the first event its handler schedules takes that place.
    bool root_spent_ = false;
    bool stop_requested_ = false;
    std::vector<Entry> calendar_;  // a 4-ary min-heap ordered by earlier()
    std::vector<Slot> slots_;
    std::uint32_t free_slot_ = no_slot;  // the first free slot, or no_slot
    std::vector<LaneSlot> lanes_;
    // A copy of the entry of the earliest pending lane event (its slot field holds the lane), or
    // no_lane_entry: the event loop compares it with the heap's root at every event, so it is kept
    // here rather than looked up in lanes_.
    Entry earliest_lane_ = no_lane_entry;
};

}  // namespace crsim::sim
