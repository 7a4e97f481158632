#include "staff_ledger.hpp"

#include <algorithm>
#include <cmath>

namespace crsim::model {

StaffLedger::StaffLedger(PeriodClock clock, double warmup_s, double horizon_s, double total_from_s, double total_to_s)
    : clock_(clock),
      horizon_s_(horizon_s),
      total_from_s_(total_from_s),
      total_to_s_(total_to_s),
      piece_start_(warmup_s),
      piece_end_(std::min(clock.next_hour(warmup_s), horizon_s)) {
    series_.days.resize(static_cast<std::size_t>(std::ceil(horizon_s / seconds_per_day)));
    series_.weeks.resize(static_cast<std::size_t>(std::ceil(horizon_s / seconds_per_week)));
    series_.hours_of_week.resize(168);
}

void StaffLedger::move_to(double t) {
    t = std::min(t, horizon_s_);
    while (piece_start_ < horizon_s_ && t >= piece_end_) {
        for (StaffCounts* c : {&series_.days[clock_.day(piece_start_)], &series_.weeks[clock_.week(piece_start_)]})
            c->add(piece_);
        if (piece_start_ >= total_from_s_ && piece_start_ < total_to_s_) {
            series_.total.add(piece_);
            series_.hours_of_week[clock_.hour_of_week(piece_start_)].add(piece_);
        }
        piece_start_ = piece_end_;
        piece_end_ = std::min(clock_.next_hour(piece_end_), horizon_s_);
        const double length = piece_end_ - piece_start_;
        piece_ = StaffCounts{};
        piece_.paid_s = paid_ * length;
        piece_.available_s = available_ * length;
        piece_.busy_s = busy_ * length;
        piece_.overtime_s = overtime_ * length;
    }
}

}  // namespace crsim::model
