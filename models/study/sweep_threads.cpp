#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "crsim/study/sweep_study.hpp"

namespace crsim::study {

std::vector<sweep::Task> pending_tasks(const scenario::SweepSpec& sweep, const sweep::SweepStore& store,
                                       std::size_t shard, std::size_t shards) {
    const auto done = store.done_tasks();
    std::vector<sweep::Task> pending;
    for (const sweep::Task& t : sweep::sweep_tasks(sweep, shard, shards))
        if (!done.count({t.point, t.replication})) pending.push_back(t);
    return pending;
}

std::size_t run_sweep_threads(const scenario::SweepSpec& sweep, const std::vector<sweep::Task>& pending,
                              unsigned threads, sweep::SweepStore& store, SweepObserver& observer) {
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::condition_variable ready;
    std::vector<sweep::TaskResult> finished;
    std::exception_ptr failure;
    std::size_t running = threads;
    const auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < pending.size();) {
            try {
                sweep::TaskResult r = sweep::run_task(sweep, pending[i]);
                std::lock_guard lock(mutex);
                finished.push_back(std::move(r));
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!failure) failure = std::current_exception();
                next = pending.size();
            }
            ready.notify_one();
        }
        std::lock_guard lock(mutex);
        --running;
        ready.notify_one();
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        // A thread the system cannot create (a user limited to few processes, or no memory for its
        // stack) is not an error: those running share the work, as run_replications does.
        try {
            pool.emplace_back(worker);
        } catch (const std::system_error&) {
            break;
        }
    }
    if (pool.size() < threads) {
        std::lock_guard lock(mutex);
        running -= threads - pool.size();
    }
    if (pool.empty()) {
        // Not even one: the calling thread works, committing as it goes.
        observer.note("note: no worker thread could be started; running on this one");
        std::size_t committed = 0;
        std::vector<sweep::TaskResult> batch;
        auto last_commit = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < pending.size(); ++i) {
            batch.push_back(sweep::run_task(sweep, pending[i]));
            if (i + 1 == pending.size() || std::chrono::steady_clock::now() >= last_commit + sweep::commit_interval) {
                store.commit(batch);
                committed += batch.size();
                observer.committed(committed);
                batch.clear();
                last_commit = std::chrono::steady_clock::now();
            }
        }
        return committed;
    }
    if (pool.size() < threads)
        observer.note("note: only " + std::to_string(pool.size()) + " of " + std::to_string(threads) +
                      " worker threads could be started");
    std::size_t committed = 0;
    std::exception_ptr write_failure;
    auto last_commit = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<sweep::TaskResult> batch;
        bool last = false;
        {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return !finished.empty() || running == 0; });
            // Each commit waits for the disk (synchronous = FULL): gather what finishes within
            // commit_interval into one transaction, so that writing never holds the workers back.
            ready.wait_until(lock, last_commit + sweep::commit_interval, [&] { return running == 0; });
            batch.swap(finished);
            last = running == 0;
        }
        last_commit = std::chrono::steady_clock::now();
        if (!batch.empty() && !write_failure) {
            try {
                store.commit(batch);
                committed += batch.size();
                observer.committed(committed);
            } catch (...) {
                write_failure = std::current_exception();
                next = pending.size();
            }
        }
        if (last) break;
    }
    for (std::thread& t : pool) t.join();
    if (write_failure) std::rethrow_exception(write_failure);
    if (failure) std::rethrow_exception(failure);
    return committed;
}

}  // namespace crsim::study
