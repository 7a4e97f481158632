#pragma once
// Progress of a long run on stderr: "done/total replications, elapsed, ETA", redrawn in place.
// Shown only when stderr is a terminal (a log file or a pipe gets no carriage-return clutter) and
// the user did not ask for --quiet.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace crsim::cli {

/// A progress line on stderr. step() may be called from any thread.
class Progress {
public:
    /// Enabled when `wanted` (not --quiet) and stderr is a terminal.
    explicit Progress(bool wanted);

    /// Starts counting `total` replications of `what` ("replications of merger").
    void start(std::string what, std::size_t total);
    /// One more replication done; redraws at most a few times a second.
    void step();
    /// Clears the line.
    void finish();

private:
    void draw(std::chrono::steady_clock::time_point now);

    bool enabled_;
    std::mutex mutex_;
    std::string what_;
    std::size_t total_ = 0, done_ = 0;
    std::chrono::steady_clock::time_point started_, drawn_;
};

}  // namespace crsim::cli
