#pragma once
/// \file
/// The time average of a piecewise-constant quantity such as a queue length.

namespace crsim::stats {

/// Integrates a piecewise-constant quantity over time.
///
/// Times passed to set(), add(), reset(), integral() and mean() must not go back before the last
/// change; doing so throws std::logic_error (an engine invariant, not a model fault).
class TimeWeighted {
public:
    /// Starts averaging at `start_time` with the quantity equal to `initial`.
    explicit TimeWeighted(double start_time = 0.0, double initial = 0.0)
        : start_(start_time), last_(start_time), value_(initial), max_(initial) {}

    /// The quantity becomes `value` at time `t`.
    void set(double t, double value);

    /// The quantity changes by `delta` at time `t`.
    void add(double t, double delta) { set(t, value_ + delta); }

    /// Restarts averaging at `t`, keeping the current value (used at the end of a warm-up).
    void reset(double t);

    /// The current value.
    double value() const { return value_; }

    /// The largest value held since the start or the last reset.
    double max() const { return max_; }

    /// The time at which averaging started (construction or last reset).
    double start_time() const { return start_; }

    /// The integral of the quantity from the start to `until`.
    double integral(double until) const;

    /// The time average from the start to `until`; the current value if no time has passed.
    double mean(double until) const;

private:
    void check_time(double t, const char* what) const;

    double start_;
    double last_;         // time of the last change
    double value_;
    double max_;
    double area_ = 0.0;   // integral from start_ to last_
};

}  // namespace crsim::stats
