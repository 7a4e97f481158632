#pragma once
/// \file
/// The SQLite store of a sweep (`crsim sweep --out results.sqlite`). Its schema is a contract that
/// Python and R read directly (README.md, "Sweeps"):
///   meta(key TEXT PRIMARY KEY, value TEXT)          crsim_version, sweep_sha256, base_scenario_sha256,
///                                                   seed, replications, created, ...
///   points(point INTEGER PRIMARY KEY, "<name>" INTEGER|REAL|TEXT, "<name>_value" REAL, ...)
///   replications(point, replication, kind, name, metric, threshold_s, value)
///   summary(point, kind, name, metric, threshold_s, mean, ci95, n)
///   targets(point, class, metric, threshold_s, goal, mean, ci95, met, p_met, confident, by,
///           periods_met, worst_bucket)
///   target_periods(point, class, metric, threshold_s, goal, by, periods_met, bucket, label, mean,
///                  ci95, n, met, p_met, confident)      each bucket of each target per period
///   target_period_replications(point, replication, class, metric, threshold_s, by, bucket, value)
///   tasks(point, replication, status, seconds)
///   results: a view, points × summary with the targets' goal and verdict, one row per figure, then
///            the targets per period: their judged figure and each bucket
/// A task's row in `tasks` and its rows in `replications` are committed in one transaction, so a
/// task counts as done exactly when its figures are stored; `summary`, `targets` and `target_periods`
/// of a point are filled in the transaction that completes its last replication. WAL mode, synchronous FULL.

#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "crsim/scenario/sweep_file.hpp"
#include "crsim/sweep/sweep_task.hpp"

namespace crsim::sweep {

/// How long a writer gathers finished tasks before committing them together: each commit waits
/// for the disk, and a task finished but not yet committed is lost if the sweep is killed.
constexpr std::chrono::milliseconds commit_interval{500};

/// The store belongs to another sweep (or another shard, or changed inputs): exit status 2.
struct StoreMismatch : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Database;
class StoreLock;

/// What `merge` found missing: shards of the --shard I/N set, and tasks no store holds.
struct MergeReport {
    std::vector<std::string> missing_shards;  ///< "2/4", ...
    std::size_t points = 0, points_complete = 0;
    std::size_t tasks = 0, tasks_done = 0;
};

/// A store is opened by one sweep at a time: the constructor takes an exclusive lock on the file
/// (flock) and throws StoreMismatch when another sweep holds it. Readers (export, sqlite3) are not
/// locked out. When the sweep ends the store is switched back to a rollback journal, so a finished
/// store is one file that read-only storage can serve.
class SweepStore {
public:
    /// Opens the store at `path` for `sweep` (shard `shard` of `shards`), creating it with the
    /// schema, meta, points and target goals if it does not exist. Throws StoreMismatch when an
    /// existing store was made from another sweep file, base scenario or shard; std::runtime_error
    /// on any SQLite failure.
    SweepStore(const std::string& path, const scenario::SweepSpec& sweep, std::size_t shard, std::size_t shards);
    ~SweepStore();
    SweepStore(const SweepStore&) = delete;
    SweepStore& operator=(const SweepStore&) = delete;

    /// The tasks already done.
    std::set<std::pair<std::size_t, std::size_t>> done_tasks() const;

    /// Stores finished tasks in one transaction, with the summary and targets of each point they
    /// complete. A task already stored is skipped.
    void commit(const std::vector<TaskResult>& results);

    /// Combines stores of one sweep into a new store `out` (written whole: to a temporary file
    /// renamed at the end). Throws StoreMismatch for a file that is not a store, stores of
    /// different sweeps, one store given twice, shards of different N or one shard twice.
    static MergeReport merge(const std::vector<std::string>& inputs, const std::string& out);

    /// Writes each table as DIR/<table>.csv (header, then rows in key order; NULL as an empty cell;
    /// text cells by report::csv_field). Throws StoreMismatch for a file that is not a store or a DIR
    /// that is not a directory.
    static void export_csv(const std::string& path, const std::string& dir);

private:
    std::unique_ptr<StoreLock> lock_;  // released after db_ is closed (members go in reverse order)
    std::unique_ptr<Database> db_;
    std::size_t replications_ = 0;
};

}  // namespace crsim::sweep
