#include "callback_desk.hpp"

#include <algorithm>
#include <stdexcept>

namespace crsim::model {

CallbackDesk::CallbackDesk(const ScenarioSpec& spec)
    : list_of_(spec.classes.size() * 2 + spec.deferrables.size(), -1),
      mean_busy_s_(spec.classes.size(), 0.0),
      spec_(spec) {
    const auto add = [&](std::size_t at, std::size_t k, CallbackKind kind, int priority, int rank) {
        list_of_[at] = static_cast<std::int32_t>(lists_.size());
        List list;
        list.cls = static_cast<std::uint32_t>(k);
        list.kind = kind;
        list.priority = priority;
        list.rank = rank;
        lists_.push_back(std::move(list));
    };
    for (std::size_t k = 0; k < spec.classes.size(); ++k) {
        const ClassSpec& c = spec.classes[k];
        mean_busy_s_[k] = c.handle_time.mean() + c.wrap_up.mean();
        if (c.callback) add(k * 2, k, CallbackKind::accepted, c.callback->attempts.priority, c.priority);
        if (c.abandoned_callback)
            add(k * 2 + 1, k, CallbackKind::abandoned, c.abandoned_callback->attempts.priority, c.priority);
    }
    for (std::size_t d = 0; d < spec.deferrables.size(); ++d)
        add(spec.classes.size() * 2 + d, d, CallbackKind::backlog, below_live_calls, spec.deferrables[d].order);
    order_.resize(lists_.size());
    for (std::size_t i = 0; i < lists_.size(); ++i) order_[i] = i;
    std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
        const List &x = lists_[a], &y = lists_[b];
        if (x.priority != y.priority) return x.priority < y.priority;
        return x.rank < y.rank;
    });
}

const CallbackAttempts& CallbackDesk::attempts(std::size_t cls, CallbackKind kind) const {
    const ClassSpec& c = spec_.classes[cls];
    if (kind == CallbackKind::accepted && c.callback) return c.callback->attempts;
    if (kind == CallbackKind::abandoned && c.abandoned_callback) return c.abandoned_callback->attempts;
    throw std::logic_error("class " + c.name + " has no call-back of that kind");
}

double CallbackDesk::estimated_wait_s(std::size_t cls, std::size_t calls_ahead, int takers) const {
    if (takers <= 0) return never;
    return static_cast<double>(calls_ahead + 1) * mean_busy_s_[cls] / takers;
}

void CallbackDesk::push(std::size_t cls, CallbackKind kind, CallRef task) {
    const std::int32_t i = list_of_[kind == CallbackKind::backlog ? spec_.classes.size() * 2 + cls
                                                                  : cls * 2 + static_cast<std::size_t>(kind)];
    if (i < 0) throw std::logic_error("no call-back list or backlog for this task");
    lists_[static_cast<std::size_t>(i)].tasks.push(task);
    ++waiting_;
}

}  // namespace crsim::model
