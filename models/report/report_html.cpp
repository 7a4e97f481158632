// The HTML report of `crsim run --report` and `crsim compare --report`.
#include "crsim/report/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "chart_style.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/report/summary_writers.hpp"

namespace crsim::report {

using namespace crsim::model;

namespace {

using nlohmann::json;

using namespace chart_style;

std::string with_ci(const Figure& f) { return chart_style::with_ci(f.mean, f.ci95); }

/// "999 service_level 10s >= 0.9": the target as the table and the JSON name it.
std::string target_label(const TargetResult& t) { return t.class_name + " " + goal_label(t); }

std::string verdict(const TargetResult& t) {
    return !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)";
}

bool same_target(const TargetResult& a, const TargetResult& b) {
    return a.class_name == b.class_name && a.metric == b.metric &&
           (a.threshold_s == b.threshold_s || (std::isnan(a.threshold_s) && std::isnan(b.threshold_s)));
}

/// A round number at or just above x > 0 (two significant digits), for the end of an axis.
double round_up(double x) {
    const double unit = std::pow(10.0, std::floor(std::log10(x)) - 1);
    return std::ceil(x / unit - 1e-9) * unit;
}

/// The weeks of a summary that hold measured calls (0-based): those not wholly inside the warm-up.
std::vector<std::size_t> measured_weeks(const Summary& s) {
    std::vector<std::size_t> weeks;
    if (s.weeks.classes.empty()) return weeks;
    for (std::size_t w = 0; w < s.weeks.classes.front().size(); ++w)
        if (s.weeks.classes.front()[w].offered.n > 0) weeks.push_back(w);
    return weeks;
}

const ClassSummary* find_class(const Summary& s, const std::string& name) {
    for (const ClassSummary& c : s.classes)
        if (c.name == name) return &c;
    return nullptr;
}

/// One option's series of a target's figure, week by week: the mean and the edges of its 95% CI.
struct WeeklySeries {
    json mean = json::array(), low = json::array(), high = json::array();
};

WeeklySeries weekly_series(const Summary& s, const TargetResult& target, std::span<const std::size_t> weeks) {
    WeeklySeries out;
    const ClassSummary* c = find_class(s, target.class_name);
    const auto k = c ? static_cast<std::size_t>(c - s.classes.data()) : s.classes.size();
    for (const std::size_t w : weeks) {
        const Figure* v = nullptr;
        if (k < s.weeks.classes.size() && w < s.weeks.classes[k].size()) {
            // nullptr where this option's class has no such threshold (or the metric is not measured
            // per week): the line has a gap rather than a wrong figure.
            v = target_metric(target.metric).period_figure(s.weeks.classes[k][w], c->thresholds_s, target);
        }
        const bool band = v && std::isfinite(v->ci95);
        out.mean.push_back(v ? value(v->mean) : json(nullptr));
        out.low.push_back(band ? value(v->mean - v->ci95) : json(nullptr));
        out.high.push_back(band ? value(v->mean + v->ci95) : json(nullptr));
    }
    return out;
}

/// The page's sections, shared by the run report (one option) and the comparison report.
class ReportBuilder {
public:
    ReportBuilder(HtmlPage& page, std::span<const std::string> names, std::span<const Summary> summaries,
                  const Comparison* comparison)
        : page_(page), names_(names), summaries_(summaries), comparison_(comparison) {}

    void build() {
        introduction();
        verdicts();
        class_figures();
        trajectories();
        answer_times();
        demand_and_staffing();
        if (comparison_) costs();
        page_.paragraph("Made by crsim " + summaries_.front().crsim_version +
                        ". The figures behind the charts are in this page's source (crsim-summary), as "
                        "summary.json has them.");
        nlohmann::ordered_json data = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            data.push_back({{"option", names_[i]}, {"summary", summary_json(summaries_[i])}});
        page_.data("crsim-summary", data.dump());
    }

private:
    const Summary& base() const { return summaries_.front(); }

    void introduction() {
        const Summary& s = base();
        page_.paragraph(
            cat({"Seed ", std::to_string(s.seed), ", ", std::to_string(s.replications), " replications",
                 summaries_.size() > 1 ? " of each option (common random numbers)" : "", ". Whole-run figures cover ",
                 s.window ? describe(*s.window) : std::string("the whole run after the warm-up"),
                 ". Every figure is the mean over replications with its 95% confidence interval."}));
    }

    void verdicts() {
        page_.heading("Targets");
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const TargetResult& t : summaries_[i].targets)
                rows.push_back({names_[i], target_label(t), with_ci(t.value), fixed(t.p_met, 2), verdict(t)});
        if (rows.empty())
            page_.paragraph("The scenario sets no targets.");
        else
            page_.table({"option", "target", "mean ± 95% CI", "p_met", "verdict"}, rows);
        if (!comparison_ || comparison_->options.size() < 2) return;
        page_.heading("Against the baseline " + names_[0] + " (paired over replications, common random numbers)");
        rows.clear();
        for (std::size_t i = 1; i < comparison_->options.size(); ++i)
            for (const ComparedFigure& f : comparison_->options[i].figures) {
                std::string figure =
                    f.kind == ComparedFigure::Kind::total ? "total " + f.metric : f.name + " " + f.metric;
                if (!std::isnan(f.threshold_s)) figure += cat({" ", threshold_label(f.threshold_s)});
                const int d = decimals(f.value.mean);
                rows.push_back({comparison_->options[i].name, figure, with_ci(f.value), fixed(f.diff_mean, d),
                                fixed(f.paired_ci95, d), fixed(f.unpaired_ci95, d),
                                f.verdict ? std::string(verdict_name(*f.verdict)) : "not compared"});
            }
        page_.table({"option", "figure", "mean ± 95% CI", "difference", "paired ±", "unpaired ±", "verdict"}, rows);
    }

    void class_figures() {
        page_.heading("Each class, whole run");
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const ClassSummary& c : summaries_[i].classes) {
                const ClassFigures<Figure>& f = c.figures;
                std::string levels;
                for (std::size_t j = 0; j < c.thresholds_s.size() && j < f.service_level.size(); ++j)
                    levels +=
                        cat({j ? ", " : "", threshold_label(c.thresholds_s[j]), ": ", with_ci(f.service_level[j])});
                rows.push_back({names_[i], c.name, with_ci(f.offered), with_ci(f.answered), with_ci(f.abandoned_pct),
                                with_ci(f.asa_s), levels.empty() ? "-" : levels, with_ci(f.wait_p90_s)});
            }
        page_.table({"option", "class", "offered", "answered", "abandoned_pct", "asa_s", "service_level", "wait_p90_s"},
                    rows);
    }

    /// Week by week, each target's figure per option with its 95% CI band, and the goal.
    void trajectories() {
        page_.heading("Week by week");
        const std::vector<std::size_t> weeks = measured_weeks(base());
        if (base().targets.empty()) {
            page_.paragraph("No targets, so no week-by-week charts.");
            return;
        }
        json labels = json::array();
        for (const std::size_t w : weeks) labels.push_back(w + 1);
        for (const TargetResult& target : base().targets) {
            json datasets = json::array();
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const WeeklySeries s = weekly_series(summaries_[i], target, weeks);
                datasets.push_back({{"label", names_[i]},
                                    {"data", s.mean},
                                    {"borderColor", colour(i)},
                                    {"backgroundColor", colour(i)},
                                    {"pointRadius", 2},
                                    {"fill", false}});
                // The band: the upper edge filled down to the lower edge, the dataset after it.
                datasets.push_back({{"label", names_[i] + " 95% CI"},
                                    {"data", s.high},
                                    {"borderWidth", 0},
                                    {"pointRadius", 0},
                                    {"backgroundColor", faint(i)},
                                    {"fill", "+1"},
                                    {"legendHidden", true}});
                datasets.push_back({{"label", names_[i] + " 95% CI (lower edge)"},
                                    {"data", s.low},
                                    {"borderWidth", 0},
                                    {"pointRadius", 0},
                                    {"backgroundColor", faint(i)},
                                    {"fill", false},
                                    {"legendHidden", true}});
            }
            datasets.push_back({{"label", cat({"target ", format_number(target.goal)})},
                                {"data", json(std::vector<double>(weeks.size(), target.goal))},
                                {"borderColor", "#000"},
                                {"borderDash", {6, 4}},
                                {"pointRadius", 0},
                                {"fill", false}});
            page_.chart(
                cat({target_label(target), ": week by week (shaded: 95% CI)",
                     base().window ? cat({"; the whole-run figures above cover ", describe(*base().window)}) : ""}),
                json{{"type", "line"},
                     {"data", {{"labels", labels}, {"datasets", datasets}}},
                     {"options", chart_options("week of the run", target_label(target))}});
        }
    }

    /// The distribution of the waits of answered calls, per class: the mean quantile curve.
    void answer_times() {
        page_.heading("How long answered callers waited");
        for (const ClassSummary& cls : base().classes) {
            json datasets = json::array();
            double axis_end = 0;
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const ClassSummary* c = find_class(summaries_[i], cls.name);
                if (!c || c->wait_cdf_s.size() != wait_cdf_probabilities.size()) continue;
                json points = json::array();
                for (std::size_t j = 0; j < wait_cdf_probabilities.size(); ++j)
                    if (std::isfinite(c->wait_cdf_s[j].mean))
                        points.push_back({{"x", c->wait_cdf_s[j].mean}, {"y", wait_cdf_probabilities[j]}});
                // The axis ends at the 99.9th percentile: the single longest wait would squash the rest.
                const double p999 = c->wait_cdf_s[wait_cdf_probabilities.size() - 2].mean;
                if (std::isfinite(p999)) axis_end = std::max(axis_end, p999);
                datasets.push_back({{"label", names_[i]},
                                    {"data", points},
                                    {"borderColor", colour(i)},
                                    {"backgroundColor", colour(i)},
                                    {"showLine", true},
                                    {"pointRadius", 0},
                                    {"fill", false}});
            }
            if (datasets.empty()) continue;
            for (const double t : cls.thresholds_s)
                datasets.push_back({{"label", cat({"threshold ", threshold_label(t)})},
                                    {"data", json::array({{{"x", t}, {"y", 0}}, {{"x", t}, {"y", 1}}})},
                                    {"borderColor", "#999"},
                                    {"borderDash", {4, 4}},
                                    {"showLine", true},
                                    {"pointRadius", 0},
                                    {"legendHidden", true}});
            json options = chart_options("wait of an answered call, seconds", "share answered within that wait");
            options["scales"]["x"]["min"] = 0;
            if (axis_end > 0) options["scales"]["x"]["max"] = round_up(axis_end);
            options["scales"]["y"]["min"] = 0;
            options["scales"]["y"]["max"] = 1;
            page_.chart("Class " + cls.name +
                            ": share of answered calls answered within each wait (mean quantiles over "
                            "replications; dashed: service-level thresholds; the axis ends at the 99.9th percentile)",
                        json{{"type", "scatter"}, {"data", {{"datasets", datasets}}}, {"options", options}});
        }
    }

    /// Calls offered an hour and people on duty by hour of the week, then the occupancy.
    void demand_and_staffing() {
        page_.heading("Demand, staffing and occupancy by hour of the week");
        json hours = json::array();
        const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        for (int h = 0; h < 168; ++h) {
            char label[16];
            std::snprintf(label, sizeof label, "%s %02d:00", days[h / 24], h % 24);
            hours.push_back(label);
        }
        json demand = json::array(), occupancy = json::array();
        std::vector<json> offered_series;
        for (std::size_t i = 0; i < summaries_.size(); ++i) {
            const Summary& s = summaries_[i];
            json offered = json::array(), people = json::array(), occ = json::array();
            for (std::size_t h = 0; h < 168; ++h) {
                const double measured = h < s.hour_of_week_measured_h.size() ? s.hour_of_week_measured_h[h] : 0;
                double calls = 0, paid = 0, busy_share = 0, weight = 0;
                for (const auto& c : s.hours_of_week.classes)
                    if (h < c.size() && std::isfinite(c[h].offered.mean)) calls += c[h].offered.mean;
                for (const auto& g : s.hours_of_week.groups) {
                    if (h >= g.size() || !std::isfinite(g[h].paid_hours.mean)) continue;
                    paid += g[h].paid_hours.mean;
                    if (std::isfinite(g[h].occupancy.mean) && g[h].paid_hours.mean > 0) {
                        busy_share += g[h].occupancy.mean * g[h].paid_hours.mean;
                        weight += g[h].paid_hours.mean;
                    }
                }
                offered.push_back(measured > 0 ? value(calls / measured) : json(nullptr));
                people.push_back(measured > 0 ? value(paid / measured) : json(nullptr));
                occ.push_back(weight > 0 ? value(busy_share / weight) : json(nullptr));
            }
            // Demand is drawn once when every option has the same (the usual case: staffing options).
            const bool new_demand =
                std::find(offered_series.begin(), offered_series.end(), offered) == offered_series.end();
            if (new_demand) {
                demand.push_back({{"label", summaries_.size() > 1 ? cat({"calls offered an hour (", names_[i], ")"})
                                                                  : "calls offered an hour"},
                                  {"data", offered},
                                  {"borderColor", offered_series.empty() ? "#555" : colour(i)},
                                  {"borderDash", {2, 2}},
                                  {"pointRadius", 0},
                                  {"yAxisID", "y"}});
                offered_series.push_back(offered);
            }
            demand.push_back({{"label", "people on duty (" + names_[i] + ")"},
                              {"data", people},
                              {"borderColor", colour(i)},
                              {"pointRadius", 0},
                              {"yAxisID", "y2"}});
            occupancy.push_back({{"label", names_[i]}, {"data", occ}, {"borderColor", colour(i)}, {"pointRadius", 0}});
        }
        json demand_options = chart_options("hour of the week", "calls offered an hour");
        demand_options["scales"]["y"]["min"] = 0;
        demand_options["scales"]["y2"] = {{"position", "right"},
                                          {"min", 0},
                                          {"title", axis_title("people on duty")},
                                          {"grid", {{"drawOnChartArea", false}}}};
        page_.chart(
            "Calls offered an hour (dashed, left axis) and people on duty (right axis), by hour of the week: "
            "means over the measured weeks and the replications",
            json{{"type", "line"}, {"data", {{"labels", hours}, {"datasets", demand}}}, {"options", demand_options}});
        json occupancy_options = chart_options("hour of the week", "occupancy (busy / available)");
        occupancy_options["scales"]["y"]["min"] = 0;
        occupancy_options["scales"]["y"]["max"] = 1;
        page_.chart("Occupancy of the people on duty by hour of the week (all groups, weighted by paid hours)",
                    json{{"type", "line"},
                         {"data", {{"labels", hours}, {"datasets", occupancy}}},
                         {"options", occupancy_options}});
    }

    /// Each option's total rostered cost against each target's figure, with the figure's 95% CI and the goal.
    void costs() {
        page_.heading("What each option costs, against each target");
        double cost_low = INFINITY, cost_high = -INFINITY;
        for (const Summary& s : summaries_)
            if (std::isfinite(s.total.rostered_cost.mean)) {
                cost_low = std::min(cost_low, s.total.rostered_cost.mean);
                cost_high = std::max(cost_high, s.total.rostered_cost.mean);
            }
        for (const TargetResult& target : base().targets) {
            json datasets = json::array();
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const auto t = std::find_if(summaries_[i].targets.begin(), summaries_[i].targets.end(),
                                            [&](const TargetResult& x) { return same_target(x, target); });
                if (t == summaries_[i].targets.end()) continue;
                const double cost = summaries_[i].total.rostered_cost.mean;
                datasets.push_back({{"label", names_[i]},
                                    {"data", json::array({{{"x", value(cost)}, {"y", value(t->value.mean)}}})},
                                    {"backgroundColor", colour(i)},
                                    {"borderColor", colour(i)},
                                    {"pointRadius", 6}});
                if (std::isfinite(t->value.ci95))
                    datasets.push_back(
                        {{"label", names_[i] + " 95% CI"},
                         {"data", json::array({{{"x", value(cost)}, {"y", value(t->value.mean - t->value.ci95)}},
                                               {{"x", value(cost)}, {"y", value(t->value.mean + t->value.ci95)}}})},
                         {"borderColor", colour(i)},
                         {"showLine", true},
                         {"pointRadius", 0},
                         {"legendHidden", true}});
            }
            if (std::isfinite(cost_low))
                datasets.push_back({{"label", cat({"target ", format_number(target.goal)})},
                                    {"data", json::array({{{"x", cost_low}, {"y", target.goal}},
                                                          {{"x", cost_high}, {"y", target.goal}}})},
                                    {"borderColor", "#000"},
                                    {"borderDash", {6, 4}},
                                    {"showLine", true},
                                    {"pointRadius", 0}});
            page_.chart(cat({"Rostered cost of the whole run against ", target_label(target), " (bars: 95% CI)"}),
                        json{{"type", "scatter"},
                             {"data", {{"datasets", datasets}}},
                             {"options", chart_options("rostered cost of the staff groups", target_label(target))}});
        }
    }

    HtmlPage& page_;
    std::span<const std::string> names_;
    std::span<const Summary> summaries_;
    const Comparison* comparison_;
};

}  // namespace

HtmlPage run_report(const Summary& summary) {
    HtmlPage page("crsim report: " + summary.scenario);
    const std::string name = summary.scenario;
    ReportBuilder(page, std::span(&name, 1), std::span(&summary, 1), nullptr).build();
    return page;
}

HtmlPage compare_report(const Comparison& comparison, std::span<const Summary> summaries) {
    if (summaries.empty() || summaries.size() != comparison.options.size())
        throw std::invalid_argument("compare_report: one summary per option of the comparison is needed");
    std::string title = "crsim comparison:";
    std::vector<std::string> names;
    for (const OptionComparison& o : comparison.options) {
        names.push_back(o.name);
        title += " " + o.name;
    }
    HtmlPage page(title);
    ReportBuilder(page, names, summaries, &comparison).build();
    return page;
}

}  // namespace crsim::report
