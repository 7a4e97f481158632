#include "study.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "crsim/model/capacity_check.hpp"
#include "crsim/model/routing_graph.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "progress.hpp"

namespace crsim::cli {

bool print_pre_run_checks(std::span<const model::ScenarioSpec> specs, std::span<const std::string> names,
                          std::span<const std::string> paths, bool quiet) {
    // Each warning with the options it applies to, in order of first appearance; identical lines
    // (the same finding in several options, or said twice for one) are printed once.
    std::vector<std::pair<std::string, std::vector<std::string>>> warnings;
    const auto add = [&](const std::string& text, const std::string& option) {
        auto it = std::find_if(warnings.begin(), warnings.end(), [&](const auto& w) { return w.first == text; });
        if (it == warnings.end()) {
            warnings.push_back({text, {}});
            it = warnings.end() - 1;
        }
        if (std::find(it->second.begin(), it->second.end(), option) == it->second.end()) it->second.push_back(option);
    };
    bool routing_error = false;
    // A scenario short for weeks (a merger) has hundreds of findings: the first few tell the user
    // to look, and `crsim check` lists them all.
    constexpr std::size_t findings_shown = 5;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        for (const model::RoutingIssue& issue : model::RoutingGraph(specs[i]).issues()) {
            if (issue.error) {
                std::cerr << "error: " << (specs.size() > 1 ? names[i] + ": " : "") << issue.message << '\n';
                routing_error = true;
            } else {
                add(issue.message, names[i]);
            }
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
    if (!quiet)
        for (const auto& [text, options] : warnings) {
            std::cerr << "warning: ";
            if (specs.size() > 1) {
                for (std::size_t k = 0; k < options.size(); ++k) std::cerr << (k ? ", " : "") << options[k];
                std::cerr << ": ";
            }
            std::cerr << text << '\n';
        }
    return !routing_error;
}

std::size_t run_study(std::span<const model::ScenarioSpec> specs, const StudyPlan& plan,
                      std::vector<std::vector<model::ReplicationResult>>& results,
                      const std::function<model::PrecisionStatus()>& status) {
    results.assign(specs.size(), {});
    Progress progress(!plan.quiet);
    const std::string what = specs.size() == 1 ? "replications of " + specs.front().name
                                               : "replications of " + std::to_string(specs.size()) + " options";
    const auto run_batch = [&](std::size_t from, std::size_t to) {
        const std::size_t per_spec = to - from;
        progress.start(what, per_spec * specs.size());
        // One pool over every (option, replication) pair: all threads stay busy to the end.
        std::vector<model::ReplicationResult> batch =
            sim::run_replications(per_spec * specs.size(), plan.threads, [&](std::size_t task) {
                const std::size_t spec = task / per_spec, replication = from + task % per_spec;
                const model::RecordingOptions recording =
                    spec == 0 && replication == 0 ? plan.first_replication_recording : model::RecordingOptions{};
                model::ReplicationResult r = model::run_replication(specs[spec], plan.seed, replication, recording);
                progress.step();
                return r;
            });
        progress.finish();
        for (std::size_t s = 0; s < specs.size(); ++s)
            for (std::size_t k = 0; k < per_spec; ++k) results[s].push_back(std::move(batch[s * per_spec + k]));
    };

    std::size_t n = plan.precision.any() ? std::min(plan.replications, plan.max_replications) : plan.replications;
    const std::size_t threads =
        std::min<std::size_t>(plan.threads == 0 ? sim::default_thread_count() : plan.threads, n * specs.size());
    if (!plan.quiet)
        std::cerr << "crsim: " << n << " replication" << (n == 1 ? "" : "s") << " of "
                  << (specs.size() == 1 ? specs.front().name : std::to_string(specs.size()) + " options") << " (seed "
                  << plan.seed << ") on " << threads << " thread" << (threads == 1 ? "" : "s")
                  << (plan.precision.any() ? ", then more until the precision is reached" : "") << " ..." << std::endl;
    const auto start = std::chrono::steady_clock::now();
    run_batch(0, n);
    if (plan.precision.any()) {
        for (;;) {
            const model::PrecisionStatus now = status();
            const model::PrecisionItem* widest = now.widest();
            if (now.reached()) {
                if (!plan.quiet) {
                    std::cerr << "crsim: precision reached after " << n << " replications";
                    if (widest)
                        std::cerr << "; the last figure to get there: " << model::describe(*widest);
                    else
                        std::cerr << " (no target figure has a goal among the --precision values)";
                    std::cerr << '\n';
                }
                break;
            }
            if (n >= plan.max_replications) {
                if (!plan.quiet)
                    std::cerr << "warning: --max-replications " << plan.max_replications
                              << " reached before the precision: " << model::describe(*widest) << '\n';
                break;
            }
            const std::size_t next = model::next_replication_count(n, now, plan.max_replications);
            if (!plan.quiet)
                std::cerr << "crsim: " << n << " replications: " << model::describe(*widest) << "; running " << next - n
                          << " more" << std::endl;
            run_batch(n, next);
            n = next;
        }
    }
    if (!plan.quiet) {
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f", elapsed.count());
        std::cerr << "crsim: done in " << seconds << " s" << std::endl;
    }
    return n;
}

}  // namespace crsim::cli
