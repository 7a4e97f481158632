// The reported weeks placed in the scenario's run, and the figures of each week, observed and
// simulated: what `crsim scrutiny` and `crsim calibrate` both set side by side.
#include <algorithm>
#include <cmath>

#include "crsim/model/run_replication.hpp"
#include "crsim/scrutiny/scrutiny.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "not_a_number.hpp"

namespace crsim::scrutiny {

namespace {

/// The figures of `metrics` from a week's counts: offered, abandoned_pct, asa_s, then the service
/// levels at `thresholds` (NaN where undefined).
std::vector<double> figures_of(double offered, double abandoned, double answered, double answered_wait_s,
                               const std::vector<double>& service_level, bool with_offered) {
    std::vector<double> f;
    if (with_offered) f.push_back(offered);
    f.push_back(offered > 0 && std::isfinite(abandoned) ? 100 * abandoned / offered : nan);
    f.push_back(answered_wait_s);  // already an average (or NaN)
    (void)answered;
    f.insert(f.end(), service_level.begin(), service_level.end());
    return f;
}

}  // namespace

std::vector<std::string> metric_names(const WeeklyKpis& kpis, Demand demand) {
    std::vector<std::string> names;
    if (demand == Demand::scenario) names.emplace_back("offered");
    names.emplace_back("abandoned_pct");
    names.emplace_back("asa_s");
    for (double t : kpis.thresholds_s) names.push_back("service_level_" + threshold_name(t));
    return names;
}

WeekPlan plan_weeks(model::ScenarioSpec spec, const WeeklyKpis& kpis, Demand demand) {
    if (!spec.start_day)
        throw ScrutinyError("reported weeks are dated: the scenario needs a start_date (or --start-date)");
    WeekPlan plan;
    plan.metrics = metric_names(kpis, demand);
    // Every threshold of the file is counted for every class (it changes nothing else).
    for (model::ClassSpec& c : spec.classes) {
        for (double t : kpis.thresholds_s)
            if (std::find(c.thresholds_s.begin(), c.thresholds_s.end(), t) == c.thresholds_s.end())
                c.thresholds_s.push_back(t);
        std::sort(c.thresholds_s.begin(), c.thresholds_s.end());
    }
    std::vector<std::string> unknown;
    std::size_t weeks = 0;
    for (std::size_t i = 0; i < kpis.rows.size(); ++i) {
        const WeekRow& row = kpis.rows[i];
        const auto cls = std::find_if(spec.classes.begin(), spec.classes.end(),
                                      [&](const model::ClassSpec& c) { return c.name == row.cls; });
        if (cls == spec.classes.end()) {
            if (std::find(unknown.begin(), unknown.end(), row.cls) == unknown.end()) unknown.push_back(row.cls);
            continue;
        }
        const std::int64_t offset = row.week_start - *spec.start_day;
        const std::string where =
            "line " + std::to_string(row.line) + ": the week starting " + calllog::format_date(row.week_start);
        if (offset < 0)
            throw ScrutinyError(where + " is before the scenario's start_date " +
                                calllog::format_date(*spec.start_day));
        if (offset % 7 != 0)
            throw ScrutinyError(where + " does not start a week of the run (weeks start every 7 days from start_date " +
                                calllog::format_date(*spec.start_day) + ")");
        const auto week = static_cast<std::size_t>(offset / 7);
        if (static_cast<double>(week) * model::seconds_per_week < spec.warmup_s - 1e-9)
            throw ScrutinyError(where +
                                " starts inside the scenario's warm-up (an earlier start_date leaves room for it)");
        plan.rows.push_back(i);
        plan.run_week.push_back(week);
        plan.class_index.push_back(static_cast<std::size_t>(cls - spec.classes.begin()));
        weeks = std::max(weeks, week + 1);
    }
    for (const std::string& c : unknown)
        plan.warnings.push_back("class '" + c + "' of the reported weeks is not in the scenario: left out");
    if (plan.rows.empty()) throw ScrutinyError("no reported week is of a class of the scenario");
    const double end = static_cast<double>(weeks) * model::seconds_per_week;
    if (end > spec.horizon_s) {
        plan.warnings.push_back("the run is extended to the last reported week (horizon " + std::to_string(weeks) +
                                " weeks)");
        spec.horizon_s = end;
    }
    if (demand == Demand::reported)
        for (std::size_t e = 0; e < plan.rows.size(); ++e) {
            model::ArrivalSpec& a = spec.classes[plan.class_index[e]].arrivals;
            if (!a.times_s.empty())
                throw ScrutinyError("class '" + spec.classes[plan.class_index[e]].name +
                                    "' replays a trace of arrivals: its demand cannot follow the reported weeks");
            if (a.week_factors.size() < weeks) a.week_factors.resize(weeks, 1.0);
            // The whole week is measured (it starts after the warm-up), so its mean offered
            // first attempts are per_week; redials come on top as the model makes them.
            a.week_factors[plan.run_week[e]] = kpis.rows[plan.rows[e]].offered / a.per_week;
        }
    spec.window.reset();
    plan.spec = std::move(spec);
    return plan;
}

std::vector<double> observed_figures(const WeekPlan& plan, const WeeklyKpis& kpis, std::size_t entry) {
    const WeekRow& row = kpis.rows[plan.rows[entry]];
    return figures_of(row.offered, row.abandoned, row.answered, row.asa_s, row.service_level,
                      plan.metrics.front() == "offered");
}

SimulatedFigures simulate_figures(const WeekPlan& plan, std::size_t replications, std::uint64_t seed,
                                  unsigned threads) {
    const model::ScenarioSpec& spec = plan.spec;
    const std::size_t n_thresholds = plan.metrics.size() - (plan.metrics.front() == "offered" ? 3 : 2);
    // Where each of the file's thresholds (the last metrics, ascending) is among each class's own.
    std::vector<std::vector<std::size_t>> own_index(spec.classes.size());
    for (std::size_t k = 0; k < spec.classes.size(); ++k)
        for (std::size_t t = 0; t < n_thresholds; ++t) {
            const std::string& name = plan.metrics[plan.metrics.size() - n_thresholds + t];
            const std::vector<double>& own = spec.classes[k].thresholds_s;
            std::size_t i = 0;
            while (i < own.size() && "service_level_" + threshold_name(own[i]) != name) ++i;
            own_index[k].push_back(i);  // plan_weeks added every one, so i < own.size()
        }
    auto per_replication = sim::run_replications(replications, threads, [&](std::size_t r) {
        const model::ReplicationResult run = model::run_replication(spec, seed, r);
        std::vector<std::vector<double>> figures;
        figures.reserve(plan.rows.size());
        for (std::size_t e = 0; e < plan.rows.size(); ++e) {
            const std::size_t k = plan.class_index[e];
            const model::ClassCounts& n = run.weeks.classes[k][plan.run_week[e]];
            const auto offered = static_cast<double>(n.offered);
            std::vector<double> service_level;
            for (std::size_t i : own_index[k])
                service_level.push_back(offered > 0 && i < n.answered_within.size()
                                            ? static_cast<double>(n.answered_within[i]) / offered
                                            : nan);
            const double asa = n.answered > 0 ? n.answered_wait_s / static_cast<double>(n.answered) : nan;
            figures.push_back(figures_of(offered, static_cast<double>(n.abandoned), static_cast<double>(n.answered),
                                         asa, service_level, plan.metrics.front() == "offered"));
        }
        return figures;
    });
    SimulatedFigures values(plan.rows.size(),
                            std::vector<std::vector<double>>(plan.metrics.size(), std::vector<double>(replications)));
    for (std::size_t r = 0; r < replications; ++r)
        for (std::size_t e = 0; e < plan.rows.size(); ++e)
            for (std::size_t m = 0; m < plan.metrics.size(); ++m) values[e][m][r] = per_replication[r][e][m];
    return values;
}

}  // namespace crsim::scrutiny
