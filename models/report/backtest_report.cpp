// The HTML report of `crsim backtest --report`: what happened beside what the simulation predicts.
#include "crsim/report/backtest_report.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "chart_style.hpp"
#include "crsim/calllog/call_log.hpp"

namespace crsim::report {

namespace {

using nlohmann::json;
using namespace chart_style;

constexpr const char* inside_colour = "#2ca02c";
constexpr const char* outside_colour = "#d62728";

std::string inside_text(const backtest::Comparison& c) {
    const std::optional<bool> inside = c.inside();
    return !inside ? "-" : *inside ? "inside" : "OUTSIDE";
}

/// Observed against simulated at each label: the 95% prediction interval as a floating bar, the
/// simulated mean as a line, the observed value as a point, green inside the interval, red outside.
/// `erlang_a`, when given, adds Erlang A's figure at each label as a dashed line (the baseline).
json observed_vs_simulated(const json& labels, const std::vector<const backtest::Comparison*>& figures,
                           const std::string& x_title, const std::string& y_title, bool series,
                           const std::vector<double>* erlang_a = nullptr) {
    json interval = json::array(), mean = json::array(), observed = json::array(), point_colours = json::array();
    for (const backtest::Comparison* c : figures) {
        const bool has_interval = c && std::isfinite(c->pi_low) && std::isfinite(c->pi_high);
        interval.push_back(has_interval ? json::array({c->pi_low, c->pi_high}) : json(nullptr));
        mean.push_back(c ? value(c->mean) : json(nullptr));
        observed.push_back(c ? value(c->observed) : json(nullptr));
        const std::optional<bool> inside = c ? c->inside() : std::nullopt;
        point_colours.push_back(!inside ? "#777" : *inside ? inside_colour : outside_colour);
    }
    json datasets =
        json::array({json{{"type", "line"},
                          {"label", "observed (green inside the interval, red outside)"},
                          {"data", observed},
                          {"showLine", false},
                          {"pointRadius", 5},
                          {"pointStyle", "rectRot"},
                          {"borderColor", "#333"},
                          {"backgroundColor", point_colours},
                          {"pointBackgroundColor", point_colours}},
                     // Hours are a series, joined by a line; classes are not: their means are marks across the bars.
                     json{{"type", "line"},
                          {"label", "simulated mean"},
                          {"data", mean},
                          {"borderColor", colour(0)},
                          {"backgroundColor", colour(0)},
                          {"showLine", series},
                          {"pointStyle", series ? "circle" : "line"},
                          {"pointRadius", series ? 2 : 14},
                          {"borderWidth", 2}},
                     json{{"type", "bar"},
                          {"label", "simulated 95% prediction interval (one replication)"},
                          {"data", interval},
                          {"backgroundColor", faint(0)},
                          {"borderColor", colour(0)},
                          {"borderWidth", 1}}});
    if (erlang_a) {
        json baseline = json::array();
        for (double x : *erlang_a) baseline.push_back(value(x));
        datasets.push_back(json{{"type", "line"},
                                {"label", "Erlang A hour by hour (same inputs)"},
                                {"data", baseline},
                                {"borderColor", colour(1)},
                                {"backgroundColor", colour(1)},
                                {"borderDash", json::array({6, 4})},
                                {"pointRadius", 2},
                                {"borderWidth", 2}});
    }
    return json{{"type", "bar"},
                {"data", {{"labels", labels}, {"datasets", datasets}}},
                {"options", chart_options(x_title, y_title)}};
}

class BacktestReportBuilder {
public:
    BacktestReportBuilder(HtmlPage& page, const backtest::BacktestResult& r) : page_(page), r_(r) {}

    void build() {
        page_.paragraph(cat({"Scenario ", r_.scenario, " simulated over the days of ", r_.log, ", ",
                             calllog::format_date(r_.first_day), " to ", calllog::format_date(r_.last_day), ": ",
                             std::to_string(r_.replications), " replications, seed ", std::to_string(r_.seed),
                             ". For each figure: what the log shows, the simulated mean with its 95% confidence "
                             "interval, and the 95% prediction interval of one replication — a figure of the real "
                             "period should fall inside it when the model holds."}));
        for (const std::string& w : r_.warnings) page_.paragraph("Warning: " + w);
        tables();
        hourly_summary();
        by_class();
        by_hour();
        page_.data("crsim-backtest", backtest::backtest_json(r_));
    }

private:
    void tables() {
        page_.heading("Observed and simulated, per class and overall");
        std::vector<std::vector<std::string>> rows;
        std::size_t inside = 0, judged = 0;
        const auto add = [&](const std::string& scope, const backtest::Figures& figures) {
            for (std::size_t m = 0; m < r_.metrics.size() && m < figures.size(); ++m) {
                const backtest::Comparison& c = figures[m];
                rows.push_back({scope, r_.metrics[m], readable(c.observed), with_ci(c.mean, c.ci95),
                                cat({"[", readable(c.pi_low), ", ", readable(c.pi_high), "]"}), inside_text(c)});
                if (const std::optional<bool> in = c.inside()) {
                    ++judged;
                    inside += *in ? 1 : 0;
                }
            }
        };
        for (std::size_t k = 0; k < r_.classes.size() && k < r_.by_class.size(); ++k)
            add(r_.classes[k], r_.by_class[k]);
        add("all classes", r_.overall);
        page_.paragraph(cat({std::to_string(inside), " of ", std::to_string(judged),
                             " figures (per class and overall) lie inside their prediction interval."}));
        page_.table({"scope", "metric", "observed", "simulated mean ± 95% CI", "95% prediction interval", ""}, rows);
    }

    /// The hourly MAE of the simulation beside Erlang A's, and the hourly figures inside their PIs.
    void hourly_summary() {
        page_.heading("Hour by hour: the simulation and the Erlang-A baseline");
        page_.paragraph(
            cat({"Over the hours of day with at least ", readable(backtest::hourly_min_calls),
                 " observed calls: ", std::to_string(r_.hourly_inside), " of ", std::to_string(r_.hourly_total),
                 " hourly figures lie inside their prediction interval. The mean absolute difference "
                 "from the observed figure, hour by hour:"}));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t m = 0; m < r_.metrics.size() && m < r_.hourly_mae.size(); ++m) {
            if (!std::isfinite(r_.hourly_mae[m])) continue;
            const bool baseline = r_.has_erlang_a && m < r_.erlang_a_mae.size();
            rows.push_back({r_.metrics[m], readable(r_.hourly_mae[m]),
                            baseline ? readable(r_.erlang_a_mae[m]) : std::string("- (needs --inputs-from-log)")});
        }
        page_.table({"metric", "simulation", "Erlang A hour by hour"}, rows);
    }

    /// Each metric across the classes and overall.
    void by_class() {
        json labels = json::array();
        for (const std::string& c : r_.classes) labels.push_back(c);
        labels.push_back("all classes");
        for (std::size_t m = 0; m < r_.metrics.size(); ++m) {
            std::vector<const backtest::Comparison*> figures;
            for (std::size_t k = 0; k < r_.classes.size(); ++k)
                figures.push_back(k < r_.by_class.size() && m < r_.by_class[k].size() ? &r_.by_class[k][m] : nullptr);
            figures.push_back(m < r_.overall.size() ? &r_.overall[m] : nullptr);
            page_.chart(cat({r_.metrics[m], " per class: observed against the simulation"}),
                        observed_vs_simulated(labels, figures, "class", r_.metrics[m], false));
        }
    }

    /// Each metric by hour of day, all classes, then each class's offered, abandoned_pct and asa_s.
    void by_hour() {
        page_.heading("By hour of day");
        json hours = json::array();
        for (int h = 0; h < 24; ++h) {
            char label[8];
            std::snprintf(label, sizeof label, "%02d:00", h);
            hours.push_back(label);
        }
        for (std::size_t m = 0; m < r_.metrics.size(); ++m) {
            std::vector<const backtest::Comparison*> figures;
            for (std::size_t h = 0; h < 24; ++h)
                figures.push_back(h < r_.by_hour_overall.size() && m < r_.by_hour_overall[h].size()
                                      ? &r_.by_hour_overall[h][m]
                                      : nullptr);
            std::vector<double> erlang_a;
            if (r_.has_erlang_a)
                for (std::size_t h = 0; h < 24; ++h)
                    erlang_a.push_back(h < r_.erlang_a_by_hour.size() && m < r_.erlang_a_by_hour[h].size()
                                           ? r_.erlang_a_by_hour[h][m]
                                           : std::nan(""));
            page_.chart(cat({r_.metrics[m], " by hour of day, all classes"}),
                        observed_vs_simulated(hours, figures, "hour of day", r_.metrics[m], true,
                                              r_.has_erlang_a ? &erlang_a : nullptr));
        }
        for (std::size_t k = 0; k < r_.classes.size(); ++k) {
            page_.heading(cat({"Class ", r_.classes[k], " by hour of day"}));
            for (std::size_t m = 0; m < r_.metrics.size(); ++m) {
                if (r_.metrics[m] != "offered" && r_.metrics[m] != "abandoned_pct" && r_.metrics[m] != "asa_s")
                    continue;
                std::vector<const backtest::Comparison*> figures;
                for (std::size_t h = 0; h < 24; ++h)
                    figures.push_back(h < r_.by_hour.size() && k < r_.by_hour[h].size() && m < r_.by_hour[h][k].size()
                                          ? &r_.by_hour[h][k][m]
                                          : nullptr);
                page_.chart(cat({r_.classes[k], ": ", r_.metrics[m], " by hour of day"}),
                            observed_vs_simulated(hours, figures, "hour of day", r_.metrics[m], true));
            }
        }
    }

    HtmlPage& page_;
    const backtest::BacktestResult& r_;
};

}  // namespace

HtmlPage backtest_report(const backtest::BacktestResult& result) {
    HtmlPage page(cat({"crsim backtest: ", result.scenario, " against ", result.log}));
    BacktestReportBuilder(page, result).build();
    return page;
}

}  // namespace crsim::report
