#pragma once
// The control-room model: calls arriving, waiting, being answered or abandoned; people on shifts
// and breaks answering them by the routing rules. One object is one replication. What is measured
// is the recorder's business (recorder.hpp): the model only reports its events to it.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "arrival_process.hpp"
#include "call_queue.hpp"
#include "callback_desk.hpp"
#include "crsim/model/recording.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/roster_calendar.hpp"
#include "crsim/model/routing_policy.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/sim/random_stream.hpp"
#include "crsim/sim/simulator.hpp"
#include "demand_tally.hpp"
#include "front_end.hpp"
#include "idle_list.hpp"
#include "period_clock.hpp"
#include "recorder.hpp"
#include "staffing_noise.hpp"
#include "strong_index.hpp"
#include "surge_plan.hpp"
#include "timeline.hpp"
#include "trunk_caps.hpp"

namespace crsim::model {

/// One replication of a scenario. Construct, then run() once.
class ControlRoom {
public:
    /// `event_limit`: the run throws sim::EventLimitReached after that many events (a runaway).
    ControlRoom(const ScenarioSpec& spec, std::uint64_t seed, std::size_t replication,
                const RecordingOptions& recording = {},
                std::uint64_t event_limit = std::numeric_limits<std::uint64_t>::max());
    ControlRoom(const ControlRoom&) = delete;
    ControlRoom& operator=(const ControlRoom&) = delete;

    /// Simulates to the horizon, follows the calls still in the system until they are answered or
    /// abandoned, and returns the counts its recorder accumulated.
    ReplicationResult run();

private:
    // The handlers of the hot path are flattened (every call in them inlined); the rare paths they
    // call are marked noinline, so that their code does not crowd the common case's registers.

    // Same-time order: a person finishing work or coming on duty frees capacity before calls that
    // arrive at the same instant look for it, and abandonment is settled last.
    static constexpr int release_priority = -1;
    static constexpr int abandon_priority = 1;

    struct Call {
        std::uint32_t serial = 0;     // moves on when the slot is freed, so stale references are recognised
        std::uint32_t next_free = 0;  // while the slot is free: the next free one (free_call_)
        ClassIndex cls;
        RoomIndex home;
        std::uint32_t attempt = 1;  // 2 and more: the caller rings again after abandoning
        bool overflowed = false;    // other rooms' staff may answer it
        double arrival = 0, connection = 0, handle = 0, wrap = 0, patience = 0;
        Recorder::Mark mark;  // where the recorder counts this attempt
        sim::EventHandle patience_timer, overflow_timer;
        // A call-back task (callback_desk.hpp) rather than a live call: its kind, the attempts made
        // so far and when it was created (the caller accepted, or the call was abandoned).
        bool is_task = false;
        CallbackKind task_kind = CallbackKind::accepted;
        std::uint32_t tries = 0;
        double task_since = 0;
    };
    enum class Activity : std::uint8_t { idle, busy, on_break };
    struct Person {
        std::uint32_t serial = 0;
        GroupIndex group;
        RoomIndex room;
        std::uint32_t cell = 0;  // cell(room, group)
        Activity activity = Activity::idle;
        int cohort = -1;
        int line = -1;  // the roster line whose shift this is (-1: a call-in)
        bool on_duty = false;
        bool shift_over = false;  // leaves as soon as the call in hand or the break is finished
        double break_owed_s = 0;  // a break that fell due while busy, taken after the call
        int chats = 0;            // web chats in hand (control_room_chats.cpp)
        double shift_end = 0;
        sim::EventHandle end_event;
    };
    struct ClassStreams {
        sim::Engine gaps, days, room, handle, wrap, patience, connection, redial;
    };

    // Calls.
    [[gnu::flatten]] void on_arrival(ClassIndex cls);  // flattened, as answer
    /// on_arrival in a scenario with demand keys: arrivals follow the surges, and go to on_demand.
    void on_demand_arrival(ClassIndex cls);
    /// A caller's demand of class `cls` arrives in a scenario with demand keys: counted, then
    /// shifted, triaged and queued as the front end decides.
    void on_demand(ClassIndex cls);
    /// A new call of class `cls`, its attributes drawn from the streams of class `drawn_as` (its
    /// class before any shift or menu, so that other callers' draws stay as they were).
    std::uint32_t new_call(ClassIndex cls, ClassIndex drawn_as);
    std::uint32_t new_call(ClassIndex cls) { return new_call(cls, cls); }
    /// A free slot of the call pool, counted in the system.
    [[gnu::always_inline]] std::uint32_t acquire_slot();
    [[gnu::flatten]] void route_new_call(std::uint32_t slot);  // flattened, as answer
    /// The new attempt in `slot` found every line of its room or class in use: counted and gone.
    [[gnu::noinline]] void block(std::uint32_t slot);
    /// The per-call log's record of call `c`, not answered (blocked or abandoned): where and when.
    static CallRecord unanswered_record(const Call& c, CallRecord::Outcome outcome);
    bool answer_by_idle(std::uint32_t slot, RoomIndex room);
    void on_overflow(CallRef ref);
    void on_abandon(CallRef ref);
    void on_redial(CallRef ref);
    /// Person `person` answers the call in `slot`. Flattened (connect and the recorder's counts
    /// inlined): four of five calls are answered on arrival, so this is the hot path of the model.
    [[gnu::flatten]] void answer(std::uint32_t slot, std::uint32_t person);
    /// Person `p` (slot `person`) connects to the call in `slot`, its handle time times `slowdown`:
    /// recorded, its trunk released after the talk, the slot freed; returns how long `p` is busy.
    double connect(std::uint32_t slot, const Person& p, std::uint32_t person, double slowdown);
    /// Person `person` leaves the idle list (if on it) to work on the call or task in `slot`.
    [[gnu::always_inline]] Person& take_up(std::uint32_t slot, std::uint32_t person);
    [[gnu::always_inline]] void release_call(std::uint32_t slot);
    // Web chat (control_room_chats.cpp): a person holds up to a chat class's `at_once` chats.
    bool is_chat(ClassIndex cls) const { return chats_ && spec_.classes[cls].chat; }
    /// A person of the home room's groups who holds chats and may take one more answers the chat
    /// in `slot`; true when one did.
    [[gnu::noinline]] bool answer_by_chatting(std::uint32_t slot, RoomIndex room);
    /// Person `person` (idle or holding chats) takes the chat in `slot`, then any others waiting.
    [[gnu::noinline]] void answer_chat(std::uint32_t slot, std::uint32_t person);
    /// Person `person` takes waiting chats while they may hold more, then lists themselves as able to.
    void fill_chats(std::uint32_t person);
    /// The queue whose front chat `p`, holding chats, should take next (nullptr: none).
    CallQueue* oldest_chat_for(const Person& p);
    void on_chat_done(std::uint32_t person);
    /// Person `person` stops taking more chats (a break due, the shift over).
    void stop_taking_chats(std::uint32_t person);

    // Call-backs (callback_desk.hpp).
    /// Offers a call-back to the caller in `slot`, who would wait; true when it accepted and left the line.
    [[gnu::noinline]] bool offer_callback(std::uint32_t slot);
    /// The call-back task of an abandoned call of class `cls` counted with `mark`.
    void create_abandoned_callback(ClassIndex cls, RoomIndex home, const Recorder::Mark& mark);
    /// The task in `slot` is rung back by an idle person who takes its class, or waits in its list.
    void queue_task(std::uint32_t slot);
    void on_task_retry(CallRef ref);
    /// An item of deferrable work arrives in backlog `d`.
    void on_backlog_arrival(std::size_t d);
    /// An item of deferrable work arrives in backlog `d` now (its own arrival, or demand shifted to it).
    void new_backlog_item(std::size_t d);
    /// May person `p` take the tasks of `list` now?
    bool may_take(const Person& p, const CallbackDesk::List& list, std::size_t idle_in_group) const;
    /// Person `person` takes a call-back task when one should go ahead of the live call `live` (or
    /// of none, when nullptr); true when they did.
    [[gnu::noinline]] bool take_task(std::uint32_t person, CallQueue* live);
    void start_task(std::uint32_t slot, std::uint32_t person);
    /// Drops the task in `slot` when its time limit has passed; true when it did.
    bool drop_if_expired(std::uint32_t slot);

    bool is_waiting(CallRef ref) const { return calls_[ref.slot].serial == ref.serial; }
    /// is_waiting as a callable, for CallQueue::front.
    auto is_waiting_call() const {
        return [this](CallRef ref) { return is_waiting(ref); };
    }

    // People.
    void on_day(std::int64_t day);
    void start_shift(const ShiftInstance& shift);
    /// Brings `count` people of `line`'s kind on duty now, in `room`, until `end`.
    void start_people(const ShiftSpec& line, int line_index, RoomIndex room, int count, double nominal_start,
                      double end);
    void plan_shift(std::uint32_t person, const ShiftSpec& line, int index, int count, double nominal_start,
                    double end);
    void on_queue_change(RoomIndex room, ClassIndex cls);
    void on_call_in_due(std::size_t call_in);
    /// Person `person`, free, answers the call the routing rules give them, or else becomes idle.
    void seek_work(std::uint32_t person);
    /// The queue whose front call `p` should answer next (nullptr: none they may take).
    CallQueue* oldest_call_for(const Person& p);
    [[gnu::flatten]] void on_work_done(std::uint32_t person);  // flattened, as answer
    void on_break_due(std::uint32_t person, std::uint32_t serial, double length_s);
    [[gnu::noinline]] void start_break(std::uint32_t person, double length_s);
    void on_break_end(std::uint32_t person);
    void on_shift_end(std::uint32_t person, std::uint32_t serial);
    [[gnu::noinline]] void leave(std::uint32_t person);

    CallQueue& queue(RoomIndex room, ClassIndex cls) { return queues_[room * n_classes_ + cls]; }
    /// The place of (room, group) in the tables kept per room and group: idle_, chatting_, the recorder's.
    std::uint32_t cell(RoomIndex room, GroupIndex group) const { return room * n_groups_ + group; }
    IdleList& idle(RoomIndex room, GroupIndex group) { return idle_[cell(room, group)]; }
    /// The idle list of person `p`'s room and group.
    IdleList& idle(const Person& p) { return idle_[p.cell]; }
    IdleList& chatting(const Person& p) { return chatting_[p.cell]; }
    /// Tells the recorder that person `p`'s counts change by these amounts at the current time.
    void staff_change(const Person& p, int paid, int available, int busy) {
        recorder_.staff_change(p.cell, sim_.now(), paid, available, busy);
    }

    /// What the event being handled concerns, set as each handler starts: an error thrown during
    /// the run names it, with the replication and the simulated time (as simmer names the process).
    struct Acting {
        enum class Kind : std::uint8_t { setup, arrivals, backlog_arrivals, call, person, answer, shift, call_in, day };
        static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
        Kind kind = Kind::setup;
        std::uint32_t call = none, person = none;  // slots
        std::int64_t index = 0;  // class (arrivals), backlog, roster line (shift), call-in rule or day
    };
    std::string describe(const Acting& acting) const;
    /// The message of an error `what` thrown by the event being handled.
    std::string describe_failure(const std::string& what) const;

    const ScenarioSpec& spec_;
    const std::size_t replication_;
    Acting acting_;
    const std::uint32_t n_classes_, n_groups_, n_rooms_;
    sim::Simulator sim_;
    PeriodClock clock_;
    Timeline timeline_;
    RosterCalendar calendar_;
    RoutingPolicy policy_;
    TrunkCaps trunks_;

    std::vector<ClassStreams> streams_;  // per class; never resized (arrivals_ refer into it)
    SurgePlan surges_;
    FrontEnd front_end_;
    DemandTally demand_;
    const bool demand_keys_;                           // the scenario has demand keys: arrivals go through on_demand
    std::vector<ArrivalProcess> arrivals_;             // per class
    std::vector<sim::Simulator::Lane> arrival_lanes_;  // per class: where its next arrival waits
    std::vector<sim::Engine> absence_;                 // per roster line
    StaffingNoise staffing_noise_;

    std::vector<Call> calls_;
    // The free slots of calls_, a list through the slots themselves (Call::next_free): cheaper to
    // push and pop than a vector of indices.
    static constexpr std::uint32_t no_call = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t free_call_ = no_call;
    std::size_t calls_in_system_ = 0;  // arrived and neither answered nor abandoned
    bool draining_ = false;            // past the horizon, waiting for the last calls to resolve

    std::vector<Person> people_;
    std::vector<IdleLinks> idle_links_;  // per person slot
    std::vector<std::uint32_t> free_people_;

    std::vector<CallQueue> queues_;  // [room][class]
    std::vector<IdleList> idle_;     // [room][group]

    const bool chats_;                       // some class is web chat
    std::vector<int> chat_limit_;            // per group: most chats at once over the chat classes it takes
    std::vector<IdleList> chatting_;         // [room][group]: people holding chats who may take one more
    std::vector<IdleLinks> chatting_links_;  // per person slot, when chats_

    CallbackDesk desk_;
    std::vector<sim::Engine> callback_streams_;  // per class, when some class has call-backs: offers, attempts
    std::vector<sim::Engine> callback_work_;     // per class, likewise: handle times of abandoned-call call-backs
    struct BacklogStreams {
        sim::Engine gaps, days, work;
    };
    std::vector<BacklogStreams> backlog_streams_;      // per backlog; never resized (backlog_arrivals_ refer into it)
    std::vector<ArrivalProcess> backlog_arrivals_;     // per backlog
    std::vector<sim::Simulator::Lane> backlog_lanes_;  // per backlog

    // Overtime caps of each roster line (used by overtime lines only) and each call-in rule.
    std::vector<OvertimeBudget> line_overtime_;
    std::vector<OvertimeBudget> call_in_overtime_;
    std::vector<sim::EventHandle> call_in_timers_;             // per call-in rule
    std::vector<std::vector<std::size_t>> call_ins_watching_;  // [room][class]: rules watching that queue

    Recorder recorder_;
};

// The small steps of every call, inlined into their callers (GCC keeps them out of line, having
// several callers): a call's entry and exit cost about as much as their bodies.

inline std::uint32_t ControlRoom::acquire_slot() {
    std::uint32_t slot = free_call_;
    if (slot == no_call) {
        slot = static_cast<std::uint32_t>(calls_.size());
        calls_.emplace_back();
    } else {
        free_call_ = calls_[slot].next_free;
    }
    ++calls_in_system_;
    return slot;
}

inline ControlRoom::Person& ControlRoom::take_up(std::uint32_t slot, std::uint32_t person) {
    acting_ = {Acting::Kind::answer, slot, person, 0};
    Person& p = people_[person];
    if (idle_links_[person].listed) idle(p).remove(idle_links_, person);
    p.activity = Activity::busy;
    return p;
}

inline void ControlRoom::release_call(std::uint32_t slot) {
    Call& c = calls_[slot];
    ++c.serial;
    c.next_free = free_call_;
    free_call_ = slot;
    --calls_in_system_;
    if (draining_ && calls_in_system_ == 0) sim_.stop();
}

}  // namespace crsim::model
