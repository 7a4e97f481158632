// `crsim backtest --inputs-from-log`: the period's own arrivals, staffing and handle times, from
// the log, with what was learned (patience, priorities, targets) from the scenario.
#include "crsim/backtest/inputs_from_log.hpp"

#include <algorithm>

#include "crsim/backtest/backtest.hpp"
#include "crsim/fit/log_fit.hpp"
#include "crsim/scenario/load_scenario.hpp"

namespace crsim::backtest {

model::ScenarioSpec spec_with_inputs_from_log(const model::ScenarioSpec& scenario, const calllog::CallLog& log,
                                              std::int64_t first_day, std::int64_t last_day,
                                              std::vector<std::string>& warnings,
                                              std::vector<std::vector<double>>* people) {
    fit::FitOptions options;
    options.from_day = first_day;
    options.to_day = last_day;
    options.min_answered = 2;  // a class small in this period still has its calls compared
    options.targets.clear();
    for (const model::ClassSpec& c : scenario.classes)
        for (double t : c.thresholds_s)
            if (std::none_of(options.targets.begin(), options.targets.end(),
                             [&](const fit::ServiceLevelTarget& x) { return x.within_s == t; }))
                options.targets.push_back({t, 0.8});
    for (const model::ClassSpec& c : scenario.classes)
        if (std::any_of(log.classes.begin(), log.classes.end(), [&](const std::string& n) { return n == c.name; }))
            options.classes.push_back(c.name);
    if (options.classes.empty()) throw BacktestError("no class of the scenario is in the log");
    fit::LogFit period;
    try {
        period = fit::fit_call_log(log, "the log", options);
    } catch (const std::exception& e) {
        throw BacktestError(std::string("the period's inputs cannot be taken from the log: ") + e.what());
    }
    for (const std::string& w : period.warnings) warnings.push_back(w);
    if (people) {
        people->assign(period.days(), std::vector<double>(24, 0.0));
        for (const fit::RosterBlock& b : period.roster)
            for (double t = b.start_s; t < b.start_s + b.length_s; t += 3600) {
                const auto hour = static_cast<std::size_t>(t / 3600);
                if (hour < 24) (*people)[static_cast<std::size_t>(b.day)][hour] += b.headcount;
            }
    }
    const scenario::LoadResult loaded =
        scenario::load_scenario_text(fit::fitted_scenario_yaml(period, scenario.name), "the period's inputs");
    if (!loaded.ok()) throw BacktestError("the period's inputs from the log do not make a scenario");
    model::ScenarioSpec spec = *loaded.spec;
    // What was learned comes from the scenario: patience, priority and head start, targets.
    for (model::ClassSpec& c : spec.classes) {
        const auto learned = std::find_if(scenario.classes.begin(), scenario.classes.end(),
                                          [&](const model::ClassSpec& s) { return s.name == c.name; });
        c.patience = learned->patience;
        c.priority = learned->priority;
        c.head_start_s = learned->head_start_s;
        c.targets = learned->targets;
        c.thresholds_s = learned->thresholds_s;
    }
    // So is how uncertain a reconstructed roster is day by day: a property of the source and the
    // method, estimated where the scenario was fitted, not from the period being judged.
    spec.staffing_daily_cv = scenario.staffing_daily_cv;
    spec.staffing_daily_mean = scenario.staffing_daily_mean;
    spec.replications = scenario.replications;
    spec.seed = scenario.seed;
    return spec;
}

}  // namespace crsim::backtest
