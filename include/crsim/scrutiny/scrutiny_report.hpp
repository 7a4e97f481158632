#pragma once
/// \file
/// The HTML page of `crsim scrutiny --report`: the flagged weeks, the test, and a control chart per
/// class and figure.

#include "crsim/report/html_page.hpp"
#include "crsim/scrutiny/scrutiny.hpp"

namespace crsim::scrutiny {

/// The page: a control chart per class and figure (the 95% band for one week, the simulated mean,
/// the observed weeks with the flagged ones marked, the target), a table of the flagged figures,
/// the test and the detector; the JSON of scrutiny_json carried as data "crsim-scrutiny".
report::HtmlPage scrutiny_report(const ScrutinyResult& result);

}  // namespace crsim::scrutiny
