#pragma once
/// \file
/// The report a scrutiny panel reads (`--report FILE.html`): the verdicts, the week-by-week
/// trajectory of every target against its goal, the answer-time distribution, demand against the
/// people on duty by hour of the week, occupancy, and for a comparison the cost of each option
/// against each target figure. Every number comes from the Summary or Comparison that the JSON
/// outputs are written from.

#include <span>
#include <string>

#include "crsim/model/comparison.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/report/html_page.hpp"

namespace crsim::report {

/// The report of one run.
HtmlPage run_report(const model::Summary& summary);

/// The report of a comparison: `summaries` are the options' summaries, in the comparison's order.
HtmlPage compare_report(const model::Comparison& comparison, std::span<const model::Summary> summaries);

}  // namespace crsim::report
