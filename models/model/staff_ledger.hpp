#pragma once
// Person-time of one staff group in one room: paid, available and busy, integrated over time
// and split into the reporting periods.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "crsim/model/replication_result.hpp"
#include "period_clock.hpp"

namespace crsim::model {

/// Staff counts of one (group, room) over the reporting window and per period.
struct StaffSeries {
    StaffCounts total;
    std::vector<StaffCounts> days, weeks;    // of [warm-up, horizon)
    std::vector<StaffCounts> hours_of_week;  // of the reporting window, as the recorder's calls
};

/// Integrates how many people of one (group, room) are paid, available and busy, counting only
/// time inside the measured window [warmup, horizon); the whole-run total and the hours of the week
/// only time inside the reporting window [total_from_s, total_to_s), which lies within it on hour
/// boundaries or the warm-up.
class StaffLedger {
public:
    StaffLedger(PeriodClock clock, double warmup_s, double horizon_s, double total_from_s, double total_to_s);

    /// At time t, the counts change by the given amounts (`overtime`: people on overtime shifts).
    void change(double t, int paid, int available, int busy, int overtime = 0) {
        advance(t);
        overtime_ += overtime;
        paid_ += paid;
        available_ += available;
        busy_ += busy;
    }

    /// A person took a call at time t: one more busy, one more call handled.
    void start_call(double t) {
        advance(t);
        ++busy_;
        if (t >= piece_start_ && t < piece_end_) ++piece_.handled;
    }

    /// A person already busy took another contact at time t (a chat beside chats in hand): one more
    /// handled, no more busy.
    void count_handled(double t) {
        advance(t);
        if (t >= piece_start_ && t < piece_end_) ++piece_.handled;
    }

    /// People on duty and not on a break now.
    int available() const { return static_cast<int>(available_); }

    /// Integrates up to the horizon; call once at the end.
    void finish() { advance(horizon_s_); }

    const StaffSeries& series() const { return series_; }

private:
    /// Integrates up to t (at most the horizon).
    void advance(double t) {
        // The common case, inline: within the current piece (which ends by the horizon). At the
        // time already reached it adds zeros, cheaper than a call that would add nothing.
        if (t >= last_t_ && t < piece_end_) {
            integrate_to(t);
            return;
        }
        advance_across(std::min(t, horizon_s_));
    }
    void integrate_to(double until) {
        const double span = until - last_t_;
        piece_.paid_s += paid_ * span;
        piece_.available_s += available_ * span;
        piece_.busy_s += busy_ * span;
        // Nearly always none, and adding zero would leave the sum as it is.
        if (overtime_ != 0) piece_.overtime_s += overtime_ * span;
        last_t_ = until;
    }
    void advance_across(double t);
    void flush_piece();

    // Time is integrated piecewise: a piece is the part of one hour inside [warmup, horizon), so
    // it lies in exactly one day, week and hour of the week. Changes within a piece only add to
    // `piece_`; the piece is added to its periods once, when time passes its end.
    PeriodClock clock_;
    double horizon_s_;
    double total_from_s_, total_to_s_;
    double last_t_;       // integrated up to here (never before the warm-up)
    double piece_start_;  // the current piece is [piece_start_, piece_end_)
    double piece_end_;
    StaffCounts piece_;
    // Whole numbers, held as doubles so that integrating them converts nothing.
    double paid_ = 0, available_ = 0, busy_ = 0, overtime_ = 0;
    StaffSeries series_;
};

}  // namespace crsim::model
