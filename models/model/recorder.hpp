#pragma once
// What the control-room model measures, kept apart from what it simulates.
//
// ControlRoom reports events — a call attempt arrives, is answered, is abandoned; people come on
// or go off duty, go on or come back from a break, start or finish work — and the recorder turns
// them into a ReplicationResult: whole-run counts, the series per day, week and hour of the week,
// and the wait histograms. Further measures (a reporting window, per-call logs, new figures) are
// added here without touching the model.
//
// A concrete class with inline event methods rather than an interface with virtual ones: the
// events are the model's hot path, and a replication has exactly one recorder. Optional outputs
// (the per-call log) cost one null check when unused.

#include <cstdint>
#include <vector>

#include "crsim/model/recording.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/stats/quantile_histogram.hpp"
#include "period_clock.hpp"
#include "period_places.hpp"
#include "staff_ledger.hpp"

namespace crsim::model {

/// Accumulates one replication's counts from the model's events.
class Recorder {
public:
    /// Where an attempt is counted, found once when it arrives and kept with the call.
    struct Mark {
        bool measured = false;   // arrived in [warm-up, horizon): counted in its periods
        bool in_window = false;  // measured and inside the reporting window: counted in the whole-run figures
        // The periods' places in ClassTallies::spans; hour_of_week is the unreported span past the
        // 168 hours when the attempt lies outside the reporting window.
        std::uint32_t day = 0, week = 0, hour_of_week = 0;
    };

    Recorder(const ScenarioSpec& spec, PeriodClock clock, const RecordingOptions& options);

    // --- Calls -----------------------------------------------------------------------------------

    /// An attempt of class `cls` arrives at `t`; `first` unless the caller rings again.
    Mark attempt(std::uint32_t cls, double t, bool first) {
        if (!(t >= mark_from_ && t < mark_to_)) [[unlikely]]
            find_mark(t);
        const Mark m = mark_;
        if (!m.measured) return m;
        count(m, cls, [](Tally& n, std::uint64_t*) { ++n.offered; });
        if (!first) count(m, cls, [](Tally& n, std::uint64_t*) { ++n.repeats; });
        return m;
    }

    /// An attempt is answered after `queued_s` in the queue; `wait_s` adds the connection time.
    /// `describe()` gives its CallRecord, asked for only when a per-call log is kept.
    template <class Describe>
    void answered(const Mark& m, std::uint32_t cls, double queued_s, double wait_s, Describe describe) {
        if (m.measured) {
            if (wait_s == 0 && queued_s == 0) [[likely]] {
                // The commonest call, answered on arrival with no connection time: counted apart, its
                // answers within each threshold follow at the end, and adding zero to the sums of
                // waits would leave them as they are.
                count(m, cls, [](Tally& n, std::uint64_t*) { ++n.answered_at_once; });
                if (m.in_window) waits_[cls].add(0.0);
            } else {
                answered_after_wait(m, cls, queued_s, wait_s);
            }
        }
        if (call_log_ != nullptr) call_log_->on_call(describe());
    }

    /// An attempt is abandoned after `waited_s`; `lost` when the caller will not ring again.
    template <class Describe>
    void abandoned(const Mark& m, std::uint32_t cls, double waited_s, bool lost, Describe describe) {
        if (m.measured) {
            count(m, cls, [waited_s, lost](Tally& n, std::uint64_t*) {
                ++n.abandoned;
                n.queue_time_s += waited_s;
                n.callers_lost += lost;
            });
            add_sums(m, cls, 0.0, waited_s);
        }
        if (call_log_ != nullptr) call_log_->on_call(describe());
    }

    /// An attempt found every line of its room or class in use (trunk_caps.hpp) and was turned away.
    template <class Describe>
    void blocked(const Mark& m, std::uint32_t cls, Describe describe) {
        if (m.measured) count(m, cls, [](Tally& n, std::uint64_t*) { ++n.blocked; });
        if (call_log_ != nullptr) call_log_->on_call(describe());
    }

    // --- Call-backs (callback_spec.hpp): whole-run counts, with the call that created the task ---

    /// A caller arriving with mark `m` was offered a call-back, and accepted it or not.
    void callback_offered(const Mark& m, std::uint32_t cls, bool accepted) {
        if (!m.in_window) return;
        ++callbacks_[cls].offered;
        callbacks_[cls].accepted.created += accepted;
    }

    /// An abandoned call with mark `m` created a call-back task.
    void abandoned_callback_created(const Mark& m, std::uint32_t cls) {
        if (m.in_window) ++callbacks_[cls].abandoned.created;
    }

    /// An attempt on a task of `kind`; `reached`: the call-back starts, `since_s` after the task was created.
    void callback_attempt(const Mark& m, std::uint32_t cls, bool abandoned_kind, bool reached, double since_s) {
        if (!m.in_window) return;
        CallbackTaskCounts& t = abandoned_kind ? callbacks_[cls].abandoned : callbacks_[cls].accepted;
        ++t.attempts;
        if (reached) {
            ++t.reached;
            t.wait_s += since_s;
        }
    }

    /// A task of `kind` was dropped without reaching the caller.
    void callback_dropped(const Mark& m, std::uint32_t cls, bool abandoned_kind) {
        if (m.in_window) ++(abandoned_kind ? callbacks_[cls].abandoned : callbacks_[cls].accepted).unreached;
    }

    // --- Deferrable work: whole-run counts, by the item's arrival ---

    /// An item of backlog `d` arrives at `t`; its mark says whether it is counted.
    Mark deferrable_arrived(std::uint32_t d, double t) {
        Mark m;
        m.measured = t >= warmup_s_;
        m.in_window = m.measured && t >= window_from_s_ && t < window_to_s_;
        if (m.in_window) ++deferrables_[d].arrived;
        return m;
    }

    /// Work on an item of backlog `d` starts `response_s` after it arrived.
    void deferrable_started(const Mark& m, std::uint32_t d, double response_s) {
        if (!m.in_window) return;
        DeferrableCounts& c = deferrables_[d];
        ++c.started;
        c.response_s += response_s;
        c.within_target += response_s <= spec_.deferrables[d].target_within_s;
    }

    // --- Staff -----------------------------------------------------------------------------------

    // A (room, group) cell is numbered room * groups + group, as ReplicationResult::cells: the
    // model keeps each person's, so that the hot path does not work it out at every change.

    /// At time t the people of `cell` paid, available, busy and on overtime change by these amounts.
    void staff_change(std::size_t cell, double t, int paid, int available, int busy, int overtime = 0) {
        ledgers_[cell].change(t, paid, available, busy, overtime);
    }

    /// People of `cell` on duty and not on a break now.
    int available(std::size_t cell) { return ledgers_[cell].available(); }

    /// A person of `cell` took a call at time t: one more busy, one more call handled.
    void call_taken(std::size_t cell, double t) { ledgers_[cell].start_call(t); }

    /// A person of `cell` already holding chats took another at time t: one more handled.
    void chat_taken_beside(std::size_t cell, double t) { ledgers_[cell].count_handled(t); }

    // --- End -------------------------------------------------------------------------------------

    /// The replication's counts (staff time integrated to the horizon); call once, at the end.
    ReplicationResult finish();

private:
    /// ClassCounts of one span without the answered-within counts, which lie in ClassTallies::within:
    /// the counters of the hot path packed together, not behind a vector's pointer each. The
    /// first attempts are the attempts less the repeats, so they are not counted; the answers
    /// are counted in two parts, those after no wait at all (answered_at_once, within every
    /// threshold) and the others (answered, with their waits and answered_within).
    struct Tally {
        std::uint64_t offered = 0, repeats = 0, callers_lost = 0, answered = 0, answered_at_once = 0, abandoned = 0,
                      blocked = 0;
        double answered_wait_s = 0, queue_time_s = 0;
    };
    /// The counts of one class in every span: spans[0] is the whole run (the reporting window),
    /// then come the days, the weeks and the hours of the week (Mark holds the places). The days
    /// and weeks cover [warm-up, horizon), so that charts show the weeks around a window; the hours
    /// of the week only the reporting window, as every figure pooled over the weeks does. A last
    /// span, never reported, takes the hours of the week outside the window: counting there costs
    /// the hot path no test.
    ///
    /// A call's counts go to its day and its hour of the week only: a week's counts are those of
    /// its seven days, and the whole run's those of the hours of the week, added up at the end
    /// (add_up). Their sums of waits are added call by call all the same (add_sums), because the
    /// last bits of a sum of doubles depend on the order of the additions.
    struct ClassTallies {
        std::vector<Tally> spans;
        std::vector<std::uint64_t> within;  // [span][threshold]: answered with wait <= threshold
        std::vector<double> thresholds_s;   // the class's, ClassSpec::thresholds_s
    };

    /// Applies `update(tally, answered_within)` to the counts of the attempt's day and of its hour
    /// of the week (that of the reporting window, or the unreported span past them).
    template <class Update>
    void count(const Mark& m, std::uint32_t cls, Update update) {
        ClassTallies& c = classes_[cls];
        Tally* spans = c.spans.data();
        std::uint64_t* within = c.within.data();
        const std::size_t n = c.thresholds_s.size();
        update(spans[m.day], within + m.day * n);
        update(spans[m.hour_of_week], within + m.hour_of_week * n);
    }

    /// Adds an attempt's wait to the sums of waits of its week and, in the reporting window, of the
    /// whole run: the spans whose counts are otherwise added up at the end (add_up).
    void add_sums(const Mark& m, std::uint32_t cls, double answered_wait_s, double queue_time_s) {
        Tally* spans = classes_[cls].spans.data();
        spans[m.week].answered_wait_s += answered_wait_s;
        spans[m.week].queue_time_s += queue_time_s;
        if (m.in_window) {
            spans[0].answered_wait_s += answered_wait_s;
            spans[0].queue_time_s += queue_time_s;
        }
    }

    /// answered() of a call that waited or had a connection time: out of line, so that the
    /// commonest answer's code is not made to prepare for it (noinline: in a unity build the
    /// flattened handlers of the model would take it in, as they take in whatever they can see).
    [[gnu::noinline]] void answered_after_wait(const Mark& m, std::uint32_t cls, double queued_s, double wait_s);

    /// Sets mark_ to the mark of an attempt at t, and [mark_from_, mark_to_) to the stretch of
    /// times from t that share it. Rare, so kept out of the flattened handlers (noinline).
    [[gnu::noinline]] void find_mark(double t);

    /// Adds the counts of `c`'s days into their weeks, and those of its hours of the week into its
    /// whole-run span (spans[0]): spans that hold only their sums of waits until then.
    void add_up(ClassTallies& c) const;

    /// The ClassCounts of `c`'s spans [from, from + n).
    static std::vector<ClassCounts> counts(const ClassTallies& c, std::size_t from, std::size_t n);

    const ScenarioSpec& spec_;
    PeriodClock clock_;
    PeriodPlaces places_;  // the periods of an attempt's arrival
    // The mark of the last attempt, and the times that share it: the model asks at every attempt,
    // nearly always within the stretch of the last one, where the mark is then two comparisons.
    Mark mark_;
    double mark_from_ = 1, mark_to_ = 0;  // empty until the first attempt
    double warmup_s_;
    // The reporting window of the whole-run counts: [warm-up, horizon) unless the spec selects one.
    double window_from_s_, window_to_s_;
    std::size_t n_groups_;
    CallLogSink* call_log_;
    // Where each kind of period starts in ClassTallies::spans.
    std::size_t first_day_ = 1, first_week_, first_hour_of_week_;
    std::size_t outside_hours_;  // the span of attempts outside the window, after the 168 hours

    std::vector<ClassTallies> classes_;            // per class
    std::vector<stats::QuantileHistogram> waits_;  // per class: waits of measured answered calls
    std::vector<StaffLedger> ledgers_;             // [room][group]
    std::vector<CallbackCounts> callbacks_;        // per class, when some class has call-back work
    std::vector<DeferrableCounts> deferrables_;    // per backlog
};

}  // namespace crsim::model
