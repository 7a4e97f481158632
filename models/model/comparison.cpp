#include "crsim/model/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "crsim/model/number_text.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/stats/difference_interval.hpp"

namespace crsim::model {

namespace {

/// The identity of a compared figure, the same in every option.
struct FigureKey {
    ComparedFigure::Kind kind;
    std::string name;
    TargetSpec target;  // kind class_figure: the measure

    bool same(const FigureKey& o) const {
        return kind == o.kind && name == o.name &&
               (kind == ComparedFigure::Kind::total || same_measure(target, o.target));
    }
};

const ClassSummary* find_class(const Summary& s, const std::string& name) {
    for (const ClassSummary& c : s.classes)
        if (c.name == name) return &c;
    return nullptr;
}

/// The index of backlog `name` in s.deferrables, if s has it.
std::optional<std::size_t> find_backlog(const Summary& s, const std::string& name) {
    for (std::size_t d = 0; d < s.deferrables.size(); ++d)
        if (s.deferrables[d].name == name) return d;
    return std::nullopt;
}

/// Whether `figure` is one `s` has: its class, or its backlog.
bool has_owner(const Summary& s, const ComparedFigure& figure) {
    return figure.kind == ComparedFigure::Kind::backlog ? find_backlog(s, figure.name).has_value()
                                                        : find_class(s, figure.name) != nullptr;
}

/// A backlog's figure per replication: the share started within its own target time, so only an
/// option whose backlog has a target of that time has it.
std::optional<std::vector<double>> backlog_values(const Summary& s, const ComparedFigure& figure) {
    const std::optional<std::size_t> d = find_backlog(s, figure.name);
    if (!d) return std::nullopt;
    const std::optional<TargetResult> own = backlog_target(s, *d);
    if (!own || !same_measure(*own, figure.target)) return std::nullopt;
    std::vector<double> values;
    for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.deferrables.at(*d).within_target_share);
    return values;
}

std::string describe_key(const FigureKey& k) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about `string + " " + string` here.
    std::string text = k.kind == ComparedFigure::Kind::backlog ? "backlog " : "";
    text += k.name;
    text += ' ';
    text += measure_label(k.target);
    return text;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::better:
            return "better";
        case Verdict::worse:
            return "worse";
        case Verdict::no_difference:
            return "no difference shown";
    }
    throw std::logic_error("verdict_name: unknown verdict");
}

std::vector<std::string> option_names(std::span<const std::string> scenario_names) {
    std::vector<std::string> names;
    const auto taken = [&](const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const std::string& n : scenario_names) {
        std::string name = n;
        // x, x-2, x-3 …; counting on past a name some scenario already has.
        for (int k = 2; taken(name); ++k) name = n + "-" + std::to_string(k);
        names.push_back(name);
    }
    return names;
}

std::optional<std::vector<double>> replication_values(const Summary& s, const ComparedFigure& figure) {
    std::vector<double> values;
    values.reserve(s.per_replication.size());
    if (figure.kind == ComparedFigure::Kind::total) {
        if (figure.metric != "rostered_cost") return std::nullopt;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.total.rostered_cost);
        return values;
    }
    if (figure.kind == ComparedFigure::Kind::backlog) return backlog_values(s, figure);
    const ClassSummary* c = find_class(s, figure.name);
    if (!c) return std::nullopt;
    // The option's own target of that measure; else the class's figure, measured as the target's.
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        if (s.targets[i].class_name != figure.name || !same_measure(s.targets[i], figure.target)) continue;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.targets.at(i));
        return values;
    }
    const auto index = static_cast<std::size_t>(c - s.classes.data());
    const TargetMetric& metric = target_metric(figure.target.metric);
    bool defined = false;
    for (const ReplicationFigures& rf : s.per_replication) {
        values.push_back(metric.replication_value(ClassResult{}, rf.classes.at(index), c->thresholds_s, figure.target));
        defined = defined || !std::isnan(values.back());
    }
    if (!defined) return std::nullopt;  // the class has no such figure (another threshold, a count not kept)
    return values;
}

Comparison compare(std::span<const Summary> options, std::span<const std::string> names) {
    if (options.empty()) throw std::invalid_argument("compare: no options");
    if (names.size() != options.size()) throw std::invalid_argument("compare: one name per option is needed");
    Comparison out;
    const Summary& baseline = options.front();
    out.seed = baseline.seed;
    out.replications = baseline.replications;
    out.window = baseline.window;

    // The compared figures: every (class or backlog, target metric, threshold) of any option, first seen first.
    std::vector<std::vector<TargetResult>> targets;
    for (const Summary& s : options) targets.push_back(every_target(s));
    std::vector<FigureKey> keys;
    for (const std::vector<TargetResult>& option_targets : targets)
        for (const TargetResult& t : option_targets) {
            const FigureKey k{t.backlog ? ComparedFigure::Kind::backlog : ComparedFigure::Kind::class_figure,
                              t.class_name, static_cast<const TargetSpec&>(t)};
            if (std::none_of(keys.begin(), keys.end(), [&](const FigureKey& o) { return o.same(k); }))
                keys.push_back(k);
        }
    keys.push_back(FigureKey{ComparedFigure::Kind::total, "all", TargetSpec{}});

    for (std::size_t i = 0; i < options.size(); ++i) {
        const Summary& s = options[i];
        OptionComparison option{names[i], std::move(targets[i]), {}};
        if (i > 0) {
            for (const ClassSummary& c : s.classes)
                if (!find_class(baseline, c.name))
                    out.notes.push_back(names[i] + ": class " + c.name + " is not in the baseline " + names[0] +
                                        "; its figures are shown but not compared");
            for (const ClassSummary& c : baseline.classes)
                if (!find_class(s, c.name))
                    out.notes.push_back(names[i] + " has no class " + c.name + "; it is compared with the baseline " +
                                        names[0] + " on the classes both have");
            for (const DeferrableSummary& d : s.deferrables)
                if (!find_backlog(baseline, d.name))
                    out.notes.push_back(names[i] + ": backlog " + d.name + " is not in the baseline " + names[0] +
                                        "; its figures are shown but not compared");
            for (const DeferrableSummary& d : baseline.deferrables)
                if (!find_backlog(s, d.name))
                    out.notes.push_back(names[i] + " has no backlog " + d.name + " of the baseline " + names[0]);
        }
        for (const FigureKey& k : keys) {
            ComparedFigure f;
            f.kind = k.kind;
            f.name = k.name;
            f.target = k.target;
            if (k.kind == ComparedFigure::Kind::total) {
                f.metric = "rostered_cost";
            } else {
                f.metric = std::string(metric_name(k.target.metric));
                f.threshold_s = k.target.threshold_s;
                f.higher_is_better = target_metric(k.target.metric).minimum;
            }
            const std::optional<std::vector<double>> values = replication_values(s, f);
            if (!values) continue;  // the option does not have this class or threshold
            f.value = f.kind == ComparedFigure::Kind::total ? s.total.rostered_cost : make_figure(*values);
            if (i == 0) {
                f.diff_mean = 0;
            } else if (const std::optional<std::vector<double>> base = replication_values(baseline, f)) {
                const std::size_t n = std::min(base->size(), values->size());
                const std::span<const double> a(base->data(), n), b(values->data(), n);
                const stats::DifferenceInterval paired = stats::paired_difference(a, b, confidence_level);
                const stats::DifferenceInterval welch = stats::welch_difference(*base, *values, confidence_level);
                f.diff_mean = paired.mean;
                f.paired_ci95 = paired.half_width;
                f.unpaired_ci95 = welch.half_width;
                Verdict v = Verdict::no_difference;
                if (std::isfinite(paired.half_width)) {
                    const bool up = paired.mean - paired.half_width > 0, down = paired.mean + paired.half_width < 0;
                    if (up || down) v = up == f.higher_is_better ? Verdict::better : Verdict::worse;
                }
                f.verdict = v;
            } else if (f.kind != ComparedFigure::Kind::total && has_owner(baseline, f)) {
                out.notes.push_back(names[i] + ": " + describe_key(k) + " is not a figure of the baseline " + names[0] +
                                    "; not compared");
            }
            option.figures.push_back(std::move(f));
        }
        out.options.push_back(std::move(option));
    }
    return out;
}

}  // namespace crsim::model
