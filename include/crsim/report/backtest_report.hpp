#pragma once
/// \file
/// The report of `crsim backtest --report FILE.html`: the table of observed and simulated figures,
/// then each figure per class and by hour of day, observed against the simulated mean and the 95%
/// prediction interval of one replication. The page carries backtest.json's content.

#include "crsim/backtest/backtest.hpp"
#include "crsim/report/html_page.hpp"

namespace crsim::report {

/// The report of a backtest.
HtmlPage backtest_report(const backtest::BacktestResult& result);

}  // namespace crsim::report
