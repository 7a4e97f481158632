#pragma once
/// \file
/// A validated scenario as plain data: what the YAML loader produces and the model consumes.
///
/// Every time is in seconds, every index refers to a position in ScenarioSpec's vectors, and every
/// invariant listed here has been checked by the loader, so the model trusts it.
///
/// It belongs to the model, not to the YAML library that fills it: it is the model's input, and
/// the loader is only one of its producers (the staffing search and `--set` edit specs, tests
/// build them in code). So `crsim::scenario` depends on `crsim::model`, never the reverse.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crsim/model/callback_spec.hpp"
#include "crsim/model/chat_spec.hpp"
#include "crsim/model/demand_spec.hpp"
#include "crsim/model/handle_by_hour.hpp"
#include "crsim/sim/distribution.hpp"

namespace crsim::model {

constexpr double seconds_per_hour = 3600.0;
constexpr double seconds_per_day = 24 * seconds_per_hour;
constexpr double seconds_per_week = 7 * seconds_per_day;
constexpr double never = std::numeric_limits<double>::infinity();

/// One answer-time target of a call class.
struct TargetSpec {
    enum class Metric {
        service_level,  ///< share of offered calls answered within threshold_s; goal is a minimum (0–1)
        abandoned_pct,  ///< percent of offered calls abandoned; goal is a maximum (0–100)
        asa,            ///< average speed of answer in seconds; goal is a maximum
        wait_quantile,  ///< the q-quantile of the answer time of answered calls in seconds; goal is a maximum
    };
    /// Over which buckets the goal must hold (target_periods.hpp): the whole window, or each hour of
    /// the day, hour of the week, day or week in it, each bucket's figure pooled over the window.
    enum class Period { window, hour_of_day, hour_of_week, day, week };
    Metric metric = Metric::service_level;
    double threshold_s = 0;                               ///< service_level only
    double q = std::numeric_limits<double>::quiet_NaN();  ///< wait_quantile only (0–1)
    double goal = 0;
    Period by = Period::window;
    /// A chance target (0–1; NaN: none): the expected share of the buckets that meet the goal, over
    /// replications, must be at least this. Only with `by` other than the window.
    double periods_met = std::numeric_limits<double>::quiet_NaN();
};

/// Non-homogeneous Poisson arrivals with a weekly shape.
struct ArrivalSpec {
    double per_week = 0;  ///< mean attempts per week (> 0)
    /// Relative weight of each interval of the week from Monday 00:00, each interval_s long;
    /// profile.size() * interval_s == one week, weights >= 0 with a positive sum.
    std::vector<double> profile = std::vector<double>(168, 1.0);
    double interval_s = seconds_per_hour;
    /// Coefficient of variation of a gamma(mean 1) multiplier drawn for each day; 0 = pure Poisson.
    double daily_cv = 0;
    /// When not empty, calls arrive at exactly these times (ascending) instead (a replayed trace);
    /// per_week, profile and daily_cv are then unused.
    std::vector<double> times_s;
    /// Multiplies the rate in week w + 1 of the run (`crsim scrutiny` scales each week to the demand
    /// reported for it); weeks beyond the end, and every week when empty, keep factor 1.
    std::vector<double> week_factors;
};

/// Callers who abandon and ring again.
struct RedialSpec {
    double share = 0;  ///< chance that a caller who abandoned rings again (0–1)
    sim::Distribution delay = sim::Distribution::deterministic(0);  ///< from hanging up to ringing again
    int max_attempts = 1;  ///< attempts a caller makes at most, the first included (1: never rings again)
};

/// A kind of call: 999, 101, or any other the scenario defines.
struct ClassSpec {
    std::string name;
    int priority = 0;  ///< non-preemptive; a lower number is served first
    ArrivalSpec arrivals;
    sim::Distribution handle_time = sim::Distribution::deterministic(0);  ///< talk time of a factor-1 handler
    HandleByHour handle_by_hour;  ///< multiplies handle_time by the hour of day the call arrives in
    /// Calls of this class take their place among the waiting calls of the same priority as if they
    /// had arrived this much earlier (a priority customer's credit of waiting); 0: by arrival.
    double head_start_s = 0;
    sim::Distribution wrap_up = sim::Distribution::deterministic(0);  ///< after-call work
    /// Wait after which the caller hangs up; none: callers never abandon (as in Erlang C).
    std::optional<sim::Distribution> patience;
    sim::Distribution connection = sim::Distribution::deterministic(0);  ///< added to every measured answer time
    std::vector<double> room_shares;  ///< per room, summing to 1: chance that a call's home room is that room
    double overflow_after_s = never;  ///< wait after which other rooms' staff may answer it (0: at once)
    std::vector<TargetSpec> targets;
    /// Service-level thresholds reported for this class: those of its targets, ascending, distinct.
    std::vector<double> thresholds_s;
    /// Groups that take this class, most preferred first (for a call arriving while several are idle).
    std::vector<std::size_t> group_preference;
    RedialSpec redial;
    /// Most calls of this class in the system at once (waiting or talking), over all rooms; an
    /// arrival finding that many is blocked (trunk_caps.hpp). None: no limit.
    std::optional<int> trunks;
    std::optional<CallbackOfferSpec> callback;                ///< a virtual queue (callback_spec.hpp)
    std::optional<AbandonedCallbackSpec> abandoned_callback;  ///< call-backs of abandoned calls
    std::optional<ChatSpec> chat;  ///< web chat: several held at once by one person (chat_spec.hpp)
};

/// Deferrable work (online reports, e-mails): items arriving with their own volume and handle time,
/// kept in a backlog that the groups taking it work on only when no live call waits that the person
/// may take (model/callback_desk.hpp), with a response-time target.
struct DeferrableSpec {
    std::string name;
    ArrivalSpec arrivals;
    sim::Distribution handle_time = sim::Distribution::deterministic(0);  ///< work time of one item
    std::vector<bool> groups;                                             ///< per group: works on this backlog
    int order = below_live_calls;    ///< among call-back lists (their class's priority) and backlogs, lower first
    double target_within_s = never;  ///< response-time target: a share `target_goal` started within this
    double target_goal = 0;
};

/// A kind of staff with the same skills and costs: call handlers, restricted-duty officers, 101 staff.
struct GroupSpec {
    std::string name;
    std::vector<bool> takes;            ///< per class: may answer it
    std::vector<double> handle_factor;  ///< per class: multiplies the class's handle time (> 0)
    double cost_per_hour = 0;
    double overtime_premium = 0;          ///< overtime hours cost cost_per_hour * (1 + overtime_premium)
    double absence = 0;                   ///< share of rostered people missing, drawn per shift (0 ≤ absence < 1)
    double contract_hours_per_week = 37;  ///< paid hours a week of one full-time person: divides hours into FTE
    /// Keep `reserve` people idle for the classes marked in reserved_for: a person of this group
    /// takes a call of any other class only while more than `reserve` of the group in the room are idle.
    int reserve = 0;
    std::vector<bool> reserved_for;  ///< per class
};

/// A break within a shift. Person i of n starts it at after_s + spread_s * i / n into the shift,
/// or as soon as the call in hand is finished.
struct BreakSpec {
    double after_s = 0;
    double length_s = 0;
    double spread_s = 0;
};

/// A roster line: `headcount` people of one group in one room work this shift on the marked days.
struct ShiftSpec {
    std::size_t room = 0;
    std::size_t group = 0;
    std::array<bool, 7> days{true, true, true, true, true, true, true};  ///< Monday first
    double start_s = 0;   ///< time of day the shift starts (may run past midnight)
    double length_s = 0;  ///< > 0; `never` (infinite): on duty from t = 0 for the whole run, days and weeks unused
    int headcount = 0;
    std::vector<BreakSpec> breaks;
    int from_week = 1;                              ///< first week (from 1) the line applies
    int to_week = std::numeric_limits<int>::max();  ///< last week it applies
    bool overtime = false;                          ///< paid at the group's overtime rate
    double weekly_cap_hours = never;                ///< overtime lines: person-hours this line may add per week
    int cohort = -1;                                ///< index of the training cohort these people belong to, or -1
};

/// From the start of `week`, the calls and roster lines of `rooms` go to room `into` (rooms merge).
/// People already on duty finish their shift where they are.
struct RoomMergeSpec {
    std::size_t into = 0;
    std::vector<std::size_t> rooms;
    int week = 1;
};

/// Handle times inflated after a change (unfamiliar systems and geography): from the start of
/// `week`, every handle time is multiplied by 1 + inflation * (1 - weeks since / decay_weeks),
/// a straight line falling to 1 after `decay_weeks`.
struct TransitionSpec {
    int week = 1;
    double handle_inflation = 0;
    double decay_weeks = 1;
};

/// A temporary cut in the people present (e.g. during a move): each rostered person of the
/// marked groups turns up with probability `headcount_factor` (on top of absence) in weeks
/// from_week–to_week.
struct DisruptionSpec {
    std::vector<bool> groups;  ///< per group
    int from_week = 1, to_week = 1;
    double headcount_factor = 1;
};

/// Staff leaving for good: from from_week to to_week a share weekly_loss of the marked groups'
/// rostered people leave each week, and they are not replaced afterwards.
struct AttritionSpec {
    std::vector<bool> groups;  ///< per group
    int from_week = 1;
    int to_week = std::numeric_limits<int>::max();
    double weekly_loss = 0;
};

/// Reactive overtime: when the queue of class `cls` in `room` has stayed above `queue_above`
/// calls for `sustained_s`, `people` of `group` are called in for `length_s`, within a weekly cap
/// of person-hours; while the queue stays long, the next call-in can follow `sustained_s` later.
struct CallInSpec {
    std::size_t cls = 0, room = 0, group = 0;
    int from_week = 1;
    int to_week = std::numeric_limits<int>::max();
    std::size_t queue_above = 0;
    double sustained_s = 0;
    int people = 1;
    double length_s = 0;
    double weekly_cap_hours = never;
};

/// A training cohort: the roster lines marked with its index are not on duty before
/// `start_week`; during the course (course_weeks long) each person is present with probability
/// `available_during_course`; afterwards fully, their handle times multiplied by a learning factor
/// that falls in a straight line from `initial_factor` to 1 over `learning_weeks`.
struct CohortSpec {
    std::string name;
    int start_week = 1;
    double course_weeks = 0;
    double available_during_course = 0;
    double initial_factor = 1;
    double learning_weeks = 0;
};

/// Where a roster line was written, for tools that write a scenario back (`crsim staff` writes
/// staffed.yaml with the lines it changed).
struct RosterLineSource {
    std::string block;      ///< "" for the `roster` list, else the name of its `rosters` block
    std::size_t index = 0;  ///< position in that list
    /// Each key and its value as YAML flow text, in the order written, `headcount` left out.
    std::vector<std::pair<std::string, std::string>> fields;

    /// The flow text of `key`, or `fallback` when the line does not give it.
    std::string field(const std::string& key, const std::string& fallback = "") const {
        for (const auto& [k, v] : fields)
            if (k == key) return v;
        return fallback;
    }
};

/// A roster line whose headcount `crsim staff` chooses.
struct StaffingDecision {
    std::size_t line = 0;  ///< index into shifts, or shifts.size() + i for staffing candidate i
    int min = 0;           ///< least headcount
    int max = 0;           ///< most headcount (>= min)
};

/// The `staffing:` block: what `crsim staff` may change and how sure its answer must be.
struct StaffingSpec {
    std::vector<ShiftSpec> candidates;                ///< extra lines the search may open, headcount 0
    std::vector<RosterLineSource> candidate_sources;  ///< per candidate
    std::vector<StaffingDecision> decisions;          ///< in line order, each line once
    double confidence = 0.95;                         ///< one-sided confidence with which every target must be met
    bool every_week = false;  ///< every target must hold in every week of the window, not only overall
};

/// How sure a verdict on the targets must be: each target's figure, over the replications, bounded
/// at this confidence (model/verdict.hpp says how). `crsim staff` searches under it, and
/// `crsim run` judges a scenario's `verified:` block under it.
struct VerdictCriterion {
    double confidence = 0.95;  ///< of the bound on each target's figure
    bool two_sided = false;    ///< the bound of a two-sided interval at that confidence, not a one-sided one
    bool every_week = false;   ///< each target must also hold in every week of the window
};

/// The `verified:` block `crsim staff` writes into staffed.yaml: the criterion its answer was
/// verified with, on which calls, with which seed and replications.
struct VerifiedSpec {
    VerdictCriterion criterion;
    double from_s = 0;  ///< the verified window: calls arriving in [from_s, to_s)
    double to_s = 0;
    std::uint64_t seed = 1;        ///< of the verification
    std::size_t replications = 2;  ///< of the verification
};

/// A control room with its own staff.
struct RoomSpec {
    std::string name;
    /// Most calls whose home is this room in the system at once (waiting or talking); an arrival
    /// finding that many is blocked (trunk_caps.hpp). None: no limit.
    std::optional<int> trunks = std::nullopt;
};

/// A reporting window: the whole-run figures count the calls that arrive in [from_s, to_s) and
/// the staff time within it. It is given in whole weeks or days, counted from 1 like everywhere else.
struct ReportWindow {
    enum class Unit { week, day };
    Unit unit = Unit::week;
    int from = 1;       ///< first week (day) of the window
    int to = 1;         ///< last week (day), inclusive
    double from_s = 0;  ///< (from − 1) weeks (days), but never before the warm-up
    double to_s = 0;    ///< `to` weeks (days)
};

/// A window named in the scenario (`windows:`), selected with `--window NAME`.
struct NamedWindow {
    std::string name;
    ReportWindow window;
};

/// A whole scenario.
struct ScenarioSpec {
    std::string name;
    std::string description;             ///< the scenario's `description`, or empty
    std::string currency;                ///< the unit of every cost (`currency`), or empty: plain numbers
    std::string source_file;             ///< the top-level YAML file
    std::string sha256;                  ///< of the top-level file's bytes (and those it extends), hex
    int start_weekday = 0;               ///< weekday of t = 0: 0 Monday … 6 Sunday
    std::optional<long long> start_day;  ///< start_date as days since 1970-01-01, when given
    double horizon_s = 0;                ///< calls arriving before this are simulated
    double warmup_s = 0;                 ///< calls arriving before this are left out of the results
    std::size_t replications = 10;
    std::uint64_t seed = 1;
    std::vector<ClassSpec> classes;
    std::vector<DeferrableSpec> deferrables;  ///< backlogs of deferrable work, in file order
    std::vector<GroupSpec> groups;
    std::vector<RoomSpec> rooms;
    std::vector<ShiftSpec> shifts;
    // The timeline: changes over simulated time (scenarios/README.md).
    std::vector<RoomMergeSpec> merges;
    std::vector<TransitionSpec> transitions;
    std::vector<DisruptionSpec> disruptions;
    std::vector<AttritionSpec> attritions;
    std::vector<CallInSpec> call_ins;
    std::vector<CohortSpec> cohorts;
    DemandSpec demand;                 ///< triage, channel shift and surges (demand_spec.hpp)
    std::vector<NamedWindow> windows;  ///< the scenario's named reporting windows, in file order
    /// The reporting window selected for this run (`--window`); none: the whole run [warm-up, horizon).
    std::optional<ReportWindow> window;
    std::vector<RosterLineSource> shift_sources;  ///< per shift: where its line was written
    std::optional<StaffingSpec> staffing;         ///< the `staffing:` block, if given
    std::optional<VerifiedSpec> verified;         ///< the `verified:` block, if given
    /// cv of a gamma factor drawn per day that multiplies every shift's headcount that day
    /// (`staffing_daily_cv`; 0: no day-to-day spread).
    double staffing_daily_cv = 0;
    /// The mean of that factor (`staffing_daily_mean`; 1 with the cv 0: the roster exactly, as
    /// rostered). `crsim fit` sets it so that the spread keeps the abandonment the reconstructed
    /// roster reproduces (fit/staffing_noise_fit.hpp).
    double staffing_daily_mean = 1;
};

}  // namespace crsim::model
