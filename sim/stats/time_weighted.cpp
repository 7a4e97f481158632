#include "crsim/stats/time_weighted.hpp"

#include <stdexcept>
#include <string>

namespace crsim::stats {

void TimeWeighted::check_time(double t, const char* what) const {
    if (!(t >= last_)) {
        throw std::logic_error(std::string("TimeWeighted::") + what + ": time " + std::to_string(t) +
                               " is before the last change at " + std::to_string(last_));
    }
}

void TimeWeighted::set(double t, double value) {
    check_time(t, "set");
    area_ += value_ * (t - last_);
    last_ = t;
    value_ = value;
    if (value > max_) {
        max_ = value;
    }
}

void TimeWeighted::reset(double t) {
    check_time(t, "reset");
    start_ = t;
    last_ = t;
    area_ = 0.0;
    max_ = value_;
}

double TimeWeighted::integral(double until) const {
    check_time(until, "integral");
    return area_ + value_ * (until - last_);
}

double TimeWeighted::mean(double until) const {
    const double area = integral(until);
    return until > start_ ? area / (until - start_) : value_;
}

}  // namespace crsim::stats
