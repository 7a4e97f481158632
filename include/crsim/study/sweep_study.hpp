#pragma once
/// \file
/// `crsim sweep` as library calls: the tasks a store still lacks, and the two runners that compute
/// them into the store, on threads or across MPI ranks (the latter only when built with MPI
/// support; mpi_built_in() says so).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "crsim/scenario/sweep_file.hpp"
#include "crsim/sweep/sweep_store.hpp"
#include "crsim/sweep/sweep_task.hpp"

namespace crsim::study {

/// What a sweep tells while it runs; the command line prints it on stderr.
class SweepObserver {
public:
    virtual ~SweepObserver() = default;
    /// A line about what is being done ("40 points x 10 replications; ...").
    virtual void note(const std::string& text) { (void)text; }
    /// What stops the sweep ("rank 2: ...", a store of another sweep).
    virtual void error(const std::string& text) { (void)text; }
    /// `total` tasks start on `workers` workers, each a `unit` ("thread", "rank").
    virtual void started(std::size_t total, std::size_t workers, const std::string& unit) {
        (void)total, (void)workers, (void)unit;
    }
    /// `done` of them are committed to the store (called from the thread that writes).
    virtual void committed(std::size_t done) { (void)done; }
    /// The run ended with `done` tasks committed.
    virtual void finished(std::size_t done) { (void)done; }
};

/// The tasks of shard `shard` of `shards` (from 1) that `store` does not hold yet, in task order.
std::vector<sweep::Task> pending_tasks(const scenario::SweepSpec& sweep, const sweep::SweepStore& store,
                                       std::size_t shard = 1, std::size_t shards = 1);

/// Runs `pending` on `threads` worker threads (fewer when the system cannot start them all; the
/// calling thread alone when none); the calling thread commits finished tasks to `store` in
/// batches (all those finished within sweep::commit_interval, in one transaction). Returns how
/// many were committed; rethrows the first failure of a task or of the store.
std::size_t run_sweep_threads(const scenario::SweepSpec& sweep, const std::vector<sweep::Task>& pending,
                              unsigned threads, sweep::SweepStore& store, SweepObserver& observer);

/// True when MPI support is built in (crsim --version: "mpi: yes").
bool mpi_built_in();

/// True when this process was started by an MPI launcher (mpirun, mpiexec, srun) and MPI support
/// is built in.
bool mpi_launched();

/// A sweep across MPI ranks.
struct MpiSweepRequest {
    std::string sweep_file;
    std::string out;  ///< the store
    /// Asked on rank 0 with the loaded sweep file (its diagnostics to report; no sweep when it has
    /// errors): false stops every rank with status 2 (the work limits).
    std::function<bool(const scenario::SweepLoadResult&)> approve;
    /// The other ranks' judgement of the work limits: run points beyond them (--allow-large).
    bool allow_large = false;
};

/// Runs the sweep across the ranks: rank 0 opens the store, hands out small batches of tasks on
/// request and alone writes; every rank (rank 0 too, on a thread of its own) simulates. Returns
/// the exit status (the same on every rank): 0, 1 for a failure while running or writing, 2 for a
/// refused sweep or store. Rank 0 alone tells `observer`. Without MPI support: status 2.
int run_sweep_mpi(const MpiSweepRequest& request, SweepObserver& observer);

}  // namespace crsim::study
