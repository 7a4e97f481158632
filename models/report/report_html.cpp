// The HTML report of `crsim run --report` and `crsim compare --report`.
#include "crsim/report/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "chart_style.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/summary_writers.hpp"

namespace crsim::report {

using namespace crsim::model;

namespace {

using nlohmann::json;

using namespace chart_style;

std::string with_ci(const Figure& f) { return chart_style::with_ci(f.mean, f.ci95); }

/// "online (backlog) started within 86400 s (%)": a backlog's response-time figure in plain words.
std::string backlog_words(const std::string& name, double within_s) {
    return cat({name, " (backlog) started within ", format_number(within_s), " s (%)"});
}

/// "999 answered within 10 s (%)": a target's figure in plain words with its unit.
std::string target_label(const TargetResult& t) {
    if (t.backlog) return backlog_words(t.class_name, t.threshold_s);
    return cat({t.class_name, " ", plain_label(t)});
}

/// "999 answered within 10 s (%), at least 90": the target with its goal, in plain words.
std::string target_with_goal(const TargetResult& t) {
    std::string text = cat({target_label(t), target_metric(t.metric).minimum ? ", at least " : ", at most ",
                            format_number(t.goal * report_scale(t))});
    // A target per period (target_periods.hpp): a chance target's figure is the share of buckets meeting it.
    if (is_chance_target(t))
        text += cat({", in at least ", format_number(100 * t.periods_met), "% of the ", target_period(t.by).plural,
                     " (figure: the share of them meeting it, %)"});
    else if (t.by != TargetSpec::Period::window)
        text += cat({", in every one of the ", target_period(t.by).plural, " (figure: the worst one's)"});
    return text;
}

/// A figure in a report's unit (a share as a percentage).
Figure in_report_unit(const Figure& f, double scale) { return scaled(f, scale); }

/// The weeks (or days) the whole-run figures cover: "weeks 14–26", "weeks 2–5".
std::string window_words(const Summary& s) {
    if (s.window) return describe(*s.window);
    const bool weeks = std::fmod(s.span.from_s, seconds_per_week) == 0 && std::fmod(s.span.to_s, seconds_per_week) == 0;
    const double unit = weeks ? seconds_per_week : seconds_per_day;
    ReportWindow w;
    w.unit = weeks ? ReportWindow::Unit::week : ReportWindow::Unit::day;
    w.from = static_cast<int>(std::floor(s.span.from_s / unit)) + 1;
    w.to = static_cast<int>(std::ceil(s.span.to_s / unit));
    return describe(w);
}

/// "rostered cost per year (GBP)": a money figure's name with its period and currency.
std::string money(const Summary& s, std::string_view what) {
    return s.currency.empty() ? std::string(what) : cat({what, " (", s.currency, ")"});
}

/// A call or cost figure of the comparison in plain words with its unit, and the factor that
/// shows it in that unit (100 for a share).
std::pair<std::string, double> figure_words(const Summary& s, std::string_view metric, double threshold_s) {
    static const std::pair<std::string_view, std::string_view> words[] = {
        {"offered", "calls offered"},
        {"first_attempts", "first attempts"},
        {"repeats", "repeat calls"},
        {"answered", "calls answered"},
        {"abandoned", "calls abandoned"},
        {"abandoned_pct", "abandoned (%)"},
        {"callers_lost", "callers lost"},
        {"blocked", "calls blocked (every line in use)"},
        {"blocked_pct", "blocked (%)"},
        {"asa_s", "average wait of answered calls (s)"},
        {"mean_queue_s", "average time in queue (s)"},
        {"wait_p50_s", "half of answered calls waited at most (s)"},
        {"wait_p90_s", "90% of answered calls waited at most (s)"},
        {"wait_p95_s", "95% of answered calls waited at most (s)"},
        {"wait_p99_s", "99% of answered calls waited at most (s)"},
        {"max_wait_s", "longest wait (s)"},
        {"paid_hours", "paid hours"},
    };
    if (metric == "service_level") return {cat({"answered within ", format_number(threshold_s), " s (%)"}), 100.0};
    if (metric == "rostered_cost" || metric == "on_duty_cost")
        return {money(s, metric == "rostered_cost" ? "rostered cost" : "on-duty cost"), 1.0};
    for (const auto& [name, plain] : words)
        if (name == metric) return {std::string(plain), 1.0};
    return {std::string(metric), 1.0};
}

/// One option's line in a chart: its colour, dash pattern and marker, so lines lying on each other still show.
nlohmann::json option_line(const std::string& name, std::size_t i, nlohmann::json data) {
    return {
        {"label", name},         {"data", std::move(data)}, {"borderColor", colour(i)}, {"backgroundColor", colour(i)},
        {"borderDash", dash(i)}, {"pointStyle", marker(i)}, {"pointRadius", 3},         {"fill", false}};
}

/// A target's goal as a dashed black line over `points` points.
nlohmann::json goal_line(double goal, std::size_t points) {
    return {{"label", cat({"target ", format_number(goal)})},
            {"data", nlohmann::json(std::vector<double>(points, goal))},
            {"borderColor", "#000"},
            {"borderDash", {6, 4}},
            {"pointRadius", 0},
            {"fill", false}};
}

std::string verdict(const TargetResult& t) {
    return !t.met ? "NOT MET" : t.confident ? "MET (confident)" : "MET (not confident)";
}

bool same_target(const TargetResult& a, const TargetResult& b) {
    return a.class_name == b.class_name && same_measure(a, b);
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
        const double k = report_scale(target);
        out.mean.push_back(v ? value(k * v->mean) : json(nullptr));
        out.low.push_back(band ? value(k * (v->mean - v->ci95)) : json(nullptr));
        out.high.push_back(band ? value(k * (v->mean + v->ci95)) : json(nullptr));
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
        buckets();
        trajectories();
        answer_times();
        demand_and_staffing();
        class_figures();
        demand_table();
        callback_figures();
        staff_table();
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
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            page_.paragraph(summaries_[i].description.empty() ? names_[i]
                                                              : cat({names_[i], ": ", summaries_[i].description}));
        page_.paragraph(cat(
            {"Seed ", std::to_string(s.seed), ", ", std::to_string(s.replications), " replications",
             summaries_.size() > 1 ? " of each option (common random numbers)" : "", ". The figures cover ", window(),
             s.window ? "" : " (the whole run after the warm-up)",
             ". Every figure is the mean over replications with its 95% confidence interval; shares are percentages",
             s.currency.empty() ? "." : cat({"; money is in ", s.currency, "."})}));
    }

    std::string window() const { return window_words(base()); }

    /// "weeks 2–26": the weeks after the warm-up, which the week-by-week figures cover, and without a
    /// window the hour-of-week figures too (under one, they cover the window's weeks alone).
    std::string measured() const {
        const std::vector<std::size_t> weeks = measured_weeks(base());
        if (weeks.empty()) return window();
        return weeks.size() == 1
                   ? cat({"week ", std::to_string(weeks.front() + 1)})
                   : cat({"weeks ", std::to_string(weeks.front() + 1), "–", std::to_string(weeks.back() + 1)});
    }

    void verdicts() {
        page_.heading("Targets, " + window());
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const TargetResult& t : every_target(summaries_[i]))
                rows.push_back({names_[i], target_with_goal(t), with_ci(in_report_unit(t.value, report_scale(t))),
                                fixed(100 * t.p_met, 0), verdict(t)});
        if (rows.empty())
            page_.paragraph("The scenario sets no targets.");
        else
            page_.table({"option", "target", "mean ± 95% CI", "replications meeting it (%)", "verdict"}, rows);
        if (!comparison_ || comparison_->options.size() < 2) return;
        page_.heading("Against the baseline " + names_[0] + ", " + window() +
                      " (paired over replications, common random numbers)");
        rows.clear();
        for (std::size_t i = 1; i < comparison_->options.size(); ++i)
            for (const ComparedFigure& f : comparison_->options[i].figures) {
                const auto [words, k] = figure_words(base(), f.metric, f.threshold_s);
                const std::string figure = f.kind == ComparedFigure::Kind::total ? words
                                           : f.kind == ComparedFigure::Kind::backlog
                                               ? backlog_words(f.name, f.threshold_s)
                                               : f.name + " " + words;
                const int d = decimals(k * f.value.mean);
                rows.push_back({comparison_->options[i].name, figure, with_ci(in_report_unit(f.value, k)),
                                fixed(k * f.diff_mean, d), fixed(k * f.paired_ci95, d), fixed(k * f.unpaired_ci95, d),
                                f.verdict ? std::string(verdict_name(*f.verdict)) : "not compared"});
            }
        page_.table({"option", "figure", "mean ± 95% CI", "difference", "paired ±", "unpaired ±", "verdict"}, rows);
    }

    void class_figures() {
        page_.heading("Each class, " + window());
        // The blocked share gets a column only when a trunk cap applies somewhere.
        bool blocking = false;
        for (const Summary& s : summaries_)
            for (const ClassSummary& c : s.classes) blocking = blocking || c.may_be_blocked;
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const ClassSummary& c : summaries_[i].classes) {
                const ClassFigures<Figure>& f = c.figures;
                std::string levels;
                for (std::size_t j = 0; j < c.thresholds_s.size() && j < f.service_level.size(); ++j)
                    levels += cat({j ? ", " : "", format_number(c.thresholds_s[j]),
                                   " s: ", with_ci(in_report_unit(f.service_level[j], 100))});
                rows.push_back({names_[i], c.name, with_ci(f.offered), with_ci(f.answered), with_ci(f.abandoned_pct),
                                with_ci(f.asa_s), levels.empty() ? "-" : levels, with_ci(f.wait_p90_s)});
                if (blocking)
                    rows.back().insert(rows.back().begin() + 5, c.may_be_blocked ? with_ci(f.blocked_pct) : "-");
            }
        std::vector<std::string> header = {"option",
                                           "class",
                                           "calls offered",
                                           "calls answered",
                                           "abandoned (%)",
                                           "average wait of answered calls (s)",
                                           "answered within (%)",
                                           "90% of answered calls waited at most (s)"};
        if (blocking) header.insert(header.begin() + 5, "blocked (%)");
        page_.table(header, rows);
    }

    /// How each class's demand reached the handlers, for options with demand keys (triage,
    /// channel shift, surges): demand before the front end, what left or moved, what surges added.
    void demand_table() {
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const DemandSummary& d : summaries_[i].demand) {
                const DemandFigures<Figure>& f = d.figures;
                rows.push_back({names_[i], d.name, with_ci(f.demand), with_ci(f.shifted_out), with_ci(f.shifted_in),
                                with_ci(f.resolved), with_ci(f.redirected), with_ci(f.deflected_pct),
                                with_ci(f.reclassified_out), with_ci(f.reclassified_in), with_ci(f.surge_extra)});
            }
        if (rows.empty()) return;
        page_.heading("How demand reached the handlers, " + window());
        page_.table({"option", "class", "demand (contacts)", "shifted to another channel", "shifted here",
                     "resolved in the menu", "redirected elsewhere", "deflected (%)", "re-classified away",
                     "re-classified here", "added by surges"},
                    rows);
        page_.paragraph(
            "Demand: the first attempts the class's arrivals bring, before channel shift and the menu. Deflected: "
            "resolved or redirected in the menu, never reaching a handler. Calls offered (above) count what joins "
            "each queue after the menu. Added by surges: the expected part of the demand that scheduled surges and "
            "random incidents brought.");
    }

    /// Weeks of the chart that hold a scheduled surge of any option, as a tinted block up to `top`.
    void add_surge_weeks(json& datasets, std::span<const std::size_t> weeks, double top) const {
        json shade = json::array();
        bool any = false;
        for (const std::size_t k : weeks) {
            const double from = static_cast<double>(k) * seconds_per_week, to = from + seconds_per_week;
            bool surge = false;
            for (const Summary& o : summaries_)
                for (const ScheduledSurgeSpec& g : o.surges) surge = surge || (g.to_s > from && g.from_s < to);
            any = any || surge;
            shade.push_back(surge ? json(top * 1.05) : json(nullptr));
        }
        if (!any) return;
        datasets.push_back({{"label", "scheduled surge"},
                            {"data", shade},
                            {"borderWidth", 0},
                            {"pointRadius", 0},
                            {"backgroundColor", "rgba(200,60,0,0.12)"},
                            {"fill", "origin"},
                            {"stepped", "middle"}});
    }

    /// The call-back figures of the classes that have call-back work, and the backlogs of deferrable
    /// work (none: no section).
    void callback_figures() {
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const ClassSummary& c : summaries_[i].classes) {
                if (!c.callbacks) continue;
                const CallbackFigures<Figure>& f = *c.callbacks;
                rows.push_back({names_[i], c.name, with_ci(in_report_unit(f.offered_share, 100)),
                                with_ci(in_report_unit(f.accepted_share, 100)), with_ci(f.accepted_wait_s),
                                with_ci(f.accepted_unreached), with_ci(f.abandoned_tasks), with_ci(f.abandoned_wait_s),
                                with_ci(f.abandoned_unreached)});
            }
        if (!rows.empty()) {
            page_.heading("Call-backs, " + window());
            page_.paragraph(
                "Callers who accept a call-back leave the line: they count as offered calls, neither answered nor "
                "abandoned, so the live figures above leave them out of the answered calls and the service level.");
            page_.table({"option", "class", "offered a call-back (% of calls)", "accepted (% of calls)",
                         "acceptance to call-back (s)", "accepted, never reached", "abandoned calls rung back",
                         "abandoning to call-back (s)", "abandoned, never reached"},
                        rows);
        }
        rows.clear();
        for (std::size_t i = 0; i < summaries_.size(); ++i)
            for (const DeferrableSummary& d : summaries_[i].deferrables) {
                const DeferrableFigures<Figure>& f = d.figures;
                const bool target = std::isfinite(d.target_within_s);
                rows.push_back({names_[i], d.name, with_ci(f.arrived), with_ci(f.started), with_ci(f.mean_response_s),
                                target ? cat({fixed(100 * d.target_goal, 0), "% within ",
                                              format_number(d.target_within_s / 3600), " h"})
                                       : "-",
                                with_ci(in_report_unit(f.within_target_share, 100)),
                                target ? (d.target_met ? "met" : "not met") : "-"});
            }
        if (rows.empty()) return;
        page_.heading("Deferrable work, " + window());
        page_.paragraph(
            "Items of deferrable work wait in a backlog that the staff who take it work on only when "
            "no call waits for them; the response time runs from arrival to the start of the work.");
        page_.table({"option", "backlog", "items arrived", "items started", "mean response (s)", "target",
                     "started within the target (%)", "verdict"},
                    rows);
    }

    /// Each option's staff, group by room: each group in each room it works in, then each group in
    /// all rooms and, with several groups, each room with all its groups.
    void staff_table() {
        const Summary& s = base();
        page_.heading("Staff by group and room, " + window());
        const double hours = s.span.weeks() * 168;
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i) {
            const Summary& o = summaries_[i];
            const auto add = [&](const std::string& group, const std::string& room, const StaffFigures<Figure>& f,
                                 double fte) {
                rows.push_back({names_[i], group, room, std::isfinite(fte) ? fixed(fte, 1) : "-",
                                with_ci(scaled(f.paid_hours, hours > 0 ? 1 / hours : NAN)),
                                with_ci(in_report_unit(f.occupancy, 100)), with_ci(f.paid_hours),
                                with_ci(f.overtime_hours), with_ci(f.rostered_cost),
                                readable(o.span.per_year(f.rostered_cost.mean))});
            };
            for (const StaffCellSummary& c : o.cells)
                add(o.groups[c.group].name, o.rooms[c.room].name, c.figures, c.fte);
            if (o.rooms.size() > 1 || o.cells.empty())
                for (std::size_t g = 0; g < o.groups.size(); ++g)
                    add(o.groups[g].name, "all rooms", o.groups[g].figures, g < o.fte.size() ? o.fte[g] : NAN);
            if (o.groups.size() > 1)
                for (const StaffSummary& r : o.rooms) add("all groups", r.name, r.figures, NAN);
        }
        page_.table({"option", "group", "room", "people to employ (FTE)", "people on duty (mean)", "occupancy (%)",
                     "paid hours", "overtime hours", money(s, "rostered cost"), money(s, "rostered cost per year")},
                    rows);
        page_.paragraph(
            cat({"People to employ: rostered paid hours a week at the ordinary rate (absent people "
                 "included, overtime left out) divided by each group's contract hours a week, in the room "
                 "where its shifts work. People on duty: paid person-hours over the hours of ",
                 window(), ". Costs are for ", window(), " and, per year, at the same weekly rate."}));
    }

    /// Each target with `by` (target_periods.hpp): its figure in every bucket per option with its 95%
    /// CI band and the goal, the worst buckets named under the chart.
    void buckets() {
        for (const TargetResult& target : base().targets) {
            if (target.by == TargetSpec::Period::window) continue;
            const double k = report_scale(target);
            std::vector<std::size_t> order;  // the base's buckets, in order
            for (const BucketResult& b : target.buckets) order.push_back(b.index);
            json labels = json::array();
            for (const std::size_t b : order) labels.push_back(bucket_label(target.by, b));
            json datasets = json::array();
            std::string worst_text;
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const auto t = std::find_if(summaries_[i].targets.begin(), summaries_[i].targets.end(),
                                            [&](const TargetResult& x) { return same_target(x, target); });
                if (t == summaries_[i].targets.end()) continue;
                json mean = json::array(), high = json::array(), low = json::array();
                for (const std::size_t b : order) {
                    const auto r = std::find_if(t->buckets.begin(), t->buckets.end(),
                                                [&](const BucketResult& x) { return x.index == b; });
                    const Figure f = r == t->buckets.end() ? Figure{} : scaled(r->value, k);
                    mean.push_back(value(f.mean));
                    high.push_back(value(f.mean + f.ci95));
                    low.push_back(value(f.mean - f.ci95));
                }
                datasets.push_back(option_line(names_[i], i, mean));
                add_ci_band(datasets, names_[i], i, high, low);
                worst_text += cat({worst_text.empty() ? "" : "; ", names_[i], ": ", worst_words(*t)});
            }
            datasets.push_back(goal_line(target.goal * k, order.size()));
            json options = chart_options(std::string(target_period(target.by).name), target_label(target));
            if (k == 100) options["scales"]["y"]["max"] = 100;  // a percentage of calls
            page_.heading(cat({target_label(target), " by ", target_period(target.by).plural, ", ", window()}));
            page_.chart(
                cat({target_with_goal(target), " (band: 95% CI). Worst: ", worst_text}),
                json{{"type", "line"}, {"data", {{"labels", labels}, {"datasets", datasets}}}, {"options", options}});
        }
    }

    /// "09:00–10:00 71.2 ± 1.3 (NOT MET), ...": a target's three worst buckets, and how many meet the goal.
    static std::string worst_words(const TargetResult& t) {
        const std::vector<const BucketResult*> order = worst_buckets(t, 3);
        const std::size_t met = buckets_met(t);
        std::string text;
        for (std::size_t i = 0; i < order.size(); ++i)
            text += cat({i ? ", " : "", bucket_label(t.by, order[i]->index), " ",
                         with_ci(scaled(order[i]->value, report_scale(t))), order[i]->met ? "" : " (missed)"});
        return cat({text, "; ", std::to_string(met), " of ", std::to_string(t.buckets.size()), " met"});
    }

    /// Week by week, each target's figure per option with its 95% CI band, and the goal; the window shaded.
    void trajectories() {
        const std::vector<std::size_t> weeks = measured_weeks(base());
        page_.heading(cat({"Week by week, ", measured(), base().window ? cat({" (shaded: ", window(), ")"}) : ""}));
        if (base().targets.empty()) {
            page_.paragraph("No targets, so no week-by-week charts.");
            return;
        }
        json labels = json::array();
        for (const std::size_t w : weeks) labels.push_back(w + 1);
        for (const TargetResult& target : base().targets) {
            json datasets = json::array();
            double top = target.goal * report_scale(target);
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const WeeklySeries s = weekly_series(summaries_[i], target, weeks);
                for (const json& x : s.high)
                    if (x.is_number()) top = std::max(top, x.get<double>());
                for (const json& x : s.mean)
                    if (x.is_number()) top = std::max(top, x.get<double>());
                datasets.push_back(option_line(names_[i], i, s.mean));
                add_ci_band(datasets, names_[i], i, s.high, s.low);
            }
            datasets.push_back(goal_line(target.goal * report_scale(target), weeks.size()));
            if (const auto& w = base().window) {
                // The window as a grey block from the axis to above the highest line.
                json shade = json::array();
                for (const std::size_t k : weeks) {
                    const double from = static_cast<double>(k) * seconds_per_week, to = from + seconds_per_week;
                    shade.push_back(to > w->from_s && from < w->to_s ? json(top * 1.05) : json(nullptr));
                }
                datasets.push_back({{"label", window()},
                                    {"data", shade},
                                    {"borderWidth", 0},
                                    {"pointRadius", 0},
                                    {"backgroundColor", "rgba(0,0,0,0.08)"},
                                    {"fill", "origin"},
                                    {"stepped", "middle"}});
            }
            add_surge_weeks(datasets, weeks, top);
            json options = chart_options("week of the run", target_label(target));
            options["scales"]["y"]["min"] = 0;
            if (report_scale(target) == 100) options["scales"]["y"]["max"] = 100;  // a percentage of calls
            page_.chart(
                cat({target_label(target), ", week by week (band: 95% CI", base().window ? "; shaded: " : "",
                     base().window ? window() : "", ")"}),
                json{{"type", "line"}, {"data", {{"labels", labels}, {"datasets", datasets}}}, {"options", options}});
        }
    }

    /// The answer-time distribution over offered calls, per class, with its band and the service-level targets.
    void answer_times() {
        page_.heading("How long callers waited to be answered, " + window());
        for (const ClassSummary& cls : base().classes) {
            json datasets = json::array();
            double axis_end = 0;
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const ClassSummary* c = find_class(summaries_[i], cls.name);
                if (!c || c->offered_cdf.empty()) continue;
                json points = json::array(), high = json::array(), low = json::array();
                for (const auto& [wait_s, share] : c->offered_cdf) {
                    if (!std::isfinite(share.mean)) continue;
                    points.push_back({{"x", wait_s}, {"y", 100 * share.mean}});
                    if (std::isfinite(share.ci95)) {
                        high.push_back({{"x", wait_s}, {"y", 100 * (share.mean + share.ci95)}});
                        low.push_back({{"x", wait_s}, {"y", 100 * (share.mean - share.ci95)}});
                    }
                }
                // The axis ends at the 99.9th percentile of answered waits: the longest would squash the rest.
                if (c->wait_cdf_s.size() == wait_cdf_probabilities.size()) {
                    const double p999 = c->wait_cdf_s[wait_cdf_probabilities.size() - 2].mean;
                    if (std::isfinite(p999)) axis_end = std::max(axis_end, p999);
                }
                datasets.push_back({{"label", names_[i]},
                                    {"data", points},
                                    {"borderColor", colour(i)},
                                    {"backgroundColor", colour(i)},
                                    {"borderDash", dash(i)},
                                    {"showLine", true},
                                    {"pointRadius", 0},
                                    {"fill", false}});
                add_ci_band(datasets, names_[i], i, std::move(high), std::move(low), true);
            }
            if (datasets.empty()) continue;
            for (const TargetResult& t : base().targets)
                if (t.class_name == cls.name && t.metric == TargetSpec::Metric::service_level) {
                    datasets.push_back({{"label", cat({"target: ", format_number(100 * t.goal), "% within ",
                                                       format_number(t.threshold_s), " s"})},
                                        {"data", json::array({{{"x", t.threshold_s}, {"y", 100 * t.goal}}})},
                                        {"borderColor", "#000"},
                                        {"backgroundColor", "#000"},
                                        {"pointStyle", "triangle"},
                                        {"pointRadius", 7}});
                    axis_end = std::max(axis_end, t.threshold_s);
                }
            json options = chart_options("wait, seconds", "offered calls answered within that wait (%)");
            options["scales"]["x"]["min"] = 0;
            if (axis_end > 0) options["scales"]["x"]["max"] = round_up(axis_end);
            options["scales"]["y"]["min"] = 0;
            options["scales"]["y"]["max"] = 100;
            page_.chart(
                "Class " + cls.name + ", " + window() +
                    ": share of offered calls answered within each wait (abandoned calls are never answered, so "
                    "a curve ends below 100% by the share abandoned; band: 95% CI; triangles: the targets; the "
                    "axis ends at the 99.9th percentile of answered waits)",
                json{{"type", "scatter"}, {"data", {{"datasets", datasets}}}, {"options", options}});
        }
    }

    /// Calls offered an hour and people on duty by hour of the week, then the occupancy.
    void demand_and_staffing() {
        page_.heading(
            cat({"Demand, staffing and occupancy by hour of the week, ", base().window ? window() : measured()}));
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
                occ.push_back(weight > 0 ? value(100 * busy_share / weight) : json(nullptr));
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
                              {"borderDash", dash(i)},
                              {"pointRadius", 0},
                              {"yAxisID", "y2"}});
            occupancy.push_back({{"label", names_[i]},
                                 {"data", occ},
                                 {"borderColor", colour(i)},
                                 {"borderDash", dash(i)},
                                 {"pointRadius", 0}});
        }
        json demand_options = chart_options("hour of the week", "calls offered an hour");
        demand_options["scales"]["y"]["min"] = 0;
        demand_options["scales"]["y2"] = {{"position", "right"},
                                          {"min", 0},
                                          {"title", axis_title("people on duty")},
                                          {"grid", {{"drawOnChartArea", false}}}};
        page_.chart(
            cat({"Calls offered an hour (dotted, left axis) and people on duty (right axis), by hour of the week: "
                 "means over ",
                 measured(), " and the replications"}),
            json{{"type", "line"}, {"data", {{"labels", hours}, {"datasets", demand}}}, {"options", demand_options}});
        json occupancy_options = chart_options("hour of the week", "occupancy: busy / available (%)");
        occupancy_options["scales"]["y"]["min"] = 0;
        occupancy_options["scales"]["y"]["max"] = 100;
        page_.chart(cat({"Occupancy of the people on duty by hour of the week, ", measured(),
                         " (all groups, weighted by paid hours)"}),
                    json{{"type", "line"},
                         {"data", {{"labels", hours}, {"datasets", occupancy}}},
                         {"options", occupancy_options}});
    }

    /// Each option's rostered cost per year with its 95% CI, then against each target's figure.
    void costs() {
        const Summary& s = base();
        page_.heading(cat({"What each option costs, ", window(), ", against each target"}));
        const std::string axis = money(s, cat({"rostered cost per year (at the weekly rate of ", window(), ")"}));
        std::vector<Figure> cost;
        for (const Summary& o : summaries_) cost.push_back(scaled(o.total.rostered_cost, o.span.per_year(1)));
        // The axis spans every cost's 95% CI and at least 1% of the dearest, so that a difference
        // smaller than that is not drawn across the whole chart.
        double low = INFINITY, high = -INFINITY, widest_ci = 0, mean_low = INFINITY, mean_high = -INFINITY;
        for (const Figure& c : cost) {
            if (!std::isfinite(c.mean)) continue;
            const double ci = std::isfinite(c.ci95) ? c.ci95 : 0;
            low = std::min(low, c.mean - ci);
            high = std::max(high, c.mean + ci);
            widest_ci = std::max(widest_ci, ci);
            mean_low = std::min(mean_low, c.mean);
            mean_high = std::max(mean_high, c.mean);
        }
        if (!std::isfinite(low)) {
            page_.paragraph("No option has a rostered cost.");
            return;
        }
        const double margin = std::max(0.01 * std::max(std::fabs(low), std::fabs(high)), 1e-9);
        const double axis_min = std::max(0.0, std::min(low, mean_low - margin)),
                     axis_max = std::max(high, mean_high + margin);
        const bool no_difference = mean_high - mean_low <= widest_ci || mean_high - mean_low < 0.001 * mean_high;
        if (no_difference)
            page_.paragraph(
                mean_high == mean_low
                    ? cat({"No difference in cost is shown: every option's rostered cost is ", readable(mean_high),
                           " a year."})
                    : cat({"No difference in cost is shown: the options' rostered costs per year lie within ",
                           readable(mean_high - mean_low), " of each other, ",
                           widest_ci > 0 ? cat({"inside a 95% CI of ± ", readable(widest_ci)})
                                         : std::string("under 0.1% of the cost"),
                           "."}));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < summaries_.size(); ++i) {
            const Summary& o = summaries_[i];
            rows.push_back({names_[i], with_ci(o.total.rostered_cost),
                            with_ci(scaled(o.total.rostered_cost, o.span.per_week(1))), with_ci(cost[i])});
        }
        page_.table(
            {"option", money(s, cat({"rostered cost, ", window()})), money(s, "per week"), money(s, "per year")}, rows);
        for (const TargetResult& target : s.targets) {
            const double k = report_scale(target);
            json datasets = json::array();
            for (std::size_t i = 0; i < summaries_.size(); ++i) {
                const auto t = std::find_if(summaries_[i].targets.begin(), summaries_[i].targets.end(),
                                            [&](const TargetResult& x) { return same_target(x, target); });
                if (t == summaries_[i].targets.end()) continue;
                const double x = cost[i].mean, y = k * t->value.mean;
                datasets.push_back({{"label", names_[i]},
                                    {"data", json::array({{{"x", value(x)}, {"y", value(y)}}})},
                                    {"backgroundColor", colour(i)},
                                    {"borderColor", colour(i)},
                                    {"pointStyle", marker(i)},
                                    {"pointRadius", 6}});
                const auto bar = [&](json a, json b) {
                    datasets.push_back({{"label", names_[i] + " 95% CI"},
                                        {"data", json::array({std::move(a), std::move(b)})},
                                        {"borderColor", colour(i)},
                                        {"showLine", true},
                                        {"pointRadius", 0},
                                        {"legendHidden", true}});
                };
                if (std::isfinite(t->value.ci95))
                    bar({{"x", value(x)}, {"y", value(k * (t->value.mean - t->value.ci95))}},
                        {{"x", value(x)}, {"y", value(k * (t->value.mean + t->value.ci95))}});
                if (std::isfinite(cost[i].ci95) && cost[i].ci95 > 0)
                    bar({{"x", value(x - cost[i].ci95)}, {"y", value(y)}},
                        {{"x", value(x + cost[i].ci95)}, {"y", value(y)}});
            }
            datasets.push_back({{"label", cat({"target ", format_number(k * target.goal)})},
                                {"data", json::array({{{"x", axis_min}, {"y", k * target.goal}},
                                                      {{"x", axis_max}, {"y", k * target.goal}}})},
                                {"borderColor", "#000"},
                                {"borderDash", {6, 4}},
                                {"showLine", true},
                                {"pointRadius", 0}});
            json options = chart_options(axis, target_label(target));
            options["scales"]["x"]["min"] = axis_min;
            options["scales"]["x"]["max"] = axis_max;
            page_.chart(cat({"Rostered cost per year against ", target_label(target), ", ", window(), " (bars: 95% CI",
                             no_difference ? "; the costs do not differ" : "", ")"}),
                        json{{"type", "scatter"}, {"data", {{"datasets", datasets}}}, {"options", options}});
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
