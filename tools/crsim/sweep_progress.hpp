#pragma once
// Progress of a sweep on stderr: tasks done of total, tasks/s and ETA, redrawn on one line when
// stderr is a terminal; the closing report (tasks/s) always.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "crsim/study/sweep_study.hpp"

namespace crsim::cli {

class SweepProgress {
public:
    /// `total` tasks to run now (those already stored are not counted), on `workers` workers
    /// described by `unit` ("thread", "rank").
    /// `quiet` (--quiet): nothing at all is printed.
    SweepProgress(std::size_t total, std::size_t workers, std::string unit, bool quiet = false);

    /// Whether --quiet silences notes too.
    bool quiet() const { return quiet_; }

    /// `done` of the total are finished: redraws the line at most every half second.
    void update(std::size_t done);

    /// Prints "crsim sweep: ran N tasks in S s: R tasks/s on W threads".
    void finish(std::size_t done);

private:
    double elapsed() const;

    std::size_t total_;
    std::size_t workers_;
    std::string unit_;
    bool terminal_;
    bool quiet_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    double last_drawn_ = -1;
};

/// A sweep's notes ("crsim sweep: ..."; none when `quiet`), errors and progress on stderr.
class StderrSweepObserver : public study::SweepObserver {
public:
    explicit StderrSweepObserver(bool quiet) : quiet_(quiet) {}
    void note(const std::string& text) override;
    void error(const std::string& text) override;
    void started(std::size_t total, std::size_t workers, const std::string& unit) override;
    void committed(std::size_t done) override;
    void finished(std::size_t done) override;

private:
    bool quiet_;
    std::optional<SweepProgress> progress_;
};

}  // namespace crsim::cli
