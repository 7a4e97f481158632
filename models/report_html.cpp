// The HTML report of `crsim run --report` and `crsim compare --report`.
#include "crsim/model/report_html.hpp"

#include <cmath>
#include <cstdio>

#include "crsim/model/report.hpp"
#include "crsim/model/report_window.hpp"

namespace crsim::model {

namespace {

using nlohmann::json;

const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string colour(std::size_t i) { return palette[i % std::size(palette)]; }

/// The colour with an alpha channel, for CI bands.
std::string faint(std::size_t i) { return colour(i) + "33"; }

json value(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string fixed(double x, int digits) {
    if (!std::isfinite(x)) return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, x);
    return buffer;
}

int decimals(double x) {
    const double a = std::fabs(x);
    return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
}

std::string with_ci(const Figure& f) {
    const int d = decimals(f.mean);
    return fixed(f.mean, d) + (std::isfinite(f.ci95) ? " ± " + fixed(f.ci95, d) : "");
}

std::string target_label(const TargetResult& t) {
    std::string text = t.class_name + " " + std::string(metric_name(t.metric));
    if (!std::isnan(t.threshold_s)) text += " " + threshold_label(t.threshold_s);
    text += t.metric == TargetSpec::Metric::service_level ? " >= " : " <= ";
    return text + format_number(t.goal);
}

json axis_title(const std::string& text) { return json{{"display", true}, {"text", text}}; }

json line_options(const std::string& x, const std::string& y) {
    return json{{"scales", {{"x", {{"title", axis_title(x)}}}, {"y", {{"title", axis_title(y)}}}}},
                {"plugins", {{"legend", {{"position", "bottom"}}}}}};
}

/// The weeks with calls after the warm-up in a summary (0-based).
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

void add_sections(HtmlPage& page, std::span<const std::string> names, std::span<const Summary> summaries,
                  const Comparison* comparison) {
    const Summary& base = summaries.front();
    page.paragraph("Seed " + std::to_string(base.seed) + ", " + std::to_string(base.replications) +
                   " replications, crsim " + base.crsim_version + "; whole-run figures for " +
                   (base.window ? describe(*base.window) : std::string("the whole run after the warm-up")) +
                   ". Every figure is the mean over replications with its 95% confidence interval.");

    // 1. The verdicts.
    page.heading("Targets");
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < summaries.size(); ++i)
        for (const TargetResult& t : summaries[i].targets)
            rows.push_back({names[i], target_label(t), with_ci(t.value), fixed(t.p_met, 2),
                            !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)"});
    page.table({"option", "target", "mean ± 95% CI", "p_met", "verdict"}, rows);
    if (comparison && comparison->options.size() > 1) {
        page.heading("Against the baseline " + names[0] + " (paired over replications, common random numbers)");
        rows.clear();
        for (std::size_t i = 1; i < comparison->options.size(); ++i)
            for (const ComparedFigure& f : comparison->options[i].figures) {
                std::string figure = f.name + " " + f.metric;
                if (!std::isnan(f.threshold_s)) figure += " " + threshold_label(f.threshold_s);
                const int d = decimals(f.value.mean);
                rows.push_back({comparison->options[i].name, figure, with_ci(f.value), fixed(f.diff_mean, d),
                                fixed(f.paired_ci95, d), fixed(f.unpaired_ci95, d),
                                f.verdict ? std::string(verdict_name(*f.verdict)) : "not compared"});
            }
        page.table({"option", "figure", "mean ± 95% CI", "difference", "paired ±", "unpaired ±", "verdict"}, rows);
    }

    // 2. Week by week, each target with its CI band and goal line.
    page.heading("Week by week");
    const std::vector<std::size_t> weeks = measured_weeks(base);
    json labels = json::array();
    for (const std::size_t w : weeks) labels.push_back(w + 1);
    for (const TargetResult& target : base.targets) {
        json datasets = json::array();
        for (std::size_t i = 0; i < summaries.size(); ++i) {
            const Summary& s = summaries[i];
            const ClassSummary* c = find_class(s, target.class_name);
            if (!c) continue;
            const auto k = static_cast<std::size_t>(c - s.classes.data());
            json mean = json::array(), low = json::array(), high = json::array();
            for (const std::size_t w : weeks) {
                if (k >= s.weeks.classes.size() || w >= s.weeks.classes[k].size()) {
                    mean.push_back(nullptr), low.push_back(nullptr), high.push_back(nullptr);
                    continue;
                }
                const CallFigures<Figure>& f = s.weeks.classes[k][w];
                const Figure* v = nullptr;
                try {
                    v = &target_figure(f, c->thresholds_s, target.metric, target.threshold_s);
                } catch (const std::invalid_argument&) {
                }
                mean.push_back(v ? value(v->mean) : json(nullptr));
                low.push_back(v ? value(v->mean - v->ci95) : json(nullptr));
                high.push_back(v ? value(v->mean + v->ci95) : json(nullptr));
            }
            datasets.push_back({{"label", names[i]}, {"data", mean}, {"borderColor", colour(i)},
                                {"backgroundColor", colour(i)}, {"pointRadius", 2}, {"fill", false}});
            datasets.push_back({{"label", names[i] + " 95% CI"}, {"data", high}, {"borderWidth", 0},
                                {"pointRadius", 0}, {"backgroundColor", faint(i)}, {"fill", "+1"}});
            datasets.push_back({{"label", names[i] + " 95% CI (low)"}, {"data", low}, {"borderWidth", 0},
                                {"pointRadius", 0}, {"backgroundColor", faint(i)}, {"fill", false}});
        }
        json goal = json::array();
        for (std::size_t j = 0; j < weeks.size(); ++j) goal.push_back(target.goal);
        datasets.push_back({{"label", "target"}, {"data", goal}, {"borderColor", "#000"}, {"borderDash", {6, 4}},
                            {"pointRadius", 0}, {"fill", false}});
        json options = line_options("week", target_label(target));
        options["plugins"]["legend"]["labels"]["filter"] = nullptr;
        page.chart(target_label(target) + ", week by week (shaded: 95% CI)",
                   json{{"type", "line"}, {"data", {{"labels", labels}, {"datasets", datasets}}}, {"options", options}});
    }

    // 3. How long answered callers waited: the CDF through the wait quantiles of each class.
    page.heading("How long answered callers waited");
    for (const ClassSummary& cls : base.classes) {
        json datasets = json::array();
        for (std::size_t i = 0; i < summaries.size(); ++i) {
            const ClassSummary* c = find_class(summaries[i], cls.name);
            if (!c) continue;
            const ClassFigures<Figure>& f = c->figures;
            json points = json::array();
            const std::pair<double, double> quantiles[] = {{f.wait_p50_s.mean, 0.5}, {f.wait_p90_s.mean, 0.9},
                                                           {f.wait_p95_s.mean, 0.95}, {f.wait_p99_s.mean, 0.99},
                                                           {f.max_wait_s.mean, 1.0}};
            points.push_back({{"x", 0}, {"y", 0}});
            for (const auto& [x, p] : quantiles)
                if (std::isfinite(x)) points.push_back({{"x", x}, {"y", p}});
            datasets.push_back({{"label", names[i]}, {"data", points}, {"borderColor", colour(i)},
                                {"backgroundColor", colour(i)}, {"showLine", true}, {"fill", false}});
        }
        json options = line_options("wait of answered calls, seconds (log scale)", "share answered within");
        options["scales"]["x"]["type"] = "logarithmic";
        options["scales"]["x"]["min"] = 1;
        page.chart("Class " + cls.name + ": share of answered calls answered within a wait (through the median, "
                                         "90th, 95th, 99th percentile and the longest wait)",
                   json{{"type", "scatter"}, {"data", {{"datasets", datasets}}}, {"options", options}});
    }

    // 4. Demand and staffing by hour of the week, and occupancy.
    page.heading("Demand, staffing and occupancy by hour of the week");
    const double weeks_measured = std::max<double>(1, static_cast<double>(weeks.size()));
    json hours = json::array();
    const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (int h = 0; h < 168; ++h) hours.push_back(std::string(days[h / 24]) + " " + std::to_string(h % 24) + ":00");
    json demand = json::array(), occupancy = json::array();
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const Summary& s = summaries[i];
        json offered = json::array(), people = json::array(), occ = json::array();
        for (std::size_t h = 0; h < 168; ++h) {
            double calls = 0, paid = 0, busy_share = 0, weight = 0;
            for (const auto& c : s.hours_of_week.classes)
                if (h < c.size() && std::isfinite(c[h].offered.mean)) calls += c[h].offered.mean;
            for (const auto& g : s.hours_of_week.groups)
                if (h < g.size() && std::isfinite(g[h].paid_hours.mean)) {
                    paid += g[h].paid_hours.mean;
                    if (std::isfinite(g[h].occupancy.mean)) {
                        busy_share += g[h].occupancy.mean * g[h].paid_hours.mean;
                        weight += g[h].paid_hours.mean;
                    }
                }
            offered.push_back(calls / weeks_measured);
            people.push_back(paid / weeks_measured);
            occ.push_back(weight > 0 ? json(busy_share / weight) : json(nullptr));
        }
        if (i == 0)
            demand.push_back({{"label", "calls offered an hour (" + names[i] + ")"}, {"data", offered},
                              {"borderColor", "#555"}, {"pointRadius", 0}, {"yAxisID", "y"}});
        demand.push_back({{"label", "people on duty (" + names[i] + ")"}, {"data", people}, {"borderColor", colour(i)},
                          {"pointRadius", 0}, {"yAxisID", "y2"}});
        occupancy.push_back({{"label", names[i]}, {"data", occ}, {"borderColor", colour(i)}, {"pointRadius", 0}});
    }
    json demand_options = line_options("hour of the week", "calls offered an hour");
    demand_options["scales"]["y2"] = {{"position", "right"}, {"title", axis_title("people on duty")}};
    page.chart("Calls offered and people on duty, by hour of the week (mean per week)",
               json{{"type", "line"}, {"data", {{"labels", hours}, {"datasets", demand}}}, {"options", demand_options}});
    json occupancy_options = line_options("hour of the week", "occupancy (busy / available)");
    occupancy_options["scales"]["y"]["min"] = 0;
    occupancy_options["scales"]["y"]["max"] = 1;
    page.chart("Occupancy of the people on duty, by hour of the week",
               json{{"type", "line"}, {"data", {{"labels", hours}, {"datasets", occupancy}}}, {"options", occupancy_options}});

    // 5. Cost against each target's figure, one point per option.
    if (comparison) {
        page.heading("What each option costs, against each target");
        for (const TargetResult& target : base.targets) {
            json datasets = json::array();
            for (std::size_t i = 0; i < summaries.size(); ++i)
                for (const TargetResult& t : summaries[i].targets)
                    if (t.class_name == target.class_name && t.metric == target.metric &&
                        (t.threshold_s == target.threshold_s || (std::isnan(t.threshold_s) && std::isnan(target.threshold_s))))
                        datasets.push_back({{"label", names[i]},
                                            {"data", json::array({{{"x", value(summaries[i].total.cost.mean)},
                                                                   {"y", value(t.value.mean)}}})},
                                            {"backgroundColor", colour(i)}, {"pointRadius", 6}});
            page.chart("Total cost against " + target_label(target),
                       json{{"type", "scatter"}, {"data", {{"datasets", datasets}}},
                            {"options", line_options("total cost", target_label(target))}});
        }
    }
}

}  // namespace

HtmlPage run_report(const Summary& summary) {
    HtmlPage page("crsim report: " + summary.scenario);
    const std::string name = summary.scenario;
    add_sections(page, std::span(&name, 1), std::span(&summary, 1), nullptr);
    return page;
}

HtmlPage compare_report(const Comparison& comparison, std::span<const Summary> summaries) {
    std::string title = "crsim comparison:";
    std::vector<std::string> names;
    for (const OptionComparison& o : comparison.options) {
        names.push_back(o.name);
        title += " " + o.name;
    }
    HtmlPage page(title);
    add_sections(page, names, summaries, &comparison);
    return page;
}

}  // namespace crsim::model
