#include "crsim/model/workforce.hpp"

#include <limits>

#include "crsim/model/roster_calendar.hpp"

namespace crsim::model {

double WindowSpan::per_week(double window_figure) const {
    const double w = weeks();
    return w > 0 ? window_figure / w : std::numeric_limits<double>::quiet_NaN();
}

WindowSpan measured_span(const ScenarioSpec& spec) {
    return spec.window ? WindowSpan{spec.window->from_s, spec.window->to_s} : WindowSpan{spec.warmup_s, spec.horizon_s};
}

std::vector<double> fte_to_employ(const ScenarioSpec& spec, const WindowSpan& span) {
    const RosteredCost rostered = RosterCalendar(spec).rostered_cost(span.from_s, span.to_s);
    std::vector<double> fte;
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        fte.push_back(span.per_week(rostered.contract_hours[g]) / spec.groups[g].contract_hours_per_week);
    return fte;
}

std::vector<double> fte_to_employ_by_room(const ScenarioSpec& spec, const WindowSpan& span) {
    const RosteredCost rostered = RosterCalendar(spec).rostered_cost(span.from_s, span.to_s);
    std::vector<double> fte;
    for (std::size_t i = 0; i < rostered.cell_contract_hours.size(); ++i)
        fte.push_back(span.per_week(rostered.cell_contract_hours[i]) /
                      spec.groups[i % spec.groups.size()].contract_hours_per_week);
    return fte;
}

}  // namespace crsim::model
