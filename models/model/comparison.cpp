#include "crsim/model/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "crsim/model/number_text.hpp"
#include "crsim/stats/difference_interval.hpp"

namespace crsim::model {

namespace {

/// The identity of a compared figure, the same in every option.
struct FigureKey {
    ComparedFigure::Kind kind;
    std::string name, metric;
    double threshold_s;

    bool same(const FigureKey& o) const {
        const bool thresholds = (std::isnan(threshold_s) && std::isnan(o.threshold_s)) || threshold_s == o.threshold_s;
        return kind == o.kind && name == o.name && metric == o.metric && thresholds;
    }
};

const ClassSummary* find_class(const Summary& s, const std::string& name) {
    for (const ClassSummary& c : s.classes)
        if (c.name == name) return &c;
    return nullptr;
}

/// The figure's value in a class's figures (V = Figure or double); nothing when the class has no such threshold.
template <class V>
const V* class_value(const ClassFigures<V>& f, const ClassSummary& c, const std::string& metric, double threshold_s) {
    if (metric == "service_level") {
        const auto it = std::find(c.thresholds_s.begin(), c.thresholds_s.end(), threshold_s);
        if (it == c.thresholds_s.end()) return nullptr;
        return &f.service_level[static_cast<std::size_t>(it - c.thresholds_s.begin())];
    }
    if (metric == "abandoned_pct") return &f.abandoned_pct;
    if (metric == "asa_s") return &f.asa_s;
    return nullptr;
}

std::string describe_key(const FigureKey& k) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about `string + " " + string` here.
    std::string text = k.name;
    text += ' ';
    text += k.metric;
    if (!std::isnan(k.threshold_s)) {
        text += ' ';
        text += threshold_label(k.threshold_s);
    }
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
    const ClassSummary* c = find_class(s, figure.name);
    if (!c || !class_value(c->figures, *c, figure.metric, figure.threshold_s)) return std::nullopt;
    const auto index = static_cast<std::size_t>(c - s.classes.data());
    for (const ReplicationFigures& rf : s.per_replication)
        values.push_back(*class_value(rf.classes.at(index), *c, figure.metric, figure.threshold_s));
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

    // The compared figures: every (class, target metric, threshold) of any option, first seen first.
    std::vector<FigureKey> keys;
    for (const Summary& s : options)
        for (const TargetResult& t : s.targets) {
            const FigureKey k{ComparedFigure::Kind::class_figure, t.class_name, std::string(metric_name(t.metric)),
                              t.threshold_s};
            if (std::none_of(keys.begin(), keys.end(), [&](const FigureKey& o) { return o.same(k); }))
                keys.push_back(k);
        }
    keys.push_back(
        FigureKey{ComparedFigure::Kind::total, "all", "rostered_cost", std::numeric_limits<double>::quiet_NaN()});

    for (std::size_t i = 0; i < options.size(); ++i) {
        const Summary& s = options[i];
        OptionComparison option{names[i], s.targets, {}};
        if (i > 0) {
            for (const ClassSummary& c : s.classes)
                if (!find_class(baseline, c.name))
                    out.notes.push_back(names[i] + ": class " + c.name + " is not in the baseline " + names[0] +
                                        "; its figures are shown but not compared");
            for (const ClassSummary& c : baseline.classes)
                if (!find_class(s, c.name))
                    out.notes.push_back(names[i] + " has no class " + c.name + "; it is compared with the baseline " +
                                        names[0] + " on the classes both have");
        }
        for (const FigureKey& k : keys) {
            ComparedFigure f;
            f.kind = k.kind;
            f.name = k.name;
            f.metric = k.metric;
            f.threshold_s = k.threshold_s;
            f.higher_is_better = k.metric == "service_level";
            const std::optional<std::vector<double>> values = replication_values(s, f);
            if (!values) continue;  // the option does not have this class or threshold
            if (f.kind == ComparedFigure::Kind::total) {
                f.value = s.total.rostered_cost;
            } else {
                const ClassSummary& c = *find_class(s, f.name);
                f.value = *class_value(c.figures, c, f.metric, f.threshold_s);
            }
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
            } else if (f.kind == ComparedFigure::Kind::class_figure && find_class(baseline, f.name)) {
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
