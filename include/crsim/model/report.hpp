#pragma once
/// \file
/// Writers of a Summary: summary.json, summary.csv, replications.csv, periods.csv and the table.
///
/// They only format; every number comes from summarise(). An undefined figure (NaN) is written as
/// JSON null, an empty CSV cell, or "-" in the table. The file formats are described in
/// README.md ("Output files").

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "crsim/model/result_set.hpp"
#include "crsim/model/summary.hpp"

namespace crsim::model {

/// The shortest decimal text that reads back to exactly `x` ("0.1", "120", "1e+20"); "" for NaN or infinity.
std::string format_number(double x);

/// A service-level threshold as it names a JSON key: "10s", "180s", "7.5s".
std::string threshold_label(double threshold_s);

/// summary.json's content: the whole-run figures and the targets, keys in report order.
nlohmann::ordered_json summary_json(const Summary& s);

/// Writes summary.json's content (summary_json, indented by two spaces).
void write_summary_json(std::ostream& out, const Summary& s);

/// Writes summary.csv: `scenario,kind,name,metric,threshold_s,mean,ci95`, one row per figure.
void write_summary_csv(std::ostream& out, const Summary& s);

/// Writes replications.csv: `scenario,replication,kind,name,metric,threshold_s,value`, one row per
/// replication × class, group or room × metric.
void write_replications_csv(std::ostream& out, const Summary& s);

/// Writes periods.csv: `scenario,kind,name,period,index,metric,threshold_s,mean,ci95`, one row per
/// figure defined in at least one replication.
void write_periods_csv(std::ostream& out, const Summary& s);

/// Writes a fixed-width summary for a terminal (at most 100 columns): classes, targets, groups, rooms.
void write_table(std::ostream& out, const Summary& s);

/// The files of `crsim run --out`, in order: summary.json, summary.csv, replications.csv, periods.csv.
std::vector<ResultFile> report_files(const Summary& s);

/// Writes report_files(s) into `dir` as one result set (result_set.hpp): after any interruption
/// `dir` holds the whole old set or the whole new one. Throws ResultSetError naming what failed.
void write_report_files(const std::filesystem::path& dir, const Summary& s);

}  // namespace crsim::model
