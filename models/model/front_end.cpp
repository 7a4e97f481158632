#include "front_end.hpp"

#include <boost/random/uniform_01.hpp>

#include "timeline.hpp"

namespace crsim::model {

void record_route(DemandTally& tally, std::size_t cls, double now, const FrontEnd::Route& r) {
    if (r.shifted) {
        tally.count(cls, now, [](DemandCounts& d) { ++d.shifted_out; });
        if (r.fate == FrontEnd::Route::Fate::backlog) return;  // counted as the backlog's arrival
        tally.count(r.triaged ? r.triaged_as : r.cls, now, [](DemandCounts& d) { ++d.shifted_in; });
    }
    if (!r.triaged) return;
    tally.count(r.triaged_as, now, [&](DemandCounts& d) {
        ++d.triaged;
        d.resolved += r.fate == FrontEnd::Route::Fate::resolved;
        d.redirected += r.fate == FrontEnd::Route::Fate::redirected;
        d.reclassified_out += r.reclassified;
    });
    if (r.reclassified) tally.count(r.cls, now, [](DemandCounts& d) { ++d.reclassified_in; });
}

FrontEnd::FrontEnd(const ScenarioSpec& spec, const sim::StreamFactory& streams)
    : demand_(spec.demand),
      active_(!spec.demand.triage.empty() || !spec.demand.channel_shifts.empty()),
      shifts_from_(spec.classes.size()) {
    if (!active_) return;
    for (std::size_t i = 0; i < demand_.channel_shifts.size(); ++i)
        shifts_from_[demand_.channel_shifts[i].from].push_back(i);
    for (const ClassSpec& c : spec.classes) {
        shift_streams_.push_back(streams.make("channel-shift/" + c.name));
        triage_streams_.push_back(streams.make("triage/" + c.name));
    }
}

FrontEnd::Route FrontEnd::route(std::uint32_t cls, double now) {
    Route r;
    r.cls = cls;
    if (!shifts_from_[cls].empty()) {
        // One draw per caller whatever the week, so the shares of one week do not move the draws of the next.
        double u = boost::random::uniform_01<double>()(shift_streams_[cls]);
        const int week = Timeline::week_of(now);
        for (const std::size_t i : shifts_from_[cls]) {
            const ChannelShiftSpec& shift = demand_.channel_shifts[i];
            const double share = shift.share_in_week(week);
            if (u < share) {
                r.cls = static_cast<std::uint32_t>(shift.to);
                r.shifted = true;
                if (shift.to_backlog) {
                    r.fate = Route::Fate::backlog;
                    return r;
                }
                break;
            }
            u -= share;
        }
    }
    if (demand_.triage.empty() || !demand_.triage[r.cls]) return r;
    const TriageSpec& t = *demand_.triage[r.cls];
    sim::Engine& s = triage_streams_[r.cls];
    r.triaged = true;
    r.triaged_as = r.cls;
    r.delay_s = t.menu_time.sample(s);
    double u = boost::random::uniform_01<double>()(s);
    if (u < t.resolved) {
        r.fate = Route::Fate::resolved;
        return r;
    }
    u -= t.resolved;
    if (u < t.redirected) {
        r.fate = Route::Fate::redirected;
        return r;
    }
    u -= t.redirected;
    for (std::size_t k = 0; k < t.reclassified.size(); ++k) {
        if (u < t.reclassified[k]) {
            r.cls = static_cast<std::uint32_t>(k);
            r.reclassified = true;
            return r;
        }
        u -= t.reclassified[k];
    }
    return r;
}

}  // namespace crsim::model
