// The HTML report of `crsim staff --report`.
#include "crsim/report/staff_report.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chart_style.hpp"
#include "crsim/model/number_text.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/model/version.hpp"
#include "crsim/model/workforce.hpp"

namespace crsim::report {

using namespace crsim::model;
using namespace chart_style;
using nlohmann::json;

namespace {

std::string unquote(const std::string& flow) {
    if (flow.size() >= 2 && flow.front() == '"' && flow.back() == '"') return flow.substr(1, flow.size() - 2);
    return flow;
}

/// A decision line's room, group, shift and days as its roster line gives them.
std::vector<std::string> line_fields(const ScenarioSpec& spec, std::size_t line) {
    const bool candidate = line >= spec.shifts.size();
    const RosterLineSource& src =
        candidate ? spec.staffing->candidate_sources[line - spec.shifts.size()] : spec.shift_sources[line];
    return {unquote(src.field("room")), unquote(src.field("group")), unquote(src.field("shift")),
            unquote(src.field("days", "all")), src.field("overtime", "false") == "true" ? "yes" : ""};
}

std::string money(const ScenarioSpec& spec, const std::string& what) {
    return spec.currency.empty() ? what : cat({what, " (", spec.currency, ")"});
}

}  // namespace

HtmlPage staff_report(const ScenarioSpec& spec, const staffing::StaffingResult& r, const staffing::StaffingOptions& o,
                      const std::optional<ReportWindow>& judged) {
    HtmlPage page("crsim staff: " + spec.name);
    const auto& decisions = spec.staffing->decisions;
    const WindowSpan span{o.window_from_s, o.window_to_s};
    const std::string window =
        judged ? describe(*judged) : cat({"the whole run after the warm-up (", format_number(span.weeks()), " weeks)"});
    if (!spec.description.empty()) page.paragraph(spec.description);
    page.paragraph(cat({"The cheapest headcounts found for the scenario's staffing decisions that meet every target ",
                        "with ", format_number(100 * spec.staffing->confidence), "% confidence (one-sided)",
                        spec.staffing->every_week ? " in every week" : "", ", judged on ", window, ". ",
                        r.meets_targets ? "The answer meets every target on a fresh seed."
                                        : "No roster within the bounds met every target on a fresh seed: the best "
                                          "found is shown."}));

    // Decision lines.
    page.heading("Decision lines, before and after");
    std::vector<std::vector<std::string>> rows;
    json labels = json::array(), before = json::array(), after = json::array();
    for (std::size_t d = 0; d < decisions.size(); ++d) {
        const std::size_t line = decisions[d].line;
        const int was = line < spec.shifts.size() ? spec.shifts[line].headcount : 0;
        std::vector<std::string> row{staffing::line_label(spec, line)};
        for (std::string& f : line_fields(spec, line)) row.push_back(std::move(f));
        row.push_back(std::to_string(was));
        row.push_back(std::to_string(r.headcounts[d]));
        row.push_back(readable(r.cost_per_head[d]));
        labels.push_back(cat({row[0], " (", row[1], ", ", row[3], ")"}));
        before.push_back(was);
        after.push_back(r.headcounts[d]);
        rows.push_back(std::move(row));
    }
    page.table({"line", "room", "group", "shift", "days", "overtime", "people before", "people after",
                money(spec, "cost of one person in the window")},
               rows);
    json bars = json::array({json{{"label", "the scenario's own roster"},
                                  {"data", before},
                                  {"backgroundColor", faint(1)},
                                  {"borderColor", colour(1)},
                                  {"borderWidth", 1}},
                             json{{"label", "the answer"}, {"data", after}, {"backgroundColor", colour(0)}}});
    json bar_options = chart_options("roster line", "people rostered on the line");
    bar_options["scales"]["y"]["min"] = 0;
    page.chart("People on each decision line, before and after",
               json{{"type", "bar"}, {"data", {{"labels", labels}, {"datasets", bars}}}, {"options", bar_options}});

    // On duty against the requirement.
    page.heading(cat({"People on duty by hour of the week against the requirement, ", window}));
    json hours = json::array(), required = json::array(), was_on = json::array(), now_on = json::array();
    for (std::size_t h = 0; h < r.required_by_hour.size(); ++h) {
        hours.push_back(week_interval_label(h, 3600));
        required.push_back(value(r.required_by_hour[h]));
        was_on.push_back(value(h < r.input_on_duty_by_hour.size() ? r.input_on_duty_by_hour[h] : NAN));
        now_on.push_back(value(h < r.on_duty_by_hour.size() ? r.on_duty_by_hour[h] : NAN));
    }
    json duty = json::array({json{{"label", "required (Erlang, all classes together)"},
                                  {"data", required},
                                  {"borderColor", "#000"},
                                  {"borderDash", {6, 4}},
                                  {"pointRadius", 0},
                                  {"stepped", true}},
                             json{{"label", "on duty, the scenario's own roster"},
                                  {"data", was_on},
                                  {"borderColor", colour(1)},
                                  {"borderDash", dash(1)},
                                  {"pointRadius", 0},
                                  {"stepped", true}},
                             json{{"label", "on duty, the answer"},
                                  {"data", now_on},
                                  {"borderColor", colour(0)},
                                  {"pointRadius", 0},
                                  {"stepped", true}}});
    json duty_options = chart_options("hour of the week", "people");
    duty_options["scales"]["y"]["min"] = 0;
    page.chart(
        "People on duty (after absence and breaks, as the covering program counts them) and the Erlang "
        "requirement before the simulation's corrections, by hour of the week",
        json{{"type", "line"}, {"data", {{"labels", hours}, {"datasets", duty}}}, {"options", duty_options}});

    // Cost.
    page.heading(cat({"Cost, ", window, ", per week and per year"}));
    const auto cost_row = [&](const std::string& what, double window_cost) {
        return std::vector<std::string>{what, readable(window_cost), readable(span.per_week(window_cost)),
                                        readable(span.per_year(window_cost))};
    };
    page.table(
        {"rostered cost", money(spec, "in the window"), money(spec, "per week"), money(spec, "per year")},
        {cost_row("the answer", r.cost), cost_row("lower bound (fluid covering)", r.lower_bound),
         cost_row("first Erlang covering", r.analytic_cost), cost_row("the scenario's own roster", r.input_cost)});
    json cost_bars = json::array(
        {json{{"label", money(spec, "rostered cost per year")},
              {"data", json::array({value(span.per_year(r.lower_bound)), value(span.per_year(r.analytic_cost)),
                                    value(span.per_year(r.cost)), value(span.per_year(r.input_cost))})},
              {"backgroundColor", json::array({faint(2), faint(3), colour(0), faint(1)})}}});
    json cost_options = chart_options("", money(spec, "rostered cost per year"));
    cost_options["scales"]["y"]["min"] = 0;
    page.chart(cat({"Rostered cost per year (at the weekly rate of ", window,
                    ") of the answer against the lower bound no roster can beat"}),
               json{{"type", "bar"},
                    {"data",
                     {{"labels", {"lower bound", "first Erlang covering", "the answer", "the scenario's own roster"}},
                      {"datasets", cost_bars}}},
                    {"options", cost_options}});
    rows.clear();
    for (std::size_t g = 0; g < spec.groups.size(); ++g)
        rows.push_back({spec.groups[g].name, format_number(spec.groups[g].contract_hours_per_week),
                        g < r.input_fte.size() ? fixed(r.input_fte[g], 1) : "-",
                        g < r.fte.size() ? fixed(r.fte[g], 1) : "-"});
    page.table({"group", "contract hours a week", "people to employ (FTE) before", "after"}, rows);
    page.paragraph(
        "People to employ: rostered paid hours a week at the ordinary rate (absent people included, "
        "overtime left out) divided by the group's contract hours a week.");

    // Targets.
    page.heading(cat({"Each target on the verification seed ", std::to_string(r.verification.seed), " (",
                      std::to_string(r.verification.replications), " replications), ", window}));
    rows.clear();
    for (const model::TargetCheck& c : r.verification.targets) {
        const TargetResult& t = c.target;
        const double k = report_scale(t);
        rows.push_back({cat({t.class_name, " ", plain_label(t)}), c.week > 0 ? std::to_string(c.week) : "all",
                        with_ci(k * t.value.mean, k * t.value.ci95), readable(k * c.bound), format_number(k * t.goal),
                        std::string(verdict_word(c))});
    }
    page.table({"target", "week", "mean ± 95% CI", "bound", "goal", "verdict"}, rows);
    for (const model::TargetCheck& c : r.verification.targets) {
        const TargetResult& t = c.target;
        const double k = report_scale(t);
        json ds = json::array();
        ds.push_back({{"type", "bar"},
                      {"label", "95% CI"},
                      {"data", json::array({json::array({value(k * (t.value.mean - t.value.ci95)),
                                                         value(k * (t.value.mean + t.value.ci95))})})},
                      {"backgroundColor", faint(0)},
                      {"barPercentage", 0.3}});
        ds.push_back({{"type", "line"},
                      {"label", "mean"},
                      {"data", json::array({value(k * t.value.mean)})},
                      {"borderColor", colour(0)},
                      {"backgroundColor", colour(0)},
                      {"pointRadius", 6}});
        ds.push_back({{"type", "line"},
                      {"label", cat({"goal ", format_number(k * t.goal)})},
                      {"data", json::array({k * t.goal})},
                      {"borderColor", "#000"},
                      {"backgroundColor", "#000"},
                      {"pointStyle", "line"},
                      {"pointRadius", 30}});
        json options = chart_options("", cat({t.class_name, " ", plain_label(t)}));
        double lo = std::min(k * t.goal, k * (t.value.mean - (std::isfinite(t.value.ci95) ? t.value.ci95 : 0)));
        double hi = std::max(k * t.goal, k * (t.value.mean + (std::isfinite(t.value.ci95) ? t.value.ci95 : 0)));
        if (std::isfinite(lo) && std::isfinite(hi)) {
            const double pad = std::max(0.1 * (hi - lo), 0.01 * std::fabs(hi) + 1e-9);
            options["scales"]["y"]["min"] = std::max(0.0, lo - pad);
            options["scales"]["y"]["max"] = hi + pad;
        }
        page.chart(cat({t.class_name, " ", plain_label(t), c.week > 0 ? cat({", week ", std::to_string(c.week)}) : "",
                        ": verified mean and 95% CI against the goal (", verdict_word(c), ")"}),
                   json{{"type", "bar"},
                        {"data", {{"labels", json::array({"the answer"})}, {"datasets", ds}}},
                        {"options", options}});
    }
    page.paragraph("Made by crsim " + std::string(version()) + ".");
    return page;
}

}  // namespace crsim::report
