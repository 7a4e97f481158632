#pragma once
/// \file
/// The verdict on a scenario's targets under a VerdictCriterion: the one rule by which `crsim staff`
/// accepts headcounts and `crsim run` judges a staffed.yaml's `verified:` block, so that both say
/// the same about the same figures.
///
/// A target with `by` (target_periods.hpp) is judged in each of its buckets under the same rule and
/// clears only when every bucket clears; its check is its worst bucket's. A chance target's figure
/// is the share of its buckets meeting the goal, and its bound must reach periods_met.
///
/// A target clears when the bound of its figure meets the goal: the mean minus (for a minimum) or
/// plus (for a maximum) the Student-t quantile at the criterion's confidence (one-sided, or the
/// two-sided interval's edge) times the standard error over the replications. A figure with fewer
/// than two replications has no bound and does not clear. With every_week, each target is judged
/// in each week of the window too, and its worst week is kept beside the overall check. A
/// deferrable backlog's response-time target is judged too, after the classes' (whole run only).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/summary.hpp"

namespace crsim::model {

/// Each target of `summary` (of `spec`) under `criterion`, in target order; with every_week each
/// target's overall check is followed by its worst week (targets not measured per week: none);
/// then each backlog's target (backlog_target).
std::vector<TargetCheck> judge_targets(const ScenarioSpec& spec, const Summary& summary,
                                       const VerdictCriterion& criterion);

/// Backlog `index` of `summary`'s response-time target as a target, judged as a class's service
/// level is (judge_target: met, p_met, confident) on the share of its items started within the
/// target time in each replication (whole run only); nullopt when it has none.
std::optional<TargetResult> backlog_target(const Summary& summary, std::size_t index);

/// The classes' targets of `summary`, then its backlogs' (backlog_target): every target `crsim run
/// --fail-on-miss` counts.
std::vector<TargetResult> every_target(const Summary& summary);

/// Every check clears.
bool all_clear(const std::vector<TargetCheck>& checks);

/// The word for a check in every output: "met" or "NOT MET".
std::string_view verdict_word(const TargetCheck& check);

/// Where a check was judged, for tables: "all" (the whole window), its week ("14") with every_week,
/// or its worst bucket ("09:00–10:00", "week 14") for a target with `by`.
std::string judged_on(const TargetCheck& check);

/// "one-sided 95%" (or "two-sided 95%"), with " in every week" when so: the criterion in words.
std::string describe(const VerdictCriterion& criterion);

}  // namespace crsim::model
