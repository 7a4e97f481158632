#pragma once
// The analytic side of `crsim staff`: per hour of the week, the offered load of each set of
// classes and what the decision lines cover of it, turned into a covering program.

#include <cstddef>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/staffing/covering_program.hpp"

namespace crsim::staffing {

/// The hours of the week (from Monday 00:00 of the calendar) over a window, with per hour each
/// class's modified offered load and each decision line's coverage of each set of classes.
class StaffingRequirements {
public:
    static constexpr std::size_t slots = 168;

    /// Tabulates `spec` (with its staffing block) over [from_s, to_s). With `worst_week`, an
    /// hour's load is its largest over the window's weeks, else its mean.
    StaffingRequirements(const model::ScenarioSpec& spec, double from_s, double to_s, bool worst_week);

    /// Sets of classes: every non-empty subset when there are at most four classes, else each
    /// class alone and all together. A row of the covering program is (hour, set).
    const std::vector<std::vector<bool>>& class_sets() const { return sets_; }
    std::size_t rows() const { return slots * sets_.size(); }
    std::size_t row(std::size_t slot, std::size_t set) const { return slot * sets_.size() + set; }

    /// The Erlang C/A requirement of each row: the fewest people n who, pooled and serving the set's
    /// load first come first served (Erlang C, or Erlang A when some class abandons), meet the
    /// targets of every class in it, plus the work of the abandoned-call call-backs of its classes
    /// (calls per second × Erlang A's abandonment at n, mean wait ÷ mean patience, × each task's
    /// expected busy time, model::expected_busy_s); the row of every class adds backlog_people().
    std::vector<double> erlang_requirements() const;

    /// The fluid requirement of each row: the load of each class times the least share of its
    /// calls its targets need answered (service-level goal, 1 − abandonment), and for a class with
    /// abandoned-call call-backs the other calls' call-back work (at most their load: answering
    /// them instead is also allowed), summed over the set; the row of every class adds backlog_people().
    std::vector<double> fluid_requirements() const;

    /// The covering program over the decision lines for `requirements` (per row), net of what
    /// the lines that are not decisions cover; requirements no headcount can reach are capped at
    /// what the lines at their maximum cover.
    CoveringProgram program(const std::vector<double>& requirements, const std::vector<double>& cost_per_head) const;

    /// Per decision line: its coverage of each row per person (rows, coefficients).
    const std::vector<std::vector<double>>& coverage() const { return coverage_; }

    /// What the roster with the decision lines at `headcounts` covers of `row`: the lines that are
    /// not decisions plus each decision line's coverage per person times its headcount.
    double covered(const std::vector<int>& headcounts, std::size_t row) const;

    /// The set of every class (one row per hour holds the whole load).
    std::size_t all_classes() const;

    /// Offered calls per hour of class k in a slot (0 when none).
    double rate(std::size_t slot, std::size_t k) const { return rate_[slot][k]; }

    /// People kept busy by deferrable work, the window's mean: the backlogs' work arriving per
    /// second. Work that may wait hours is spread over the window, not met hour by hour.
    double backlog_people() const { return backlog_people_; }

private:
    /// Adds backlog_people() to the row of every class in each hour.
    void add_backlog_people(std::vector<double>& requirements) const;

    const model::ScenarioSpec& spec_;
    std::vector<std::vector<bool>> sets_;
    std::vector<std::vector<double>> load_;      // [slot][class] Erlangs
    std::vector<std::vector<double>> rate_;      // [slot][class] calls per hour
    std::vector<std::vector<double>> coverage_;  // [decision][row]
    std::vector<double> fixed_;                  // [row] covered by the lines that are not decisions
    double backlog_people_ = 0;
    std::vector<double> callback_busy_s_;  // [class] an abandoned call's call-back work, 0 without (or no abandoning)
};

}  // namespace crsim::staffing
