#pragma once
// The mean demand of a span of time as the model routes it (for the interval loads): surges,
// channel shifts and front-end menus applied to the classes' mean arrival rates.

#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// Mean arrivals per second after routing.
struct RoutedRates {
    std::vector<double> classes;   ///< per class: contacts that reach its queue
    std::vector<double> backlogs;  ///< per backlog: items arriving, its own and those shifted to it
};

/// Routes `class_rates` and `backlog_rates` (mean arrivals per second over simulated [from_s, to_s),
/// as the arrival profiles give them) as the model does: scheduled surges by their overlap with
/// the span, random incidents at their mean, then the channel shifts of the span's week (to classes
/// or backlogs), then each class's menu (resolved and redirected demand leaves, re-classified moves).
/// The time in a menu is left out. A scenario without demand keys gets its rates back unchanged.
RoutedRates route_demand(const ScenarioSpec& spec, std::vector<double> class_rates, std::vector<double> backlog_rates,
                         double from_s, double to_s);

}  // namespace crsim::model
