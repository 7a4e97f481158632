#include "crsim/scrutiny/scrutiny_report.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crsim/model/report_window.hpp"

namespace crsim::scrutiny {

namespace {

using nlohmann::json;

json value(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string readable(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", x);
    return text;
}

/// A control chart of one series: band edges (the upper filled down to the lower), the simulated
/// mean, the observed weeks (flagged ones red and larger) and the target as a dashed line.
json control_chart(const std::vector<const FigureVerdict*>& figures, const std::string& metric) {
    json labels = json::array(), low = json::array(), high = json::array(), mean = json::array(),
         observed = json::array(), target = json::array(), colours = json::array(), radius = json::array();
    bool has_target = false;
    for (const FigureVerdict* f : figures) {
        labels.push_back(f->week_start);
        low.push_back(value(f->low));
        high.push_back(value(f->high));
        mean.push_back(value(f->mean));
        observed.push_back(value(f->observed));
        target.push_back(value(f->target));
        has_target = has_target || std::isfinite(f->target);
        const bool flagged = f->verdict != FigureVerdict::Verdict::inside;
        colours.push_back(flagged ? "#d62728" : "#1f77b4");
        radius.push_back(flagged ? 5 : 3);
    }
    json datasets = json::array();
    datasets.push_back({{"label", "band low"},
                        {"data", low},
                        {"borderColor", "#1f77b433"},
                        {"pointRadius", 0},
                        {"fill", false},
                        {"legendHidden", true}});
    datasets.push_back({{"label", "95% band for one week"},
                        {"data", high},
                        {"borderColor", "#1f77b433"},
                        {"backgroundColor", "#1f77b433"},
                        {"pointRadius", 0},
                        {"fill", "-1"}});
    datasets.push_back({{"label", "simulated mean"},
                        {"data", mean},
                        {"borderColor", "#1f77b4"},
                        {"pointRadius", 0},
                        {"borderDash", {4, 4}},
                        {"fill", false}});
    datasets.push_back({{"label", "reported (red: outside the band)"},
                        {"data", observed},
                        {"borderColor", "#555555"},
                        {"showLine", false},
                        {"pointBackgroundColor", colours},
                        {"pointBorderColor", colours},
                        {"pointRadius", radius},
                        {"fill", false}});
    if (has_target)
        datasets.push_back({{"label", "target"},
                            {"data", target},
                            {"borderColor", "#2ca02c"},
                            {"pointRadius", 0},
                            {"borderDash", {8, 4}},
                            {"fill", false}});
    return {{"type", "line"},
            {"data", {{"labels", labels}, {"datasets", datasets}}},
            {"options",
             {{"scales",
               {{"x", {{"title", {{"display", true}, {"text", "week starting"}}}}},
                {"y", {{"title", {{"display", true}, {"text", metric}}}}}}}}}};
}

std::string band_text(const FigureVerdict& f) {
    std::string text = "[";
    text.append(readable(f.low)).append(", ").append(readable(f.high)).append("]");
    return text;
}

}  // namespace

report::HtmlPage scrutiny_report(const ScrutinyResult& r) {
    report::HtmlPage page("crsim scrutiny: " + r.kpis + " against " + r.scenario);
    std::ostringstream intro;
    intro << "Each reported week beside the model's " << readable(100 * r.band_coverage)
          << "% prediction band for one week (" << r.replications << " replications, seed " << r.seed << ", demand "
          << (r.demand == Demand::reported ? "as reported" : "of the scenario") << "). " << r.flagged() << " of "
          << r.figures.size() << " weekly figures lie outside their band.";
    page.paragraph(intro.str());
    for (const std::string& w : r.warnings) page.paragraph("Warning: " + w);
    if (r.test) {
        std::ostringstream t;
        t << "Change in " << r.test->cls << " " << r.test->metric << ", " << model::describe(r.test->after)
          << " against " << model::describe(r.test->before) << ": effect " << readable(r.test->effect) << " (95% CI "
          << readable(r.test->ci_low) << " to " << readable(r.test->ci_high) << "), p = " << readable(r.test->p_value)
          << ".";
        page.paragraph(t.str());
    }
    {
        std::ostringstream d;
        d << "Detector: two-sided CUSUM (k = " << r.detector.k << ", h = " << r.detector.h
          << ") on the standardised weekly residuals of each figure; false alarms "
          << readable(r.detector.false_alarms_per_year) << " per series-year under the scenario (measured on "
          << readable(r.detector.simulated_series_years) << " simulated series-years); " << r.detector.alarms.size()
          << " alarms in the reported weeks.";
        page.paragraph(d.str());
    }
    std::map<std::pair<std::string, std::string>, std::vector<const FigureVerdict*>> series;
    std::vector<std::pair<std::string, std::string>> order;
    for (const FigureVerdict& f : r.figures) {
        auto& s = series[{f.cls, f.metric}];
        if (s.empty()) order.emplace_back(f.cls, f.metric);
        s.push_back(&f);
    }
    page.heading("Control charts");
    for (const auto& key : order)
        page.chart(key.first + ": " + key.second + " week by week", control_chart(series[key], key.second));
    page.heading("Flagged weeks");
    std::vector<std::vector<std::string>> rows;
    for (const FigureVerdict& f : r.figures)
        if (f.verdict != FigureVerdict::Verdict::inside)
            rows.push_back(
                {f.week_start, f.cls, f.metric, readable(f.observed), band_text(f), verdict_name(f.verdict)});
    page.table({"week starting", "class", "metric", "reported", "95% band for one week", "verdict"}, rows);
    page.data("crsim-scrutiny", scrutiny_json(r));
    return page;
}

}  // namespace crsim::scrutiny
