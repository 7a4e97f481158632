#include "crsim/model/precision.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <system_error>

#include "crsim/model/number_text.hpp"
#include "crsim/model/target_metric.hpp"

namespace crsim::model {

namespace {

/// The goal that applies to a target metric's figures (by their unit), if any, with the unit it is written in.
std::optional<std::pair<double, const char*>> goal_for(const PrecisionGoals& goals, TargetSpec::Metric metric) {
    switch (target_metric(metric).unit) {
        case TargetUnit::share:
            if (goals.share) return std::make_pair(*goals.share, "");
            break;
        case TargetUnit::seconds:
            if (goals.seconds) return std::make_pair(*goals.seconds, " s");
            break;
        case TargetUnit::percent:
            if (goals.percent) return std::make_pair(*goals.percent, " points");
            break;
    }
    return std::nullopt;
}

double ratio(const PrecisionItem& item) { return std::isnan(item.half_width) ? INFINITY : item.half_width / item.goal; }

void add_targets(PrecisionStatus& status, const std::vector<TargetResult>& targets, const PrecisionGoals& goals,
                 const std::string& prefix) {
    for (const TargetResult& t : targets) {
        const auto goal = goal_for(goals, t.metric);
        if (!goal || std::isnan(t.value.mean)) continue;
        status.items.push_back(
            {prefix + t.class_name + " " + measure_label(t), t.value.ci95, goal->first, goal->second});
    }
}

}  // namespace

void add_precision_goal(PrecisionGoals& goals, std::string_view text) {
    std::string quoted = "'";  // built piece by piece: GCC 12 warns falsely (-Wrestrict) on "'" + string + "'"
    quoted += text;
    quoted += '\'';
    double value = 0;
    const char* first = text.data();
    const char* last = first + text.size();
    const auto [end, ec] = std::from_chars(first, last, value);
    const std::string_view unit(end, static_cast<std::size_t>(last - end));
    if (ec != std::errc() || end == first || !std::isfinite(value))
        throw std::invalid_argument(quoted + " is not a precision: expected a half-width such as 0.005 (service " +
                                    "levels), 5s (asa_s) or 0.5% (abandoned_pct)");
    if (!(value > 0)) throw std::invalid_argument(quoted + ": a precision must be greater than 0");
    if (unit.empty()) {
        if (value >= 1)
            throw std::invalid_argument(quoted + ": a bare precision is a share of calls (0–1), e.g. " +
                                        "0.005 for half a percentage point; give times with a unit (5s)");
        goals.share = value;
    } else if (unit == "%") {
        goals.percent = value;
    } else if (unit == "s") {
        goals.seconds = value;
    } else if (unit == "min") {
        goals.seconds = value * 60;
    } else if (unit == "h") {
        goals.seconds = value * 3600;
    } else {
        throw std::invalid_argument(quoted + ": unknown unit '" + std::string(unit) +
                                    "'; expected none (a share), %, s, min or h");
    }
}

bool PrecisionStatus::reached() const {
    return std::all_of(items.begin(), items.end(), [](const PrecisionItem& i) { return ratio(i) <= 1; });
}

const PrecisionItem* PrecisionStatus::widest() const {
    const PrecisionItem* worst = nullptr;
    for (const PrecisionItem& i : items)
        if (!worst || ratio(i) > ratio(*worst)) worst = &i;
    return worst;
}

PrecisionStatus precision_status(const Summary& summary, const PrecisionGoals& goals) {
    PrecisionStatus status;
    add_targets(status, summary.targets, goals, "");
    return status;
}

PrecisionStatus precision_status(const Comparison& comparison, const PrecisionGoals& goals) {
    PrecisionStatus status;
    for (const OptionComparison& o : comparison.options) add_targets(status, o.targets, goals, o.name + ": ");
    for (std::size_t i = 1; i < comparison.options.size(); ++i) {
        const OptionComparison& o = comparison.options[i];
        for (const ComparedFigure& f : o.figures) {
            if (f.kind != ComparedFigure::Kind::class_figure) continue;  // the rostered cost is exact
            const auto goal = goal_for(goals, f.target.metric);
            if (!goal || std::isnan(f.diff_mean)) continue;
            status.items.push_back({o.name + " − " + comparison.options.front().name + ": " + f.name + " " +
                                        measure_label(f.target) + " difference",
                                    f.paired_ci95, goal->first, goal->second});
        }
    }
    return status;
}

std::size_t next_replication_count(std::size_t n, const PrecisionStatus& status, std::size_t max) {
    if (n >= max) return max;
    const PrecisionItem* worst = status.widest();
    std::size_t next = 2 * std::max<std::size_t>(n, 1);
    if (worst && std::isfinite(ratio(*worst))) {
        const double wanted = std::ceil(static_cast<double>(n) * ratio(*worst) * ratio(*worst));
        next = std::min(next, static_cast<std::size_t>(std::max(wanted, static_cast<double>(n + 1))));
    }
    return std::min(std::max(next, n + 1), max);
}

std::string describe(const PrecisionItem& item) {
    char width[64] = "no interval yet";
    if (!std::isnan(item.half_width)) std::snprintf(width, sizeof width, "±%.3g%s", item.half_width, item.unit.c_str());
    return item.label + " " + width + " (goal " + format_number(item.goal) + item.unit + ")";
}

}  // namespace crsim::model
