#pragma once
/// \file
/// The report of `crsim staff --report FILE.html`: each decision line before and after, the people
/// on duty by hour of the week against the requirement, the cost against its lower bound (for the
/// window, per week and per year), the people to employ, and each target's verified figure with
/// its 95% CI against its goal.

#include <optional>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/report/html_page.hpp"
#include "crsim/staffing/staffing_search.hpp"

namespace crsim::report {

/// The page of a staffing answer `result` for `spec` (with its staffing block), whose targets were
/// judged on [options.window_from_s, options.window_to_s): the window `judged` (`--window`), or none
/// for the whole run after the warm-up.
HtmlPage staff_report(const model::ScenarioSpec& spec, const staffing::StaffingResult& result,
                      const staffing::StaffingOptions& options, const std::optional<model::ReportWindow>& judged);

}  // namespace crsim::report
