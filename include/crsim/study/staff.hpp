#pragma once
/// \file
/// `crsim staff` as a library call: the search of staffing/staffing_search.hpp on a plan (window,
/// replications, seed, threads), and its two result files, staffed.yaml (a scenario `crsim run`
/// takes as it is) and staffing.json (the evidence). The command line only parses and prints.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "crsim/model/report_window.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/staffing/staffing_search.hpp"

namespace crsim::study {

/// How to run a staffing search; unset values are the scenario's own.
struct StaffPlan {
    /// Judge the targets (and count the cost) on calls arriving in this window; none: [warm-up, horizon).
    std::optional<model::ReportWindow> window;
    std::string window_given;                          ///< the window as the user gave it ("second-week", "14-26")
    std::optional<std::size_t> replications;           ///< per search evaluation (default: the scenario's, >= 2)
    std::optional<std::size_t> verify_replications;    ///< per verification (default: twice the search's, >= 20)
    std::optional<std::uint64_t> seed;                 ///< of the search (default: the scenario's)
    unsigned threads = 0;                              ///< 0: all cores
    std::function<void(const std::string&)> progress;  ///< one line per stage of the search
};

/// A staffing search's answer with the plan it answered.
struct StaffAnswer {
    staffing::StaffingResult result;
    StaffPlan plan;
};

/// A decision line as the user wrote it.
struct DecisionLineView {
    std::string source;  ///< roster[3], rosters.overtime[0], staffing.candidates[1]
    std::string room, group, shift, days;
    bool overtime = false;
};

/// Roster line `line` of `spec` (a candidate when beyond spec.shifts) as written in the scenario.
DecisionLineView decision_line_view(const model::ScenarioSpec& spec, std::size_t line);

/// The search options `plan` gives for `spec`: its window as the judged [from, to), the defaults.
staffing::StaffingOptions staffing_options(const model::ScenarioSpec& spec, const StaffPlan& plan);

/// Runs the search (staffing::search_staffing). `spec` must have a staffing block.
StaffAnswer staff(const model::ScenarioSpec& spec, const StaffPlan& plan);

/// staffing.json: the answer, its cost, bound, verification and removals (README.md documents the keys).
nlohmann::ordered_json staffing_json(const model::ScenarioSpec& spec, const StaffAnswer& answer);

/// staffed.yaml: a scenario that `extends` the input (a path relative to the file's directory),
/// sets the chosen headcounts, the window as warm-up and horizon, and records the criterion it was
/// verified with in its `verified:` block.
std::string staffed_yaml(const model::ScenarioSpec& spec, const StaffAnswer& answer, const std::string& extends);

/// The names of the files write_staff_files writes.
inline constexpr const char* staffed_yaml_file = "staffed.yaml";
inline constexpr const char* staffing_json_file = "staffing.json";

/// Writes staffed.yaml and staffing.json into the directory `dir` (each whole or not at all); `scenario_path` is
/// the input scenario, which staffed.yaml extends.
void write_staff_files(const std::filesystem::path& dir, const std::filesystem::path& scenario_path,
                       const model::ScenarioSpec& spec, const StaffAnswer& answer);

}  // namespace crsim::study
