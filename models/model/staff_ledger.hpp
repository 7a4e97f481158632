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
        // Tested one by one: inlined where the changes are constants, the counts that do not
        // change cost nothing.
        const double rest = rest_of_piece(t);
        if (paid != 0) piece_.paid_s += paid * rest;
        if (available != 0) piece_.available_s += available * rest;
        if (busy != 0) piece_.busy_s += busy * rest;
        if (overtime != 0) piece_.overtime_s += overtime * rest;
        overtime_ += overtime;
        paid_ += paid;
        available_ += available;
        busy_ += busy;
    }

    /// A person took a call at time t: one more busy, one more call handled.
    void start_call(double t) {
        piece_.busy_s += rest_of_piece(t);
        ++busy_;
        if (t >= piece_start_ && t < piece_end_) ++piece_.handled;
    }

    /// A person already busy took another contact at time t (a chat beside chats in hand): one more
    /// handled, no more busy.
    void count_handled(double t) {
        make_current(t);
        if (t >= piece_start_ && t < piece_end_) ++piece_.handled;
    }

    /// People on duty and not on a break now.
    int available() const { return available_; }

    /// Integrates up to the horizon; call once at the end.
    void finish() { move_to(horizon_s_); }

    const StaffSeries& series() const { return series_; }

private:
    /// The part of the current piece from t on, after making the piece holding t current: the
    /// person-time one more person from t adds to it (none past the horizon; all of the first
    /// piece before the warm-up).
    double rest_of_piece(double t) {
        make_current(t);
        return t < piece_end_ ? piece_end_ - std::max(t, piece_start_) : 0.0;
    }
    /// Makes the piece holding t current (past the horizon, none).
    void make_current(double t) {
        if (t >= piece_end_) [[unlikely]]
            move_to(t);
    }
    /// Closes the pieces that end by t (at most the horizon), and opens the next. Once an hour, so
    /// kept out of the model's flattened handlers (noinline).
    [[gnu::noinline]] void move_to(double t);

    // Time is integrated piecewise: a piece is the part of one hour inside [warmup, horizon), so
    // it lies in exactly one day, week and hour of the week. A piece opens with the counts of the
    // moment times its length; a change within it adds the change times the rest of the piece, so
    // that a call, which changes the busy count alone, costs one addition. (Each term is a
    // small whole number times the difference of two times within the hour, which is exact, so
    // the sums come out as those of the counts times the spans between changes.) The piece is
    // added to its periods once, when time passes its end.
    PeriodClock clock_;
    double horizon_s_;
    double total_from_s_, total_to_s_;
    double piece_start_;  // the current piece is [piece_start_, piece_end_)
    double piece_end_;
    StaffCounts piece_;
    int paid_ = 0, available_ = 0, busy_ = 0, overtime_ = 0;
    StaffSeries series_;
};

}  // namespace crsim::model
