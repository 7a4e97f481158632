#include "crsim/model/replication_result.hpp"

namespace crsim::model {

void ClassCounts::add(const ClassCounts& other) {
    offered += other.offered;
    first_attempts += other.first_attempts;
    repeats += other.repeats;
    callers_lost += other.callers_lost;
    answered += other.answered;
    abandoned += other.abandoned;
    if (answered_within.size() < other.answered_within.size()) answered_within.resize(other.answered_within.size());
    for (std::size_t i = 0; i < other.answered_within.size(); ++i) answered_within[i] += other.answered_within[i];
    answered_wait_s += other.answered_wait_s;
    queue_time_s += other.queue_time_s;
}

void StaffCounts::add(const StaffCounts& other) {
    paid_s += other.paid_s;
    available_s += other.available_s;
    busy_s += other.busy_s;
    cost += other.cost;
    overtime_s += other.overtime_s;
    overtime_cost += other.overtime_cost;
    handled += other.handled;
}

}  // namespace crsim::model
