#pragma once
/// \file
/// The unit of work of a sweep: one replication of one point. Its figures are the rows of
/// `replications.csv` for that replication, as `crsim run` computes them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crsim/model/work_estimate.hpp"
#include "crsim/scenario/sweep_file.hpp"

namespace crsim::sweep {

/// (point, replication), both counted from 1 as in the store.
struct Task {
    std::size_t point = 0;
    std::size_t replication = 0;
    friend bool operator==(const Task&, const Task&) = default;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& point& replication;
    }
};

/// One figure of one replication: a row of the `replications` table without its task.
struct FigureRow {
    std::string kind;  ///< class, group or room
    std::string name;
    std::string metric;
    double threshold_s;  ///< NaN unless service_level
    double value;        ///< NaN when undefined in this replication

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& kind& name& metric& threshold_s& value;
    }
};

/// The figure of a target per period (target_periods.hpp) in one bucket of one replication: a row
/// of the `target_period_replications` table without its task. Buckets without calls have none.
struct BucketRow {
    std::string class_name;
    std::string metric;
    double threshold_s;  ///< the target's parameter (target_parameter), NaN when it has none
    std::string by;      ///< hour_of_day, hour_of_week, day or week
    std::size_t bucket;  ///< from 1, as target_periods.csv's index
    double value;

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& class_name& metric& threshold_s& by& bucket& value;
    }
};

/// A finished task and its figures.
struct TaskResult {
    Task task;
    double seconds = 0;  ///< wall-clock time it took
    std::vector<FigureRow> rows;
    std::vector<BucketRow> buckets;  ///< of the targets per period, in target and bucket order

    template <class Archive>
    void serialize(Archive& ar, unsigned /*version*/) {
        ar& task.point& task.replication& seconds& rows& buckets;
    }
};

/// Every task of the sweep in order (point-major), or the fixed slice `shard` of `shards` (shard
/// counts from 1): the tasks whose position in that order is shard - 1 modulo shards.
std::vector<Task> sweep_tasks(const scenario::SweepSpec& sweep, std::size_t shard = 1, std::size_t shards = 1);

/// Runs one task. Replication r of every point uses the random streams of (seed, r): common random
/// numbers, so that points differ by their parameters and not by their luck, and a point's results
/// equal `crsim run BASE --set ... --seed SEED` replication for replication. Never depends on which
/// thread or rank runs it.
TaskResult run_task(const scenario::SweepSpec& sweep, const Task& task);

/// A limit a sweep would exceed: `point` (from 1) names the point, 0 the sweep as a whole (its
/// task list); `problem` is what `crsim run` would say of that point's scenario.
struct SweepWorkProblem {
    std::size_t point = 0;
    model::WorkProblem problem;
};

/// Checks every point against the limits of `crsim run` (model::check_work, with the sweep's
/// replications on `threads` threads), and the list of the sweep's tasks against the memory
/// limit, before anything runs. Empty when the sweep is within them.
std::vector<SweepWorkProblem> check_sweep_work(const scenario::SweepSpec& sweep, std::size_t threads,
                                               const model::WorkLimits& limits);

/// A point named for messages: `point 2 (classes.101.arrivals.per_week=1e12, ...)`.
std::string describe_point(const scenario::SweepSpec& sweep, std::size_t point);

}  // namespace crsim::sweep
