#include "crsim/model/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "crsim/model/blocking.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/model/version.hpp"
#include "crsim/stats/confidence_interval.hpp"
#include "period_clock.hpp"

namespace crsim::model {

namespace {

using figure_math::undefined;

/// Sets each figure of `out` from the same-position figure of every element of `values`.
///
/// Both sides are walked by the same visitor, so the order of the figures is defined in one place
/// (summary.hpp) and cannot drift between the per-replication values and the summary.
template <class Out, class Values, class Visit>
void aggregate(Out& out, const std::vector<Values>& values, Visit visit) {
    std::vector<std::vector<double>> columns;
    for (const Values& v : values) {
        std::size_t k = 0;
        visit(v, [&](std::string_view, double, const double& x) {
            if (columns.size() <= k) columns.emplace_back();
            columns[k++].push_back(x);
        });
    }
    std::size_t k = 0;
    visit(out, [&](std::string_view, double, Figure& f) {
        f = k < columns.size() ? make_figure(columns[k]) : Figure{};
        ++k;
    });
}

void check_shape(const ScenarioSpec& spec, const ReplicationResult& r, std::size_t index) {
    const auto fail = [&](const std::string& what) {
        throw std::invalid_argument("summarise: replication " + std::to_string(index + 1) + ": " + what);
    };
    if (r.classes.size() != spec.classes.size()) fail("class count differs from the scenario's");
    if (r.groups.size() != spec.groups.size()) fail("group count differs from the scenario's");
    if (r.rooms.size() != spec.rooms.size()) fail("room count differs from the scenario's");
    for (std::size_t c = 0; c < spec.classes.size(); ++c)
        if (r.classes[c].counts.answered_within.size() != spec.classes[c].thresholds_s.size())
            fail("class " + spec.classes[c].name + " has a service level per threshold missing");
    for (const PeriodSeries* s : {&r.days, &r.weeks, &r.hours_of_week}) {
        // An empty series is allowed (a model that records no periods); a partial one is not.
        if (!s->classes.empty() && s->classes.size() != spec.classes.size()) fail("period series class count differs");
        if (!s->groups.empty() && s->groups.size() != spec.groups.size()) fail("period series group count differs");
        if (!s->rooms.empty() && s->rooms.size() != spec.rooms.size()) fail("period series room count differs");
        for (std::size_t c = 0; c < s->classes.size(); ++c)
            for (const ClassCounts& p : s->classes[c])
                if (p.answered_within.size() != spec.classes[c].thresholds_s.size())
                    fail("period series of class " + spec.classes[c].name +
                         " has a service level per threshold missing");
    }
}

/// Summarises the entity × period matrix `member` of every replication's series `series`.
///
/// Replications normally have the same number of periods; if one has fewer, its missing periods
/// are left out rather than counted as zero. Periods before `first_period` are left undefined.
template <class Figures, class Counts, class MakeValues, class Visit>
std::vector<std::vector<Figures>> summarise_periods(std::span<const ReplicationResult> results,
                                                    PeriodSeries ReplicationResult::*series,
                                                    std::vector<std::vector<Counts>> PeriodSeries::*member,
                                                    std::size_t entities, std::size_t first_period,
                                                    MakeValues make_values, Visit visit) {
    std::vector<std::vector<Figures>> out(entities);
    for (std::size_t e = 0; e < entities; ++e) {
        std::size_t periods = 0;
        for (const ReplicationResult& r : results) {
            const auto& m = r.*series.*member;
            if (e < m.size()) periods = std::max(periods, m[e].size());
        }
        out[e].resize(periods);
        for (std::size_t p = 0; p < periods; ++p) {
            // Visited even with no values, so that every entry has the same shape (service levels).
            std::vector<decltype(make_values(std::declval<const Counts&>()))> values;
            for (const ReplicationResult& r : results) {
                if (p < first_period) break;
                const auto& m = r.*series.*member;
                if (e < m.size() && p < m[e].size()) values.push_back(make_values(m[e][p]));
            }
            visit(e, out[e][p], values);
        }
    }
    return out;
}

/// `period_s` is the length of a period counted from t = 0, or 0 for the cyclic hours of the week.
PeriodSummary summarise_series(const ScenarioSpec& spec, std::span<const ReplicationResult> results,
                               PeriodSeries ReplicationResult::*series, double period_s) {
    // Periods that end by the end of the warm-up hold no results, only zeros; they are left
    // undefined (n = 0) so that they are not reported as days without calls.
    const std::size_t first =
        period_s > 0 ? static_cast<std::size_t>(std::floor(spec.warmup_s / period_s)) : std::size_t{0};
    PeriodSummary out;
    out.classes = summarise_periods<CallFigures<Figure>>(
        results, series, &PeriodSeries::classes, spec.classes.size(), first, call_figures,
        [&](std::size_t c, CallFigures<Figure>& f, const std::vector<CallFigures<double>>& values) {
            const std::vector<double>& thresholds = spec.classes[c].thresholds_s;
            f.service_level.resize(thresholds.size());
            aggregate(f, values, [&](auto& figs, auto&& fn) { for_each_call_figure(figs, thresholds, fn); });
        });
    const auto staff = [](std::size_t, StaffFigures<Figure>& f, const std::vector<StaffFigures<double>>& values) {
        aggregate(f, values, [](auto& figs, auto&& fn) { for_each_staff_figure(figs, fn); });
    };
    out.groups = summarise_periods<StaffFigures<Figure>>(results, series, &PeriodSeries::groups, spec.groups.size(),
                                                         first, staff_figures, staff);
    out.rooms = summarise_periods<StaffFigures<Figure>>(results, series, &PeriodSeries::rooms, spec.rooms.size(), first,
                                                        staff_figures, staff);
    return out;
}

/// Summary::demand: each class's demand figures, whole run and per week, when the results have them.
std::vector<DemandSummary> summarise_demand(const ScenarioSpec& spec, std::span<const ReplicationResult> results) {
    std::vector<DemandSummary> out;
    if (!spec.demand.any() || results.empty()) return out;
    const auto visit = [](auto& figs, auto&& fn) { for_each_demand_figure(figs, fn); };
    // Weeks that end by the end of the warm-up count nothing: left undefined, as in summarise_series.
    const auto first_week = static_cast<std::size_t>(std::floor(spec.warmup_s / seconds_per_week));
    for (std::size_t c = 0; c < spec.classes.size(); ++c) {
        DemandSummary d{spec.classes[c].name, {}, {}};
        std::vector<DemandFigures<double>> values;
        for (const ReplicationResult& r : results)
            if (c < r.demand.size()) values.push_back(demand_figures(r.demand[c]));
        aggregate(d.figures, values, visit);
        const std::size_t weeks = c < results[0].demand_weeks.size() ? results[0].demand_weeks[c].size() : 0;
        d.weeks.resize(weeks);
        for (std::size_t w = first_week; w < weeks; ++w) {
            values.clear();
            for (const ReplicationResult& r : results)
                if (c < r.demand_weeks.size() && w < r.demand_weeks[c].size())
                    values.push_back(demand_figures(r.demand_weeks[c][w]));
            aggregate(d.weeks[w], values, visit);
        }
        out.push_back(std::move(d));
    }
    return out;
}

/// The mean wait quantile at each of wait_cdf_probabilities over the replications of class `c`
/// that answered a call; empty when no replication kept its quantiles.
std::vector<Figure> summarise_wait_cdf(std::span<const ReplicationResult> results, std::size_t c) {
    const bool kept = std::any_of(results.begin(), results.end(),
                                  [&](const ReplicationResult& r) { return !r.classes[c].wait_quantiles_s.empty(); });
    std::vector<Figure> cdf;
    if (!kept) return cdf;
    std::vector<double> values(results.size());
    for (std::size_t i = 0; i < wait_cdf_probabilities.size(); ++i) {
        for (std::size_t r = 0; r < results.size(); ++r) {
            const ClassResult& cls = results[r].classes[c];
            values[r] =
                cls.counts.answered > 0 && i < cls.wait_quantiles_s.size() ? cls.wait_quantiles_s[i] : undefined;
        }
        cdf.push_back(make_figure(values));
    }
    return cdf;
}

/// The share of a replication's offered calls answered within `wait_s`: its answered share times
/// its quantile curve read linearly, held between the exact shares at the thresholds around it.
double offered_share_within(const ClassResult& cls, std::span<const double> thresholds_s, double wait_s) {
    const ClassCounts& c = cls.counts;
    if (c.offered == 0) return undefined;
    const double offered = static_cast<double>(c.offered);
    double low = 0, high = static_cast<double>(c.answered) / offered;
    for (std::size_t i = 0; i < thresholds_s.size() && i < c.answered_within.size(); ++i) {
        const double exact = static_cast<double>(c.answered_within[i]) / offered;
        if (thresholds_s[i] == wait_s) return exact;
        if (thresholds_s[i] < wait_s) low = std::max(low, exact);
        if (thresholds_s[i] > wait_s) high = std::min(high, exact);
    }
    const std::vector<double>& q = cls.wait_quantiles_s;
    double p = 0;
    if (c.answered > 0 && q.size() == wait_cdf_probabilities.size()) {
        if (wait_s >= q.back()) {
            p = 1;
        } else {
            const auto at = std::upper_bound(q.begin(), q.end(), wait_s) - q.begin();
            if (at > 0) {
                const auto i = static_cast<std::size_t>(at);
                const double span = q[i] - q[i - 1];
                const double p0 = wait_cdf_probabilities[i - 1], p1 = wait_cdf_probabilities[i];
                p = span > 0 ? p0 + (p1 - p0) * (wait_s - q[i - 1]) / span : p1;
            }
        }
    }
    return std::clamp(p * static_cast<double>(c.answered) / offered, low, std::max(low, high));
}

/// ClassSummary::offered_cdf of class `c`: at the mean quantiles and at the thresholds.
std::vector<std::pair<double, Figure>> summarise_offered_cdf(std::span<const ReplicationResult> results, std::size_t c,
                                                             std::span<const Figure> mean_quantiles,
                                                             std::span<const double> thresholds_s) {
    std::vector<std::pair<double, Figure>> cdf;
    if (mean_quantiles.empty()) return cdf;
    std::vector<double> waits(thresholds_s.begin(), thresholds_s.end());
    waits.push_back(0);
    for (const Figure& f : mean_quantiles)
        if (std::isfinite(f.mean)) waits.push_back(f.mean);
    // The longest wait of any replication, where every replication's curve has reached its answered share.
    double longest = 0;
    for (const ReplicationResult& r : results)
        if (!r.classes[c].wait_quantiles_s.empty()) longest = std::max(longest, r.classes[c].wait_quantiles_s.back());
    waits.push_back(longest);
    std::sort(waits.begin(), waits.end());
    waits.erase(std::unique(waits.begin(), waits.end()), waits.end());
    std::vector<double> values(results.size());
    for (const double w : waits) {
        for (std::size_t r = 0; r < results.size(); ++r)
            values[r] = offered_share_within(results[r].classes[c], thresholds_s, w);
        cdf.emplace_back(w, make_figure(values));
    }
    return cdf;
}

/// The hours of each hour of the week that lie in the reporting window (else [warm-up, horizon)),
/// over which the recorder counts the hours of the week.
std::vector<double> hour_of_week_measured_h(const ScenarioSpec& spec) {
    std::vector<double> hours(168, 0.0);
    const PeriodClock clock{spec.start_weekday * seconds_per_day};
    const double to_s = spec.window ? spec.window->to_s : spec.horizon_s;
    for (double t = spec.window ? spec.window->from_s : spec.warmup_s; t < to_s;) {
        const double next = std::min(clock.next_hour(t), to_s);
        hours[clock.hour_of_week(t)] += (next - t) / seconds_per_hour;
        t = next;
    }
    return hours;
}

}  // namespace

Figure make_figure(std::span<const double> values) {
    std::vector<double> defined;
    defined.reserve(values.size());
    for (const double x : values)
        if (!std::isnan(x)) defined.push_back(x);
    if (defined.empty()) return Figure{};
    const stats::Estimate e = stats::estimate(defined, confidence_level);
    return Figure{e.mean, e.half_width, e.n};
}

TotalFigures<double> total_figures(std::span<const StaffFigures<double>> groups) {
    TotalFigures<double> total;
    for (const StaffFigures<double>& g : groups) {
        total.rostered_cost += g.rostered_cost;
        total.on_duty_cost += g.on_duty_cost;
        total.paid_hours += g.paid_hours;
    }
    return total;
}

CallFigures<double> call_figures(const ClassCounts& c) {
    CallFigures<double> f;
    call_figure_rows(detail::RowVisitor{[&](std::string_view, auto place, auto compute) { place(f) = compute(c); },
                                        [&](std::string_view, auto place, auto compute) {
                                            auto& values = place(f);
                                            for (std::size_t i = 0; i < c.answered_within.size(); ++i)
                                                values.push_back(compute(c, i));
                                        }});
    return f;
}

ClassFigures<double> class_figures(const ClassResult& r) {
    ClassFigures<double> f;
    static_cast<CallFigures<double>&>(f) = call_figures(r.counts);
    class_only_figure_rows([&](std::string_view, auto place, auto compute) { place(f) = compute(r); });
    return f;
}

StaffFigures<double> staff_figures(const StaffCounts& s) {
    StaffFigures<double> f;
    staff_figure_rows([&](std::string_view, auto place, auto compute) { place(f) = compute(s); });
    return f;
}

Summary summarise(const ScenarioSpec& spec, std::span<const ReplicationResult> results, std::uint64_t seed) {
    for (std::size_t r = 0; r < results.size(); ++r) check_shape(spec, results[r], r);

    Summary s;
    s.scenario = spec.name;
    s.description = spec.description;
    s.currency = spec.currency;
    s.crsim_version = version();
    s.scenario_sha256 = spec.sha256;
    s.seed = seed;
    s.replications = results.size();
    s.window = spec.window;
    s.span = measured_span(spec);
    s.fte = fte_to_employ(spec, s.span);

    s.per_replication.reserve(results.size());
    for (const ReplicationResult& r : results) {
        ReplicationFigures rf;
        for (const ClassResult& c : r.classes) rf.classes.push_back(class_figures(c));
        for (const StaffCounts& g : r.groups) rf.groups.push_back(staff_figures(g));
        for (const StaffCounts& room : r.rooms) rf.rooms.push_back(staff_figures(room));
        rf.total = total_figures(rf.groups);
        s.per_replication.push_back(std::move(rf));
    }

    const auto staff_visit = [](auto& figs, auto&& fn) { for_each_staff_figure(figs, fn); };
    for (std::size_t c = 0; c < spec.classes.size(); ++c) {
        ClassSummary cs{spec.classes[c].name, spec.classes[c].thresholds_s, {}};
        cs.figures.service_level.resize(cs.thresholds_s.size());
        cs.may_be_blocked = class_may_be_blocked(spec, c);
        std::vector<ClassFigures<double>> values;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.classes[c]);
        aggregate(cs.figures, values, [&](auto& figs, auto&& fn) { for_each_class_figure(figs, cs.thresholds_s, fn); });
        cs.wait_cdf_s = summarise_wait_cdf(results, c);
        cs.offered_cdf = summarise_offered_cdf(results, c, cs.wait_cdf_s, cs.thresholds_s);
        const ClassSpec& cls = spec.classes[c];
        if ((cls.callback || cls.abandoned_callback) && !results.empty()) {
            std::vector<CallbackFigures<double>> callbacks;
            for (const ReplicationResult& r : results)
                callbacks.push_back(callback_figures(r.callbacks.at(c), r.classes[c].counts));
            cs.callbacks.emplace();
            aggregate(*cs.callbacks, callbacks, [](auto& figs, auto&& fn) {
                for_each_callback_figure(figs,
                                         [&](std::string_view name, auto& v) { fn(name, figure_math::undefined, v); });
            });
        }
        s.classes.push_back(std::move(cs));
    }
    for (std::size_t d = 0; d < spec.deferrables.size(); ++d) {
        const DeferrableSpec& work = spec.deferrables[d];
        DeferrableSummary ds{work.name, work.target_within_s, work.target_goal, {}};
        std::vector<DeferrableFigures<double>> values;
        for (std::size_t r = 0; r < results.size(); ++r) {
            values.push_back(deferrable_figures(results[r].deferrables.at(d)));
            s.per_replication[r].deferrables.push_back(values.back());
        }
        aggregate(ds.figures, values, [](auto& figs, auto&& fn) {
            for_each_deferrable_figure(figs,
                                       [&](std::string_view name, auto& v) { fn(name, figure_math::undefined, v); });
        });
        ds.target_met = std::isfinite(work.target_within_s) && ds.figures.within_target_share.mean >= work.target_goal;
        s.deferrables.push_back(std::move(ds));
    }
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        StaffSummary gs{spec.groups[g].name, {}};
        std::vector<StaffFigures<double>> values;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.groups[g]);
        aggregate(gs.figures, values, staff_visit);
        s.groups.push_back(std::move(gs));
    }
    for (std::size_t room = 0; room < spec.rooms.size(); ++room) {
        StaffSummary rs{spec.rooms[room].name, {}};
        std::vector<StaffFigures<double>> values;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.rooms[room]);
        aggregate(rs.figures, values, staff_visit);
        s.rooms.push_back(std::move(rs));
    }
    const std::vector<double> cell_fte = fte_to_employ_by_room(spec, s.span);
    for (std::size_t i = 0; i < spec.rooms.size() * spec.groups.size(); ++i) {
        StaffCellSummary cs{i % spec.groups.size(), i / spec.groups.size(), cell_fte[i], {}};
        std::vector<StaffFigures<double>> values;
        bool staffed = cell_fte[i] > 0;
        for (const ReplicationResult& r : results) {
            if (i >= r.cells.size()) break;  // a result made without cells (none are then reported)
            values.push_back(staff_figures(r.cells[i]));
            staffed = staffed || r.cells[i].paid_s > 0;
        }
        if (!staffed || values.size() != results.size()) continue;
        aggregate(cs.figures, values, staff_visit);
        s.cells.push_back(std::move(cs));
    }

    {
        std::vector<TotalFigures<double>> values;
        for (const ReplicationFigures& rf : s.per_replication) values.push_back(rf.total);
        aggregate(s.total, values, [](auto& figs, auto&& fn) { for_each_total_figure(figs, fn); });
    }

    for (std::size_t c = 0; c < spec.classes.size(); ++c) {
        const ClassSpec& cls = spec.classes[c];
        for (const TargetSpec& target : cls.targets) {
            const TargetMetric& metric = target_metric(target.metric);
            TargetResult t;
            t.metric = target.metric;
            t.threshold_s = undefined;  // parameters the metric does not have are NaN
            if (metric.parameter.member) t.*metric.parameter.member = target.*metric.parameter.member;
            t.goal = target.goal;
            t.by = target.by;
            t.periods_met = target.periods_met;
            t.class_index = c;
            t.class_name = cls.name;
            if (target.by != TargetSpec::Period::window) {
                const std::vector<double> values =
                    judge_bucketed_target(t, bucket_series(spec, results, c, target), results.size());
                for (std::size_t r = 0; r < results.size(); ++r) s.per_replication[r].targets.push_back(values[r]);
                s.targets.push_back(std::move(t));
                continue;
            }
            std::vector<double> values;
            for (std::size_t r = 0; r < results.size(); ++r) {
                ReplicationFigures& rf = s.per_replication[r];
                rf.targets.push_back(
                    metric.replication_value(results[r].classes[c], rf.classes[c], cls.thresholds_s, target));
                values.push_back(rf.targets.back());
            }
            judge_target(t, values);
            s.targets.push_back(std::move(t));
        }
    }

    s.days = summarise_series(spec, results, &ReplicationResult::days, seconds_per_day);
    s.weeks = summarise_series(spec, results, &ReplicationResult::weeks, seconds_per_week);
    s.hours_of_week = summarise_series(spec, results, &ReplicationResult::hours_of_week, 0);
    s.hour_of_week_measured_h = hour_of_week_measured_h(spec);
    s.demand = summarise_demand(spec, results);
    s.surges = spec.demand.surges;
    // Judged under the recorded criterion only where the figures are those of the verified window:
    // elsewhere the verdict would speak of calls the verification never saw.
    if (spec.verified) {
        const double from_s = spec.window ? spec.window->from_s : spec.warmup_s;
        const double to_s = spec.window ? spec.window->to_s : spec.horizon_s;
        if (from_s == spec.verified->from_s && to_s == spec.verified->to_s) {
            VerifiedVerdict v{.recorded = *spec.verified, .targets = judge_targets(spec, s, spec.verified->criterion)};
            v.met = all_clear(v.targets);
            s.verified = std::move(v);
        }
    }
    return s;
}

void judge_target(TargetResult& t, std::span<const double> per_replication) {
    t.value = make_figure(per_replication);
    t.met = meets(t.metric, t.value.mean, t.goal);
    // The interval's far edge must meet the goal: the lower edge for a minimum, the upper
    // edge for a maximum. Without an interval (one replication) nothing is confident.
    const double edge = target_metric(t.metric).minimum ? t.value.mean - t.value.ci95 : t.value.mean + t.value.ci95;
    t.confident = !std::isnan(t.value.ci95) && meets(t.metric, edge, t.goal);
    // p_met counts the replications that define the value, as the mean does.
    std::size_t defined = 0, meeting = 0;
    for (const double v : per_replication) {
        if (std::isnan(v)) continue;
        ++defined;
        if (meets(t.metric, v, t.goal)) ++meeting;
    }
    t.p_met = defined > 0 ? static_cast<double>(meeting) / static_cast<double>(defined)
                          : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace crsim::model
