#include "crsim/model/callback_figures.hpp"

namespace crsim::model {

void CallbackTaskCounts::add(const CallbackTaskCounts& other) {
    created += other.created;
    reached += other.reached;
    unreached += other.unreached;
    attempts += other.attempts;
    wait_s += other.wait_s;
}

void CallbackCounts::add(const CallbackCounts& other) {
    offered += other.offered;
    accepted.add(other.accepted);
    abandoned.add(other.abandoned);
}

void DeferrableCounts::add(const DeferrableCounts& other) {
    arrived += other.arrived;
    started += other.started;
    within_target += other.within_target;
    response_s += other.response_s;
}

DeferrableFigures<double> deferrable_figures(const DeferrableCounts& counts) {
    DeferrableFigures<double> f;
    deferrable_figure_rows([&](std::string_view, auto place, auto compute) { place(f) = compute(counts); });
    return f;
}

CallbackFigures<double> callback_figures(const CallbackCounts& callbacks, const ClassCounts& calls) {
    CallbackFigures<double> f;
    callback_figure_rows([&](std::string_view, auto place, auto compute) { place(f) = compute(callbacks, calls); });
    return f;
}

}  // namespace crsim::model
