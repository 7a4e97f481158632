#pragma once
/// \file
/// The reported metrics and their summary across replications: what `crsim run` prints and writes.
///
/// Each metric is computed per replication from that replication's counts, then averaged over the
/// replications with a 95% Student-t half-width. A ratio whose denominator is zero in a replication
/// (no call offered, nobody on duty) is undefined there (NaN) and left out of that figure's mean, so
/// Figure::n may be smaller than the number of replications. The writers in report.hpp only format
/// a Summary; every number they print is computed here.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crsim/model/callback_figures.hpp"
#include "crsim/model/demand_figures.hpp"
#include "crsim/model/replication_result.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/workforce.hpp"

namespace crsim::model {

/// The level of every confidence interval reported.
constexpr double confidence_level = 0.95;

/// A metric's mean over the replications that define it, with its 95% Student-t half-width.
struct Figure {
    double mean = std::numeric_limits<double>::quiet_NaN();  ///< NaN when no replication defines it
    double ci95 = std::numeric_limits<double>::quiet_NaN();  ///< NaN when fewer than two define it
    std::size_t n = 0;                                       ///< replications that define it
};

/// Mean and 95% half-width of the defined (non-NaN) entries of `values`.
Figure make_figure(std::span<const double> values);

/// A figure times a constant (a cost of the window per week or per year): mean and half-width scaled.
inline Figure scaled(const Figure& f, double factor) {
    return Figure{f.mean * factor, std::fabs(factor) * f.ci95, f.n};
}

/// Helpers for the figure rows below: a ratio is undefined (NaN) when its denominator counted nothing.
namespace figure_math {
inline constexpr double undefined = std::numeric_limits<double>::quiet_NaN();
inline double ratio(double num, double den) { return den > 0 ? num / den : undefined; }
inline double as_double(std::uint64_t n) { return static_cast<double>(n); }
}  // namespace figure_math

/// Marks a figure row that holds one value per service-level threshold.
struct PerThreshold {};

// Every reported figure is declared once: a member of a *Figures struct below (with its meaning)
// and one row in the matching *_figure_rows function (its name in every output and how one
// replication computes it). The summary, every writer and the per-period series follow from that;
// a member without a row, or a row without a member, fails to compile (the static_asserts below).

/// Call figures computable from counts alone, hence also per period. V is double (one replication)
/// or Figure (the summary).
template <class V>
struct CallFigures {
    V offered{};
    V first_attempts{};  ///< offered attempts that were a caller's first
    V repeats{};         ///< offered attempts by callers ringing again after abandoning
    V answered{};
    V abandoned{};
    V abandoned_pct{};             ///< 100 · abandoned / offered
    V callers_lost{};              ///< abandoned attempts after which the caller gave up for good
    V blocked{};                   ///< attempts turned away at a trunk cap (reported only where a cap applies)
    V blocked_pct{};               ///< 100 · blocked / offered (reported only where a cap applies)
    std::vector<V> service_level;  ///< per ClassSpec::thresholds_s: answered within it / offered (0–1)
    V asa_s{};                     ///< average speed of answer: wait of answered calls / answered
    V mean_queue_s{};              ///< time in queue of all offered calls, abandoned ones included / offered
};

/// The call figures in report order: row(name, place, compute[, PerThreshold{}]), where place(f)
/// is the figure's member in a CallFigures<V> and compute(counts) its value in one replication
/// (compute(counts, i) for threshold i of a PerThreshold row).
template <class Row>
constexpr void call_figure_rows(Row&& row) {
    using namespace figure_math;
    row(
        "offered", [](auto& f) -> auto& { return f.offered; },
        [](const ClassCounts& c) { return as_double(c.offered); });
    row(
        "first_attempts", [](auto& f) -> auto& { return f.first_attempts; },
        [](const ClassCounts& c) { return as_double(c.first_attempts); });
    row(
        "repeats", [](auto& f) -> auto& { return f.repeats; },
        [](const ClassCounts& c) { return as_double(c.repeats); });
    row(
        "answered", [](auto& f) -> auto& { return f.answered; },
        [](const ClassCounts& c) { return as_double(c.answered); });
    row(
        "abandoned", [](auto& f) -> auto& { return f.abandoned; },
        [](const ClassCounts& c) { return as_double(c.abandoned); });
    row(
        "abandoned_pct", [](auto& f) -> auto& { return f.abandoned_pct; },
        [](const ClassCounts& c) { return 100.0 * ratio(as_double(c.abandoned), as_double(c.offered)); });
    row(
        "callers_lost", [](auto& f) -> auto& { return f.callers_lost; },
        [](const ClassCounts& c) { return as_double(c.callers_lost); });
    row(
        "blocked", [](auto& f) -> auto& { return f.blocked; },
        [](const ClassCounts& c) { return as_double(c.blocked); });
    row(
        "blocked_pct", [](auto& f) -> auto& { return f.blocked_pct; },
        [](const ClassCounts& c) { return 100.0 * ratio(as_double(c.blocked), as_double(c.offered)); });
    row(
        "service_level", [](auto& f) -> auto& { return f.service_level; },
        [](const ClassCounts& c, std::size_t i) {
            return ratio(as_double(c.answered_within[i]), as_double(c.offered));
        },
        PerThreshold{});
    row(
        "asa_s", [](auto& f) -> auto& { return f.asa_s; },
        [](const ClassCounts& c) { return ratio(c.answered_wait_s, as_double(c.answered)); });
    row(
        "mean_queue_s", [](auto& f) -> auto& { return f.mean_queue_s; },
        [](const ClassCounts& c) { return ratio(c.queue_time_s, as_double(c.offered)); });
}

/// Whole-run figures of a class: the call figures plus the wait quantiles of answered calls.
template <class V>
struct ClassFigures : CallFigures<V> {
    V wait_p50_s{};
    V wait_p90_s{};
    V wait_p95_s{};
    V wait_p99_s{};
    V max_wait_s{};
};

/// The whole-run-only class figures, after the call figures: row(name, place, compute) with
/// compute(ClassResult). Quantiles of an empty set are undefined whatever the model left in them.
template <class Row>
constexpr void class_only_figure_rows(Row&& row) {
    using figure_math::undefined;
    row(
        "wait_p50_s", [](auto& f) -> auto& { return f.wait_p50_s; },
        [](const ClassResult& r) { return r.counts.answered > 0 ? r.wait_p50_s : undefined; });
    row(
        "wait_p90_s", [](auto& f) -> auto& { return f.wait_p90_s; },
        [](const ClassResult& r) { return r.counts.answered > 0 ? r.wait_p90_s : undefined; });
    row(
        "wait_p95_s", [](auto& f) -> auto& { return f.wait_p95_s; },
        [](const ClassResult& r) { return r.counts.answered > 0 ? r.wait_p95_s : undefined; });
    row(
        "wait_p99_s", [](auto& f) -> auto& { return f.wait_p99_s; },
        [](const ClassResult& r) { return r.counts.answered > 0 ? r.wait_p99_s : undefined; });
    row(
        "max_wait_s", [](auto& f) -> auto& { return f.max_wait_s; },
        [](const ClassResult& r) { return r.counts.answered > 0 ? r.max_wait_s : undefined; });
}

/// Figures of a staff group or a room.
template <class V>
struct StaffFigures {
    V occupancy{};       ///< busy / available person-time (0–1)
    V handled{};         ///< calls answered
    V paid_hours{};      ///< person-hours on duty, breaks included
    V rostered_cost{};   ///< what the force pays the people it rosters in the window (roster_calendar.hpp)
    V on_duty_cost{};    ///< paid hours times cost per hour (overtime at its premium)
    V overtime_hours{};  ///< overtime person-hours on duty (part of paid_hours)
    V overtime_cost{};   ///< the part of on_duty_cost paid for overtime
};

/// The staff figures in report order: row(name, place, compute) with compute(StaffCounts).
template <class Row>
constexpr void staff_figure_rows(Row&& row) {
    using namespace figure_math;
    row(
        "occupancy", [](auto& f) -> auto& { return f.occupancy; },
        [](const StaffCounts& s) { return ratio(s.busy_s, s.available_s); });
    row(
        "handled", [](auto& f) -> auto& { return f.handled; },
        [](const StaffCounts& s) { return as_double(s.handled); });
    row(
        "paid_hours", [](auto& f) -> auto& { return f.paid_hours; },
        [](const StaffCounts& s) { return s.paid_s / seconds_per_hour; });
    row(
        "rostered_cost", [](auto& f) -> auto& { return f.rostered_cost; },
        [](const StaffCounts& s) { return s.rostered_cost; });
    row(
        "on_duty_cost", [](auto& f) -> auto& { return f.on_duty_cost; },
        [](const StaffCounts& s) { return s.on_duty_cost; });
    row(
        "overtime_hours", [](auto& f) -> auto& { return f.overtime_hours; },
        [](const StaffCounts& s) { return s.overtime_s / seconds_per_hour; });
    row(
        "overtime_cost", [](auto& f) -> auto& { return f.overtime_cost; },
        [](const StaffCounts& s) { return s.overtime_cost; });
}

namespace detail {
/// Calls `scalar` or `per_threshold` with (name, place, compute), whichever kind a row is.
template <class Scalar, class Vector>
struct RowVisitor {
    Scalar scalar;
    Vector per_threshold;
    template <class Place, class Compute>
    constexpr void operator()(std::string_view name, Place place, Compute compute) {
        scalar(name, place, compute);
    }
    template <class Place, class Compute>
    constexpr void operator()(std::string_view name, Place place, Compute compute, PerThreshold) {
        per_threshold(name, place, compute);
    }
};
template <class Scalar, class Vector>
RowVisitor(Scalar, Vector) -> RowVisitor<Scalar, Vector>;

/// The size a figures struct has when it holds exactly the rows `rows` declares.
template <class V, class Rows>
constexpr std::size_t size_of_rows(Rows rows) {
    std::size_t size = 0;
    rows(RowVisitor{[&](auto&&...) { size += sizeof(V); }, [&](auto&&...) { size += sizeof(std::vector<V>); }});
    return size;
}
}  // namespace detail

// A member without its row (or a row without its member) changes the struct's size: caught here.
static_assert(sizeof(CallFigures<double>) == detail::size_of_rows<double>([](auto row) { call_figure_rows(row); }));
static_assert(sizeof(ClassFigures<double>) == sizeof(CallFigures<double>) + detail::size_of_rows<double>([](auto row) {
                                                  class_only_figure_rows(row);
                                              }));
static_assert(sizeof(StaffFigures<double>) == detail::size_of_rows<double>([](auto row) { staff_figure_rows(row); }));

/// Figures summed over every staff group: what the whole scenario pays for.
template <class V>
struct TotalFigures {
    V rostered_cost{};  ///< the groups' rostered cost
    V on_duty_cost{};   ///< the groups' on-duty cost, overtime included
    V paid_hours{};     ///< the groups' paid person-hours
};

/// Calls f(metric, threshold_s (always NaN), value) on each total figure in report order.
template <class Figures, class F>
void for_each_total_figure(Figures& t, F&& f) {
    constexpr double none = std::numeric_limits<double>::quiet_NaN();
    f(std::string_view("rostered_cost"), none, t.rostered_cost);
    f(std::string_view("on_duty_cost"), none, t.on_duty_cost);
    f(std::string_view("paid_hours"), none, t.paid_hours);
}

/// One replication's totals: its groups' figures summed in group order.
TotalFigures<double> total_figures(std::span<const StaffFigures<double>> groups);

/// Is `metric` one of the trunk cap's figures, reported only for a class a cap applies to (so that
/// the outputs of scenarios without one stay as they were)?
constexpr bool is_blocking_figure(std::string_view metric) { return metric.starts_with("blocked"); }

/// Calls f(metric, threshold_s, value) on each call figure in report order; threshold_s is NaN
/// except for service_level, whose entries are named by `thresholds_s`. Without `with_blocked`
/// the trunk cap's figures are left out (ClassSummary::may_be_blocked).
template <class Figures, class F>
void for_each_call_figure(Figures& c, std::span<const double> thresholds_s, F&& f, bool with_blocked = true) {
    call_figure_rows(detail::RowVisitor{[&](std::string_view name, auto place, auto) {
                                            if (with_blocked || !is_blocking_figure(name))
                                                f(name, figure_math::undefined, place(c));
                                        },
                                        [&](std::string_view name, auto place, auto) {
                                            auto& values = place(c);
                                            for (std::size_t i = 0; i < values.size(); ++i)
                                                f(name, thresholds_s[i], values[i]);
                                        }});
}

/// Calls f(metric, threshold_s, value) on each whole-run class figure in report order.
template <class Figures, class F>
void for_each_class_figure(Figures& c, std::span<const double> thresholds_s, F&& f, bool with_blocked = true) {
    for_each_call_figure(c, thresholds_s, f, with_blocked);
    class_only_figure_rows([&](std::string_view name, auto place, auto) { f(name, figure_math::undefined, place(c)); });
}

/// Calls f(metric, threshold_s (always NaN), value) on each staff figure in report order.
template <class Figures, class F>
void for_each_staff_figure(Figures& s, F&& f) {
    staff_figure_rows([&](std::string_view name, auto place, auto) { f(name, figure_math::undefined, place(s)); });
}

/// One replication's call figures from a span's counts.
CallFigures<double> call_figures(const ClassCounts& counts);

/// One replication's whole-run class figures; the wait quantiles are NaN when nothing was answered.
ClassFigures<double> class_figures(const ClassResult& result);

/// One replication's figures of a staff group or room.
StaffFigures<double> staff_figures(const StaffCounts& counts);

/// An Erlang estimate of a class's whole-run figures (`crsim run --analytic`; see capacity_check.hpp).
/// NaN where undefined, and every figure NaN when some interval is overloaded.
struct AnalyticFigures {
    std::vector<double> service_level;                        ///< per ClassSpec::thresholds_s (0–1)
    double asa_s = std::numeric_limits<double>::quiet_NaN();  ///< mean wait of answered calls, connection included
    double abandoned_pct = std::numeric_limits<double>::quiet_NaN();  ///< 0 under Erlang C
    double mean_queue_s = std::numeric_limits<double>::quiet_NaN();   ///< time in queue over offered calls
    bool erlang_a = false;                 ///< Erlang A (the class has a patience) rather than Erlang C
    std::size_t intervals = 0;             ///< intervals with offered calls that were estimated
    std::size_t overloaded_intervals = 0;  ///< of those, intervals where Erlang C is unstable
    std::string first_overloaded;          ///< label of the first overloaded interval ("Sat 23:00–24:00"), or empty
};

/// The two Erlang bounds of a class's figures (`crsim run --analytic`): the simulated routing, in
/// which a call overflows to other rooms only after a wait, lies between them.
struct AnalyticBounds {
    AnalyticFigures separate;  ///< rooms separate: no call leaves its home room (no overflow)
    AnalyticFigures pooled;    ///< fully pooled: a call that may overflow reaches every room at once
};

/// A call class across replications.
struct ClassSummary {
    std::string name;
    std::vector<double> thresholds_s;  ///< names the entries of figures.service_level
    ClassFigures<Figure> figures;
    bool may_be_blocked = false;  ///< a trunk cap applies to the class: its blocked figures are reported
    std::optional<AnalyticBounds> analytic = std::nullopt;  ///< set by `crsim run --analytic` only
    /// The wait quantile of answered calls at each of wait_cdf_probabilities, averaged over the
    /// replications that answered a call (as wait_p50_s is); empty when the results kept none.
    std::vector<Figure> wait_cdf_s = {};
    /// The answer-time distribution over offered calls: (wait in s, share of offered calls answered
    /// within it) in increasing wait. Abandoned calls are never answered, so it ends below 1 when
    /// some abandon. Each replication's share comes from its answered share and its quantiles; at
    /// each threshold it is that threshold's service level exactly. Empty when wait_cdf_s is.
    std::vector<std::pair<double, Figure>> offered_cdf = {};
    /// The call-back figures, when the class has call-back work (callback_spec.hpp).
    std::optional<CallbackFigures<Figure>> callbacks = std::nullopt;
};

/// A backlog of deferrable work across replications.
struct DeferrableSummary {
    std::string name;
    double target_within_s = never;  ///< the response-time target (never: none)
    double target_goal = 0;          ///< share to start within it
    DeferrableFigures<Figure> figures;
    bool target_met = false;  ///< the mean within_target_share meets the goal (false without a target)
};

/// How a class's demand reached the handlers, across replications (scenarios with demand keys).
struct DemandSummary {
    std::string name;                          ///< the class
    DemandFigures<Figure> figures;             ///< whole run (reporting window)
    std::vector<DemandFigures<Figure>> weeks;  ///< index 0 = week 1; n == 0 in weeks inside the warm-up
};

/// A staff group or room across replications.
struct StaffSummary {
    std::string name;
    StaffFigures<Figure> figures;
};

/// One staff group in one room (Summary::cells): who works where, for the reports' staff table.
struct StaffCellSummary {
    std::size_t group = 0, room = 0;  ///< into ScenarioSpec::groups and ::rooms
    double fte = 0;                   ///< full-time people to employ for the lines working here (workforce.hpp)
    StaffFigures<Figure> figures;
};

/// One kind of period (day, week or hour of the week) across replications. Figures with n == 0
/// are not reported: undefined in every replication, or in a day or week wholly inside the warm-up.
struct PeriodSummary {
    std::vector<std::vector<CallFigures<Figure>>> classes;  ///< [class][period]
    std::vector<std::vector<StaffFigures<Figure>>> groups;  ///< [group][period]
    std::vector<std::vector<StaffFigures<Figure>>> rooms;   ///< [room][period]
};

/// One bucket of a target with `by` (an hour of the day, a week, ...): its figure and verdict.
struct BucketResult {
    std::size_t index = 0;  ///< the bucket, from 0 (target_periods.hpp labels it)
    Figure value;           ///< the target's figure in it, pooled over the window in each replication
    bool met = false;       ///< the mean meets the goal
    double p_met = std::numeric_limits<double>::quiet_NaN();  ///< share of defining replications meeting it
    bool confident = false;                                   ///< the whole 95% interval meets the goal
};

/// One target of a class judged against the summary: the target (its metric, parameter and goal;
/// a parameter the metric does not have is NaN) and its verdict. target_metric.hpp says how each
/// metric is measured and judged, target_periods.hpp how a target with `by` is.
struct TargetResult : TargetSpec {
    std::size_t class_index = 0;
    std::string class_name;
    /// A deferrable backlog's response-time target (judge_targets): class_index and class_name are
    /// then the backlog's, the metric the share of its items started within threshold_s.
    bool backlog = false;
    /// The class's figure the goal applies to; with `by`, its worst bucket's (by the mean), and for
    /// a chance target (periods_met) the share of the buckets that meet the goal.
    Figure value;
    bool met = false;                                         ///< the mean meets the goal (false when undefined)
    double p_met = std::numeric_limits<double>::quiet_NaN();  ///< share of defining replications meeting it
    bool confident = false;                  ///< the whole confidence interval meets the goal (false without one)
    std::vector<BucketResult> buckets = {};  ///< with `by`: each bucket with calls, in order
    std::size_t worst_bucket = 0;            ///< with `by`: the index of the bucket whose mean is worst
};

/// A target judged under a VerdictCriterion (verdict.hpp): the bound of its figure at the
/// criterion's confidence against the goal.
struct TargetCheck {
    TargetResult target;  ///< mean, ci95, met, p_met, confident as `crsim run` gives them
    double bound = 0;     ///< at the criterion's confidence: the lower bound for a minimum, the upper for a maximum
    bool clears = false;  ///< the bound meets the goal
    int week = 0;         ///< with every_week: the week (from 1) it was judged on, else 0
    /// With `by` (not a chance target): the bucket judged, its worst by the bound (BucketResult::index
    /// + 1), else 0; every bucket must clear for the check to clear.
    std::size_t bucket = 0;
    std::size_t buckets_failed = 0;  ///< with `by` (not a chance target): buckets whose bound misses the goal
    /// How far the check misses: (goal − bound) / goal for a minimum, (bound − goal) / goal for a
    /// maximum, 0 when it clears, 1 without a bound; with `by`, summed over the buckets that miss.
    double shortfall = 0;
};

/// The targets judged under a scenario's `verified:` block (judge_targets in verdict.hpp).
struct VerifiedVerdict {
    VerifiedSpec recorded;             ///< the block: criterion, window, verification seed and replications
    std::vector<TargetCheck> targets;  ///< overall; with every_week the worst week of each target too
    bool met = false;                  ///< every check clears
};

/// Each replication's own whole-run figures, for replications.csv.
struct ReplicationFigures {
    std::vector<ClassFigures<double>> classes;  ///< per ScenarioSpec::classes
    std::vector<StaffFigures<double>> groups;   ///< per ScenarioSpec::groups
    std::vector<StaffFigures<double>> rooms;    ///< per ScenarioSpec::rooms
    TotalFigures<double> total;                 ///< summed over the groups
    std::vector<double> targets;                ///< per Summary::targets: the target's figure
    /// Per ScenarioSpec::deferrables: a backlog's figures (its target's, for compare and the verdicts).
    std::vector<DeferrableFigures<double>> deferrables = {};
};

/// Everything `crsim run` reports about a scenario; classes, groups and rooms in scenario order.
struct Summary {
    std::string scenario;         ///< ScenarioSpec::name
    std::string description;      ///< ScenarioSpec::description
    std::string currency;         ///< ScenarioSpec::currency: the unit of every cost, or empty
    std::string crsim_version;    ///< the version that produced it
    std::string scenario_sha256;  ///< ScenarioSpec::sha256
    std::uint64_t seed = 0;
    std::size_t replications = 0;
    std::optional<ReportWindow> window;  ///< the reporting window of the whole-run figures; none: [warm-up, horizon)
    WindowSpan span;                     ///< the time the whole-run figures cover, for costs per week and year
    std::vector<double> fte;             ///< per group: full-time people to employ for the roster (workforce.hpp)
    std::vector<ClassSummary> classes;
    std::vector<DeferrableSummary> deferrables;  ///< per ScenarioSpec::deferrables
    std::vector<StaffSummary> groups;
    std::vector<StaffSummary> rooms;
    /// Each group in each room where it is ever on duty or rostered, rooms in scenario order and
    /// groups within them.
    std::vector<StaffCellSummary> cells;
    TotalFigures<Figure> total;         ///< summed over the groups in each replication
    std::vector<TargetResult> targets;  ///< each class's targets in scenario order
    /// The targets under the scenario's `verified:` criterion, when it has one and the figures are
    /// of its verified window.
    std::optional<VerifiedVerdict> verified;
    PeriodSummary days;           ///< index 0 = day 1
    PeriodSummary weeks;          ///< index 0 = week 1
    PeriodSummary hours_of_week;  ///< index 0 = Monday 00:00–01:00; the reporting window's
    /// How many hours of each hour of the week (index 0 = Monday 00:00–01:00) one replication
    /// measures in the reporting window: hours_of_week figures divided by it are means per hour.
    std::vector<double> hour_of_week_measured_h;
    std::vector<ReplicationFigures> per_replication;  ///< index 0 = replication 1
    /// Per class, when the scenario has demand keys (triage, channel shift, surges); else empty,
    /// and no output shows a demand section.
    std::vector<DemandSummary> demand;
    std::vector<ScheduledSurgeSpec> surges;  ///< the scheduled surges, for the timeline of the reports
};

/// Judges target `t` (metric and goal set) from its class figure in each replication: sets its
/// value (mean and 95% half-width), met, p_met and confident, as summarise() does.
void judge_target(TargetResult& t, std::span<const double> per_replication);

/// Summarises `results` (replication r at index r) of `spec` run with `seed`. Throws
/// std::invalid_argument when a result's shape does not match the scenario.
Summary summarise(const ScenarioSpec& spec, std::span<const ReplicationResult> results, std::uint64_t seed);

}  // namespace crsim::model
