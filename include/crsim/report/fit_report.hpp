#pragma once
/// \file
/// The report of `crsim fit --report FILE.html`: each fitted figure drawn against the log it comes
/// from — the weekly profile against the days it averages, daily totals against the spread daily_cv
/// gives, the handle-time histogram against each family, Kaplan–Meier against each patience family,
/// and the people on duty written in the roster — with the tables of estimates and standard errors.

#include "crsim/fit/log_fit.hpp"
#include "crsim/report/html_page.hpp"

namespace crsim::report {

/// The report of a fit.
HtmlPage fit_report(const fit::LogFit& fit);

}  // namespace crsim::report
