#pragma once
/// \file
/// People and money per period: what a roster over a window comes to per week and per year, and
/// how many full-time people (FTE) it needs to employ.
///
/// A window's figure (the rostered cost of weeks 14–26) is divided by the window's length in weeks
/// for the figure per week, and that is multiplied by weeks_per_year for the figure per year. FTE
/// to employ for a group = its rostered person-hours a week at the ordinary rate ÷ its
/// `contract_hours_per_week`. Absence is included: absent people are rostered and paid
/// (roster_calendar.hpp), so they count; overtime lines are not, being worked by people already
/// employed.

#include <vector>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// The mean length of a year in weeks (365.25 days).
inline constexpr double weeks_per_year = 365.25 / 7;

/// The span [from_s, to_s) of a window, for figures per week and per year.
struct WindowSpan {
    double from_s = 0;
    double to_s = 0;

    /// The window's length in weeks.
    double weeks() const { return (to_s - from_s) / seconds_per_week; }
    /// A figure of the whole window, per week of it (NaN for an empty window).
    double per_week(double window_figure) const;
    /// A figure of the whole window, per year at the window's weekly rate.
    double per_year(double window_figure) const { return per_week(window_figure) * weeks_per_year; }
};

/// The window a run's whole-run figures cover: its reporting window, else [warm-up, horizon).
WindowSpan measured_span(const ScenarioSpec& spec);

/// Full-time people to employ in each group (per ScenarioSpec::groups) for the scenario's roster
/// over `span` (see above).
std::vector<double> fte_to_employ(const ScenarioSpec& spec, const WindowSpan& span);

/// The same per (room, group), index room × groups + group: the people each group needs in each
/// room, by where its shifts work (after any merger of rooms).
std::vector<double> fte_to_employ_by_room(const ScenarioSpec& spec, const WindowSpan& span);

}  // namespace crsim::model
