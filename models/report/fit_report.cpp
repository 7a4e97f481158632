// The HTML report of `crsim fit --report`: what each fitted figure rests on, drawn against the log.
#include "crsim/report/fit_report.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chart_style.hpp"
#include "crsim/calllog/call_log.hpp"

namespace crsim::report {

namespace {

using nlohmann::json;
using namespace chart_style;

const char* const weekday_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string family_text(const fit::FamilyFit& f) { return std::string(fit::family_name(f.family)); }

/// "shape 1.52 ± 0.01, scale 80.3 ± 0.9": a family's parameters in their usual form.
std::string parameters_text(const fit::FamilyFit& f) {
    const char* first = "mean";
    const char* second = nullptr;
    switch (f.family) {
        case fit::Family::exponential:
            break;
        case fit::Family::gamma:
            first = "shape", second = "scale";
            break;
        case fit::Family::lognormal:
            first = "mu", second = "sigma";
            break;
        case fit::Family::weibull:
            first = "shape", second = "scale";
            break;
    }
    std::string text = cat({first, " ", with_ci(f.p1, f.p1_se)});
    if (second) text += cat({", ", second, " ", with_ci(f.p2, f.p2_se)});
    return text;
}

class FitReportBuilder {
public:
    FitReportBuilder(HtmlPage& page, const fit::LogFit& fit) : page_(page), fit_(fit) {}

    void build() {
        overview();
        for (const fit::ClassFit& c : fit_.classes) {
            page_.heading("Class " + c.name);
            arrivals(c);
            handle_time(c);
            patience(c);
        }
        staffing();
    }

private:
    std::size_t per_day() const { return static_cast<std::size_t>(std::llround(86400.0 / fit_.interval_s)); }

    std::string day_label(std::size_t d) const {
        const auto day = fit_.first_day + static_cast<std::int64_t>(d);
        return cat({weekday_names[calllog::weekday_of_day(day)], " ", calllog::format_date(day)});
    }

    void overview() {
        page_.paragraph(cat({"Fitted from ",
                             fit_.source,
                             ": ",
                             std::to_string(fit_.calls),
                             " calls from ",
                             calllog::format_date(fit_.first_day),
                             " to ",
                             calllog::format_date(fit_.last_day),
                             " (",
                             std::to_string(fit_.days()),
                             " days), profile intervals of ",
                             shortest(fit_.interval_s / 60),
                             " min; ",
                             std::to_string(fit_.skipped_rows),
                             " rows skipped, ",
                             std::to_string(fit_.outside_period),
                             " outside the period, ",
                             std::to_string(fit_.other_classes),
                             " of classes not fitted. Staffing: ",
                             fit_.staffing_method,
                             "."}));
        for (const std::string& w : fit_.warnings) page_.paragraph("Warning: " + w);
        std::vector<std::vector<std::string>> rows;
        for (const fit::ClassFit& c : fit_.classes) {
            const fit::FamilyFit& h = c.handle.best();
            std::string patience = "never abandoned", naive = "-";
            if (c.patience.has_patience()) {
                const fit::FamilyFit& p = c.patience.best();
                patience = cat({family_text(p), ", mean ", with_ci(p.mean, p.mean_se), " s"});
                naive = readable(c.patience.naive_mean);
            }
            rows.push_back(
                {c.name, std::to_string(c.calls), cat({fixed(100 * c.share, 1), "%", c.small ? " (small)" : ""}),
                 std::to_string(c.answered), std::to_string(c.abandoned),
                 with_ci(c.arrivals.per_week, c.arrivals.per_week_se),
                 with_ci(c.arrivals.daily_cv, c.arrivals.daily_cv_se),
                 cat({family_text(h), ", mean ", readable(h.mean), " (sample ", readable(c.handle.sample_mean), ")"}),
                 patience, naive});
        }
        page_.heading("Classes");
        page_.table({"class", "calls", "share", "answered", "abandoned", "per_week ± SE", "daily_cv ± SE",
                     "handle time (s)", "patience (± SE)", "naive patience (s)"},
                    rows);
        page_.paragraph(
            "The naive patience is the mean wait of the abandoned calls: it ignores that an answered "
            "call's wait is only a lower bound on its caller's patience, and underestimates.");
    }

    /// The weekly profile against the days it averages, and the daily totals against their spread.
    void arrivals(const fit::ClassFit& c) {
        const fit::ArrivalFit& a = c.arrivals;
        const std::size_t n = per_day();
        if (a.profile.size() != 7 * n || a.counts.empty()) return;
        json labels = json::array(), range = json::array(), fitted = json::array();
        for (std::size_t i = 0; i < 7 * n; ++i) {
            labels.push_back(week_interval_label(i, fit_.interval_s));
            double low = INFINITY, high = -INFINITY;
            for (std::size_t d = 0; d < a.counts.size(); ++d)
                if ((static_cast<std::size_t>(a.first_weekday) + d) % 7 == i / n && i % n < a.counts[d].size()) {
                    low = std::min(low, a.counts[d][i % n]);
                    high = std::max(high, a.counts[d][i % n]);
                }
            range.push_back(std::isfinite(low) ? json::array({low, high}) : json(nullptr));
            fitted.push_back(a.profile[i]);
        }
        json datasets = json::array({json{{"type", "line"},
                                          {"label", "fitted profile (mean of the days)"},
                                          {"data", fitted},
                                          {"borderColor", colour(0)},
                                          {"backgroundColor", colour(0)},
                                          {"pointRadius", 0},
                                          {"borderWidth", 2}},
                                     json{{"type", "bar"},
                                          {"label", "observed: lowest to highest day"},
                                          {"data", range},
                                          {"backgroundColor", "#99999966"},
                                          {"barPercentage", 1.0},
                                          {"categoryPercentage", 1.0}}});
        json options = chart_options("interval of the week", "calls per interval");
        options["scales"]["y"]["min"] = 0;
        page_.chart(
            cat({"Arrivals of ", c.name, ": the fitted weekly profile (per_week ", readable(a.per_week),
                 ") against the observed days"}),
            json{{"type", "bar"}, {"data", {{"labels", labels}, {"datasets", datasets}}}, {"options", options}});

        // Daily totals: Poisson with a gamma day multiplier of cv daily_cv has variance m + m² cv².
        json days = json::array(), observed = json::array(), expected = json::array(), band = json::array();
        for (std::size_t d = 0; d < a.counts.size(); ++d) {
            const std::size_t w = (static_cast<std::size_t>(a.first_weekday) + d) % 7;
            double total = 0, mean = 0;
            for (const double x : a.counts[d]) total += x;
            for (std::size_t i = 0; i < n; ++i) mean += a.profile[w * n + i];
            const double sd = std::sqrt(mean + mean * mean * a.daily_cv * a.daily_cv);
            days.push_back(day_label(d));
            observed.push_back(total);
            expected.push_back(mean);
            band.push_back(json::array({std::max(0.0, mean - 1.96 * sd), mean + 1.96 * sd}));
        }
        json daily = json::array({json{{"type", "line"},
                                       {"label", "observed"},
                                       {"data", observed},
                                       {"borderColor", colour(1)},
                                       {"backgroundColor", colour(1)},
                                       {"pointRadius", 3},
                                       {"showLine", false}},
                                  json{{"type", "line"},
                                       {"label", "fitted mean of the weekday"},
                                       {"data", expected},
                                       {"borderColor", colour(0)},
                                       {"backgroundColor", colour(0)},
                                       {"pointRadius", 0}},
                                  json{{"type", "bar"},
                                       {"label", "fitted 95% range (Poisson with daily_cv)"},
                                       {"data", band},
                                       {"backgroundColor", faint(0)}}});
        json daily_options = chart_options("day", "calls in the day");
        daily_options["scales"]["y"]["min"] = 0;
        page_.chart(
            cat({"Daily totals of ", c.name, " against the fit: daily_cv ", with_ci(a.daily_cv, a.daily_cv_se),
                 " (the day-to-day variation beyond Poisson)"}),
            json{{"type", "bar"}, {"data", {{"labels", days}, {"datasets", daily}}}, {"options", daily_options}});
        std::vector<std::vector<std::string>> rows;
        for (std::size_t w = 0; w < 7; ++w) {
            const fit::WeekdayDispersion& wd = a.weekdays[w];
            if (wd.days == 0) continue;
            rows.push_back(
                {weekday_names[w], std::to_string(wd.days), readable(wd.mean), readable(wd.variance), fixed(wd.cv, 3)});
        }
        page_.table({"weekday", "days", "mean daily total", "variance", "cv beyond Poisson"}, rows);
    }

    /// The histogram of handle times against each family's share of calls per bin.
    void handle_time(const fit::ClassFit& c) {
        const fit::DurationFit& h = c.handle;
        if (h.values.size() < 2) return;
        // Bins up to the 99th percentile: the longest 1% would stretch the axis over nothing.
        const double top = h.values[static_cast<std::size_t>(0.99 * static_cast<double>(h.values.size() - 1))];
        const std::size_t bins = 40;
        const double width = top > 0 ? top / bins : 1;
        std::vector<double> share(bins, 0.0);
        for (const double x : h.values)
            if (x < bins * width)
                share[static_cast<std::size_t>(x / width)] += 1.0 / static_cast<double>(h.values.size());
        json labels = json::array();
        for (std::size_t b = 0; b < bins; ++b)
            labels.push_back(fixed((static_cast<double>(b) + 0.5) * width, width >= 10 ? 0 : width >= 1 ? 1 : 3));
        json datasets = json::array();
        for (std::size_t k = 0; k < h.fits.size(); ++k) {
            const fit::FamilyFit& f = h.fits[k];
            if (!f.ok) continue;
            json expected = json::array();
            for (std::size_t b = 0; b < bins; ++b)
                expected.push_back(
                    value(f.cdf((static_cast<double>(b) + 1) * width) - f.cdf(static_cast<double>(b) * width)));
            const bool chosen = k == h.chosen;
            datasets.push_back({{"type", "line"},
                                {"label", cat({family_text(f), chosen ? " (chosen)" : "", ": AIC ", fixed(f.aic, 1),
                                               ", KS ", fixed(f.distance, 3)})},
                                {"data", expected},
                                {"borderColor", colour(k)},
                                {"backgroundColor", colour(k)},
                                {"pointRadius", 0},
                                {"borderWidth", chosen ? 3 : 1.5},
                                {"borderDash", chosen ? json::array() : json::array({5, 3})}});
        }
        datasets.push_back({{"type", "bar"},
                            {"label", "observed"},
                            {"data", share},
                            {"backgroundColor", "#99999988"},
                            {"barPercentage", 1.0},
                            {"categoryPercentage", 1.0}});
        page_.chart(cat({"Handle time of ", c.name, ": share of the ", std::to_string(h.n),
                         " answered calls in each bin, against each family fitted by maximum likelihood (the "
                         "longest 1% are beyond the axis)"}),
                    json{{"type", "bar"},
                         {"data", {{"labels", labels}, {"datasets", datasets}}},
                         {"options", chart_options("handle time, seconds (bin centre)", "share of calls")}});
        std::vector<std::vector<std::string>> rows;
        const double best_aic = h.best().aic;
        for (std::size_t k = 0; k < h.fits.size(); ++k) {
            const fit::FamilyFit& f = h.fits[k];
            if (!f.ok) {
                rows.push_back({family_text(f), "did not converge", "-", "-", "-", "-", ""});
                continue;
            }
            rows.push_back({family_text(f), parameters_text(f), with_ci(f.mean, f.mean_se), fixed(f.aic, 1),
                            fixed(f.aic - best_aic, 1), fixed(f.distance, 4), k == h.chosen ? "chosen" : ""});
        }
        page_.table({"family", "parameters ± SE", "mean ± SE (s)", "AIC", "ΔAIC", "KS distance", ""}, rows);
        page_.paragraph(cat(
            {"Sample mean ", with_ci(h.sample_mean, h.sample_mean_se), " s, sd ", readable(h.sample_sd), " s, over ",
             std::to_string(h.n), " calls", h.zeros ? "; " : ".",
             h.zeros ? cat({std::to_string(h.zeros), " under half the log's resolution were raised to it."}) : ""}));
    }

    /// Kaplan–Meier against each family's survival, and why the chosen one.
    void patience(const fit::ClassFit& c) {
        const fit::PatienceFit& p = c.patience;
        if (!p.has_patience()) {
            page_.paragraph(cat({"No caller of ", c.name, " abandoned: there is no patience to fit."}));
            return;
        }
        const fit::KaplanMeier& km = p.km;
        json steps = json::array({json{{"x", 0}, {"y", 1}}});
        const std::size_t stride = std::max<std::size_t>(1, km.times.size() / 1500);
        for (std::size_t i = 0; i < km.times.size(); i += stride)
            steps.push_back({{"x", km.times[i]}, {"y", km.survival[i]}});
        if (!km.times.empty()) steps.push_back({{"x", km.last_time}, {"y", km.survival.back()}});
        json datasets = json::array({json{{"label", "Kaplan–Meier"},
                                          {"data", steps},
                                          {"borderColor", "#000"},
                                          {"backgroundColor", "#000"},
                                          {"stepped", "after"},
                                          {"showLine", true},
                                          {"pointRadius", 0},
                                          {"borderWidth", 2}}});
        for (std::size_t k = 0; k < p.fits.size(); ++k) {
            const fit::FamilyFit& f = p.fits[k];
            if (!f.ok) continue;
            json curve = json::array();
            for (int i = 0; i <= 100; ++i) {
                const double t = km.last_time * i / 100.0;
                curve.push_back({{"x", t}, {"y", value(f.survival(t))}});
            }
            const bool chosen = k == p.chosen;
            datasets.push_back({{"label", cat({family_text(f), chosen ? " (chosen)" : "", ": mean ",
                                               with_ci(f.mean, f.mean_se), " s"})},
                                {"data", curve},
                                {"borderColor", colour(k)},
                                {"backgroundColor", colour(k)},
                                {"showLine", true},
                                {"pointRadius", 0},
                                {"borderWidth", chosen ? 3 : 1.5},
                                {"borderDash", chosen ? json::array() : json::array({5, 3})}});
        }
        json options = chart_options("wait, seconds", "share of callers still willing to wait");
        options["scales"]["x"]["min"] = 0;
        options["scales"]["x"]["max"] = km.last_time;
        options["scales"]["y"]["min"] = 0;
        options["scales"]["y"]["max"] = 1;
        page_.chart(cat({"Patience of ", c.name, ": survival from ", std::to_string(p.events), " abandoned and ",
                         std::to_string(p.censored),
                         " answered (censored) waits, Kaplan–Meier against each family "
                         "fitted by censored maximum likelihood"}),
                    json{{"type", "scatter"}, {"data", {{"datasets", datasets}}}, {"options", options}});
        std::vector<std::vector<std::string>> rows;
        for (std::size_t k = 0; k < p.fits.size(); ++k) {
            const fit::FamilyFit& f = p.fits[k];
            if (!f.ok) {
                rows.push_back({family_text(f), "did not converge", "-", "-", "-", "-", ""});
                continue;
            }
            rows.push_back({family_text(f), parameters_text(f), with_ci(f.mean, f.mean_se), fixed(f.aic, 1),
                            fixed(f.distance, 4), cat({fixed(100 * f.tail_share, 1), "%"}),
                            k == p.chosen ? "chosen" : ""});
        }
        page_.table({"family", "parameters ± SE", "mean ± SE (s)", "AIC", "largest gap from Kaplan–Meier",
                     "share of the mean beyond the longest wait", ""},
                    rows);
        page_.paragraph(cat({"Chosen: ", p.reason, ". Kaplan–Meier: median ",
                             std::isfinite(km.median) ? cat({readable(km.median), " s"}) : "beyond the longest wait",
                             ", mean capped at the longest wait (", readable(km.last_time), " s) ",
                             readable(km.restricted_mean), " s. The naive mean of the abandoned calls' waits, ",
                             readable(p.naive_mean), " s, ignores the censoring."}));
    }

    /// People on duty over the period: the roster written, and the estimate from the agents' activity.
    void staffing() {
        page_.heading("Staffing");
        const std::size_t n = per_day(), days = fit_.days();
        if (fit_.rooms.empty() || days == 0) return;
        json labels = json::array();
        for (std::size_t d = 0; d < days; ++d)
            for (std::size_t i = 0; i < n; ++i)
                labels.push_back(cat({calllog::format_date(fit_.first_day + static_cast<std::int64_t>(d)), " ",
                                      week_interval_label(i, fit_.interval_s).substr(4)}));
        json datasets = json::array();
        for (std::size_t r = 0; r < fit_.rooms.size(); ++r) {
            // The roster's people on duty, time-averaged over each interval.
            std::vector<double> on_duty(days * n, 0.0);
            for (const fit::RosterBlock& b : fit_.roster) {
                if (b.room != r) continue;
                const double from = static_cast<double>(b.day) * 86400.0 + b.start_s, to = from + b.length_s;
                for (auto i = static_cast<std::size_t>(std::max(0.0, std::floor(from / fit_.interval_s)));
                     i < on_duty.size() && static_cast<double>(i) * fit_.interval_s < to; ++i) {
                    const double lo = std::max(from, static_cast<double>(i) * fit_.interval_s);
                    const double hi = std::min(to, static_cast<double>(i + 1) * fit_.interval_s);
                    if (hi > lo) on_duty[i] += b.headcount * (hi - lo) / fit_.interval_s;
                }
            }
            datasets.push_back({{"label", cat({"roster written (", fit_.rooms[r], ")"})},
                                {"data", on_duty},
                                {"borderColor", colour(r)},
                                {"backgroundColor", colour(r)},
                                {"pointRadius", 0},
                                {"borderWidth", 1.5}});
            if (fit_.estimate && r < fit_.estimate->on_duty.size()) {
                json estimate = json::array();
                for (std::size_t d = 0; d < days; ++d)
                    for (std::size_t i = 0; i < n; ++i) {
                        const auto& room = fit_.estimate->on_duty[r];
                        estimate.push_back(d < room.size() && i < room[d].size() ? value(room[d][i]) : json(nullptr));
                    }
                datasets.push_back({{"label", cat({"estimated from the agents' activity (", fit_.rooms[r], ")"})},
                                    {"data", estimate},
                                    {"borderColor", "#000"},
                                    {"borderDash", {3, 3}},
                                    {"pointRadius", 0},
                                    {"borderWidth", 1}});
            }
        }
        json options = chart_options("interval", "people on duty");
        options["scales"]["y"]["min"] = 0;
        page_.chart(
            cat({"People on duty over the period (", fit_.staffing_method, ")"}),
            json{{"type", "line"}, {"data", {{"labels", labels}, {"datasets", datasets}}}, {"options", options}});
        if (fit_.estimate)
            page_.paragraph(cat({"The estimate follows ", std::to_string(fit_.estimate->agents), " agents in ",
                                 std::to_string(fit_.estimate->sessions),
                                 " stretches of duty; it is a lower bound: an agent logged in but answering nothing "
                                 "is invisible in a call log."}));
    }

    HtmlPage& page_;
    const fit::LogFit& fit_;
};

}  // namespace

HtmlPage fit_report(const fit::LogFit& fit) {
    HtmlPage page("crsim fit: " + fit.source);
    FitReportBuilder(page, fit).build();
    return page;
}

}  // namespace crsim::report
