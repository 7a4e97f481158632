#include "control_room.hpp"

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>

namespace crsim::model {
namespace {

// After the horizon the run goes on only to resolve calls still waiting; this bounds that phase
// should a scenario's patience be unbounded and nobody be left to answer.
constexpr double max_drain_s = 28 * seconds_per_day;

/// A time for an error message: "86400", "12.5", "3.25e+10".
std::string seconds_text(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", s);
    return text;
}

}  // namespace

ControlRoom::ControlRoom(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication,
                         const RecordingOptions& recording, std::uint64_t event_limit)
    : spec_(spec),
      replication_(replication),
      n_classes_(static_cast<std::uint32_t>(spec.classes.size())),
      n_groups_(static_cast<std::uint32_t>(spec.groups.size())),
      n_rooms_(static_cast<std::uint32_t>(spec.rooms.size())),
      clock_{spec.start_weekday * seconds_per_day},
      timeline_(spec),
      calendar_(spec),
      policy_(spec),
      trunks_(spec),
      surges_(spec, sim::StreamFactory(seed, replication)),
      front_end_(spec, sim::StreamFactory(seed, replication)),
      demand_(spec),
      demand_keys_(spec.demand.any()),
      staffing_noise_(spec.staffing_daily_cv, spec.staffing_daily_mean, sim::StreamFactory(seed, replication)),
      queues_(static_cast<std::size_t>(n_rooms_) * n_classes_),
      idle_(static_cast<std::size_t>(n_rooms_) * n_groups_),
      chats_(std::any_of(spec.classes.begin(), spec.classes.end(), [](const ClassSpec& c) { return c.chat; })),
      desk_(spec),
      recorder_(spec, clock_, recording) {
    sim_.set_event_limit(event_limit);
    // Every stream is named after what it drives, so that changing one part of a scenario leaves
    // the draws of every other part as they were (common random numbers across scenarios).
    const sim::StreamFactory streams(seed, replication);
    streams_.reserve(n_classes_);
    arrivals_.reserve(n_classes_);
    for (const ClassSpec& c : spec.classes) {
        const std::string k = c.name;
        streams_.push_back(ClassStreams{streams.make("arrivals/" + k), streams.make("day-volume/" + k),
                                        streams.make("home-room/" + k), streams.make("handle/" + k),
                                        streams.make("wrap-up/" + k), streams.make("patience/" + k),
                                        streams.make("connection/" + k), streams.make("redial/" + k)});
    }
    if (desk_.any()) {
        for (const ClassSpec& c : spec.classes) {
            callback_streams_.push_back(streams.make("callback/" + c.name));
            callback_work_.push_back(streams.make("callback-work/" + c.name));
        }
    }
    backlog_streams_.reserve(spec.deferrables.size());
    for (const DeferrableSpec& d : spec.deferrables) {
        backlog_streams_.push_back(BacklogStreams{streams.make("backlog-arrivals/" + d.name),
                                                  streams.make("backlog-days/" + d.name),
                                                  streams.make("backlog-work/" + d.name)});
        BacklogStreams& s = backlog_streams_.back();
        backlog_arrivals_.emplace_back(d.arrivals, spec.start_weekday, spec.horizon_s, s.gaps, s.days);
    }
    for (std::uint32_t k = 0; k < n_classes_; ++k) {
        if (surges_.segments(k).empty())
            arrivals_.emplace_back(spec.classes[k].arrivals, spec.start_weekday, spec.horizon_s, streams_[k].gaps,
                                   streams_[k].days);
        else
            arrivals_.emplace_back(spec.classes[k].arrivals, spec.start_weekday, spec.horizon_s, streams_[k].gaps,
                                   streams_[k].days, surges_.segments(k));
    }
    if (chats_) {
        chatting_.resize(idle_.size());
        for (const GroupSpec& g : spec.groups) {
            int limit = 0;
            for (std::size_t k = 0; k < spec.classes.size(); ++k)
                if (g.takes[k] && spec.classes[k].chat) limit = std::max(limit, spec.classes[k].chat->at_once);
            chat_limit_.push_back(limit);
        }
    }
    for (std::size_t i = 0; i < spec.shifts.size(); ++i)
        absence_.push_back(streams.make("absence/" + std::to_string(i + 1)));

    for (const ShiftSpec& line : spec.shifts) line_overtime_.emplace_back(line.weekly_cap_hours);
    for (const CallInSpec& rule : spec.call_ins) call_in_overtime_.emplace_back(rule.weekly_cap_hours);
    call_in_timers_.resize(spec.call_ins.size());
    call_ins_watching_.resize(queues_.size());
    for (std::size_t i = 0; i < spec.call_ins.size(); ++i)
        call_ins_watching_[spec.call_ins[i].room * n_classes_ + spec.call_ins[i].cls].push_back(i);
}

ReplicationResult ControlRoom::run() {
    // Staff on duty throughout, and shifts that began the evening before t = 0, are there from the start.
    for (std::size_t i = 0; i < spec_.shifts.size(); ++i)
        if (const auto shift = calendar_.under_way_at_start(i)) start_shift(*shift);
    sim_.schedule_at(
        0.0, [this] { on_day(0); }, release_priority);
    // Each arrival process has a lane of the calendar: its next arrival is always scheduled by the
    // current one, so it needs no place in the heap.
    for (ClassIndex k{0}; k < n_classes_; ++k) {
        arrival_lanes_.push_back(sim_.add_lane());
        if (demand_keys_) {
            const double first = arrivals_[k].next_with_surges();
            if (first < spec_.horizon_s)
                sim_.schedule_on_lane(arrival_lanes_[k], first, [this, k] { on_demand_arrival(k); });
            continue;
        }
        const double first = arrivals_[k].next();
        if (first < spec_.horizon_s) sim_.schedule_on_lane(arrival_lanes_[k], first, [this, k] { on_arrival(k); });
    }
    for (std::size_t d = 0; d < backlog_arrivals_.size(); ++d) {
        backlog_lanes_.push_back(sim_.add_lane());
        const double first = backlog_arrivals_[d].next();
        if (first < spec_.horizon_s)
            sim_.schedule_on_lane(backlog_lanes_[d], first, [this, d] { on_backlog_arrival(d); });
    }

    try {
        sim_.run_until(spec_.horizon_s);
        if (calls_in_system_ > 0) {
            draining_ = true;
            sim_.run_until(spec_.horizon_s + max_drain_s);
        }
    } catch (const sim::EventLimitReached&) {
        throw;  // run_replication says what the runaway guard found
    } catch (const std::bad_alloc&) {
        throw;  // reported as running out of memory
    } catch (const std::exception& e) {
        throw std::runtime_error(describe_failure(e.what()));
    }
    ReplicationResult result = recorder_.finish();
    demand_.finish(result);
    result.events = sim_.events_executed();
    return result;
}

std::string ControlRoom::describe(const Acting& acting) const {
    const auto call = [&](std::uint32_t slot) {
        if (slot >= calls_.size()) return std::string("a call");
        const Call& c = calls_[slot];
        if (c.is_task && c.task_kind == CallbackKind::backlog)
            return "an item of deferrable work " + spec_.deferrables[c.cls].name + " (arrived at " +
                   seconds_text(c.arrival) + " s)";
        return "a call of class " + spec_.classes[c.cls].name + " (attempt " + std::to_string(c.attempt) +
               ", arrived at " + seconds_text(c.arrival) + " s, home room " + spec_.rooms[c.home].name + ")";
    };
    const auto person = [&](std::uint32_t slot) {
        if (slot >= people_.size()) return std::string("a person");
        const Person& p = people_[slot];
        return "a person of group " + spec_.groups[p.group].name + " in room " + spec_.rooms[p.room].name + " (" +
               (p.line >= 0 ? "on a shift of roster[" + std::to_string(p.line) + "]" : std::string("called in")) + ")";
    };
    switch (acting.kind) {
        case Acting::Kind::setup:
            return "setting up the replication";
        case Acting::Kind::arrivals:
            return "the arrivals of class " + spec_.classes[static_cast<std::size_t>(acting.index)].name;
        case Acting::Kind::backlog_arrivals:
            return "the arrivals of deferrable work " + spec_.deferrables[static_cast<std::size_t>(acting.index)].name;
        case Acting::Kind::call:
            return call(acting.call);
        case Acting::Kind::person:
            return person(acting.person);
        case Acting::Kind::answer:
            return call(acting.call) + " answered by " + person(acting.person);
        case Acting::Kind::shift:
            return "a shift of roster[" + std::to_string(acting.index) + "] starting";
        case Acting::Kind::call_in:
            return "call_ins[" + std::to_string(acting.index) + "] calling people in";
        case Acting::Kind::day:
            return "the start of day " + std::to_string(acting.index + 1);
    }
    return "an event";
}

std::string ControlRoom::describe_failure(const std::string& what) const {
    const double now = sim_.now();
    const auto day = static_cast<std::int64_t>(std::floor(now / seconds_per_day));
    const auto second = static_cast<std::int64_t>(std::floor(now - static_cast<double>(day) * seconds_per_day));
    char clock[16];
    std::snprintf(clock, sizeof clock, "%02d:%02d:%02d", static_cast<int>(second / 3600),
                  static_cast<int>(second / 60 % 60), static_cast<int>(second % 60));
    return "replication " + std::to_string(replication_ + 1) + " of " + spec_.name + ", at simulated time " +
           seconds_text(now) + " s (day " + std::to_string(day + 1) + " " + clock + "), handling " + describe(acting_) +
           ": " + what;
}

// ---------------------------------------------------------------------------------------------
// Calls

void ControlRoom::on_arrival(ClassIndex cls) {
    acting_ = {Acting::Kind::arrivals, Acting::none, Acting::none, static_cast<std::int64_t>(cls)};
    const double next = arrivals_[cls].next();
    if (next < spec_.horizon_s) sim_.schedule_on_lane(arrival_lanes_[cls], next, [this, cls] { on_arrival(cls); });
    route_new_call(new_call(cls));
}

void ControlRoom::on_demand_arrival(ClassIndex cls) {
    acting_ = {Acting::Kind::arrivals, Acting::none, Acting::none, static_cast<std::int64_t>(cls)};
    const double next = arrivals_[cls].next_with_surges();
    if (next < spec_.horizon_s)
        sim_.schedule_on_lane(arrival_lanes_[cls], next, [this, cls] { on_demand_arrival(cls); });
    on_demand(cls);
}

void ControlRoom::on_demand(ClassIndex cls) {
    const double now = sim_.now();
    const double surge_share = arrivals_[cls].surge_share();
    demand_.count(cls, now, [&](DemandCounts& d) {
        ++d.demand;
        d.surge_extra += surge_share;
    });
    if (!front_end_.active()) {
        route_new_call(new_call(cls));
        return;
    }
    const FrontEnd::Route r = front_end_.route(cls, now);
    record_route(demand_, cls, now, r);
    if (r.fate == FrontEnd::Route::Fate::backlog) return new_backlog_item(r.cls);
    if (r.fate != FrontEnd::Route::Fate::queue) return;
    const ClassIndex to{r.cls};
    if (r.delay_s <= 0) {
        route_new_call(new_call(to, cls));
    } else if (now + r.delay_s < spec_.horizon_s) {
        // Callers still in the menu at the horizon are outside the study, as late redials are.
        sim_.schedule_in(r.delay_s, [this, to, cls] { route_new_call(new_call(to, cls)); });
    }
}

std::uint32_t ControlRoom::new_call(ClassIndex cls, ClassIndex drawn_as) {
    const std::uint32_t slot = acquire_slot();
    const ClassSpec& spec = spec_.classes[cls];
    ClassStreams& s = streams_[drawn_as];
    Call& c = calls_[slot];
    c.cls = cls;
    c.home = RoomIndex{0};
    if (n_rooms_ > 1) {
        // Inverse-CDF over the rooms' shares; the last room with a share takes any rounding residue.
        double u = boost::random::uniform_01<double>()(s.room);
        for (RoomIndex r{0}; r < n_rooms_; ++r) {
            if (spec.room_shares[r] > 0) c.home = r;
            if (u < spec.room_shares[r]) break;
            u -= spec.room_shares[r];
        }
    }
    c.arrival = sim_.now();
    c.home = RoomIndex{timeline_.room_at(c.home, c.arrival)};
    c.attempt = 1;
    c.mark = recorder_.attempt(cls, c.arrival, true);
    c.overflowed = false;
    // Every attribute is drawn at arrival, from its own stream, whether or not it is used: the
    // same caller then has the same needs in every scenario compared with common random numbers.
    c.handle = spec.handle_time.sample(s.handle);
    if (!spec.handle_by_hour.empty()) c.handle *= spec.handle_by_hour.factor_at(c.arrival);
    c.wrap = spec.wrap_up.sample(s.wrap);
    c.patience = spec.patience ? spec.patience->sample(s.patience) : never;
    c.connection = spec.connection.sample(s.connection);
    c.patience_timer = c.overflow_timer = sim::EventHandle{};
    c.is_task = false;
    return slot;
}

void ControlRoom::route_new_call(std::uint32_t slot) {
    Call& c = calls_[slot];
    const Acting acting{Acting::Kind::call, slot, Acting::none, 0};
    if (trunks_.active() && !trunks_.seize(c.home, c.cls)) {
        acting_ = acting;
        return block(slot);
    }
    // Named as the acting event only when not answered at once (answering names the call and its
    // answerer): finding an idle person cannot fail.
    if (answer_by_idle(slot, c.home)) return;
    acting_ = acting;
    if (policy_.overflows_at_once(c.cls)) {
        c.overflowed = true;
        for (RoomIndex r{0}; r < n_rooms_; ++r)
            if (r != c.home && answer_by_idle(slot, r)) return;
    }
    if (spec_.classes[c.cls].callback && offer_callback(slot)) return;
    const CallRef ref{slot, c.serial};
    queue(c.home, c.cls).push(ref);
    on_queue_change(c.home, c.cls);
    if (std::isfinite(c.patience))
        c.patience_timer = sim_.schedule_in(
            c.patience, [this, ref] { on_abandon(ref); }, abandon_priority);
    if (!c.overflowed && policy_.overflows(c.cls))
        c.overflow_timer = sim_.schedule_in(policy_.overflow_after_s(c.cls), [this, ref] { on_overflow(ref); });
}

void ControlRoom::block(std::uint32_t slot) {
    const Call& c = calls_[slot];
    recorder_.blocked(c.mark, c.cls, [&] { return unanswered_record(c, CallRecord::Outcome::blocked); });
    release_call(slot);
}

CallRecord ControlRoom::unanswered_record(const Call& c, CallRecord::Outcome outcome) {
    CallRecord r;
    r.outcome = outcome;
    r.cls = c.cls;
    r.attempt = c.attempt;
    r.home_room = r.room = c.home;
    r.measured = c.mark.measured;
    r.arrival_s = c.arrival;
    return r;
}

bool ControlRoom::answer_by_idle(std::uint32_t slot, RoomIndex room) {
    const ClassIndex cls = calls_[slot].cls;
    if (is_chat(cls) && answer_by_chatting(slot, room)) return true;
    for (const std::size_t g : policy_.preference(cls)) {
        const GroupIndex group{g};
        IdleList& list = idle(room, group);
        if (list.size() == 0 || policy_.reserve_blocks(group, cls, list.size())) continue;
        answer(slot, list.pop_front(idle_links_));
        return true;
    }
    return false;
}

void ControlRoom::on_overflow(CallRef ref) {
    acting_ = {Acting::Kind::call, ref.slot, Acting::none, 0};
    Call& c = calls_[ref.slot];
    c.overflowed = true;
    c.overflow_timer = sim::EventHandle{};
    const RoomIndex home = c.home;
    const ClassIndex cls = c.cls;
    for (RoomIndex r{0}; r < n_rooms_; ++r) {
        if (r != home && answer_by_idle(ref.slot, r)) {
            queue(home, cls).forget_one();
            on_queue_change(home, cls);
            return;
        }
    }
}

void ControlRoom::on_abandon(CallRef ref) {
    acting_ = {Acting::Kind::call, ref.slot, Acting::none, 0};
    Call& c = calls_[ref.slot];
    sim_.cancel(c.overflow_timer);
    if (trunks_.active()) trunks_.release(c.home, c.cls);
    queue(c.home, c.cls).forget_one();
    on_queue_change(c.home, c.cls);

    // Will the caller ring again? Decided and timed from the class's own redial stream.
    const RedialSpec& redial = spec_.classes[c.cls].redial;
    bool rings_again = false;
    double redial_at = 0;
    if (static_cast<int>(c.attempt) < redial.max_attempts && redial.share > 0) {
        ClassStreams& s = streams_[c.cls];
        rings_again = boost::random::uniform_01<double>()(s.redial) < redial.share;
        if (rings_again) redial_at = sim_.now() + redial.delay.sample(s.redial);
    }
    // Attempts after the horizon are outside the study: the caller is then neither lost nor seen again.
    const bool again_in_study = rings_again && redial_at < spec_.horizon_s;
    const double waited = sim_.now() - c.arrival;
    const ClassIndex cls = c.cls;
    const RoomIndex home = c.home;
    const Recorder::Mark mark = c.mark;
    recorder_.abandoned(c.mark, c.cls, waited, !rings_again, [&] {
        CallRecord r = unanswered_record(c, CallRecord::Outcome::abandoned);
        r.wait_s = waited;
        r.rings_again = again_in_study;
        return r;
    });
    // The call-back task first: released, the call may be the last in the system, ending the run.
    if (spec_.classes[cls].abandoned_callback) create_abandoned_callback(cls, home, mark);
    if (again_in_study) {
        Call& caller = calls_[ref.slot];  // creating the task may have moved the pool
        ++caller.serial;                  // the old queue entry and timers must not match the new attempt
        --calls_in_system_;
        caller.patience_timer = caller.overflow_timer = sim::EventHandle{};
        const CallRef again{ref.slot, caller.serial};
        sim_.schedule_at(redial_at, [this, again] { on_redial(again); });
    } else {
        release_call(ref.slot);
    }
}

void ControlRoom::on_redial(CallRef ref) {
    acting_ = {Acting::Kind::call, ref.slot, Acting::none, 0};
    Call& c = calls_[ref.slot];
    ++c.attempt;
    ++calls_in_system_;
    c.arrival = sim_.now();
    c.home = RoomIndex{timeline_.room_at(c.home, c.arrival)};
    c.mark = recorder_.attempt(c.cls, c.arrival, false);
    c.overflowed = false;
    // Same caller, same needs (handle, wrap-up, connection); patience drawn afresh.
    const ClassSpec& spec = spec_.classes[c.cls];
    c.patience = spec.patience ? spec.patience->sample(streams_[c.cls].redial) : never;
    route_new_call(ref.slot);
}

// ---------------------------------------------------------------------------------------------
// Call-backs

bool ControlRoom::offer_callback(std::uint32_t slot) {
    Call& c = calls_[slot];
    const CallbackOfferSpec& offer = *spec_.classes[c.cls].callback;
    // The calls ahead: those of the home room waiting in a class of the same or a higher priority.
    const int priority = spec_.classes[c.cls].priority;
    std::size_t ahead = 0;
    for (ClassIndex k{0}; k < n_classes_; ++k)
        if (spec_.classes[k].priority <= priority) ahead += queue(c.home, k).size();
    int takers = 0;
    for (const std::size_t g : policy_.preference(c.cls)) takers += recorder_.available(cell(c.home, GroupIndex{g}));
    if (desk_.estimated_wait_s(c.cls, ahead, takers) < offer.offer_from_wait_s) return false;
    const bool accepted = boost::random::uniform_01<double>()(callback_streams_[c.cls]) < offer.accept;
    recorder_.callback_offered(c.mark, c.cls, accepted);
    if (!accepted) return false;
    // The caller hangs up: the inbound line is free (the call-back is made on an outbound line).
    if (trunks_.active()) trunks_.release(c.home, c.cls);
    c.is_task = true;
    c.task_kind = CallbackKind::accepted;
    c.tries = 0;
    c.task_since = sim_.now();
    queue_task(slot);
    return true;
}

void ControlRoom::create_abandoned_callback(ClassIndex cls, RoomIndex home, const Recorder::Mark& mark) {
    const AbandonedCallbackSpec& work = *spec_.classes[cls].abandoned_callback;
    const std::uint32_t slot = acquire_slot();
    Call& t = calls_[slot];
    t.cls = cls;
    t.home = home;
    t.arrival = t.task_since = sim_.now();
    t.attempt = 1;
    t.mark = mark;
    t.overflowed = false;
    t.handle = work.handle_time.sample(callback_work_[cls]);
    t.wrap = work.wrap_up.sample(callback_work_[cls]);
    t.patience = never;
    t.connection = 0;
    t.patience_timer = t.overflow_timer = sim::EventHandle{};
    t.is_task = true;
    t.task_kind = CallbackKind::abandoned;
    t.tries = 0;
    recorder_.abandoned_callback_created(mark, cls);
    queue_task(slot);
}

bool ControlRoom::drop_if_expired(std::uint32_t slot) {
    const Call& c = calls_[slot];
    if (c.task_kind == CallbackKind::backlog) return false;  // deferrable work waits as long as it takes
    if (sim_.now() - c.task_since <= desk_.attempts(c.cls, c.task_kind).time_limit_s) return false;
    recorder_.callback_dropped(c.mark, c.cls, c.task_kind == CallbackKind::abandoned);
    release_call(slot);
    return true;
}

void ControlRoom::queue_task(std::uint32_t slot) {
    if (drop_if_expired(slot)) return;
    const Call& c = calls_[slot];
    const ClassIndex cls = c.cls;
    // Someone idle has no live call they may take: the first who may take this one starts it now.
    if (c.task_kind == CallbackKind::backlog) {
        const std::vector<bool>& takes = spec_.deferrables[cls].groups;
        for (RoomIndex r{0}; r < n_rooms_; ++r)
            for (GroupIndex g{0}; g < n_groups_; ++g)
                if (takes[g] && idle(r, g).size() > static_cast<std::size_t>(spec_.groups[g].reserve))
                    return start_task(slot, idle(r, g).front());
    } else {
        for (RoomIndex r{0}; r < n_rooms_; ++r) {
            for (const std::size_t g : policy_.preference(cls)) {
                const IdleList& list = idle(r, GroupIndex{g});
                if (list.size() == 0 || policy_.reserve_blocks(g, cls, list.size())) continue;
                return start_task(slot, list.front());
            }
        }
    }
    desk_.push(cls, calls_[slot].task_kind, CallRef{slot, calls_[slot].serial});
}

void ControlRoom::on_backlog_arrival(std::size_t d) {
    acting_ = {Acting::Kind::backlog_arrivals, Acting::none, Acting::none, static_cast<std::int64_t>(d)};
    const double next = backlog_arrivals_[d].next();
    if (next < spec_.horizon_s) sim_.schedule_on_lane(backlog_lanes_[d], next, [this, d] { on_backlog_arrival(d); });
    new_backlog_item(d);
}

void ControlRoom::new_backlog_item(std::size_t d) {
    const std::uint32_t slot = acquire_slot();
    Call& item = calls_[slot];
    item.cls = ClassIndex{static_cast<std::uint32_t>(d)};
    item.home = RoomIndex{0};
    item.arrival = item.task_since = sim_.now();
    item.attempt = 1;
    item.mark = recorder_.deferrable_arrived(static_cast<std::uint32_t>(d), item.arrival);
    item.overflowed = false;
    item.handle = spec_.deferrables[d].handle_time.sample(backlog_streams_[d].work);
    item.wrap = item.connection = 0;
    item.patience = never;
    item.patience_timer = item.overflow_timer = sim::EventHandle{};
    item.is_task = true;
    item.task_kind = CallbackKind::backlog;
    item.tries = 0;
    queue_task(slot);
}

bool ControlRoom::may_take(const Person& p, const CallbackDesk::List& list, std::size_t idle_in_group) const {
    if (list.kind == CallbackKind::backlog)  // a group's reserve is kept idle for its calls, as for other classes
        return spec_.deferrables[list.cls].groups[p.group] &&
               idle_in_group > static_cast<std::size_t>(spec_.groups[p.group].reserve);
    return policy_.takes(p.group, list.cls) && !policy_.reserve_blocks(p.group, list.cls, idle_in_group);
}

void ControlRoom::on_task_retry(CallRef ref) {
    acting_ = {Acting::Kind::call, ref.slot, Acting::none, 0};
    queue_task(ref.slot);
}

bool ControlRoom::take_task(std::uint32_t person, CallQueue* live) {
    const Person& p = people_[person];
    const int live_priority =
        live != nullptr ? spec_.classes[calls_[live->front(is_waiting_call())->slot].cls].priority : below_live_calls;
    const std::size_t idle_count = idle(p).size() + 1;  // counting this person
    const auto allowed = [&](const CallbackDesk::List& list) { return may_take(p, list, idle_count); };
    while (CallbackDesk::List* list = desk_.next_for(live != nullptr, live_priority, is_waiting_call(), allowed)) {
        const std::uint32_t slot = list->tasks.front(is_waiting_call())->slot;
        desk_.pop_front(*list);
        if (drop_if_expired(slot)) continue;
        start_task(slot, person);
        return true;
    }
    return false;
}

void ControlRoom::start_task(std::uint32_t slot, std::uint32_t person) {
    Person& p = take_up(slot, person);

    Call& c = calls_[slot];
    const double now = sim_.now();
    if (c.task_kind == CallbackKind::backlog) {
        recorder_.deferrable_started(c.mark, c.cls, now - c.task_since);
        staff_change(p, 0, 0, +1);  // busy, but not a call handled
        const double busy_for = c.handle;
        release_call(slot);
        sim_.schedule_in(
            busy_for, [this, person] { on_work_done(person); }, release_priority);
        return;
    }
    const CallbackAttempts& attempts = desk_.attempts(c.cls, c.task_kind);
    const bool abandoned_kind = c.task_kind == CallbackKind::abandoned;
    sim::Engine& draws = callback_streams_[c.cls];
    ++c.tries;
    const bool reached = attempts.reach >= 1 || boost::random::uniform_01<double>()(draws) < attempts.reach;
    recorder_.callback_attempt(c.mark, c.cls, abandoned_kind, reached, now - c.task_since);
    double busy_for = 0;
    if (reached) {
        // The same caller with the same needs: the call's own handle and wrap-up times.
        const double inflation = timeline_.varies_handle_time() ? timeline_.handle_factor(now, p.cohort) : 1.0;
        busy_for = policy_.busy_s(p.group, c.cls, c.handle, c.wrap, inflation);
        recorder_.call_taken(p.cell, now);
        release_call(slot);
    } else {
        busy_for = attempts.failed_attempt.sample(draws);
        staff_change(p, 0, 0, +1);
        if (static_cast<int>(c.tries) < attempts.max_attempts) {
            const CallRef again{slot, c.serial};
            sim_.schedule_in(busy_for + attempts.retry_after.sample(draws), [this, again] { on_task_retry(again); });
        } else {
            recorder_.callback_dropped(c.mark, c.cls, abandoned_kind);
            release_call(slot);
        }
    }
    sim_.schedule_in(
        busy_for, [this, person] { on_work_done(person); }, release_priority);
}

void ControlRoom::answer(std::uint32_t slot, std::uint32_t person) {
    if (is_chat(calls_[slot].cls)) return answer_chat(slot, person);
    const Person& p = take_up(slot, person);
    recorder_.call_taken(p.cell, sim_.now());
    const double busy_for = connect(slot, p, person, 1.0);
    sim_.schedule_in(
        busy_for, [this, person] { on_work_done(person); }, release_priority);
}

double ControlRoom::connect(std::uint32_t slot, const Person& p, std::uint32_t person, double slowdown) {
    Call& c = calls_[slot];
    sim_.cancel(c.patience_timer);
    if (n_rooms_ > 1) sim_.cancel(c.overflow_timer);
    const double now = sim_.now();
    const double inflation = timeline_.varies_handle_time() ? timeline_.handle_factor(now, p.cohort) : 1.0;
    const double busy_for = policy_.busy_s(p.group, c.cls, c.handle * slowdown, c.wrap, inflation);
    // The queue time is taken from the moment of answer, so a call answered on arrival
    // waited exactly zero, not a rounding residue of two large clock values.
    const double queued = now == c.arrival ? 0.0 : now - c.arrival;
    const double wait = c.connection + queued;
    recorder_.answered(c.mark, c.cls, queued, wait, [&] {
        CallRecord r;
        r.outcome = CallRecord::Outcome::answered;
        r.cls = c.cls;
        r.attempt = c.attempt;
        r.home_room = c.home;
        r.measured = c.mark.measured;
        r.arrival_s = c.arrival;
        r.wait_s = wait;
        r.handle_s = busy_for;
        r.wrap_s = c.wrap;
        r.room = p.room;
        r.group = p.group;
        r.position = person;
        return r;
    });
    if (trunks_.active()) {
        const RoomIndex home = c.home;
        const ClassIndex cls = c.cls;
        sim_.schedule_in(
            busy_for - c.wrap, [this, home, cls] { trunks_.release(home, cls); }, release_priority);
    }
    release_call(slot);
    return busy_for;
}

// ---------------------------------------------------------------------------------------------
// People

void ControlRoom::on_day(std::int64_t day) {
    acting_ = {Acting::Kind::day, Acting::none, Acting::none, day};
    const double midnight = static_cast<double>(day) * seconds_per_day;
    staffing_noise_.new_day();
    for (std::size_t i = 0; i < spec_.shifts.size(); ++i)
        if (const auto shift = calendar_.on_day(i, day))
            sim_.schedule_at(
                shift->start_s, [this, i, day] { start_shift(*calendar_.on_day(i, day)); }, release_priority);
    sim_.schedule_at(
        midnight + seconds_per_day, [this, day] { on_day(day + 1); }, release_priority);
}

void ControlRoom::start_shift(const ShiftInstance& shift) {
    acting_ = {Acting::Kind::shift, Acting::none, Acting::none, static_cast<std::int64_t>(shift.line)};
    const ShiftSpec& s = spec_.shifts[shift.line];
    const double now = sim_.now();
    const double p = timeline_.presence(s, now);
    const int turned_up = staffing_noise_.people(s.headcount);
    int present = turned_up;
    if (p < 1.0) present = p > 0.0 ? boost::random::binomial_distribution<int>(turned_up, p)(absence_[shift.line]) : 0;
    if (s.overtime)
        present = line_overtime_[shift.line].allow(shift.week, present, (shift.end_s - now) / seconds_per_hour);
    start_people(s, static_cast<int>(shift.line), RoomIndex{shift.room}, present, shift.nominal_start_s, shift.end_s);
}

void ControlRoom::start_people(const ShiftSpec& line, int line_index, RoomIndex room, int count, double nominal_start,
                               double end) {
    if (count <= 0) return;
    const double now = sim_.now();
    const GroupIndex group{line.group};
    // Someone whose shift of this same line ends now carries on into this one: with 24-hour
    // shifts every day, say, nobody is handed over at midnight and the room never holds two
    // shifts' people at once. (Shift starts run before shift ends at the same instant.)
    int j = 0;
    if (line_index >= 0 && !line.overtime) {
        for (std::uint32_t q = 0; q < people_.size() && j < count; ++q) {
            const Person& p = people_[q];
            if (p.on_duty && !p.shift_over && p.line == line_index && p.shift_end == now && p.room == room) {
                sim_.cancel(p.end_event);
                plan_shift(q, line, j++, count, nominal_start, end);
            }
        }
    }
    if (line.overtime) {
        // Overtime is counted as rostered: from now to the shift's end, whoever finishes a call later.
        recorder_.staff_change(cell(room, group), now, 0, 0, 0, +count);
        sim_.schedule_at(
            end, [this, at = cell(room, group), count] { recorder_.staff_change(at, sim_.now(), 0, 0, 0, -count); },
            release_priority);
    }
    for (; j < count; ++j) {
        std::uint32_t person;
        if (free_people_.empty()) {
            person = static_cast<std::uint32_t>(people_.size());
            people_.emplace_back();
            idle_links_.emplace_back();
            if (chats_) chatting_links_.emplace_back();
        } else {
            person = free_people_.back();
            free_people_.pop_back();
        }
        Person& p = people_[person];
        p.group = group;
        p.room = room;
        p.cell = cell(room, group);
        p.activity = Activity::idle;
        p.cohort = line.cohort;
        p.line = line_index;
        p.on_duty = true;
        p.shift_over = false;
        p.break_owed_s = 0;
        staff_change(p, +1, +1, 0);
        plan_shift(person, line, j, count, nominal_start, end);
        seek_work(person);
    }
}

void ControlRoom::plan_shift(std::uint32_t person, const ShiftSpec& line, int index, int count, double nominal_start,
                             double end) {
    Person& p = people_[person];
    const std::uint32_t serial = p.serial;
    const double now = sim_.now();
    for (const BreakSpec& b : line.breaks) {
        // Breaks are staggered evenly over their spread so the room is never emptied at once.
        const double at = RosterCalendar::break_due_s(b, nominal_start, index, count);
        if (at >= now && at < end)
            sim_.schedule_at(at, [this, person, serial, len = b.length_s] { on_break_due(person, serial, len); });
    }
    p.shift_end = end;
    p.end_event = std::isfinite(end) ? sim_.schedule_at(end, [this, person, serial] { on_shift_end(person, serial); })
                                     : sim::EventHandle{};
}

void ControlRoom::on_queue_change(RoomIndex room, ClassIndex cls) {
    const auto& watching = call_ins_watching_[room * n_classes_ + cls];
    if (watching.empty()) return;
    const std::size_t length = queue(room, cls).size();
    for (const std::size_t i : watching) {
        const CallInSpec& rule = spec_.call_ins[i];
        sim::EventHandle& timer = call_in_timers_[i];
        if (length > rule.queue_above && !sim_.is_pending(timer))
            timer = sim_.schedule_in(rule.sustained_s, [this, i] { on_call_in_due(i); });
        else if (length <= rule.queue_above)
            sim_.cancel(timer);
    }
}

void ControlRoom::on_call_in_due(std::size_t i) {
    acting_ = {Acting::Kind::call_in, Acting::none, Acting::none, static_cast<std::int64_t>(i)};
    // The queue has stayed long since the timer was set (it is cancelled when the queue shrinks).
    const CallInSpec& rule = spec_.call_ins[i];
    const int week = Timeline::week_of(sim_.now());
    if (week >= rule.from_week && week <= rule.to_week) {
        ShiftSpec line;
        line.group = rule.group;
        line.room = rule.room;
        line.overtime = true;
        const int people = call_in_overtime_[i].allow(week, rule.people, rule.length_s / seconds_per_hour);
        start_people(line, -1, RoomIndex{rule.room}, people, sim_.now(), sim_.now() + rule.length_s);
    }
    call_in_timers_[i] = sim::EventHandle{};
    if (queue(RoomIndex{rule.room}, ClassIndex{rule.cls}).size() > rule.queue_above)
        call_in_timers_[i] = sim_.schedule_in(rule.sustained_s, [this, i] { on_call_in_due(i); });
}

void ControlRoom::seek_work(std::uint32_t person) {
    Person& p = people_[person];
    // Outside route_new_call every call in the system waits in a queue, a call-back list or a
    // call-back's retry delay: with none, nothing to look at.
    if (calls_in_system_ > 0) {
        CallQueue* best = oldest_call_for(p);
        if (desk_.waiting() > 0 && take_task(person, best)) return;
        if (best != nullptr) {
            const std::uint32_t slot = best->front(is_waiting_call())->slot;
            best->pop_front();
            const Call& c = calls_[slot];
            on_queue_change(c.home, c.cls);
            answer(slot, person);
            return;
        }
    }
    p.activity = Activity::idle;
    idle(p).push_back(idle_links_, person);
}

CallQueue* ControlRoom::oldest_call_for(const Person& p) {
    // Counting this person, who is about to be idle, for the reserve rule.
    const std::size_t idle_count = idle(p).size() + 1;
    for (const auto& level : policy_.levels_taken_by(p.group)) {
        // The oldest eligible call of this priority level: any call in this room's queues, and
        // calls in other rooms' queues that have waited long enough to overflow. A queue's calls
        // overflow in arrival order, so only each queue's front needs looking at.
        CallQueue* best = nullptr;
        double best_place = 0;
        for (const std::size_t k : level) {
            if (policy_.reserve_blocks(p.group, k, idle_count)) continue;
            for (RoomIndex r{0}; r < n_rooms_; ++r) {
                CallQueue& q = queue(r, ClassIndex{k});
                if (q.size() == 0) continue;
                const CallRef* front = q.front(is_waiting_call());
                if (front == nullptr) continue;
                const Call& c = calls_[front->slot];
                if (r != p.room && !c.overflowed) continue;  // overflowed: policy_.overflows(k) let it
                // Ordered by arrival less the class's head start (the same for all its calls, so a
                // queue's front stays its first in that order).
                const double place = c.arrival - spec_.classes[k].head_start_s;
                if (best == nullptr || place < best_place) {
                    best = &q;
                    best_place = place;
                }
            }
        }
        if (best != nullptr) return best;
    }
    return nullptr;
}

void ControlRoom::on_work_done(std::uint32_t person) {
    acting_ = {Acting::Kind::person, Acting::none, person, 0};
    Person& p = people_[person];
    staff_change(p, 0, 0, -1);
    p.activity = Activity::idle;
    if (p.shift_over) {
        leave(person);
    } else if (p.break_owed_s > 0) {
        const double owed = p.break_owed_s;
        p.break_owed_s = 0;
        start_break(person, owed);
    } else {
        seek_work(person);
    }
}

void ControlRoom::on_break_due(std::uint32_t person, std::uint32_t serial, double length_s) {
    acting_ = {Acting::Kind::person, Acting::none, person, 0};
    Person& p = people_[person];
    if (p.serial != serial) return;
    switch (p.activity) {
        case Activity::idle:
            idle(p).remove(idle_links_, person);
            start_break(person, length_s);
            break;
        case Activity::busy:
            p.break_owed_s += length_s;
            if (p.chats > 0) stop_taking_chats(person);
            break;
        case Activity::on_break:
            break;  // breaks do not stack
    }
}

void ControlRoom::start_break(std::uint32_t person, double length_s) {
    Person& p = people_[person];
    p.activity = Activity::on_break;
    staff_change(p, 0, -1, 0);
    sim_.schedule_in(
        length_s, [this, person] { on_break_end(person); }, release_priority);
}

void ControlRoom::on_break_end(std::uint32_t person) {
    acting_ = {Acting::Kind::person, Acting::none, person, 0};
    Person& p = people_[person];
    staff_change(p, 0, +1, 0);
    p.activity = Activity::idle;
    if (p.shift_over)
        leave(person);
    else
        seek_work(person);
}

void ControlRoom::on_shift_end(std::uint32_t person, std::uint32_t serial) {
    acting_ = {Acting::Kind::person, Acting::none, person, 0};
    Person& p = people_[person];
    if (p.serial != serial) return;
    p.shift_over = true;
    if (p.activity == Activity::idle) {
        idle(p).remove(idle_links_, person);
        leave(person);
    } else if (p.chats > 0) {
        stop_taking_chats(person);
    }
}

void ControlRoom::leave(std::uint32_t person) {
    Person& p = people_[person];
    staff_change(p, -1, -1, 0);
    p.on_duty = false;
    ++p.serial;
    free_people_.push_back(person);
}

}  // namespace crsim::model
