// The fixed-width summary `crsim run` prints by default; at most 100 columns wide.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "crsim/model/report_window.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/summary_writers.hpp"
#include "table_text.hpp"

namespace crsim::report {

using namespace crsim::model;
using namespace crsim::report::table;

namespace {

/// "  12.35 ± 0.41  ": the mean right-aligned in `mean_width`, the half-width left-aligned after it,
/// both with the mean's decimals so they line up.
std::string pair(const Figure& f, std::size_t mean_width, std::size_t ci_width) {
    const int d = decimals(f.mean);
    std::string text = pad_left(fixed(f.mean, d), mean_width);
    if (std::isfinite(f.mean) && std::isfinite(f.ci95))
        text += " ± " + pad_right(fixed(f.ci95, d), ci_width);
    else
        text += std::string(3 + ci_width, ' ');
    return text;
}

/// The targets under the scenario's `verified:` criterion, beside the usual verdict above: the
/// words and bound of `crsim staff`'s verification table (verdict.hpp).
void write_verified(std::ostream& out, const Summary& s, const VerifiedVerdict& v) {
    const VerifiedSpec& r = v.recorded;
    out << "\nTargets under the criterion staffed.yaml was verified with (" << describe(r.criterion)
        << " bound; verified on seed " << r.seed << ", " << r.replications << " replications";
    if (s.seed != r.seed || s.replications != r.replications)
        out << "; this run: seed " << s.seed << ", " << s.replications << " replications";
    out << ")\n"
        << pad_right("", 38) << pad_right("mean ± 95% CI", 18) << pad_left("week", 6) << pad_left("bound", 10)
        << "  verdict\n";
    for (const TargetCheck& c : v.targets) {
        const TargetResult& t = c.target;
        out << "  " + pad_right(t.class_name, 6) + pad_right(goal_label(t), 30) + pair(t.value, 8, 7) +
                   pad_left(c.week > 0     ? std::to_string(c.week)
                            : c.bucket > 0 ? bucket_label(t.by, c.bucket - 1)
                                           : "all",
                            6) +
                   pad_left(fixed(c.bound, decimals(c.bound)), 10) + "  " + std::string(verdict_word(c))
            << '\n';
    }
}

/// A target with buckets: how many meet the goal, and its worst buckets named with their figures.
void write_buckets(std::ostream& out, const TargetResult& t) {
    constexpr std::size_t shown = 5;
    out << "\n"
        << t.class_name << ' ' << goal_label(t) << ": " << buckets_met(t) << " of " << t.buckets.size() << ' '
        << target_period(t.by).plural << " met on the mean";
    if (is_chance_target(t)) out << "; share met " << fixed(t.value.mean, 3) << " ± " << fixed(t.value.ci95, 3);
    out << '\n';
    const std::vector<const BucketResult*> order = worst_buckets(t, shown);
    out << "  " << pad_right(order.size() < t.buckets.size() ? "worst" : "bucket", 20) << pad_right("mean ± 95% CI", 18)
        << "  p_met  verdict\n";
    for (const BucketResult* b : order) {
        const std::string verdict = !b->met ? "NOT MET" : b->confident ? "MET (confident)" : "MET (not confident)";
        out << "  " << pad_right(bucket_label(t.by, b->index), 20) << pair(b->value, 8, 7) << "  "
            << pad_left(fixed(b->p_met, 2), 5) << "  " << verdict << '\n';
    }
}

std::string label(std::string_view metric, double threshold_s) {
    std::string text(metric);
    if (!std::isnan(threshold_s)) {
        text += ' ';
        text += threshold_label(threshold_s);
    }
    return text;
}

/// Writes "label value" cells two to a line.
void write_cells(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); i += 2) {
        std::string line = "  " + cells[i];
        if (i + 1 < cells.size()) line += "    " + cells[i + 1];
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

void write_staff(std::ostream& out, const char* title, const std::vector<StaffSummary>& list) {
    for (const StaffSummary& g : list) {
        out << '\n' << title << ' ' << g.name << '\n';
        std::vector<std::string> cells;
        for_each_staff_figure(g.figures, [&](std::string_view metric, double, const Figure& f) {
            cells.push_back(pad_right(std::string(metric), 19) + pair(f, 10, 10));
        });
        write_cells(out, cells);
    }
}

/// How each class's demand reached the handlers (scenarios with demand keys): only the figures
/// some replication counted, so a class no feature touches shows its demand alone.
void write_demand(std::ostream& out, const Summary& s) {
    for (const DemandSummary& d : s.demand) {
        out << "\nDemand " << d.name << " (before channel shift and triage)\n";
        std::vector<std::string> cells;
        for_each_demand_figure(d.figures, [&](std::string_view metric, double, const Figure& f) {
            if (metric == "demand" || (std::isfinite(f.mean) && f.mean != 0))
                cells.push_back(pad_right(std::string(metric), 19) + pair(f, 10, 10));
        });
        write_cells(out, cells);
    }
    for (const ScheduledSurgeSpec& g : s.surges) {
        std::string classes;
        for (std::size_t c = 0; c < g.multipliers.size() && c < s.classes.size(); ++c)
            if (g.multipliers[c] != 1.0)
                classes += " " + s.classes[c].name + " x" + fixed(g.multipliers[c], decimals(g.multipliers[c]));
        out << "  surge: day " << static_cast<long long>(g.from_s / seconds_per_day) + 1 << ", "
            << fixed((g.to_s - g.from_s) / seconds_per_hour, 1) << " h:" << classes << '\n';
    }
}

/// `crsim run --analytic`: the simulated figures Erlang estimates, with both bounds in columns
/// beside: rooms separate (no overflow) and fully pooled.
void write_analytic(std::ostream& out, const ClassSummary& c) {
    const AnalyticFigures& a = c.analytic->separate;
    const AnalyticFigures& b = c.analytic->pooled;
    out << "  " << pad_right(b.erlang_a ? "vs Erlang A" : "vs Erlang C", 19) << pad_left("simulated", 10)
        << std::string(9, ' ') << pad_left("rooms separate", 14) << pad_left("pooled", 10) << '\n';
    const auto row = [&](const std::string& name, const Figure& simulated, double separate, double pooled) {
        out << "  " << pad_right(name, 19) << pair(simulated, 10, 10)
            << pad_left(fixed(separate, decimals(separate)), 10) << pad_left(fixed(pooled, decimals(pooled)), 10)
            << '\n';
    };
    for (std::size_t i = 0; i < c.thresholds_s.size() && i < a.service_level.size() && i < b.service_level.size(); ++i)
        row(label("service_level", c.thresholds_s[i]), c.figures.service_level[i], a.service_level[i],
            b.service_level[i]);
    row("asa_s", c.figures.asa_s, a.asa_s, b.asa_s);
    row("abandoned_pct", c.figures.abandoned_pct, a.abandoned_pct, b.abandoned_pct);
    row("mean_queue_s", c.figures.mean_queue_s, a.mean_queue_s, b.mean_queue_s);
    for (const auto& [name, f] : {std::pair{"rooms separate", &a}, std::pair{"pooled", &b}})
        if (f->overloaded_intervals > 0)
            out << "  Erlang " << name << ": overloaded (Erlang C unstable) in " << f->overloaded_intervals << " of "
                << f->intervals << " intervals, first " << f->first_overloaded << '\n';
}

/// The weekly scrutiny view: one line a week, each target's figure for that week with a mark
/// when it is missed, so a trajectory (a merger, a recovery) reads at a glance.
void write_weeks(std::ostream& out, const Summary& s) {
    if (s.targets.empty() || s.classes.empty()) return;
    std::vector<std::size_t> weeks;  // the weeks with calls after the warm-up
    for (std::size_t w = 0; w < s.weeks.classes.front().size(); ++w)
        if (s.weeks.classes.front()[w].offered.n > 0) weeks.push_back(w);
    if (weeks.size() < 2) return;

    constexpr std::size_t column = 13;
    std::string header = "  week";
    for (const TargetResult& t : s.targets) {
        const TargetMetric& row = target_metric(t.metric);
        std::string metric(row.column);
        if (row.parameter.member) metric = measure_label(t).replace(0, row.name.size(), row.column);
        header += pad_left(t.class_name + " " + metric, column);
    }
    out << "\nWeek by week (mean over replications; x: target missed that week)\n" << header << '\n';
    for (const std::size_t w : weeks) {
        std::string line = pad_left(std::to_string(w + 1), 6);
        for (const TargetResult& t : s.targets) {
            const ClassSummary& c = s.classes[t.class_index];
            const Figure* f =
                target_metric(t.metric).period_figure(s.weeks.classes[t.class_index][w], c.thresholds_s, t);
            if (f == nullptr) {  // not measured per week
                line += pad_left("-  ", column);
                continue;
            }
            const bool met = meets(t.metric, f->mean, t.goal);
            line += pad_left(fixed(f->mean, decimals(f->mean)) + (met ? "  " : " x"), column);
        }
        while (line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

}  // namespace

void write_table(std::ostream& out, const Summary& s) {
    out << "Scenario " << s.scenario << ": " << s.replications << " replication" << (s.replications == 1 ? "" : "s")
        << ", seed " << s.seed << ", crsim " << s.crsim_version << "; figures are mean ± 95% CI half-width\n";
    if (s.window)
        out << "Window: " << describe(*s.window) << " (calls arriving in it, staff time within it)\n"
            << "The week by week view covers the whole run\n";

    for (const ClassSummary& c : s.classes) {
        out << "\nClass " << c.name << '\n';
        std::vector<std::string> cells;
        for_each_class_figure(
            c.figures, c.thresholds_s,
            [&](std::string_view metric, double threshold_s, const Figure& f) {
                cells.push_back(pad_right(label(metric, threshold_s), 19) + pair(f, 10, 10));
            },
            c.may_be_blocked);
        write_cells(out, cells);
        if (c.callbacks) {
            out << "  call-backs (not in the live figures above)\n";
            cells.clear();
            for_each_callback_figure(*c.callbacks, [&](std::string_view metric, const Figure& f) {
                cells.push_back(pad_right(std::string(metric), 29) + pair(f, 10, 10));
            });
            write_cells(out, cells);
        }
        if (c.analytic) write_analytic(out, c);
    }

    for (const DeferrableSummary& d : s.deferrables) {
        out << "\nDeferrable work " << d.name << " (done when no call waits)\n";
        std::vector<std::string> cells;
        for_each_deferrable_figure(d.figures, [&](std::string_view metric, const Figure& f) {
            cells.push_back(pad_right(std::string(metric), 19) + pair(f, 10, 10));
        });
        write_cells(out, cells);
        if (std::isfinite(d.target_within_s))
            out << "  target: " << fixed(100 * d.target_goal, 0) << "% started within "
                << format_number(d.target_within_s) << " s: " << (d.target_met ? "MET" : "NOT MET") << '\n';
    }

    if (!s.targets.empty()) {
        out << '\n' << pad_right("Targets", 38) << pad_right("mean ± 95% CI", 18) << "  p_met  verdict\n";
        for (const TargetResult& t : s.targets) {
            // "confident" qualifies a met target only: a target that is not met is never confident.
            const std::string verdict = !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)";
            std::string line = "  " + pad_right(t.class_name, 6) + pad_right(goal_label(t), 30) + pair(t.value, 8, 7) +
                               "  " + pad_left(fixed(t.p_met, 2), 5) + "  " + verdict;
            out << line << '\n';
        }
        for (const TargetResult& t : s.targets)
            if (t.by != TargetSpec::Period::window) write_buckets(out, t);
    }

    if (s.verified) write_verified(out, s, *s.verified);

    write_demand(out, s);
    write_staff(out, "Group", s.groups);
    write_staff(out, "Room", s.rooms);
    if (!s.groups.empty()) {
        out << "\nTotal (all groups)\n";
        std::vector<std::string> cells;
        for_each_total_figure(s.total, [&](std::string_view metric, double, const Figure& f) {
            cells.push_back(pad_right(std::string(metric), 19) + pair(f, 10, 10));
        });
        write_cells(out, cells);
    }
    write_weeks(out, s);
}

}  // namespace crsim::report
