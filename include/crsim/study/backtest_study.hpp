#pragma once
/// \file
/// `crsim backtest` as a library call: read the call log, plan the period, let the caller approve
/// the work (the limits of `crsim run`), simulate and compare (backtest/backtest.hpp); and the two
/// result files.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "crsim/backtest/backtest.hpp"
#include "crsim/calllog/call_log.hpp"
#include "crsim/model/scenario_spec.hpp"

namespace crsim::study {

/// A backtest to run: which log, how to read it, and the run's options.
struct BacktestRequest {
    std::string log_path;
    calllog::ReadOptions read;
    backtest::BacktestOptions options;
    /// Told the log once read (to report the rows --skip-bad left out).
    std::function<void(const calllog::CallLog&)> on_log;
    /// Asked with the period's plan before anything runs; false stops the backtest (the work
    /// limits). None: always run.
    std::function<bool(const backtest::BacktestPlan&)> approve;
};

/// Reads the log, plans the period and, if approved, runs the backtest of `spec` against it;
/// nothing when `approve` said no. Throws calllog::CallLogError for a bad log and
/// backtest::BacktestError for a period that cannot be backtested.
std::optional<backtest::BacktestResult> run_backtest_study(const model::ScenarioSpec& spec,
                                                           const BacktestRequest& request);

/// The names of the files write_backtest_files writes.
inline constexpr const char* backtest_json_file = "backtest.json";
inline constexpr const char* backtest_csv_file = "backtest.csv";

/// Writes backtest.json and backtest.csv into `dir`, each whole or not at all.
void write_backtest_files(const std::filesystem::path& dir, const backtest::BacktestResult& result);

}  // namespace crsim::study
