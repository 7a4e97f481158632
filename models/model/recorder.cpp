#include "recorder.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "crsim/model/roster_calendar.hpp"

namespace crsim::model {

Recorder::Recorder(const ScenarioSpec& spec, PeriodClock clock, const RecordingOptions& options)
    : spec_(spec),
      clock_(clock),
      places_(clock),
      warmup_s_(spec.warmup_s),
      window_from_s_(spec.window ? spec.window->from_s : spec.warmup_s),
      window_to_s_(spec.window ? spec.window->to_s : spec.horizon_s),
      n_groups_(spec.groups.size()),
      call_log_(options.call_log) {
    const auto days = static_cast<std::size_t>(std::ceil(spec.horizon_s / seconds_per_day));
    const auto weeks = static_cast<std::size_t>(std::ceil(spec.horizon_s / seconds_per_week));
    first_week_ = first_day_ + days;
    first_hour_of_week_ = first_week_ + weeks;
    outside_hours_ = first_hour_of_week_ + 168;
    const std::size_t spans = outside_hours_ + 1;
    for (const ClassSpec& c : spec.classes)
        classes_.push_back(ClassTallies{std::vector<Tally>(spans),
                                        std::vector<std::uint64_t>(spans * c.thresholds_s.size()), c.thresholds_s});
    waits_.resize(spec.classes.size());
    if (std::any_of(spec.classes.begin(), spec.classes.end(),
                    [](const ClassSpec& c) { return c.callback || c.abandoned_callback; }))
        callbacks_.resize(spec.classes.size());
    deferrables_.resize(spec.deferrables.size());
    const std::size_t cells = spec.rooms.size() * spec.groups.size();
    ledgers_.reserve(cells);
    for (std::size_t i = 0; i < cells; ++i)
        ledgers_.emplace_back(clock_, spec.warmup_s, spec.horizon_s, window_from_s_, window_to_s_);
}

std::vector<ClassCounts> Recorder::counts(const ClassTallies& c, std::size_t from, std::size_t n) {
    // Every count of ClassCounts is in Tally but answered_within, kept apart, and first_attempts,
    // derived, and Tally splits the answers in two: a count added to the one and not the other
    // changes the sizes and stops the build here.
    static_assert(sizeof(ClassCounts) + sizeof(Tally::answered_at_once) ==
                  sizeof(Tally) + sizeof(ClassCounts::answered_within) + sizeof(ClassCounts::first_attempts));
    const std::size_t n_thresholds = c.thresholds_s.size();
    std::vector<ClassCounts> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Tally& t = c.spans[from + i];
        ClassCounts& o = out[i];
        o.offered = t.offered;
        o.first_attempts = t.offered - t.repeats;
        o.repeats = t.repeats;
        o.callers_lost = t.callers_lost;
        o.answered = t.answered + t.answered_at_once;
        o.abandoned = t.abandoned;
        o.blocked = t.blocked;
        const auto within = c.within.begin() + static_cast<std::ptrdiff_t>((from + i) * n_thresholds);
        o.answered_within.assign(within, within + static_cast<std::ptrdiff_t>(n_thresholds));
        for (std::size_t k = 0; k < n_thresholds; ++k)
            if (0 <= c.thresholds_s[k]) o.answered_within[k] += t.answered_at_once;
        o.answered_wait_s = t.answered_wait_s;
        o.queue_time_s = t.queue_time_s;
    }
    return out;
}

void Recorder::answered_after_wait(const Mark& m, std::uint32_t cls, double queued_s, double wait_s) {
    ClassTallies& c = classes_[cls];
    const double* thresholds = c.thresholds_s.data();
    const std::size_t n_thresholds = c.thresholds_s.size();
    auto add = [&](Tally& n) {
        ++n.answered;
        n.answered_wait_s += wait_s;
        n.queue_time_s += queued_s;
    };
    if (n_thresholds == 1) {
        // The usual case, one target a class: the comparison made once for the spans.
        const std::uint64_t met = wait_s <= thresholds[0];
        count(m, cls, [&](Tally& n, std::uint64_t* answered_within) {
            add(n);
            answered_within[0] += met;
        });
    } else {
        count(m, cls, [&](Tally& n, std::uint64_t* answered_within) {
            add(n);
            for (std::size_t i = 0; i < n_thresholds; ++i)
                if (wait_s <= thresholds[i]) ++answered_within[i];
        });
    }
    add_sums(m, cls, wait_s, queued_s);
    if (m.in_window) waits_[cls].add(wait_s);
}

void Recorder::find_mark(double t) {
    Mark& m = mark_;
    m = Mark{};
    m.measured = t >= warmup_s_;
    mark_from_ = t;
    if (!m.measured) {
        mark_to_ = warmup_s_;
        return;
    }
    m.in_window = t >= window_from_s_ && t < window_to_s_;
    const PeriodPlaces::Places& p = places_.at(t);
    m.day = static_cast<std::uint32_t>(first_day_ + p.day);
    // A week is seven of the run's days (the clock's week, but for a time within rounding of a
    // week's end): its counts are added up from theirs.
    m.week = static_cast<std::uint32_t>(first_week_ + p.day / 7);
    m.hour_of_week = static_cast<std::uint32_t>(m.in_window ? first_hour_of_week_ + p.hour_of_week : outside_hours_);
    // Up to the end of the places' stretch, or to the reporting window's next edge if sooner:
    // every time in between is then on the same side of each edge as t.
    mark_to_ = places_.stretch_end();
    for (const double edge : {window_from_s_, window_to_s_})
        if (edge > t) mark_to_ = std::min(mark_to_, edge);
}

void Recorder::add_up(ClassTallies& c) const {
    const std::size_t n_thresholds = c.thresholds_s.size();
    const auto add = [&](std::size_t to, std::size_t from) {
        Tally& a = c.spans[to];
        const Tally& b = c.spans[from];
        a.offered += b.offered;
        a.repeats += b.repeats;
        a.callers_lost += b.callers_lost;
        a.answered += b.answered;
        a.answered_at_once += b.answered_at_once;
        a.abandoned += b.abandoned;
        a.blocked += b.blocked;
        for (std::size_t i = 0; i < n_thresholds; ++i)
            c.within[to * n_thresholds + i] += c.within[from * n_thresholds + i];
    };
    for (std::size_t d = 0; first_day_ + d < first_week_; ++d) add(first_week_ + d / 7, first_day_ + d);
    for (std::size_t h = 0; h < 168; ++h) add(0, first_hour_of_week_ + h);
}

ReplicationResult Recorder::finish() {
    const std::size_t n_classes = spec_.classes.size(), n_rooms = spec_.rooms.size();
    ReplicationResult out;
    for (std::size_t k = 0; k < n_classes; ++k) {
        ClassTallies& c = classes_[k];
        add_up(c);
        ClassResult r;
        r.counts = counts(c, 0, 1).front();
        const stats::QuantileHistogram& w = waits_[k];
        r.wait_p50_s = w.quantile(0.50);
        r.wait_p90_s = w.quantile(0.90);
        r.wait_p95_s = w.quantile(0.95);
        r.wait_p99_s = w.quantile(0.99);
        r.max_wait_s = w.max();
        if (w.count() > 0)
            for (const double p : wait_cdf_probabilities) r.wait_quantiles_s.push_back(w.quantile(p));
        for (const TargetSpec& t : spec_.classes[k].targets)
            if (t.metric == TargetSpec::Metric::wait_quantile) r.target_quantiles_s.emplace_back(t.q, w.quantile(t.q));
        out.classes.push_back(std::move(r));
        out.days.classes.push_back(counts(c, first_day_, first_week_ - first_day_));
        out.weeks.classes.push_back(counts(c, first_week_, first_hour_of_week_ - first_week_));
        out.hours_of_week.classes.push_back(counts(c, first_hour_of_week_, 168));
        c = ClassTallies{};  // freed now: the result's copy needs the memory
    }

    // Groups and rooms are sums over the (room, group) ledgers; the on-duty cost follows from paid
    // time. The rostered cost follows from the roster alone (the same in every replication).
    out.groups.assign(n_groups_, StaffCounts{});
    out.rooms.assign(n_rooms, StaffCounts{});
    out.cells.assign(n_rooms * n_groups_, StaffCounts{});
    auto sized = [](const std::vector<StaffCounts>& like, std::size_t n) {
        return std::vector<std::vector<StaffCounts>>(n, std::vector<StaffCounts>(like.size()));
    };
    const StaffSeries& shape = ledgers_.front().series();
    for (auto* series : {&out.days, &out.weeks, &out.hours_of_week}) {
        const auto& like = series == &out.days ? shape.days : series == &out.weeks ? shape.weeks : shape.hours_of_week;
        series->groups = sized(like, n_groups_);
        series->rooms = sized(like, n_rooms);
    }
    auto with_cost = [](StaffCounts c, const GroupSpec& g) {
        c.overtime_cost = c.overtime_s / seconds_per_hour * g.cost_per_hour * (1 + g.overtime_premium);
        c.on_duty_cost = (c.paid_s - c.overtime_s) / seconds_per_hour * g.cost_per_hour + c.overtime_cost;
        return c;
    };
    for (std::size_t r = 0; r < n_rooms; ++r) {
        for (std::size_t g = 0; g < n_groups_; ++g) {
            StaffLedger& l = ledgers_[r * n_groups_ + g];
            l.finish();
            const StaffSeries& s = l.series();
            const GroupSpec& group = spec_.groups[g];
            const StaffCounts total = with_cost(s.total, group);
            out.groups[g].add(total);
            out.rooms[r].add(total);
            out.cells[r * n_groups_ + g] = total;
            const std::pair<const std::vector<StaffCounts>*, PeriodSeries*> kinds[] = {
                {&s.days, &out.days}, {&s.weeks, &out.weeks}, {&s.hours_of_week, &out.hours_of_week}};
            for (const auto& [from, to] : kinds) {
                for (std::size_t i = 0; i < from->size(); ++i) {
                    const StaffCounts c = with_cost((*from)[i], group);
                    to->groups[g][i].add(c);
                    to->rooms[r][i].add(c);
                }
            }
        }
    }
    const RosteredCost rostered = RosterCalendar(spec_).rostered_cost(window_from_s_, window_to_s_);
    for (std::size_t g = 0; g < n_groups_; ++g) out.groups[g].rostered_cost = rostered.groups[g];
    for (std::size_t r = 0; r < n_rooms; ++r) out.rooms[r].rostered_cost = rostered.rooms[r];
    for (std::size_t i = 0; i < out.cells.size(); ++i) out.cells[i].rostered_cost = rostered.cells[i];
    out.callbacks = callbacks_;
    out.deferrables = deferrables_;
    return out;
}

}  // namespace crsim::model
