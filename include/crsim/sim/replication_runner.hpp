#pragma once
/// \file
/// Runs independent replications on worker threads with results identical for any thread count.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace crsim::sim {

/// The number of worker threads to use when the caller asks for 0 ("all cores").
inline unsigned default_thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

/// Starts a thread running `work`, or throws std::system_error when the system cannot create one.
/// The default starts a std::thread; tests pass one that fails, to exercise the fallback.
using ThreadStarter = std::function<std::thread(std::function<void()> work)>;

/// Calls `replicate(r)` for r = 0 … n−1 on up to `threads` threads (0 means all cores) and returns
/// the results in replication order. When fewer threads can be created than asked for, the
/// replications run on those that could (at least the caller's own).
///
/// Each replication must own its simulator and random streams (seeded from r, never from the
/// thread), so which thread runs it cannot change its result. The first exception thrown by any
/// replication stops the others from starting and is rethrown here. `start_thread`, when given,
/// starts the worker threads instead of std::thread.
template <class Replicate>
auto run_replications(std::size_t n, unsigned threads, Replicate replicate, const ThreadStarter& start_thread = {})
    -> std::vector<decltype(replicate(std::size_t{}))> {
    using Result = decltype(replicate(std::size_t{}));
    std::vector<Result> results(n);
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;

    auto worker = [&] {
        for (std::size_t r; (r = next.fetch_add(1)) < n;) {
            try {
                results[r] = replicate(r);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = n;  // start no further replications
            }
        }
    };

    const unsigned count = static_cast<unsigned>(
        std::min<std::size_t>(threads == 0 ? default_thread_count() : threads, std::max<std::size_t>(n, 1)));
    std::vector<std::thread> pool;
    pool.reserve(count);
    for (unsigned t = 1; t < count; ++t) {
        // A thread the system cannot create (too many, or no memory for its stack) is not an
        // error: the threads already running, the caller's included, share the work instead.
        try {
            pool.push_back(start_thread ? start_thread(worker) : std::thread(worker));
        } catch (const std::system_error&) {
            break;
        }
    }
    worker();
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
    return results;
}

}  // namespace crsim::sim
