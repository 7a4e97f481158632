#pragma once
/// \file
/// Comparing options (scenarios run with common random numbers): each target figure and the total
/// rostered cost of every option against the first (the baseline), with paired and unpaired intervals of the
/// difference and a verdict. `crsim compare` prints and writes it; the report draws it.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/summary.hpp"

namespace crsim::model {

/// How an option's figure compares with the baseline's.
enum class Verdict {
    better,         ///< the paired 95% interval of the difference excludes 0 on the better side
    worse,          ///< … on the worse side
    no_difference,  ///< the interval holds 0 (or there is none)
};

/// "better", "worse" or "no difference shown".
std::string_view verdict_name(Verdict verdict);

/// One figure of one option, compared with the same figure of the baseline.
struct ComparedFigure {
    /// A class's target figure, a backlog's response-time target figure (the share of its items
    /// started within threshold_s, metric service_level) or the total.
    enum class Kind { class_figure, backlog, total };
    Kind kind = Kind::class_figure;
    std::string name;    ///< the class or backlog, or "all" for the total
    std::string metric;  ///< service_level, abandoned_pct, asa_s, or rostered_cost (kind total)
    double threshold_s = std::numeric_limits<double>::quiet_NaN();  ///< service_level only
    TargetSpec target;              ///< not kind total: the target measure compared (metric and parameter)
    bool higher_is_better = false;  ///< service levels; every other figure is better lower
    Figure value;                   ///< the option's own mean and half-width
    /// Option − baseline, over the replications both define; 0 for the baseline itself, NaN when
    /// the baseline has no such figure.
    double diff_mean = std::numeric_limits<double>::quiet_NaN();
    double paired_ci95 = std::numeric_limits<double>::quiet_NaN();    ///< half-width, Student t over the differences
    double unpaired_ci95 = std::numeric_limits<double>::quiet_NaN();  ///< half-width, Welch
    std::optional<Verdict> verdict;  ///< none for the baseline and where the baseline has no such figure
};

/// Everything compared about one option.
struct OptionComparison {
    std::string name;  ///< the scenario's name, with -2, -3 … when repeated
    /// Its own target verdicts as `crsim run` gives them: the classes', then its backlogs' (every_target).
    std::vector<TargetResult> targets;
    std::vector<ComparedFigure> figures;  ///< every compared figure, in a fixed order (see compare())
};

/// A comparison of options; options[0] is the baseline.
struct Comparison {
    std::uint64_t seed = 0;
    std::size_t replications = 0;
    std::optional<ReportWindow> window;
    std::vector<OptionComparison> options;
    std::vector<std::string> notes;  ///< what could not be compared (classes or figures not shared), in words
};

/// Unique option names: the scenario names, a repeated one suffixed -2, -3, … in order of appearance.
std::vector<std::string> option_names(std::span<const std::string> scenario_names);

/// Compares `options` (summaries of scenarios run with the same seed and replication numbers; the
/// first is the baseline) under `names`. The compared figures are each class's and each backlog's
/// target figures — the union over the options of (class or backlog, metric, threshold), in order of
/// first appearance — then the total rostered cost (the same in every replication, so its paired interval is 0 wide).
/// An option has a row for each of them whose class it has; the difference is left out (NaN, no verdict) where the
/// baseline lacks the figure, and `notes` says so. Replication r of one option is paired with replication r of the
/// baseline.
Comparison compare(std::span<const Summary> options, std::span<const std::string> names);

/// The per-replication values of one compared figure in a summary (NaN where undefined), or nothing
/// when the summary does not have that figure.
std::optional<std::vector<double>> replication_values(const Summary& summary, const ComparedFigure& figure);

}  // namespace crsim::model
