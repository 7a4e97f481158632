#pragma once
/// \file
/// Writers of a Comparison: compare.json, compare.csv and the terminal table of `crsim compare`.

#include <nlohmann/json_fwd.hpp>
#include <ostream>

#include "crsim/model/comparison.hpp"

namespace crsim::report {

/// compare.json's content: {"baseline", "seed", "replications", "window", "options": [{"name", "targets",
/// "comparisons": [...]}]}.
nlohmann::ordered_json comparison_json(const model::Comparison& c);

/// Writes compare.json (comparison_json, indented by two spaces): {"baseline", "seed", "replications", "window",
/// "options": [{"name", "targets", "comparisons": [...]}]}.
void write_comparison_json(std::ostream& out, const model::Comparison& c);

/// Writes compare.csv: `option,kind,name,metric,threshold_s,mean,ci95,diff_mean,paired_ci95,unpaired_ci95,verdict`.
void write_comparison_csv(std::ostream& out, const model::Comparison& c);

/// Writes the comparison for a terminal: one block per compared figure, one line per option, then
/// each option's targets; at most 100 columns.
void write_comparison_table(std::ostream& out, const model::Comparison& c);

}  // namespace crsim::report
