#pragma once
// The idle people of one staff group in one room, longest idle first.
//
// An intrusive doubly linked list threaded through the people's own records, so that a person
// going on a break or off shift while idle leaves the list in O(1), and the longest-idle person
// is always at the front.

#include <cstdint>
#include <vector>

namespace crsim::model {

/// Links of one person in an IdleList.
struct IdleLinks {
    static constexpr std::uint32_t none = UINT32_MAX;
    std::uint32_t prev = none;
    std::uint32_t next = none;
    bool listed = false;
};

/// People idle in one (room, group), in the order they became idle.
class IdleList {
public:
    /// The longest-idle person, or IdleLinks::none.
    std::uint32_t front() const { return head_; }

    /// How many are idle.
    std::size_t size() const { return size_; }

    /// Appends person `p` (who has just become idle). `links` is indexed by person.
    void push_back(std::vector<IdleLinks>& links, std::uint32_t p) {
        links[p] = IdleLinks{tail_, IdleLinks::none, true};
        if (tail_ != IdleLinks::none)
            links[tail_].next = p;
        else
            head_ = p;
        tail_ = p;
        ++size_;
    }

    /// Removes the longest-idle person, and returns them. Precondition: not empty. Written out
    /// rather than as remove(front()): the front has no one before it, which spares remove's test
    /// (3 instructions a call, as every call answered on arrival comes through here).
    std::uint32_t pop_front(std::vector<IdleLinks>& links) {
        const std::uint32_t p = head_;
        head_ = links[p].next;
        if (head_ != IdleLinks::none)
            links[head_].prev = IdleLinks::none;
        else
            tail_ = IdleLinks::none;
        links[p] = IdleLinks{};
        --size_;
        return p;
    }

    /// Removes person `p`, who must be listed.
    void remove(std::vector<IdleLinks>& links, std::uint32_t p) {
        IdleLinks& l = links[p];
        if (l.prev != IdleLinks::none)
            links[l.prev].next = l.next;
        else
            head_ = l.next;
        if (l.next != IdleLinks::none)
            links[l.next].prev = l.prev;
        else
            tail_ = l.prev;
        l = IdleLinks{};
        --size_;
    }

private:
    std::uint32_t head_ = IdleLinks::none;
    std::uint32_t tail_ = IdleLinks::none;
    std::size_t size_ = 0;
};

}  // namespace crsim::model
