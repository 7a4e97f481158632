#include "crsim/sim/simulator.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

namespace crsim::sim {

void Simulator::reject(Time at, int priority) const {
    if (!(at >= now_))
        throw std::logic_error("Simulator::schedule_at: time " + std::to_string(at) + " is before now (" +
                               std::to_string(now_) + ")");
    throw std::logic_error("Simulator::schedule_at: priority " + std::to_string(priority) + " out of range");
}

void Simulator::limit_reached() const {
    throw EventLimitReached("stopped after " + std::to_string(event_limit_) + " events, at simulated time " +
                            std::to_string(now_) + " s");
}

void Simulator::reject_busy_lane(Lane lane) const {
    throw std::logic_error("Simulator::schedule_on_lane: lane " + std::to_string(lane) +
                           " already has a pending event");
}

Simulator::Lane Simulator::add_lane() {
    lanes_.emplace_back();
    return static_cast<Lane>(lanes_.size() - 1);
}

void Simulator::find_earliest_lane() {
    earliest_lane_ = no_lane_entry;
    for (const LaneSlot& l : lanes_)
        if (l.pending && earlier(l.entry, earliest_lane_)) earliest_lane_ = l.entry;
}

void Simulator::run_lane_event() {
    LaneSlot& l = lanes_[earliest_lane_.slot];
    now_ = l.entry.time();
    l.pending = false;
    find_earliest_lane();
    count_executed(l.handler);
    // Taken out as it runs: the handler schedules the lane's next event into this very place.
    l.handler.run_taken();
}

std::size_t Simulator::pending() const {
    std::size_t lanes = 0;
    for (const LaneSlot& l : lanes_) lanes += l.pending ? 1 : 0;
    return calendar_.size() - dead_entries_ + lanes;
}

std::uint32_t Simulator::new_slot() {
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
}

void Simulator::cancel_pending(std::uint32_t slot) {
    slots_[slot].handler.reset();  // free captured state now, not when the entry surfaces
    release_slot(slot);
    ++dead_entries_;
    if (dead_entries_ > 64 && dead_entries_ > calendar_.size() / 2) compact();
}

void Simulator::release_slot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    ++s.generation;
    s.next_free = free_slot_;
    free_slot_ = slot;
}

// Inlined into each sift, where a call cost about as much as its body.
[[gnu::always_inline]] inline std::size_t Simulator::earliest_child(std::size_t first, std::size_t n) const {
    const Entry* c = &calendar_[first];
    if (first + heap_arity <= n) {  // a full family: a two-round tournament, its rounds independent
        const std::size_t a = earlier(c[1], c[0]) ? 1 : 0;
        const std::size_t b = earlier(c[3], c[2]) ? 3 : 2;
        return first + (earlier(c[b], c[a]) ? b : a);
    }
    std::size_t best = 0;
    for (std::size_t i = 1; first + i < n; ++i) best = earlier(c[i], c[best]) ? i : best;
    return first + best;
}

// Removes the root the bottom-up way: the hole walks down to a leaf along the earliest children,
// then the last entry climbs back from there. The last entry nearly always belongs near the
// bottom, so this saves the comparison against it at every level on the way down. Inlined into
// the event loop, its only caller, which has already saved the registers it needs.
[[gnu::always_inline]] inline void Simulator::pop_front() {
    // The last entry is read where it is, after the walk, which stops short of it: copied
    // out first, it went through the stack.
    const std::size_t n = calendar_.size() - 1;  // the entries that stay
    std::size_t hole = 0;
    for (std::size_t first; (first = hole * heap_arity + 1) < n;) {
        const std::size_t best = earliest_child(first, n);
        calendar_[hole] = calendar_[best];
        hole = best;
    }
    if (n > 0) sift_up(hole, calendar_[n]);
    calendar_.pop_back();
}

void Simulator::run_until(Time horizon) {
    stop_requested_ = false;
    // A handler that threw left its spent root behind: the loop pops it as any dead root.
    root_spent_ = false;
    while (!stop_requested_) {
        // A lane's event goes first when it is earlier than the heap's root. A dead root is no
        // later than any live entry, so comparing with it is enough. With no lane pending,
        // earliest_lane_ is no_lane_entry, later than any root.
        if (calendar_.empty() || earlier(earliest_lane_, calendar_.front())) {
            if (!(earliest_lane_.time() < horizon)) break;  // no_lane_entry's time is a NaN: no event at all
            run_lane_event();
            continue;
        }
        // The root's fields read one by one: a copy of the whole entry went through the stack.
        const Entry& top = calendar_.front();
        const Time time = top.time();
        if (!(time < horizon)) break;
        const std::uint32_t slot_index = top.slot;
        Slot& slot = slots_[slot_index];
        if (slot.generation != top.generation) {  // dead: cancelled, or handled and not replaced
            pop_front();
            --dead_entries_;
            continue;
        }
        now_ = time;
        // The entry stays at the root, dead from here on: the first event the handler schedules
        // takes its place (push), else the next round pops it. Most handlers schedule an event,
        // so this saves the pop's sift down to a leaf and the push's climb back up.
        release_slot(slot_index);
        ++dead_entries_;
        root_spent_ = true;
        count_executed(slot.handler);
        // Taken out as it runs: the handler may schedule events that reuse this very slot.
        slot.handler.run_taken();
        // A handler that scheduled nothing left its entry dead at the root: pop it now rather than
        // in another round of the loop, which would first compare it with the lanes and the horizon.
        if (root_spent_) {
            root_spent_ = false;
            pop_front();
            --dead_entries_;
        }
    }
    if (!stop_requested_ && std::isfinite(horizon) && horizon > now_) now_ = horizon;
}

void Simulator::replace_dead_root(const Entry& e) {
    root_spent_ = false;
    --dead_entries_;
    sift_down(0, e);
}

void Simulator::climb(std::size_t hole) { sift_up(hole, calendar_[hole]); }

void Simulator::sift_up(std::size_t hole, Entry e) {
    while (hole > 0) {
        const std::size_t parent = (hole - 1) / heap_arity;
        if (!earlier(e, calendar_[parent])) break;
        calendar_[hole] = calendar_[parent];
        hole = parent;
    }
    calendar_[hole] = e;
}

void Simulator::sift_down(std::size_t hole, Entry e) {
    const std::size_t n = calendar_.size();
    for (std::size_t first; (first = hole * heap_arity + 1) < n;) {
        const std::size_t best = earliest_child(first, n);
        if (!earlier(calendar_[best], e)) break;
        calendar_[hole] = calendar_[best];
        hole = best;
    }
    calendar_[hole] = e;
}

void Simulator::compact() {
    std::size_t kept = 0;
    for (const Entry& e : calendar_)
        if (is_live(e)) calendar_[kept++] = e;
    calendar_.resize(kept);
    dead_entries_ = 0;
    root_spent_ = false;  // a spent root is dead, so it is gone
    // Floyd's bottom-up heap construction: O(n).
    for (std::size_t i = kept / heap_arity + 1; i-- > 0;)
        if (i < kept) sift_down(i, calendar_[i]);
}

}  // namespace crsim::sim
