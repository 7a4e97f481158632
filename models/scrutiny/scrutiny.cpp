#include "crsim/scrutiny/scrutiny.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "crsim/model/report_window.hpp"
#include "not_a_number.hpp"

namespace crsim::scrutiny {

namespace {

constexpr double weeks_per_year = 365.25 / 7;

/// Mean and standard deviation of the finite values, leaving one (`left_out`, NaN: none) out.
struct Moments {
    double n = 0, sum = 0, sum2 = 0;
    explicit Moments(const std::vector<double>& values) {
        for (double v : values)
            if (std::isfinite(v)) {
                n += 1;
                sum += v;
                sum2 += v * v;
            }
    }
    std::pair<double, double> without(double left_out) const {
        double m = n, s = sum, s2 = sum2;
        if (std::isfinite(left_out)) {
            m -= 1;
            s -= left_out;
            s2 -= left_out * left_out;
        }
        if (m < 2) return {nan, nan};
        const double mean = s / m;
        return {mean, std::sqrt(std::max(0.0, (s2 - m * mean * mean) / (m - 1)))};
    }
};

/// The scenario's goal for a class and metric, NaN when it has none.
double target_of(const model::ClassSpec& c, const std::string& metric) {
    for (const model::TargetSpec& t : c.targets) {
        if (t.metric == model::TargetSpec::Metric::service_level &&
            metric == "service_level_" + threshold_name(t.threshold_s))
            return t.goal;
        if (t.metric == model::TargetSpec::Metric::abandoned_pct && metric == "abandoned_pct") return t.goal;
        if (t.metric == model::TargetSpec::Metric::asa && metric == "asa_s") return t.goal;
    }
    return nan;
}

bool in_window(const model::ReportWindow& w, std::size_t run_week) {
    const int week = static_cast<int>(run_week) + 1;
    return week >= w.from && week <= w.to;
}

/// A Poisson count's 95% interval (Wilson–Hilferty).
std::pair<double, double> poisson_interval(double n) {
    auto cube = [](double x) { return x * x * x; };
    const double low = n <= 0 ? 0 : n * cube(1 - 1 / (9 * n) - 1.96 / (3 * std::sqrt(n)));
    const double m = n + 1;
    return {std::max(0.0, low), m * cube(1 - 1 / (9 * m) + 1.96 / (3 * std::sqrt(m)))};
}

}  // namespace

const char* verdict_name(FigureVerdict::Verdict v) {
    switch (v) {
        case FigureVerdict::Verdict::above:
            return "above";
        case FigureVerdict::Verdict::below:
            return "below";
        case FigureVerdict::Verdict::inside:
            break;
    }
    return "inside";
}

std::size_t ScrutinyResult::flagged() const {
    return static_cast<std::size_t>(std::count_if(figures.begin(), figures.end(), [](const FigureVerdict& f) {
        return f.verdict != FigureVerdict::Verdict::inside;
    }));
}

std::pair<double, double> prediction_band(std::vector<double> values) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.size() < 2) return {nan, nan};
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    const auto k =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(0.025 * static_cast<double>(n + 1))), 1, n / 2);
    return {values[k - 1], values[n - k]};
}

std::vector<std::pair<std::size_t, bool>> cusum_alarms(const std::vector<double>& z, double k, double h) {
    std::vector<std::pair<std::size_t, bool>> alarms;
    double up = 0, down = 0;
    for (std::size_t i = 0; i < z.size(); ++i) {
        if (!std::isfinite(z[i])) continue;
        up = std::max(0.0, up + z[i] - k);
        down = std::max(0.0, down - z[i] - k);
        if (up > h || down > h) {
            alarms.emplace_back(i, up > h);
            up = down = 0;
        }
    }
    return alarms;
}

ScrutinyResult run_scrutiny(const model::ScenarioSpec& spec, const WeeklyKpis& kpis, const std::string& kpis_name,
                            const ScrutinyOptions& options) {
    if (options.replications < 39) throw ScrutinyError("a band for one week needs at least 39 replications");
    const WeekPlan plan = plan_weeks(spec, kpis, options.demand);
    ScrutinyResult result;
    result.scenario = spec.name;
    result.kpis = kpis_name;
    result.replications = options.replications;
    result.seed = options.seed.value_or(spec.seed);
    result.demand = options.demand;
    result.warnings = plan.warnings;
    const auto n = static_cast<double>(options.replications);
    const double k = std::max(1.0, std::round(0.025 * (n + 1)));
    result.band_coverage = 1 - 2 * k / (n + 1);
    const SimulatedFigures simulated = simulate_figures(plan, options.replications, result.seed, options.threads);

    // The series: one per class and metric, its entries in the order of the weeks.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> series;  // (class, metric) -> entries
    for (std::size_t e = 0; e < plan.rows.size(); ++e)
        for (std::size_t m = 0; m < plan.metrics.size(); ++m) series[{plan.class_index[e], m}].push_back(e);
    for (auto& [key, entries] : series)
        std::sort(entries.begin(), entries.end(),
                  [&](std::size_t a, std::size_t b) { return plan.run_week[a] < plan.run_week[b]; });

    std::vector<std::vector<double>> observed;
    for (std::size_t e = 0; e < plan.rows.size(); ++e) observed.push_back(observed_figures(plan, kpis, e));
    for (const auto& [key, entries] : series)
        for (std::size_t e : entries) {
            const std::size_t m = key.second;
            if (!std::isfinite(observed[e][m])) continue;
            const auto [low, high] = prediction_band(simulated[e][m]);
            if (!std::isfinite(low)) continue;
            FigureVerdict f;
            f.entry = e;
            f.week_start = calllog::format_date(kpis.rows[plan.rows[e]].week_start);
            f.cls = plan.spec.classes[key.first].name;
            f.metric = plan.metrics[m];
            f.run_week = plan.run_week[e] + 1;
            f.observed = observed[e][m];
            f.low = low;
            f.high = high;
            std::tie(f.mean, f.sd) = Moments(simulated[e][m]).without(nan);
            f.target = target_of(plan.spec.classes[key.first], f.metric);
            f.verdict = f.observed > high  ? FigureVerdict::Verdict::above
                        : f.observed < low ? FigureVerdict::Verdict::below
                                           : FigureVerdict::Verdict::inside;
            result.figures.push_back(std::move(f));
        }

    // The detector: CUSUM on each series' standardised residuals, observed and, to measure its
    // false-alarm rate, each replication's against the others (leave one out).
    Detector& d = result.detector;
    d.k = options.cusum_k;
    d.h = options.cusum_h;
    double simulated_alarms = 0;
    for (const auto& [key, entries] : series) {
        const std::size_t m = key.second;
        std::vector<Moments> moments;
        std::vector<double> z;
        for (std::size_t e : entries) {
            moments.emplace_back(simulated[e][m]);
            const auto [mean, sd] = moments.back().without(nan);
            z.push_back(sd > 0 ? (observed[e][m] - mean) / sd : nan);
        }
        const double finite =
            static_cast<double>(std::count_if(z.begin(), z.end(), [](double v) { return std::isfinite(v); }));
        d.series_years += finite / weeks_per_year;
        for (const auto& [i, upward] : cusum_alarms(z, d.k, d.h))
            d.alarms.push_back({calllog::format_date(kpis.rows[plan.rows[entries[i]]].week_start),
                                plan.spec.classes[key.first].name, plan.metrics[m], upward});
        for (std::size_t r = 0; r < options.replications; ++r) {
            std::vector<double> zr;
            for (std::size_t i = 0; i < entries.size(); ++i) {
                const double x = simulated[entries[i]][m][r];
                const auto [mean, sd] = moments[i].without(x);
                zr.push_back(std::isfinite(x) && sd > 0 ? (x - mean) / sd : nan);
            }
            const double weeks =
                static_cast<double>(std::count_if(zr.begin(), zr.end(), [](double v) { return std::isfinite(v); }));
            d.simulated_series_years += weeks / weeks_per_year;
            simulated_alarms += static_cast<double>(cusum_alarms(zr, d.k, d.h).size());
        }
    }
    if (d.simulated_series_years > 0) {
        d.false_alarms_per_year = simulated_alarms / d.simulated_series_years;
        const auto [lo, hi] = poisson_interval(simulated_alarms);
        d.rate_ci_low = lo / d.simulated_series_years;
        d.rate_ci_high = hi / d.simulated_series_years;
    }

    if (options.before && options.after) {
        ChangeTest t;
        t.before = *options.before;
        t.after = *options.after;
        // The figure tested: the one asked for, else the first class's first service level.
        std::size_t cls = plan.class_index.front();
        if (!options.test_class.empty()) {
            const auto it = std::find_if(plan.spec.classes.begin(), plan.spec.classes.end(),
                                         [&](const model::ClassSpec& c) { return c.name == options.test_class; });
            if (it == plan.spec.classes.end() ||
                std::find(plan.class_index.begin(), plan.class_index.end(),
                          static_cast<std::size_t>(it - plan.spec.classes.begin())) == plan.class_index.end())
                throw ScrutinyError("--class " + options.test_class + ": no reported week of that class");
            cls = static_cast<std::size_t>(it - plan.spec.classes.begin());
        }
        std::size_t metric = plan.metrics.size();
        for (std::size_t m = 0; m < plan.metrics.size(); ++m)
            if (options.test_metric.empty() ? plan.metrics[m].rfind("service_level_", 0) == 0
                                            : plan.metrics[m] == options.test_metric) {
                metric = m;
                break;
            }
        if (metric == plan.metrics.size()) {
            if (!options.test_metric.empty())
                throw ScrutinyError("--metric " + options.test_metric + ": not a figure of the reported weeks (" + [&] {
                    std::string all;
                    for (const std::string& m : plan.metrics) all += (all.empty() ? "" : ", ") + m;
                    return all;
                }() + ")");
            metric = plan.metrics.size() - 1;
        }
        t.cls = plan.spec.classes[cls].name;
        t.metric = plan.metrics[metric];
        const std::vector<std::size_t>& entries = series.at({cls, metric});
        // The statistic: mean residual after minus mean residual before, residuals against the
        // simulated mean of each week (leaving out the replication that plays the observer).
        auto statistic = [&](auto value_of, auto mean_of) {
            double sum_before = 0, sum_after = 0, n_before = 0, n_after = 0;
            for (std::size_t e : entries) {
                const double x = value_of(e);
                const double mean = mean_of(e, x);
                if (!std::isfinite(x) || !std::isfinite(mean)) continue;
                if (in_window(t.before, plan.run_week[e])) {
                    sum_before += x - mean;
                    n_before += 1;
                }
                if (in_window(t.after, plan.run_week[e])) {
                    sum_after += x - mean;
                    n_after += 1;
                }
            }
            return std::make_tuple(n_after > 0 && n_before > 0 ? sum_after / n_after - sum_before / n_before : nan,
                                   n_before, n_after);
        };
        std::map<std::size_t, Moments> moments;
        for (std::size_t e : entries) moments.emplace(e, Moments(simulated[e][metric]));
        double n_before = 0, n_after = 0;
        std::tie(t.effect, n_before, n_after) =
            statistic([&](std::size_t e) { return observed[e][metric]; },
                      [&](std::size_t e, double) { return moments.at(e).without(nan).first; });
        t.weeks_before = static_cast<std::size_t>(n_before);
        t.weeks_after = static_cast<std::size_t>(n_after);
        if (!std::isfinite(t.effect))
            throw ScrutinyError("the test of " + t.cls + " " + t.metric + " needs an observed figure in both " +
                                model::describe(t.before) + " and " + model::describe(t.after));
        std::vector<double> null;
        for (std::size_t r = 0; r < options.replications; ++r) {
            const double v =
                std::get<0>(statistic([&](std::size_t e) { return simulated[e][metric][r]; },
                                      [&](std::size_t e, double x) { return moments.at(e).without(x).first; }));
            if (std::isfinite(v)) null.push_back(v);
        }
        std::sort(null.begin(), null.end());
        const double extreme = static_cast<double>(
            std::count_if(null.begin(), null.end(), [&](double v) { return std::abs(v) >= std::abs(t.effect); }));
        t.p_value = (1 + extreme) / (1 + static_cast<double>(null.size()));
        // The effect's interval: the observed effect less the null's 97.5% and 2.5% points (the
        // null's spread, shifted to the effect).
        const auto [q_low, q_high] = prediction_band(null);
        t.ci_low = t.effect - q_high;
        t.ci_high = t.effect - q_low;
        result.test = t;
    }
    return result;
}

namespace {

using nlohmann::ordered_json;

ordered_json number(double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); }

}  // namespace

std::string scrutiny_json(const ScrutinyResult& r) {
    ordered_json j;
    j["scenario"] = r.scenario;
    j["kpis"] = r.kpis;
    j["replications"] = r.replications;
    j["seed"] = r.seed;
    j["demand"] = r.demand == Demand::reported ? "reported" : "scenario";
    j["band_coverage"] = r.band_coverage;
    j["weeks"] = ordered_json::array();
    for (const FigureVerdict& f : r.figures)
        j["weeks"].push_back(ordered_json{{"week_start", f.week_start},
                                          {"class", f.cls},
                                          {"metric", f.metric},
                                          {"observed", number(f.observed)},
                                          {"band", {number(f.low), number(f.high)}},
                                          {"verdict", verdict_name(f.verdict)},
                                          {"week", f.run_week},
                                          {"mean", number(f.mean)},
                                          {"target", number(f.target)}});
    j["flagged"] = r.flagged();
    if (r.test)
        j["test"] = ordered_json{{"class", r.test->cls},
                                 {"metric", r.test->metric},
                                 {"before", model::describe(r.test->before)},
                                 {"after", model::describe(r.test->after)},
                                 {"p_value", r.test->p_value},
                                 {"effect", r.test->effect},
                                 {"ci95", {r.test->ci_low, r.test->ci_high}}};
    ordered_json alarms = ordered_json::array();
    for (const Alarm& a : r.detector.alarms)
        alarms.push_back(ordered_json{{"week_start", a.week_start},
                                      {"class", a.cls},
                                      {"metric", a.metric},
                                      {"direction", a.upward ? "up" : "down"}});
    j["detector"] = ordered_json{{"method", "two-sided CUSUM on standardised weekly residuals"},
                                 {"k", r.detector.k},
                                 {"h", r.detector.h},
                                 {"false_alarms_per_year", r.detector.false_alarms_per_year},
                                 {"false_alarms_per_year_ci95", {r.detector.rate_ci_low, r.detector.rate_ci_high}},
                                 {"simulated_series_years", r.detector.simulated_series_years},
                                 {"series_years", r.detector.series_years},
                                 {"alarms", alarms}};
    return j.dump(2) + "\n";
}

std::string scrutiny_csv(const ScrutinyResult& r) {
    std::ostringstream out;
    out << "week_start,class,metric,observed,band_low,band_high,mean,target,verdict\n";
    auto num = [&](double x) {
        if (std::isfinite(x)) {
            char text[32];
            std::snprintf(text, sizeof text, "%.6g", x);
            out << text;
        }
    };
    for (const FigureVerdict& f : r.figures) {
        out << f.week_start << ',';
        calllog::write_csv_field(out, f.cls);
        out << ',' << f.metric << ',';
        num(f.observed);
        out << ',';
        num(f.low);
        out << ',';
        num(f.high);
        out << ',';
        num(f.mean);
        out << ',';
        num(f.target);
        out << ',' << verdict_name(f.verdict) << '\n';
    }
    return out.str();
}

void write_scrutiny_table(std::ostream& out, const ScrutinyResult& r) {
    char line[256];
    out << "Scrutiny of " << r.kpis << " against " << r.scenario << " (" << r.replications << " replications, seed "
        << r.seed << ", demand: " << (r.demand == Demand::reported ? "as reported" : "the scenario's") << ")\n";
    std::snprintf(
        line, sizeof line, "%zu of %zu weekly figures outside the %.1f%% band for one week (%.1f%%)\n", r.flagged(),
        r.figures.size(), 100 * r.band_coverage,
        r.figures.empty() ? 0.0 : 100.0 * static_cast<double>(r.flagged()) / static_cast<double>(r.figures.size()));
    out << line << '\n';
    std::snprintf(line, sizeof line, "%-10s %4s %-8s %-18s %12s %25s %8s\n", "week_start", "week", "class", "metric",
                  "observed", "band (95%, one week)", "verdict");
    out << line;
    for (const FigureVerdict& f : r.figures) {
        if (f.verdict == FigureVerdict::Verdict::inside) continue;
        std::snprintf(line, sizeof line, "%-10s %4zu %-8s %-18s %12.4g %12.4g .. %-10.4g %8s\n", f.week_start.c_str(),
                      f.run_week, f.cls.c_str(), f.metric.c_str(), f.observed, f.low, f.high, verdict_name(f.verdict));
        out << line;
    }
    if (r.test) {
        std::snprintf(line, sizeof line,
                      "\nChange in %s %s, %s against %s: effect %+.4g (95%% CI %+.4g .. %+.4g), p = %.3g "
                      "(%zu and %zu weeks; null from %zu simulated histories)\n",
                      r.test->cls.c_str(), r.test->metric.c_str(), model::describe(r.test->after).c_str(),
                      model::describe(r.test->before).c_str(), r.test->effect, r.test->ci_low, r.test->ci_high,
                      r.test->p_value, r.test->weeks_after, r.test->weeks_before, r.replications);
        out << line;
    }
    const Detector& d = r.detector;
    std::snprintf(line, sizeof line,
                  "\nDetector: two-sided CUSUM (k = %g, h = %g) on standardised residuals; false alarms %.3g per "
                  "series-year (95%% CI %.3g .. %.3g, measured on %.0f simulated series-years); %zu alarms in %.2f "
                  "reported series-years\n",
                  d.k, d.h, d.false_alarms_per_year, d.rate_ci_low, d.rate_ci_high, d.simulated_series_years,
                  d.alarms.size(), d.series_years);
    out << line;
    for (const Alarm& a : d.alarms)
        out << "  alarm " << a.week_start << ' ' << a.cls << ' ' << a.metric << (a.upward ? " up" : " down") << '\n';
}

}  // namespace crsim::scrutiny
