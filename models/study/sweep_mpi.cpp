// `crsim sweep` under MPI: Boost.MPI over Open MPI. Rank 0 owns the store and hands out small
// batches of tasks on request; every rank simulates, rank 0 on a thread of its own while its main
// thread talks MPI and writes (MPI_THREAD_FUNNELED: only the main thread calls MPI).
#include <algorithm>
#include <atomic>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "crsim/report/atomic_file.hpp"
#include "crsim/study/sweep_study.hpp"

namespace crsim::study {

namespace {

namespace mpi = boost::mpi;

enum Tag : int {
    request = 1,  ///< worker -> 0: the results of its last batch (none at first); asks for more
    work = 2,     ///< 0 -> worker: the next batch of tasks; empty means stop
    failed = 3,   ///< worker -> 0: a task failed, with the reason; the worker then stops
};

/// A batch small enough that a slow point does not leave other ranks idle at the end.
std::size_t batch_size(std::size_t remaining, int ranks) {
    return std::clamp<std::size_t>(remaining / (4 * static_cast<std::size_t>(ranks)), 1, 8);
}

}  // namespace

bool mpi_built_in() { return true; }

bool mpi_launched() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(name) != nullptr) return true;
    return false;
}

int run_sweep_mpi(const MpiSweepRequest& sweep_request, SweepObserver& observer) {
    mpi::environment env(mpi::threading::funneled);
    mpi::communicator world;
    const int rank = world.rank();
    const int ranks = world.size();

    // Every rank loads the sweep (deterministically the same); rank 0 reports its problems.
    // Without the loader's memory measurement, which could judge differently on different ranks.
    const scenario::SweepLoadResult loaded = scenario::load_sweep(sweep_request.sweep_file);
    // Each rank judges the same sweep the same way (one task at a time per rank); rank 0 says why.
    if (rank == 0 ? sweep_request.approve && !sweep_request.approve(loaded) : !loaded.sweep) return 2;
    if (!loaded.sweep) return 2;
    const scenario::SweepSpec& sweep = *loaded.sweep;
    if (rank != 0 && !sweep_request.allow_large &&
        !sweep::check_sweep_work(sweep, 1, model::WorkLimits::for_this_machine()).empty())
        return 2;

    // Rank 0 opens the store; the others learn whether to go on.
    int status = 0;
    std::optional<sweep::SweepStore> store;
    std::vector<sweep::Task> pending;
    if (rank == 0) {
        try {
            store.emplace(sweep_request.out, sweep, 1, 1);
            pending = pending_tasks(sweep, *store);
            observer.note(std::to_string(sweep.points.size()) + " points x " + std::to_string(sweep.replications) +
                          " replications; " +
                          std::to_string(sweep.points.size() * sweep.replications - pending.size()) +
                          " already done, " + std::to_string(pending.size()) + " to run on " + std::to_string(ranks) +
                          " MPI rank" + (ranks == 1 ? "" : "s") + " into " + sweep_request.out);
        } catch (const sweep::StoreMismatch& e) {
            observer.error(e.what());
            status = 2;
        } catch (const report::OutputRefused& e) {
            observer.error(e.what());
            status = 2;
        } catch (const std::exception& e) {
            observer.error(e.what());
            status = 1;
        }
    }
    mpi::broadcast(world, status, 0);
    if (status != 0) return status;

    if (rank != 0) {
        std::vector<sweep::TaskResult> results;
        for (;;) {
            world.send(0, request, results);
            std::vector<sweep::Task> batch;
            world.recv(0, work, batch);
            if (batch.empty()) break;
            results.clear();
            try {
                for (const sweep::Task& t : batch) results.push_back(sweep::run_task(sweep, t));
            } catch (const std::exception& e) {
                world.send(0, failed, std::string(e.what()));
                break;
            }
        }
        mpi::broadcast(world, status, 0);
        return status;
    }

    // Rank 0: hand out batches, write results, and simulate on a thread of its own.
    std::mutex mutex;
    std::size_t next = 0;
    std::string failure;
    const auto take_batch = [&] {  // under `mutex`
        std::vector<sweep::Task> batch;
        if (!failure.empty()) return batch;
        const std::size_t n = std::min(batch_size(pending.size() - next, ranks), pending.size() - next);
        batch.assign(pending.begin() + static_cast<std::ptrdiff_t>(next),
                     pending.begin() + static_cast<std::ptrdiff_t>(next + n));
        next += n;
        return batch;
    };
    std::vector<sweep::TaskResult> local_results;
    bool local_done = false;
    std::thread local([&] {
        for (;;) {
            std::vector<sweep::Task> batch;
            {
                std::lock_guard lock(mutex);
                batch = take_batch();
            }
            if (batch.empty()) break;
            for (const sweep::Task& t : batch) {
                try {
                    sweep::TaskResult r = sweep::run_task(sweep, t);
                    std::lock_guard lock(mutex);
                    local_results.push_back(std::move(r));
                } catch (const std::exception& e) {
                    std::lock_guard lock(mutex);
                    if (failure.empty()) failure = e.what();
                    break;
                }
            }
        }
        std::lock_guard lock(mutex);
        local_done = true;
    });

    observer.started(pending.size(), static_cast<std::size_t>(ranks), "rank");
    std::size_t committed = 0;
    int workers_left = ranks - 1;
    std::string write_failure;
    // Results wait in `buffer` for up to commit_interval, to be committed together.
    std::vector<sweep::TaskResult> buffer;
    auto last_commit = std::chrono::steady_clock::now();
    const auto commit = [&](std::vector<sweep::TaskResult>& results, bool now) {
        buffer.insert(buffer.end(), std::make_move_iterator(results.begin()), std::make_move_iterator(results.end()));
        results.clear();
        if (buffer.empty() || !write_failure.empty()) return;
        if (!now && std::chrono::steady_clock::now() < last_commit + sweep::commit_interval) return;
        last_commit = std::chrono::steady_clock::now();
        std::vector<sweep::TaskResult> batch;
        batch.swap(buffer);
        try {
            store->commit(batch);
            committed += batch.size();
            observer.committed(committed);
        } catch (const std::exception& e) {
            write_failure = e.what();
            std::lock_guard lock(mutex);
            if (failure.empty()) failure = "cannot write the store: " + write_failure;
        }
    };
    for (;;) {
        bool idle = true;
        if (workers_left > 0) {
            if (const auto probe = world.iprobe(mpi::any_source, mpi::any_tag)) {
                idle = false;
                if (probe->tag() == failed) {
                    std::string why;
                    world.recv(probe->source(), failed, why);
                    std::lock_guard lock(mutex);
                    if (failure.empty()) failure = "rank " + std::to_string(probe->source()) + ": " + why;
                    --workers_left;
                } else {
                    std::vector<sweep::TaskResult> results;
                    world.recv(probe->source(), request, results);
                    commit(results, false);
                    std::vector<sweep::Task> batch;
                    {
                        std::lock_guard lock(mutex);
                        batch = take_batch();
                    }
                    world.send(probe->source(), work, batch);
                    if (batch.empty()) --workers_left;
                }
            }
        }
        std::vector<sweep::TaskResult> mine;
        bool mine_done = false;
        {
            std::lock_guard lock(mutex);
            mine.swap(local_results);
            mine_done = local_done;
        }
        if (!mine.empty()) idle = false;
        commit(mine, false);
        if (mine_done && workers_left == 0) break;
        if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    local.join();
    {
        std::vector<sweep::TaskResult> rest;
        rest.swap(local_results);
        commit(rest, true);
    }
    observer.finished(committed);
    if (!failure.empty()) {
        observer.error(failure);
        status = 1;
    }
    mpi::broadcast(world, status, 0);
    return status;
}

}  // namespace crsim::study
