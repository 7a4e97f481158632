#include "sweep_progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace crsim::cli {

SweepProgress::SweepProgress(std::size_t total, std::size_t workers, std::string unit, bool quiet)
    : total_(total), workers_(workers), unit_(std::move(unit)), terminal_(isatty(STDERR_FILENO) == 1), quiet_(quiet) {}

double SweepProgress::elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void SweepProgress::update(std::size_t done) {
    if (!terminal_ || quiet_) return;
    const double t = elapsed();
    if (t - last_drawn_ < 0.5 && done < total_) return;
    last_drawn_ = t;
    const double rate = t > 0 ? static_cast<double>(done) / t : 0;
    char line[160];
    if (rate > 0)
        std::snprintf(line, sizeof line, "\rcrsim sweep: %zu/%zu tasks, %.2f tasks/s, ETA %.0f s   ", done, total_,
                      rate, static_cast<double>(total_ - done) / rate);
    else
        std::snprintf(line, sizeof line, "\rcrsim sweep: %zu/%zu tasks   ", done, total_);
    std::cerr << line << std::flush;
}

void SweepProgress::finish(std::size_t done) {
    if (quiet_) return;
    if (terminal_) std::cerr << '\n';
    const double t = elapsed();
    char line[200];
    std::snprintf(line, sizeof line, "crsim sweep: ran %zu task%s in %.2f s: %.2f tasks/s on %zu %s%s\n", done,
                  done == 1 ? "" : "s", t, t > 0 ? static_cast<double>(done) / t : 0.0, workers_, unit_.c_str(),
                  workers_ == 1 ? "" : "s");
    std::cerr << line << std::flush;
}

void StderrSweepObserver::note(const std::string& text) {
    if (!quiet_) std::cerr << "crsim sweep: " << text << std::endl;
}

void StderrSweepObserver::error(const std::string& text) { std::cerr << "crsim sweep: error: " << text << '\n'; }

void StderrSweepObserver::started(std::size_t total, std::size_t workers, const std::string& unit) {
    progress_.emplace(total, workers, unit, quiet_);
}

void StderrSweepObserver::committed(std::size_t done) {
    if (progress_) progress_->update(done);
}

void StderrSweepObserver::finished(std::size_t done) {
    if (progress_) progress_->finish(done);
}

}  // namespace crsim::cli
