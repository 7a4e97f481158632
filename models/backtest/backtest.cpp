#include "crsim/backtest/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "crsim/analytic/erlang.hpp"
#include "crsim/backtest/inputs_from_log.hpp"
#include "crsim/calllog/log_defects.hpp"
#include "crsim/model/recording.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/stats/confidence_interval.hpp"

namespace crsim::backtest {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Additive counts of one scope, observed or simulated.
struct Counts {
    double offered = 0, answered = 0, abandoned = 0, answered_wait_s = 0;
    std::vector<double> within;  ///< per threshold; NaN when the scope's classes do not all count it

    void add(const Counts& o) {
        offered += o.offered;
        answered += o.answered;
        abandoned += o.abandoned;
        answered_wait_s += o.answered_wait_s;
        for (std::size_t i = 0; i < within.size(); ++i) within[i] += o.within[i];
    }
};

/// The figures of a scope in metric order.
std::vector<double> figures(const Counts& c) {
    std::vector<double> f = {c.offered, c.answered, c.offered > 0 ? 100 * c.abandoned / c.offered : nan,
                             c.answered > 0 ? c.answered_wait_s / c.answered : nan};
    for (double w : c.within) f.push_back(c.offered > 0 ? w / c.offered : nan);
    return f;
}

/// Upper limits of the metrics (percent, share), to clip prediction intervals to what can happen.
double upper_limit(std::size_t metric) { return metric == 2 ? 100 : metric >= 4 ? 1 : INFINITY; }

Comparison compare(double observed, const std::vector<double>& simulated, std::size_t metric) {
    Comparison c;
    c.observed = observed;
    std::vector<double> values;
    for (double v : simulated)
        if (std::isfinite(v)) values.push_back(v);
    c.n = values.size();
    const stats::Estimate e = stats::estimate(values);
    c.mean = e.mean;
    c.ci95 = e.half_width;
    if (values.size() >= 2) {
        double sum2 = 0;
        for (double v : values) sum2 += (v - e.mean) * (v - e.mean);
        const double sd = std::sqrt(sum2 / static_cast<double>(values.size() - 1));
        const double half =
            stats::t_quantile(0.95, values.size() - 1) * sd * std::sqrt(1 + 1 / static_cast<double>(values.size()));
        c.pi_low = std::max(0.0, e.mean - half);
        c.pi_high = std::min(upper_limit(metric), e.mean + half);
    } else {
        c.pi_low = c.pi_high = nan;
    }
    return c;
}

std::string threshold_name(double t) {
    char text[32];
    std::snprintf(text, sizeof text, "%gs", t);
    return text;
}

/// hourly_mae, hourly_inside and hourly_total of a result whose by_hour_overall is filled.
void summarise_hours(BacktestResult& r) {
    r.hourly_mae.assign(r.metrics.size(), nan);
    for (std::size_t m = 2; m < r.metrics.size(); ++m) {
        double sum = 0, n = 0;
        for (const Figures& f : r.by_hour_overall) {
            if (f[0].observed < hourly_min_calls) continue;
            const Comparison& c = f[m];
            if (!std::isfinite(c.observed) || !std::isfinite(c.mean)) continue;
            sum += std::abs(c.observed - c.mean);
            n += 1;
            if (const std::optional<bool> inside = c.inside()) {
                ++r.hourly_total;
                r.hourly_inside += *inside;
            }
        }
        if (n > 0) r.hourly_mae[m] = sum / n;
    }
}

/// Erlang A for each hour of each day of the period (missing days left out) from the same inputs as
/// the simulation: the hour's observed calls, the people on duty, the mean handle time of the
/// hour's answered calls, and the scenario's mean patience of the hour's calls; summed to hours of
/// day as the observed figures are.
void add_erlang_a_baseline(BacktestResult& r, const BacktestPlan& plan, const calllog::CallLog& log,
                           const std::vector<std::int64_t>& class_of, const std::vector<bool>& skipped) {
    const std::size_t days = plan.people.size();
    struct Cell {
        double offered = 0, answered = 0, handle = 0, patience = 0;
    };
    std::vector<std::vector<Cell>> cells(days, std::vector<Cell>(24));
    for (const calllog::CallRecord& c : log.calls) {
        const std::int64_t day = calllog::day_number(c.arrival_s) - r.first_day;
        if (day < 0 || day >= static_cast<std::int64_t>(days) || class_of[c.cls] < 0) continue;
        if (skipped[static_cast<std::size_t>(day)]) continue;
        const auto hour = static_cast<std::size_t>(std::fmod(c.arrival_s, model::seconds_per_day) / 3600) % 24;
        Cell& cell = cells[static_cast<std::size_t>(day)][hour];
        cell.offered += 1;
        const model::ClassSpec& k = plan.spec.classes[static_cast<std::size_t>(class_of[c.cls])];
        cell.patience += k.patience ? k.patience->mean() : 1e9;
        if (c.outcome == calllog::Outcome::answered) {
            cell.answered += 1;
            cell.handle += c.handle_s + std::max(0.0, c.wrap_s);
        }
    }
    const std::size_t n_metrics = r.metrics.size();
    // Per hour of day: offered, abandoned, answered, answered wait, within each threshold.
    std::vector<std::vector<double>> sums(24, std::vector<double>(4 + r.thresholds_s.size(), 0.0));
    for (std::size_t d = 0; d < days; ++d)
        for (std::size_t h = 0; h < 24; ++h) {
            const Cell& cell = cells[d][h];
            if (cell.offered <= 0) continue;
            std::vector<double>& s = sums[h];
            s[0] += cell.offered;
            const int people = static_cast<int>(std::lround(plan.people[d][h]));
            if (people <= 0 || cell.answered <= 0) {
                s[1] += cell.offered;  // nobody on duty (or no handle time seen): every call abandons
                continue;
            }
            analytic::ErlangDemand demand;
            demand.arrivals_per_hour = cell.offered;
            demand.handle_mean_s = cell.handle / cell.answered;
            demand.patience_mean_s = cell.patience / cell.offered;
            const analytic::ErlangQueue q(demand, people);
            const double abandoned = cell.offered * q.p_abandon();
            s[1] += abandoned;
            s[2] += cell.offered - abandoned;
            s[3] += (cell.offered - abandoned) * q.asa_s();
            for (std::size_t i = 0; i < r.thresholds_s.size(); ++i)
                s[4 + i] += cell.offered * q.service_level(r.thresholds_s[i]);
        }
    r.has_erlang_a = true;
    r.erlang_a_by_hour.assign(24, std::vector<double>(n_metrics, nan));
    for (std::size_t h = 0; h < 24; ++h) {
        const std::vector<double>& s = sums[h];
        if (s[0] <= 0) continue;
        std::vector<double>& f = r.erlang_a_by_hour[h];
        f[0] = s[0];
        f[1] = s[2];
        f[2] = 100 * s[1] / s[0];
        f[3] = s[2] > 0 ? s[3] / s[2] : nan;
        for (std::size_t i = 0; i < r.thresholds_s.size(); ++i) f[4 + i] = s[4 + i] / s[0];
    }
    r.erlang_a_mae.assign(n_metrics, nan);
    for (std::size_t m = 2; m < n_metrics; ++m) {
        double sum = 0, n = 0;
        for (std::size_t h = 0; h < 24; ++h) {
            const Comparison& c = r.by_hour_overall[h][m];
            if (r.by_hour_overall[h][0].observed < hourly_min_calls) continue;
            if (!std::isfinite(c.observed) || !std::isfinite(r.erlang_a_by_hour[h][m])) continue;
            sum += std::abs(c.observed - r.erlang_a_by_hour[h][m]);
            n += 1;
        }
        if (n > 0) r.erlang_a_mae[m] = sum / n;
    }
}

}  // namespace

std::optional<bool> Comparison::inside() const {
    if (!std::isfinite(observed) || !std::isfinite(pi_low) || !std::isfinite(pi_high)) return std::nullopt;
    return observed >= pi_low && observed <= pi_high;
}

BacktestPlan plan_backtest(model::ScenarioSpec spec, const calllog::CallLog& log, const BacktestOptions& options) {
    BacktestPlan plan;
    if (log.calls.empty()) throw BacktestError("the log has no calls");
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const calllog::CallRecord& c : log.calls) {
        first = std::min(first, calllog::day_number(c.arrival_s));
        last = std::max(last, calllog::day_number(c.arrival_s));
    }
    plan.first_day = options.from_day.value_or(first);
    plan.last_day = options.to_day.value_or(last);
    if (plan.last_day < plan.first_day) throw BacktestError("the period is empty: --to is before --from");
    if (options.inputs_from_log) {
        if (plan.first_day < first || plan.last_day > last)
            throw BacktestError("the period " + calllog::format_date(plan.first_day) + " .. " +
                                calllog::format_date(plan.last_day) + " reaches beyond the days of the log's calls");
        spec = spec_with_inputs_from_log(spec, log, plan.first_day, plan.last_day, plan.warnings, &plan.people);
    }
    const std::string period = calllog::format_date(plan.first_day) + " .. " + calllog::format_date(plan.last_day);
    const std::string log_days = calllog::format_date(first) + " .. " + calllog::format_date(last);

    // The run covers exactly the period; with a start_date the days before it are a warm-up, so
    // that roster lines by week keep their dates.
    const double old_horizon = spec.horizon_s;
    const std::int64_t run_start = spec.start_day.value_or(plan.first_day);
    if (plan.first_day < run_start)
        throw BacktestError("the period starts on " + calllog::format_date(plan.first_day) +
                            ", before the scenario's start_date " + calllog::format_date(run_start));
    if (plan.last_day - run_start >= static_cast<std::int64_t>(calllog::max_duration_s / model::seconds_per_day))
        throw BacktestError("the period " + period + " makes a run of " +
                            std::to_string(plan.last_day + 1 - run_start) +
                            " days, longer than the 1e10 s (115740 days) a scenario may last: give a shorter one "
                            "with --from and --to");
    // Days the log does not cover have nothing observed to set beside the simulation.
    if (plan.first_day < first || plan.last_day > last)
        throw BacktestError("the period " + period + " reaches beyond the days of the log's calls (" + log_days +
                            "): nothing was observed there to compare");
    if (!spec.start_day) spec.start_weekday = calllog::weekday_of_day(plan.first_day);
    spec.warmup_s = static_cast<double>(plan.first_day - run_start) * model::seconds_per_day;
    spec.horizon_s = static_cast<double>(plan.last_day + 1 - run_start) * model::seconds_per_day;
    if (spec.horizon_s != old_horizon) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "the scenario's horizon is %g days; simulated to the end of the period (%g days) instead",
                      old_horizon / model::seconds_per_day, spec.horizon_s / model::seconds_per_day);
        plan.warnings.push_back(text);
    }

    // Nothing observed, nothing to judge.
    std::uint64_t in_period = 0, of_scenario = 0;
    for (const calllog::CallRecord& c : log.calls) {
        const std::int64_t day = calllog::day_number(c.arrival_s);
        if (day < plan.first_day || day > plan.last_day) continue;
        ++in_period;
        for (const model::ClassSpec& k : spec.classes) of_scenario += k.name == log.classes[c.cls];
    }
    if (in_period == 0) throw BacktestError("the log has no call in the period " + period);
    if (of_scenario == 0)
        throw BacktestError("no call of the log in the period " + period + " is of a class of the scenario");
    plan.replications = options.replications > 0 ? options.replications : spec.replications;
    plan.spec = std::move(spec);
    return plan;
}

BacktestResult run_backtest(model::ScenarioSpec spec, const calllog::CallLog& log, const std::string& log_name,
                            const BacktestOptions& options) {
    return run_backtest(plan_backtest(std::move(spec), log, options), log, log_name, options);
}

BacktestResult run_backtest(const BacktestPlan& plan, const calllog::CallLog& log, const std::string& log_name,
                            const BacktestOptions& options) {
    const model::ScenarioSpec& spec = plan.spec;
    BacktestResult result;
    result.scenario = spec.name;
    result.log = log_name;
    result.first_day = plan.first_day;
    result.last_day = plan.last_day;
    result.warnings = plan.warnings;
    const double origin = static_cast<double>(result.first_day) * model::seconds_per_day;

    // The thresholds: every one of the scenario's service-level targets.
    for (const model::ClassSpec& c : spec.classes)
        for (double t : c.thresholds_s)
            if (std::find(result.thresholds_s.begin(), result.thresholds_s.end(), t) == result.thresholds_s.end())
                result.thresholds_s.push_back(t);
    std::sort(result.thresholds_s.begin(), result.thresholds_s.end());
    result.metrics = {"offered", "answered", "abandoned_pct", "asa_s"};
    for (double t : result.thresholds_s) result.metrics.push_back("service_level_" + threshold_name(t));
    const std::size_t n_classes = spec.classes.size();
    for (const model::ClassSpec& c : spec.classes) result.classes.push_back(c.name);

    // Observed.
    std::vector<std::int64_t> class_of(log.classes.size(), -1);
    std::vector<std::uint64_t> unknown(log.classes.size(), 0);
    for (std::size_t i = 0; i < log.classes.size(); ++i)
        for (std::size_t k = 0; k < n_classes; ++k)
            if (log.classes[i] == spec.classes[k].name) class_of[i] = static_cast<std::int64_t>(k);
    auto empty = [&](std::size_t k) {
        Counts c;
        for (double t : result.thresholds_s) {
            const std::vector<double>& own = spec.classes[k].thresholds_s;
            c.within.push_back(std::find(own.begin(), own.end(), t) == own.end() ? nan : 0.0);
        }
        return c;
    };
    std::vector<Counts> observed_class;
    std::vector<std::vector<Counts>> observed_hour(24);
    for (std::size_t k = 0; k < n_classes; ++k) {
        observed_class.push_back(empty(k));
        for (auto& h : observed_hour) h.push_back(empty(k));
    }
    // Days missing from the log are left out of both sides: nothing was observed on them.
    result.missing_days = calllog::find_missing_days(log, result.first_day, result.last_day);
    std::vector<bool> skipped(static_cast<std::size_t>(result.last_day - result.first_day + 1), false);
    for (std::int64_t d : result.missing_days) skipped[static_cast<std::size_t>(d - result.first_day)] = true;
    if (!result.missing_days.empty())
        result.warnings.push_back(calllog::missing_days_warning(result.missing_days, "the comparison"));
    for (const calllog::CallRecord& call : log.calls) {
        const std::int64_t day = calllog::day_number(call.arrival_s);
        if (day < result.first_day || day > result.last_day) continue;
        if (class_of[call.cls] < 0) {
            ++unknown[call.cls];
            continue;
        }
        const auto k = static_cast<std::size_t>(class_of[call.cls]);
        const auto hour = static_cast<std::size_t>((call.arrival_s - origin) / 3600) % 24;
        for (Counts* c : {&observed_class[k], &observed_hour[hour][k]}) {
            c->offered += 1;
            if (call.outcome == calllog::Outcome::answered) {
                c->answered += 1;
                c->answered_wait_s += call.wait_s;
                for (std::size_t i = 0; i < result.thresholds_s.size(); ++i)
                    if (call.wait_s <= result.thresholds_s[i]) c->within[i] += 1;
            } else {
                c->abandoned += 1;
            }
        }
    }
    for (std::size_t i = 0; i < log.classes.size(); ++i)
        if (unknown[i] > 0)
            result.warnings.push_back("class '" + log.classes[i] + "' of the log (" + std::to_string(unknown[i]) +
                                      " calls in the period) is not in the scenario: left out");

    // Simulated: each replication's calls counted as the log's are, on the same days.
    result.replications = plan.replications;
    result.seed = options.seed.value_or(spec.seed);
    const auto warmup_days = static_cast<std::int64_t>(std::llround(spec.warmup_s / model::seconds_per_day));
    std::vector<std::vector<double>> class_thresholds;
    for (const model::ClassSpec& c : spec.classes) class_thresholds.push_back(c.thresholds_s);
    struct Simulated {
        std::vector<Counts> by_class;
        std::vector<std::vector<Counts>> by_hour;  // [hour][class]
    };
    // Counts each measured attempt of a day of the period that the log has.
    class PeriodCounter : public model::CallLogSink {
    public:
        PeriodCounter(Simulated& into, const std::vector<bool>& skipped, std::int64_t warmup_days,
                      const std::vector<std::vector<double>>& class_thresholds, const std::vector<double>& thresholds)
            : into_(into),
              skipped_(skipped),
              warmup_days_(warmup_days),
              class_thresholds_(class_thresholds),
              thresholds_(thresholds) {}
        void on_call(const model::CallRecord& r) override {
            if (!r.measured) return;
            const auto day = static_cast<std::int64_t>(std::floor(r.arrival_s / model::seconds_per_day)) - warmup_days_;
            if (day < 0 || day >= static_cast<std::int64_t>(skipped_.size()) || skipped_[static_cast<std::size_t>(day)])
                return;
            const auto hour = static_cast<std::size_t>(std::fmod(r.arrival_s, model::seconds_per_day) / 3600) % 24;
            for (Counts* c : {&into_.by_class[r.cls], &into_.by_hour[hour][r.cls]}) {
                c->offered += 1;
                if (r.outcome == model::CallRecord::Outcome::answered) {
                    c->answered += 1;
                    c->answered_wait_s += r.wait_s;
                    const std::vector<double>& own = class_thresholds_[r.cls];
                    for (std::size_t i = 0; i < thresholds_.size(); ++i)
                        if (std::find(own.begin(), own.end(), thresholds_[i]) != own.end() &&
                            r.wait_s <= thresholds_[i])
                            c->within[i] += 1;
                } else if (r.outcome == model::CallRecord::Outcome::abandoned) {
                    c->abandoned += 1;  // a blocked call (a trunk cap) is offered, neither answered nor abandoned
                }
            }
        }

    private:
        Simulated& into_;
        const std::vector<bool>& skipped_;
        std::int64_t warmup_days_;
        const std::vector<std::vector<double>>& class_thresholds_;
        const std::vector<double>& thresholds_;
    };
    const std::vector<Simulated> runs = sim::run_replications(result.replications, options.threads, [&](std::size_t r) {
        Simulated s;
        for (std::size_t k = 0; k < n_classes; ++k) s.by_class.push_back(empty(k));
        s.by_hour.assign(24, s.by_class);
        PeriodCounter counter(s, skipped, warmup_days, class_thresholds, result.thresholds_s);
        model::RecordingOptions recording;
        recording.call_log = &counter;
        model::run_replication(spec, result.seed, r, recording);
        return s;
    });

    auto combine = [&](const std::vector<Counts>& per_class) {
        Counts all;
        all.within.assign(result.thresholds_s.size(), 0.0);
        for (const Counts& c : per_class) all.add(c);
        return all;
    };
    std::vector<std::vector<std::vector<double>>> sim_class(n_classes), sim_overall(1);
    std::vector<std::vector<std::vector<std::vector<double>>>> sim_hour(
        24, std::vector<std::vector<std::vector<double>>>(n_classes));
    std::vector<std::vector<std::vector<double>>> sim_hour_overall(24);
    for (const Simulated& run : runs) {
        for (std::size_t k = 0; k < n_classes; ++k) sim_class[k].push_back(figures(run.by_class[k]));
        sim_overall[0].push_back(figures(combine(run.by_class)));
        for (std::size_t h = 0; h < 24; ++h) {
            for (std::size_t k = 0; k < n_classes; ++k) sim_hour[h][k].push_back(figures(run.by_hour[h][k]));
            sim_hour_overall[h].push_back(figures(combine(run.by_hour[h])));
        }
    }
    auto compare_all = [&](const Counts& observed, const std::vector<std::vector<double>>& simulated) {
        const std::vector<double> obs = figures(observed);
        Figures f;
        for (std::size_t m = 0; m < obs.size(); ++m) {
            std::vector<double> values;
            for (const std::vector<double>& run : simulated) values.push_back(run[m]);
            f.push_back(compare(obs[m], values, m));
        }
        return f;
    };
    for (std::size_t k = 0; k < n_classes; ++k) result.by_class.push_back(compare_all(observed_class[k], sim_class[k]));
    result.overall = compare_all(combine(observed_class), sim_overall[0]);
    result.by_hour.resize(24);
    for (std::size_t h = 0; h < 24; ++h) {
        for (std::size_t k = 0; k < n_classes; ++k)
            result.by_hour[h].push_back(compare_all(observed_hour[h][k], sim_hour[h][k]));
        result.by_hour_overall.push_back(compare_all(combine(observed_hour[h]), sim_hour_overall[h]));
    }
    summarise_hours(result);
    if (!plan.people.empty()) add_erlang_a_baseline(result, plan, log, class_of, skipped);
    return result;
}

namespace {

using nlohmann::ordered_json;

ordered_json number(double x) {
    if (!std::isfinite(x)) return {};
    return x;
}

ordered_json figures_json(const BacktestResult& r, const Figures& f) {
    ordered_json j = ordered_json::object();
    for (std::size_t m = 0; m < f.size(); ++m) {
        const Comparison& c = f[m];
        const std::optional<bool> inside = c.inside();
        j[r.metrics[m]] = ordered_json{{"observed", number(c.observed)},
                                       {"simulated", {{"mean", number(c.mean)}, {"ci95", number(c.ci95)}}},
                                       {"pi95", ordered_json::array({number(c.pi_low), number(c.pi_high)})},
                                       {"inside", inside ? ordered_json(*inside) : ordered_json()}};
    }
    return j;
}

std::string cell(double x) {
    if (!std::isfinite(x)) return "-";
    char text[32];
    const double a = std::abs(x);
    std::snprintf(text, sizeof text, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", x);
    return text;
}

void write_figures(std::ostream& out, const BacktestResult& r, const Figures& f) {
    for (std::size_t m = 0; m < f.size(); ++m) {
        const Comparison& c = f[m];
        const std::optional<bool> inside = c.inside();
        char line[200];
        std::snprintf(line, sizeof line, "  %-22s %10s %10s ± %-8s [%s, %s]", r.metrics[m].c_str(),
                      cell(c.observed).c_str(), cell(c.mean).c_str(), cell(c.ci95).c_str(), cell(c.pi_low).c_str(),
                      cell(c.pi_high).c_str());
        out << line << std::string(std::max<int>(1, 72 - static_cast<int>(std::string(line).size())), ' ')
            << (inside ? (*inside ? "inside" : "OUTSIDE") : "-") << '\n';
    }
}

}  // namespace

std::string backtest_json(const BacktestResult& r) {
    ordered_json j;
    j["scenario"] = r.scenario;
    j["log"] = r.log;
    j["from"] = calllog::format_date(r.first_day);
    j["to"] = calllog::format_date(r.last_day);
    // hourly and erlang_a: over the hours of day with at least hourly_min_calls observed calls.
    auto mae_json = [&](const std::vector<double>& mae) {
        ordered_json o = ordered_json::object();
        for (std::size_t m = 2; m < mae.size(); ++m) o[r.metrics[m]] = number(mae[m]);
        return o;
    };
    j["hourly"] = {{"mae", mae_json(r.hourly_mae)},
                   {"inside", {{"inside", r.hourly_inside}, {"total", r.hourly_total}}}};
    if (r.has_erlang_a) {
        ordered_json by_hour = ordered_json::array();
        for (std::size_t h = 0; h < 24; ++h) {
            ordered_json figures = ordered_json::object();
            for (std::size_t m = 2; m < r.metrics.size(); ++m) figures[r.metrics[m]] = number(r.erlang_a_by_hour[h][m]);
            by_hour.push_back(
                {{"hour", h}, {"observed_calls", r.by_hour_overall[h][0].observed}, {"figures", figures}});
        }
        j["erlang_a"] = {{"mae", mae_json(r.erlang_a_mae)}, {"by_hour", by_hour}};
    } else {
        j["erlang_a"] = nullptr;
    }
    j["missing_days"] = ordered_json::array();
    for (std::int64_t d : r.missing_days) j["missing_days"].push_back(calllog::format_date(d));
    j["replications"] = r.replications;
    j["seed"] = r.seed;
    ordered_json classes = ordered_json::object();
    for (std::size_t k = 0; k < r.classes.size(); ++k) classes[r.classes[k]] = figures_json(r, r.by_class[k]);
    j["classes"] = classes;
    j["overall"] = figures_json(r, r.overall);
    ordered_json hours = ordered_json::array();
    for (std::size_t h = 0; h < r.by_hour.size(); ++h) {
        ordered_json hour_classes = ordered_json::object();
        for (std::size_t k = 0; k < r.classes.size(); ++k)
            hour_classes[r.classes[k]] = figures_json(r, r.by_hour[h][k]);
        hours.push_back(
            ordered_json{{"hour", h}, {"classes", hour_classes}, {"overall", figures_json(r, r.by_hour_overall[h])}});
    }
    j["by_hour"] = hours;
    // Valid JSON for any text: a byte that is not UTF-8 (of a log's file name) becomes U+FFFD.
    return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string backtest_csv(const BacktestResult& r) {
    std::ostringstream out;
    out << "scope,class,hour,metric,observed,mean,ci95,pi_low,pi_high,inside\n";
    auto rows = [&](const char* scope, const std::string& cls, const std::string& hour, const Figures& f) {
        for (std::size_t m = 0; m < f.size(); ++m) {
            const Comparison& c = f[m];
            const std::optional<bool> inside = c.inside();
            out << scope << ',';
            calllog::write_csv_field(out, cls);
            out << ',' << hour << ',' << r.metrics[m];
            for (double x : {c.observed, c.mean, c.ci95, c.pi_low, c.pi_high}) {
                out << ',';
                if (std::isfinite(x)) out << x;
            }
            out << ',' << (inside ? (*inside ? "true" : "false") : "") << '\n';
        }
    };
    for (std::size_t k = 0; k < r.classes.size(); ++k) rows("class", r.classes[k], "", r.by_class[k]);
    rows("overall", "", "", r.overall);
    for (std::size_t h = 0; h < r.by_hour.size(); ++h) {
        for (std::size_t k = 0; k < r.classes.size(); ++k)
            rows("class_hour", r.classes[k], std::to_string(h), r.by_hour[h][k]);
        rows("hour", "", std::to_string(h), r.by_hour_overall[h]);
    }
    return out.str();
}

void write_backtest_table(std::ostream& out, const BacktestResult& r) {
    out << "Backtest of " << r.scenario << " against " << r.log << ", " << calllog::format_date(r.first_day) << " .. "
        << calllog::format_date(r.last_day) << " (" << r.last_day - r.first_day + 1 << " days), " << r.replications
        << " replications, seed " << r.seed << "\n"
        << "observed vs simulated mean ± 95% CI, [95% prediction interval of one replication], observed inside it?\n";
    char head[160];
    std::snprintf(head, sizeof head, "  %-22s %10s %10s   %-8s %s", "metric", "observed", "simulated", "",
                  "prediction interval");
    for (std::size_t k = 0; k < r.classes.size(); ++k) {
        out << "\nClass " << r.classes[k] << '\n' << head << '\n';
        write_figures(out, r, r.by_class[k]);
    }
    out << "\nAll classes\n" << head << '\n';
    write_figures(out, r, r.overall);
    out << "\nBy hour of day, all classes (hours with no call observed or simulated left out)\n";
    char line[220];
    std::snprintf(line, sizeof line, "  %-5s %8s %8s %-16s %7s %7s %-13s %7s %7s %-15s\n", "hour", "offered", "sim",
                  "[PI]", "aband%", "sim", "[PI]", "asa_s", "sim", "[PI]");
    out << line;
    for (std::size_t h = 0; h < r.by_hour_overall.size(); ++h) {
        const Figures& f = r.by_hour_overall[h];
        if (f[0].observed == 0 && !(f[0].mean > 0)) continue;
        auto interval = [](const Comparison& c) {
            const std::optional<bool> in = c.inside();
            std::string text = "[";
            text.append(cell(c.pi_low)).append(",").append(cell(c.pi_high)).append("]");
            if (in && !*in) text.append("x");
            return text;
        };
        std::snprintf(line, sizeof line, "  %02zu:00 %8s %8s %-16s %7s %7s %-13s %7s %7s %-15s\n", h,
                      cell(f[0].observed).c_str(), cell(f[0].mean).c_str(), interval(f[0]).c_str(),
                      cell(f[2].observed).c_str(), cell(f[2].mean).c_str(), interval(f[2]).c_str(),
                      cell(f[3].observed).c_str(), cell(f[3].mean).c_str(), interval(f[3]).c_str());
        out << line;
    }
    out << "(x: observed outside the prediction interval)\n";
    std::size_t inside = 0, outside = 0;
    auto tally = [&](const Figures& f) {
        for (const Comparison& c : f)
            if (const auto in = c.inside()) ++(*in ? inside : outside);
    };
    for (const Figures& f : r.by_class) tally(f);
    tally(r.overall);
    out << "\nClass and overall figures inside their prediction interval: " << inside << " of " << inside + outside
        << '\n';
    out << "Hours of day with at least " << hourly_min_calls << " calls: hourly figures inside their interval "
        << r.hourly_inside << " of " << r.hourly_total << "; mean absolute difference, simulation"
        << (r.has_erlang_a ? " | Erlang A hour by hour from the same inputs" : "") << ":\n";
    for (std::size_t m = 2; m < r.metrics.size(); ++m) {
        out << "  " << r.metrics[m] << ' ' << cell(r.hourly_mae[m]);
        if (r.has_erlang_a) out << " | " << cell(r.erlang_a_mae[m]);
        out << '\n';
    }
}

}  // namespace crsim::backtest
