#pragma once
/// \file
/// Reporting windows (`--window 14-26`, `--window 3d-10d`, `--window recovery`): which weeks or days
/// the whole-run figures describe.

#include <string>
#include <string_view>

#include "crsim/model/scenario_spec.hpp"

namespace crsim::model {

/// "weeks 14–26", "week 14", "days 3–10" or "day 3".
std::string describe(const ReportWindow& window);

/// The window of weeks (days) from … to, counted from 1, in a run with this warm-up and horizon.
/// It must end after the warm-up and by the horizon; one that begins inside the warm-up counts
/// from the warm-up's end (the warm-up is never measured). Throws std::invalid_argument saying
/// what is wrong otherwise.
ReportWindow make_window(ReportWindow::Unit unit, int from, int to, double warmup_s, double horizon_s);

/// Reads `--window`: "14-26" or "14" (weeks), "3d-10d" or "3d" (days; "w" marks weeks the same
/// way), or the name of one of spec.windows. Throws std::invalid_argument saying what was expected.
ReportWindow parse_window(std::string_view text, const ScenarioSpec& spec);

}  // namespace crsim::model
