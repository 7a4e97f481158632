#include "crsim/study/run_study.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "crsim/model/capacity_check.hpp"
#include "crsim/model/erlang_estimates.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/routing_graph.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/sim/replication_runner.hpp"

namespace crsim::study {

std::optional<model::ReportWindow> resolve_window(const model::ScenarioSpec& spec, const RunPlan& plan) {
    if (!plan.window) return std::nullopt;
    return model::parse_window(*plan.window, spec);
}

model::ScenarioSpec planned_spec(const model::ScenarioSpec& spec, const RunPlan& plan) {
    model::ScenarioSpec planned = spec;
    planned.window = resolve_window(spec, plan);
    return planned;
}

PreRunFindings pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                              std::span<const std::string> paths) {
    PreRunFindings out;
    // Identical lines (the same finding in several options, or said twice for one) are kept once.
    const auto add = [&](const std::string& text, const std::string& option) {
        auto it =
            std::find_if(out.warnings.begin(), out.warnings.end(), [&](const auto& w) { return w.first == text; });
        if (it == out.warnings.end()) {
            out.warnings.push_back({text, {}});
            it = out.warnings.end() - 1;
        }
        if (std::find(it->second.begin(), it->second.end(), option) == it->second.end()) it->second.push_back(option);
    };
    // A scenario short for weeks (a merger) has hundreds of findings: the first few tell the user
    // to look, and `crsim check` lists them all.
    constexpr std::size_t findings_shown = 5;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        for (const model::RoutingIssue& issue : model::RoutingGraph(specs[i]).issues()) {
            if (issue.error)
                out.errors.push_back((specs.size() > 1 ? names[i] + ": " : "") + issue.message);
            else
                add(issue.message, names[i]);
        }
        const auto findings = model::check_capacity(specs[i]).findings;
        std::vector<std::string> texts;
        for (const auto& f : findings) {
            std::string text = "capacity: " + f.describe(specs[i]);
            if (std::find(texts.begin(), texts.end(), text) == texts.end()) texts.push_back(std::move(text));
        }
        for (std::size_t k = 0; k < texts.size() && k < findings_shown; ++k) add(texts[k], names[i]);
        if (texts.size() > findings_shown)
            add("capacity: " + std::to_string(texts.size() - findings_shown) +
                    " more intervals short of staff; 'crsim check " + paths[i] + "' lists them all",
                names[i]);
    }
    return out;
}

std::size_t run_replications_study(std::span<const model::ScenarioSpec> specs, const RunPlan& plan,
                                   std::vector<std::vector<model::ReplicationResult>>& results,
                                   const std::function<model::PrecisionStatus()>& status, StudyObserver& observer) {
    results.assign(specs.size(), {});
    const std::string what = specs.size() == 1 ? "replications of " + specs.front().name
                                               : "replications of " + std::to_string(specs.size()) + " options";
    const auto run_batch = [&](std::size_t from, std::size_t to) {
        const std::size_t per_spec = to - from;
        observer.start(what, per_spec * specs.size());
        // One pool over every (option, replication) pair: all threads stay busy to the end.
        std::vector<model::ReplicationResult> batch =
            sim::run_replications(per_spec * specs.size(), plan.threads, [&](std::size_t task) {
                const std::size_t spec = task / per_spec, replication = from + task % per_spec;
                const model::RecordingOptions recording =
                    spec == 0 && replication == 0 ? plan.first_replication_recording : model::RecordingOptions{};
                model::ReplicationResult r = model::run_replication(specs[spec], plan.seed, replication, recording);
                observer.step();
                return r;
            });
        observer.finish();
        for (std::size_t s = 0; s < specs.size(); ++s)
            for (std::size_t k = 0; k < per_spec; ++k) results[s].push_back(std::move(batch[s * per_spec + k]));
    };

    std::size_t n = plan.precision.any() ? std::min(plan.replications, plan.max_replications) : plan.replications;
    const std::size_t threads =
        std::min<std::size_t>(plan.threads == 0 ? sim::default_thread_count() : plan.threads, n * specs.size());
    observer.note(std::to_string(n) + " replication" + (n == 1 ? "" : "s") + " of " +
                  (specs.size() == 1 ? specs.front().name : std::to_string(specs.size()) + " options") + " (seed " +
                  std::to_string(plan.seed) + ") on " + std::to_string(threads) + " thread" +
                  (threads == 1 ? "" : "s") +
                  (plan.precision.any() ? ", then more until the precision is reached" : "") + " ...");
    const auto start = std::chrono::steady_clock::now();
    run_batch(0, n);
    if (plan.precision.any()) {
        for (;;) {
            const model::PrecisionStatus now = status();
            const model::PrecisionItem* widest = now.widest();
            if (now.reached()) {
                observer.note("precision reached after " + std::to_string(n) + " replications" +
                              (widest ? "; the last figure to get there: " + model::describe(*widest)
                                      : std::string(" (no target figure has a goal among the --precision values)")));
                break;
            }
            if (n >= plan.max_replications) {
                observer.warning("--max-replications " + std::to_string(plan.max_replications) +
                                 " reached before the precision: " + model::describe(*widest));
                break;
            }
            const std::size_t next = model::next_replication_count(n, now, plan.max_replications);
            observer.note(std::to_string(n) + " replications: " + model::describe(*widest) + "; running " +
                          std::to_string(next - n) + " more");
            run_batch(n, next);
            n = next;
        }
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", elapsed.count());
    observer.note(std::string("done in ") + seconds + " s");
    return n;
}

model::Summary run_scenario(const model::ScenarioSpec& spec, const RunPlan& plan, StudyObserver& observer,
                            model::ReplicationResult* first_replication) {
    const model::ScenarioSpec planned = planned_spec(spec, plan);
    std::vector<std::vector<model::ReplicationResult>> results;
    run_replications_study(
        std::span(&planned, 1), plan, results,
        [&] { return model::precision_status(model::summarise(planned, results.front(), plan.seed), plan.precision); },
        observer);
    model::Summary summary = model::summarise(planned, results.front(), plan.seed);
    if (first_replication) *first_replication = results.front().front();
    if (plan.analytic) {
        std::vector<model::AnalyticBounds> estimates = model::erlang_bounds(spec);
        for (std::size_t k = 0; k < estimates.size() && k < summary.classes.size(); ++k)
            summary.classes[k].analytic = std::move(estimates[k]);
    }
    return summary;
}

CompareOutcome compare_scenarios(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                                 const RunPlan& plan, StudyObserver& observer) {
    std::vector<model::ScenarioSpec> planned;
    for (const model::ScenarioSpec& spec : specs) planned.push_back(planned_spec(spec, plan));
    std::vector<std::vector<model::ReplicationResult>> results;
    const auto summarise_all = [&] {
        std::vector<model::Summary> summaries;
        for (std::size_t i = 0; i < planned.size(); ++i)
            summaries.push_back(model::summarise(planned[i], results[i], plan.seed));
        return summaries;
    };
    run_replications_study(
        planned, plan, results,
        [&] { return model::precision_status(model::compare(summarise_all(), names), plan.precision); }, observer);
    CompareOutcome out;
    out.summaries = summarise_all();
    out.comparison = model::compare(out.summaries, names);
    return out;
}

}  // namespace crsim::study
