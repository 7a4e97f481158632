#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace crsim::cli {

namespace {

std::string seconds_text(double s) {
    char buffer[32];
    if (s < 60)
        std::snprintf(buffer, sizeof buffer, "%.0f s", s);
    else {
        const long whole = static_cast<long>(s);
        std::snprintf(buffer, sizeof buffer, "%ld min %02ld s", whole / 60, whole % 60);
    }
    return buffer;
}

}  // namespace

Progress::Progress(bool wanted) : enabled_(wanted && isatty(STDERR_FILENO) == 1) {}

void Progress::start(std::string what, std::size_t total) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    what_ = std::move(what);
    total_ = total;
    done_ = 0;
    started_ = drawn_ = std::chrono::steady_clock::now();
    draw(started_);
}

void Progress::step() {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    ++done_;
    const auto now = std::chrono::steady_clock::now();
    if (done_ == total_ || now - drawn_ > std::chrono::milliseconds(200)) draw(now);
}

void Progress::finish() {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
}

void Progress::draw(std::chrono::steady_clock::time_point now) {
    drawn_ = now;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    std::string line = "\r\033[Kcrsim: " + std::to_string(done_) + "/" + std::to_string(total_) + " " + what_ + ", " +
                       seconds_text(elapsed) + " elapsed";
    if (done_ > 0 && done_ < total_)
        line += ", about " + seconds_text(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_)) +
                " left";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

}  // namespace crsim::cli
