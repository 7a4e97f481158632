#include "crsim/model/replication_result.hpp"

#include <cstddef>

namespace crsim::model {

namespace {

// Each count is listed once here, and add() sums whatever is listed; a count added to a struct
// but not here changes the struct's size and fails the static_assert below, rather than being
// silently dropped when periods, rooms or replications are summed.
template <class F>
constexpr void class_count_members(F f) {
    f(&ClassCounts::offered);
    f(&ClassCounts::first_attempts);
    f(&ClassCounts::repeats);
    f(&ClassCounts::callers_lost);
    f(&ClassCounts::answered);
    f(&ClassCounts::abandoned);
    f(&ClassCounts::blocked);
    f(&ClassCounts::answered_within);
    f(&ClassCounts::answered_wait_s);
    f(&ClassCounts::queue_time_s);
}

template <class F>
constexpr void staff_count_members(F f) {
    f(&StaffCounts::paid_s);
    f(&StaffCounts::available_s);
    f(&StaffCounts::busy_s);
    f(&StaffCounts::on_duty_cost);
    f(&StaffCounts::overtime_s);
    f(&StaffCounts::overtime_cost);
    f(&StaffCounts::handled);
    f(&StaffCounts::rostered_cost);
}

template <class T, class Members>
constexpr std::size_t size_of_members(Members members) {
    std::size_t size = 0;
    members([&]<class M>(M T::*) { size += sizeof(M); });
    return size;
}

static_assert(sizeof(ClassCounts) == size_of_members<ClassCounts>([](auto f) { class_count_members(f); }));
static_assert(sizeof(StaffCounts) == size_of_members<StaffCounts>([](auto f) { staff_count_members(f); }));

template <class M>
void add_member(M& to, const M& from) {
    to += from;
}

void add_member(std::vector<std::uint64_t>& to, const std::vector<std::uint64_t>& from) {
    if (to.size() < from.size()) to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i) to[i] += from[i];
}

}  // namespace

void ClassCounts::add(const ClassCounts& other) {
    class_count_members([&](auto member) { add_member(this->*member, other.*member); });
}

void StaffCounts::add(const StaffCounts& other) {
    staff_count_members([&](auto member) { add_member(this->*member, other.*member); });
}

void DemandCounts::add(const DemandCounts& o) {
    static_assert(sizeof(DemandCounts) == 8 * sizeof(std::uint64_t) + sizeof(double), "a count missing from add()");
    demand += o.demand;
    shifted_out += o.shifted_out;
    shifted_in += o.shifted_in;
    triaged += o.triaged;
    resolved += o.resolved;
    redirected += o.redirected;
    reclassified_out += o.reclassified_out;
    reclassified_in += o.reclassified_in;
    surge_extra += o.surge_extra;
}

}  // namespace crsim::model
