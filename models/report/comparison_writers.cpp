// compare.json, compare.csv and the comparison table of `crsim compare`.
#include "crsim/report/comparison_writers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "crsim/model/report_window.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/report/summary_writers.hpp"
#include "table_text.hpp"

namespace crsim::report {

using namespace crsim::model;
using namespace crsim::report::table;

namespace {

std::string_view kind_name(ComparedFigure::Kind kind) {
    switch (kind) {
        case ComparedFigure::Kind::class_figure:
            return "class";
        case ComparedFigure::Kind::backlog:
            return "backlog";
        case ComparedFigure::Kind::total:
            return "total";
    }
    throw std::logic_error("kind_name: unknown kind");
}

/// Whose target it is in the tables: the class, or "backlog NAME".
std::string owner(const TargetResult& t) { return t.backlog ? "backlog " + t.class_name : t.class_name; }

// --- the table ---

std::string figure_title(const ComparedFigure& f) {
    if (f.kind == ComparedFigure::Kind::total) return "total rostered cost (lower is better)";
    std::string text(kind_name(f.kind));
    text += ' ';
    text += f.name;
    text += ' ';
    text += measure_label(f.target);
    return text + (f.higher_is_better ? " (higher is better)" : " (lower is better)");
}

}  // namespace

nlohmann::ordered_json comparison_json(const Comparison& c) {
    using nlohmann::ordered_json;
    ordered_json out;
    out["baseline"] = c.options.empty() ? std::string() : c.options.front().name;
    out["seed"] = c.seed;
    out["replications"] = c.replications;
    out["window"] = window_json(c.window);
    ordered_json options = ordered_json::array();
    for (const OptionComparison& o : c.options) {
        ordered_json targets = ordered_json::array();
        for (const TargetResult& t : o.targets) targets.push_back(target_json(t));
        ordered_json rows = ordered_json::array();
        for (const ComparedFigure& f : o.figures) {
            ordered_json row{
                {"kind", kind_name(f.kind)}, {"name", f.name}, {"metric", f.metric}, {"threshold_s", f.threshold_s}};
            if (f.kind != ComparedFigure::Kind::total)
                if (const auto [key, value] = extra_parameter(f.target); !key.empty()) row[std::string(key)] = value;
            row.update(ordered_json{{"mean", f.value.mean},
                                    {"ci95", f.value.ci95},
                                    {"diff_mean", f.diff_mean},
                                    {"paired_ci95", f.paired_ci95},
                                    {"unpaired_ci95", f.unpaired_ci95},
                                    {"verdict", f.verdict ? ordered_json(verdict_name(*f.verdict)) : ordered_json()}});
            rows.push_back(std::move(row));
        }
        options.push_back(
            ordered_json{{"name", o.name}, {"targets", std::move(targets)}, {"comparisons", std::move(rows)}});
    }
    out["options"] = std::move(options);
    return out;
}

void write_comparison_json(std::ostream& out, const Comparison& c) { out << comparison_json(c).dump(2) << '\n'; }

void write_comparison_csv(std::ostream& out, const Comparison& c) {
    out << "option,kind,name,metric,threshold_s,mean,ci95,diff_mean,paired_ci95,unpaired_ci95,verdict\n";
    for (const OptionComparison& o : c.options)
        for (const ComparedFigure& f : o.figures)
            out << csv_field(o.name) << ',' << kind_name(f.kind) << ',' << csv_field(f.name) << ',' << f.metric << ','
                << format_number(f.threshold_s) << ',' << format_number(f.value.mean) << ','
                << format_number(f.value.ci95) << ',' << format_number(f.diff_mean) << ','
                << format_number(f.paired_ci95) << ',' << format_number(f.unpaired_ci95) << ','
                << (f.verdict ? csv_field(verdict_name(*f.verdict)) : "") << '\n';
}

namespace {
/// A target per period (target_periods.hpp): how many buckets meet the goal and the three worst.
void write_worst_buckets(std::ostream& out, const TargetResult& t, std::size_t indent) {
    const std::vector<const BucketResult*> order = worst_buckets(t, 3);
    const std::size_t met = buckets_met(t);
    out << std::string(indent, ' ') << met << " of " << t.buckets.size() << ' ' << target_period(t.by).plural
        << " met; worst:";
    for (std::size_t i = 0; i < order.size(); ++i)
        out << (i ? ", " : " ") << bucket_label(t.by, order[i]->index) << ' '
            << fixed(order[i]->value.mean, decimals(order[i]->value.mean));
    out << '\n';
}
}  // namespace

void write_comparison_table(std::ostream& out, const Comparison& c) {
    if (c.options.empty()) return;
    out << "Comparison of " << c.options.size() << " options: seed " << c.seed << ", " << c.replications
        << " replication" << (c.replications == 1 ? "" : "s") << " each, "
        << (c.window ? describe(*c.window) : std::string("the whole run")) << "; baseline " << c.options.front().name
        << '\n'
        << "difference = option − baseline; ± are 95% half-widths: paired over replications with common random\n"
           "numbers, unpaired (Welch) for contrast; the verdict follows the paired interval\n";

    std::size_t name_width = 6;
    for (const OptionComparison& o : c.options) name_width = std::max(name_width, columns(o.name));
    name_width = std::min<std::size_t>(name_width, 28);

    // One block per compared figure, in the baseline's order, then those only later options have.
    std::vector<const ComparedFigure*> order;
    for (const OptionComparison& o : c.options)
        for (const ComparedFigure& f : o.figures) {
            const bool seen = std::any_of(order.begin(), order.end(), [&](const ComparedFigure* g) {
                return g->kind == f.kind && g->name == f.name && g->metric == f.metric &&
                       ((std::isnan(g->threshold_s) && std::isnan(f.threshold_s)) || g->threshold_s == f.threshold_s);
            });
            if (!seen) order.push_back(&f);
        }
    for (const ComparedFigure* key : order) {
        out << '\n'
            << figure_title(*key) << '\n'
            << "  " << pad_right("option", name_width) << pad_left("mean ± 95% CI", 22) << pad_left("difference", 12)
            << pad_left("paired ±", 10) << pad_left("unpaired ±", 12) << "  verdict\n";
        for (const OptionComparison& o : c.options) {
            for (const ComparedFigure& f : o.figures) {
                if (f.kind != key->kind || f.name != key->name || f.metric != key->metric ||
                    !((std::isnan(f.threshold_s) && std::isnan(key->threshold_s)) || f.threshold_s == key->threshold_s))
                    continue;
                const int d = decimals(f.value.mean);
                std::string mean = fixed(f.value.mean, d);
                if (std::isfinite(f.value.ci95))
                    mean += " ± " + pad_right(fixed(f.value.ci95, d), 8);
                else
                    mean += std::string(11, ' ');
                std::string line = "  " + pad_right(o.name, name_width) + pad_left(mean, 22);
                if (&o == &c.options.front()) {
                    line += pad_left("(baseline)", 12);
                } else {
                    line += pad_left(fixed(f.diff_mean, d, true), 12) + pad_left(fixed(f.paired_ci95, d), 10) +
                            pad_left(fixed(f.unpaired_ci95, d), 12) + "  " +
                            (f.verdict ? std::string(verdict_name(*f.verdict)) : std::string("not compared"));
                }
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out << line << '\n';
            }
        }
    }

    out << "\nTargets of each option (as crsim run judges them)\n";
    // The class column as wide as its longest name and two spaces, so a long name never runs into
    // the metric (5 keeps the layout of three-character names such as 999 and 101).
    std::size_t class_width = 5;
    for (const OptionComparison& o : c.options)
        for (const TargetResult& t : o.targets) class_width = std::max(class_width, columns(owner(t)) + 2);
    // The goal column likewise: 28 unless a goal is longer (a target per period's "by week, ...").
    std::size_t goal_width = 28;
    for (const OptionComparison& o : c.options)
        for (const TargetResult& t : o.targets) goal_width = std::max(goal_width, columns(goal_label(t)) + 2);
    for (const OptionComparison& o : c.options) {
        for (const TargetResult& t : o.targets) {
            const std::string goal = goal_label(t);
            const int d = decimals(t.value.mean);
            std::string mean = fixed(t.value.mean, d);
            if (std::isfinite(t.value.ci95)) mean += " ± " + fixed(t.value.ci95, d);
            const std::string verdict = !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)";
            out << "  " << pad_right(o.name, name_width) << "  " << pad_right(owner(t), class_width)
                << pad_right(goal, goal_width) << pad_right(mean, 18) << " p_met " << fixed(t.p_met, 2) << "  "
                << verdict << '\n';
            if (t.by != TargetSpec::Period::window) write_worst_buckets(out, t, name_width + class_width + 4);
        }
    }
    for (const std::string& note : c.notes) out << "\nnote: " << note;
    if (!c.notes.empty()) out << '\n';
}

}  // namespace crsim::report
