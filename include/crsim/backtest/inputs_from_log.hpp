#pragma once
/// \file
/// `crsim backtest --inputs-from-log`: is what was learned from one period right for another? The
/// period's arrivals (its profile and volume), staffing (reconstructed from its agent column as
/// `crsim fit` does) and handle times come from the log; patience, priorities and targets from the
/// scenario. The scenario's start_date does not matter: the run starts with the period.

#include <cstdint>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::backtest {

/// The scenario to simulate over [first_day, last_day] of `log`; the fit's warnings (missing days,
/// placeholder agents) are added to `warnings`. Throws BacktestError when the period cannot be
/// fitted.
/// `people[day][hour]`, when given, gets the people on duty in each hour of each day of the period
/// as the roster puts them (for the Erlang-A baseline).
model::ScenarioSpec spec_with_inputs_from_log(const model::ScenarioSpec& scenario, const calllog::CallLog& log,
                                              std::int64_t first_day, std::int64_t last_day,
                                              std::vector<std::string>& warnings,
                                              std::vector<std::vector<double>>* people = nullptr);

}  // namespace crsim::backtest
