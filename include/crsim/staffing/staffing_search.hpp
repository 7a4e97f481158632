#pragma once
/// \file
/// `crsim staff`: the cheapest headcounts for a scenario's `staffing:` decision lines that meet every
/// target with confidence, found by the established method:
///
/// 1. per hour of the week, the offered load of each set of classes (modified offered load, so the
///    time lag of a queue is kept) and an Erlang C/A requirement for its targets;
/// 2. a covering integer program (CBC) over the decision lines, at least rostered cost;
/// 3. simulation with common random numbers corrects the requirements where Erlang is wrong
///    (priorities, abandonment, breaks, rooms, the timeline): hours whose simulated figures miss a
///    target of a class that misses it overall get one more person, and the program is solved
///    again (the iterative staffing algorithm of Feldman, Mandelbaum, Massey & Whitt, 2008, with
///    shifts);
/// 4. polish: remove one person from a line, or move one to a cheaper line, while every target
///    is still met;
/// 5. verification on fresh seeds, with repair (one more person where it helps most) and
///    verification again on new seeds if a target fails there.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/verdict.hpp"

namespace crsim::staffing {

/// How the search runs.
struct StaffingOptions {
    double window_from_s = 0;              ///< targets are judged on calls arriving in [from, to) (>= warm-up)
    double window_to_s = 0;                ///< (<= horizon)
    std::size_t replications = 10;         ///< per evaluation during the search (common random numbers)
    std::size_t verify_replications = 20;  ///< per verification on fresh seeds
    std::uint64_t seed = 1;                ///< of the search; verification seeds are derived from it
    unsigned threads = 0;                  ///< 0 = all cores
    int max_isa_iterations = 8;            ///< simulation-corrected re-solves of the covering program
    /// Called with one line of progress (stage, evaluations, best cost so far).
    std::function<void(const std::string&)> progress;
};

/// A target judged under the staffing block's criterion (model/verdict.hpp, shared with `crsim run`).
using TargetCheck = model::TargetCheck;

/// A set of headcounts judged on one seed.
struct Judgement {
    std::uint64_t seed = 0;
    std::size_t replications = 0;
    std::vector<TargetCheck> targets;  ///< overall; with every_week the worst week of each target too
    bool passes = false;               ///< every check clears
};

/// One person fewer on a line, and the targets that then fail.
struct Removal {
    std::size_t decision = 0;  ///< index into StaffingSpec::decisions
    int headcount = 0;         ///< the line's headcount minus one
    std::vector<TargetCheck> fails;
};

/// What the search found.
struct StaffingResult {
    std::vector<int> headcounts;  ///< per decision
    // Every cost is a rostered cost in the window (RosterCalendar::rostered_cost, as `crsim run`
    // reports it in total.rostered_cost).
    std::vector<double> cost_per_head;  ///< per decision: rostered cost of one person in the window
    double cost = 0;                    ///< of the whole roster as answered: staffed.yaml's total.rostered_cost
    double fixed_cost = 0;              ///< of the lines that are not decisions
    double lower_bound = 0;             ///< no headcounts of the decision lines cost less (fluid covering bound)
    double analytic_cost = 0;           ///< of the whole roster at the first (Erlang) covering solution
    double input_cost = 0;              ///< of the scenario's own roster (candidates at 0)
    double cost_per_week = 0;           ///< `cost` per week of the window (workforce.hpp)
    double cost_per_year = 0;           ///< `cost` per year at the window's weekly rate
    double input_cost_per_year = 0;     ///< `input_cost` per year
    std::vector<double> input_fte;      ///< per group: full-time people to employ for the scenario's own roster
    std::vector<double> fte;            ///< per group: full-time people to employ for the answer
    // Per hour of the week (Monday 00:00 first), all classes together: the Erlang requirement and
    // the people on duty under the scenario's own roster and under the answer, counted as the
    // covering program counts them (after absence and breaks).
    std::vector<double> required_by_hour;
    std::vector<double> input_on_duty_by_hour;
    std::vector<double> on_duty_by_hour;
    Judgement input_judgement;  ///< the scenario's own headcounts on the first verification seed
    Judgement verification;     ///< on the last fresh seed
    int verification_rounds = 0;
    std::vector<Judgement> failed_verifications;  ///< earlier rounds that failed and were repaired
    std::vector<Removal> removals;                ///< per decision above its minimum, judged on removals_seed
    std::uint64_t removals_seed = 0;              ///< the seed (verify_replications) on which polishing ended
    bool meets_targets = false;                   ///< the verification passes
    std::size_t evaluations = 0;                  ///< simulated evaluations (each of `replications` or more)
    double seconds = 0;
};

/// How every output names decision line `line` (StaffingDecision::line): the place it is written,
/// as --set reaches it: "roster[3]", "rosters.overtime[0]" or "staffing.candidates[1]" (from 0).
std::string line_label(const model::ScenarioSpec& spec, std::size_t line);

/// The criterion of the scenario's staffing block: one-sided, at its confidence, every week or not.
model::VerdictCriterion criterion(const model::ScenarioSpec& spec);

/// The scenario with decision line d at headcounts[d]: candidates appended, lines at 0 left out.
model::ScenarioSpec apply_headcounts(const model::ScenarioSpec& spec, const std::vector<int>& headcounts);

/// Runs the search. Throws std::invalid_argument when the scenario has no staffing block.
StaffingResult search_staffing(const model::ScenarioSpec& spec, const StaffingOptions& options);

}  // namespace crsim::staffing
