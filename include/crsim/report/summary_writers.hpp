#pragma once
/// \file
/// Writers of a Summary: summary.json, summary.csv, replications.csv, periods.csv and the table.
///
/// They only format; every number comes from summarise(). An undefined figure (NaN) is written as
/// JSON null, an empty CSV cell, or "-" in the table. The file formats are described in
/// README.md ("Output files").

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/number_text.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/report/result_set.hpp"

namespace crsim::report {

/// A CSV text cell, the one rule of crsim's CSV files (README, "Limits, interruptions and hostile
/// input"): a text starting with =, +, -, @, a tab or a carriage return that is not a number gets a
/// leading ' so that spreadsheets do not run it as a formula; then quoted (RFC 4180) when it holds
/// a comma, a quote or a line break. Numbers are written as they are.
std::string csv_field(std::string_view text);

/// A target as one JSON object: {"class", "metric", "threshold_s", "goal", "mean", "ci95", "met", "p_met",
/// "confident"}.
nlohmann::ordered_json target_json(const model::TargetResult& target);

/// A reporting window: {"from_week": 14, "to_week": 26} (days: from_day, to_day), or null.
nlohmann::ordered_json window_json(const std::optional<model::ReportWindow>& window);

/// summary.json's content: the whole-run figures and the targets, keys in report order.
nlohmann::ordered_json summary_json(const model::Summary& s);

/// Writes summary.json's content (summary_json, indented by two spaces).
void write_summary_json(std::ostream& out, const model::Summary& s);

/// Writes summary.csv: `scenario,kind,name,metric,threshold_s,mean,ci95`, one row per figure.
void write_summary_csv(std::ostream& out, const model::Summary& s);

/// Writes targets.csv: `scenario,class,metric,threshold_s,goal,mean,ci95,met,p_met,confident`, one
/// row per target.
void write_targets_csv(std::ostream& out, const model::Summary& s);

/// Writes replications.csv: `scenario,replication,kind,name,metric,threshold_s,value`, one row per
/// replication × class, group or room × metric.
void write_replications_csv(std::ostream& out, const model::Summary& s);

/// Writes periods.csv: `scenario,kind,name,period,index,metric,threshold_s,mean,ci95`, one row per
/// figure defined in at least one replication.
void write_periods_csv(std::ostream& out, const model::Summary& s);

/// target_periods.csv: each bucket of each target with `by` (target_periods.hpp), one row each:
/// scenario,class,metric,threshold_s,goal,by,periods_met,index,label,mean,ci95,met,p_met,confident.
void write_target_periods_csv(std::ostream& out, const model::Summary& s);

/// Writes a fixed-width summary for a terminal (at most 100 columns): classes, targets, groups, rooms.
void write_table(std::ostream& out, const model::Summary& s);

/// The files of `crsim run --out`, each by name.
struct ReportFiles {
    ResultFile summary_json, summary_csv, targets_csv, replications_csv, periods_csv;
    /// Each bucket of each target with `by` (target_periods.hpp); its name is empty when no target has one.
    ResultFile target_periods_csv;
    /// All of them, in the order above (target_periods.csv only when named): the result set `--out` writes.
    std::vector<ResultFile> all() const;
};

/// The files of `crsim run --out` for `s`.
ReportFiles report_files(const model::Summary& s);

/// Writes report_files(s) into `dir` as one result set (result_set.hpp): after any interruption
/// `dir` holds the whole old set or the whole new one. Throws ResultSetError naming what failed.
void write_report_files(const std::filesystem::path& dir, const model::Summary& s);

}  // namespace crsim::report
