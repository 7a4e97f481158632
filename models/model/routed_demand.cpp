#include "routed_demand.hpp"

#include <algorithm>

#include "timeline.hpp"

namespace crsim::model {

RoutedRates route_demand(const ScenarioSpec& spec, std::vector<double> class_rates, std::vector<double> backlog_rates,
                         double from_s, double to_s) {
    RoutedRates out{std::move(class_rates), std::move(backlog_rates)};
    const DemandSpec& demand = spec.demand;
    if (!demand.any()) return out;
    std::vector<double>& rate = out.classes;
    const double span = to_s - from_s;
    for (const ScheduledSurgeSpec& s : demand.surges) {
        const double overlap = std::max(0.0, std::min(to_s, s.to_s) - std::max(from_s, s.from_s));
        if (overlap <= 0 || span <= 0) continue;
        for (std::size_t k = 0; k < rate.size() && k < s.multipliers.size(); ++k)
            rate[k] *= 1 + (s.multipliers[k] - 1) * overlap / span;
    }
    for (const RandomSurgeSpec& s : demand.random_surges)
        for (std::size_t k = 0; k < rate.size() && k < s.extra_calls.size(); ++k)
            rate[k] += s.per_week * s.extra_calls[k] / seconds_per_week;

    // Channel shifts: shares of each class's own demand, in the week the span starts in.
    const int week = Timeline::week_of(from_s);
    const std::vector<double> before_shift = rate;
    for (const ChannelShiftSpec& shift : demand.channel_shifts) {
        const double moved = before_shift[shift.from] * shift.share_in_week(week);
        rate[shift.from] -= moved;
        (shift.to_backlog ? out.backlogs : rate)[shift.to] += moved;
    }
    // Menus: each class's demand after the shifts goes through its menu once.
    if (!demand.triage.empty()) {
        const std::vector<double> reaching = rate;
        for (std::size_t k = 0; k < rate.size(); ++k) {
            if (!demand.triage[k]) continue;
            const TriageSpec& t = *demand.triage[k];
            rate[k] -= reaching[k] * (t.resolved + t.redirected);
            for (std::size_t j = 0; j < t.reclassified.size(); ++j) {
                rate[k] -= reaching[k] * t.reclassified[j];
                rate[j] += reaching[k] * t.reclassified[j];
            }
        }
    }
    for (double& r : rate) r = std::max(0.0, r);
    return out;
}

}  // namespace crsim::model
