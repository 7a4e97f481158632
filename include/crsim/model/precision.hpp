#pragma once
/// \file
/// `--precision`: how many replications are enough. Goals for the 95% half-width of each kind of
/// target figure (shares, seconds, percent); replications are added until every figure a goal
/// applies to is within it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/comparison.hpp"
#include "crsim/model/summary.hpp"

namespace crsim::model {

/// Half-width goals by kind of figure; a kind without a goal never holds a run back.
struct PrecisionGoals {
    std::optional<double> share;    ///< service levels (0–1): a bare number, e.g. 0.005
    std::optional<double> seconds;  ///< asa_s: a duration, e.g. 5s or 0.5min
    std::optional<double> percent;  ///< abandoned_pct: a percentage, e.g. 0.5%

    bool any() const { return share || seconds || percent; }
};

/// Adds one `--precision` value to `goals`: "0.005" (shares), "5s"/"2min"/"1h" (times) or "0.5%"
/// (abandoned_pct). Throws std::invalid_argument saying what was expected; a goal must be > 0.
void add_precision_goal(PrecisionGoals& goals, std::string_view text);

/// One figure a goal applies to, with its current half-width.
struct PrecisionItem {
    std::string label;  ///< e.g. "101 service_level 180s" or "merger-officers − merger: 101 service_level 180s"
    double half_width;  ///< NaN when there is no interval yet (one replication)
    double goal;
    std::string unit;  ///< "", " s" or " points"
};

/// Where a run stands against its precision goals.
struct PrecisionStatus {
    std::vector<PrecisionItem> items;

    /// Every item's half-width is within its goal (true when no goal applies to anything).
    bool reached() const;
    /// The item furthest from its goal (largest half-width / goal; one without an interval first),
    /// or nullptr when there are no items.
    const PrecisionItem* widest() const;
};

/// The target figures of a run that `goals` apply to. Undefined figures (no call offered) are left out.
PrecisionStatus precision_status(const Summary& summary, const PrecisionGoals& goals);

/// For a comparison: every option's target figures and every paired difference from the baseline.
PrecisionStatus precision_status(const Comparison& comparison, const PrecisionGoals& goals);

/// The replication count to run next, from `n` done: the half-width shrinks as 1/√n, so aim at
/// n·(half-width/goal)², at least one more, at most twice as many (early estimates of the spread
/// are rough), and never above `max`.
std::size_t next_replication_count(std::size_t n, const PrecisionStatus& status, std::size_t max);

/// "101 service_level 180s ±0.0049 (goal 0.005)".
std::string describe(const PrecisionItem& item);

}  // namespace crsim::model
