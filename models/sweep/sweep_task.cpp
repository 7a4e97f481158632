#include "crsim/sweep/sweep_task.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "crsim/model/blocking.hpp"
#include "crsim/model/run_replication.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"

namespace crsim::sweep {

std::vector<Task> sweep_tasks(const scenario::SweepSpec& sweep, std::size_t shard, std::size_t shards) {
    std::vector<Task> tasks;
    std::size_t k = 0;
    for (std::size_t p = 1; p <= sweep.points.size(); ++p)
        for (std::size_t r = 1; r <= sweep.replications; ++r, ++k)
            if (k % shards == shard - 1) tasks.push_back(Task{p, r});
    return tasks;
}

std::vector<SweepWorkProblem> check_sweep_work(const scenario::SweepSpec& sweep, std::size_t threads,
                                               const model::WorkLimits& limits) {
    std::vector<SweepWorkProblem> problems;
    // The tasks are listed (and those done kept in a set) before any runs: about this much each.
    constexpr double bytes_per_task = 96;
    const double tasks = static_cast<double>(sweep.points.size()) * static_cast<double>(sweep.replications);
    if (limits.max_memory_bytes > 0 && !(tasks * bytes_per_task <= limits.max_memory_bytes)) {
        std::ostringstream message;
        message.precision(3);
        message << sweep.points.size() << " points x " << sweep.replications << " replications make " << tasks
                << " tasks, whose list alone needs about " << tasks * bytes_per_task / 1e9
                << " GB, beyond the memory of this machine (" << limits.max_memory_bytes / 1e9 << " GB)";
        problems.push_back({0, {"replications", message.str()}});
    }
    for (std::size_t p = 0; p < sweep.specs.size(); ++p)
        for (model::WorkProblem& w : model::check_work(sweep.specs[p], sweep.replications, threads, limits))
            problems.push_back({p + 1, std::move(w)});
    return problems;
}

std::string describe_point(const scenario::SweepSpec& sweep, std::size_t point) {
    std::string out = "point " + std::to_string(point) + " (";
    for (std::size_t k = 0; k < sweep.parameters.size(); ++k)
        out += (k ? ", " : "") + sweep.parameters[k].path + "=" + sweep.points.at(point - 1).at(k);
    return out + ")";
}

namespace {

/// Whether two targets judge the same figure (the same metric, parameter and period), whatever
/// their goals.
bool same_figure(const model::TargetSpec& a, const model::TargetSpec& b) {
    const double x = model::target_parameter(a), y = model::target_parameter(b);
    return a.metric == b.metric && a.by == b.by && (x == y || (std::isnan(x) && std::isnan(y)));
}

}  // namespace

TaskResult run_task(const scenario::SweepSpec& sweep, const Task& task) {
    const auto start = std::chrono::steady_clock::now();
    const model::ScenarioSpec& spec = sweep.specs.at(task.point - 1);
    const model::ReplicationResult result = model::run_replication(spec, sweep.seed, task.replication - 1);
    TaskResult out;
    out.task = task;
    const auto add = [&](const char* kind, const std::string& name) {
        return [&out, kind, &name](std::string_view metric, double threshold_s, const double& value) {
            out.rows.push_back(FigureRow{kind, name, std::string(metric), threshold_s, value});
        };
    };
    for (std::size_t c = 0; c < spec.classes.size(); ++c) {
        const model::ClassSpec& cls = spec.classes[c];
        const model::ClassFigures<double> f = model::class_figures(result.classes.at(c));
        model::for_each_class_figure(f, cls.thresholds_s, add("class", cls.name), model::class_may_be_blocked(spec, c));
        // Targets whose figure is not a reported class figure get a row of their own to be judged by;
        // targets per period a row per bucket with calls. Targets on the same figure (goals of 80% and
        // 90%; 80% or 95% of the weeks) share its rows.
        for (auto t = cls.targets.begin(); t != cls.targets.end(); ++t) {
            if (std::any_of(cls.targets.begin(), t, [&](const model::TargetSpec& e) { return same_figure(e, *t); }))
                continue;
            const model::TargetMetric& metric = model::target_metric(t->metric);
            if (t->by != model::TargetSpec::Period::window) {
                const std::string by(model::target_period(t->by).name);
                for (const model::BucketSeries& b : model::bucket_series(spec, std::span(&result, 1), c, *t))
                    out.buckets.push_back(BucketRow{cls.name, std::string(metric.name), model::target_parameter(*t), by,
                                                    b.index + 1, b.values.front()});
                continue;
            }
            if (metric.reported) continue;
            add("class", cls.name)(metric.name, model::target_parameter(*t),
                                   metric.replication_value(result.classes.at(c), f, cls.thresholds_s, *t));
        }
    }
    std::vector<model::StaffFigures<double>> groups;
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        groups.push_back(model::staff_figures(result.groups.at(g)));
        model::for_each_staff_figure(groups.back(), add("group", spec.groups[g].name));
    }
    const model::TotalFigures<double> total = model::total_figures(groups);  // as summarise() sums them
    for (std::size_t room = 0; room < spec.rooms.size(); ++room) {
        const model::StaffFigures<double> f = model::staff_figures(result.rooms.at(room));
        model::for_each_staff_figure(f, add("room", spec.rooms[room].name));
    }
    static const std::string all = "all";
    model::for_each_total_figure(total, add("total", all));
    // Call-back and deferrable-work figures only where the scenario has such work (as in summary.csv).
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t c = 0; c < result.callbacks.size(); ++c) {
        const model::ClassSpec& cls = spec.classes[c];
        if (!cls.callback && !cls.abandoned_callback) continue;
        const auto row = add("callback", cls.name);
        const auto figures = model::callback_figures(result.callbacks[c], result.classes.at(c).counts);
        model::for_each_callback_figure(figures,
                                        [&](std::string_view metric, double value) { row(metric, none, value); });
    }
    for (std::size_t d = 0; d < spec.deferrables.size(); ++d) {
        const auto row = add("deferrable", spec.deferrables[d].name);
        const auto figures = model::deferrable_figures(result.deferrables.at(d));
        model::for_each_deferrable_figure(figures,
                                          [&](std::string_view metric, double value) { row(metric, none, value); });
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace crsim::sweep
