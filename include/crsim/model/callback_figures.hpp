#pragma once
/// \file
/// What call-back work measures (callback_spec.hpp): counts per class in one replication, and the
/// figures reported from them. Kept apart from the call figures, so that a scenario without
/// call-backs reports exactly what it did before, and each call-back figure stays separate from the
/// live calls' service level, abandonment and ASA (scenarios/README.md says how they relate).

#include <cstdint>
#include <limits>
#include <string_view>

#include "crsim/model/replication_result.hpp"

namespace crsim::model {

/// The call-back figures of a class. V is double (one replication) or Figure (the summary).
template <class V>
struct CallbackFigures {
    V offered_share{};        ///< callers offered a call-back / offered calls of the class (0–1)
    V accepted_share{};       ///< callers who accepted / offered calls of the class (0–1)
    V accepted{};             ///< callers who accepted
    V accepted_wait_s{};      ///< mean time from acceptance to the start of the call-back
    V accepted_unreached{};   ///< accepted call-backs that never reached the caller
    V accepted_attempts{};    ///< attempts made on accepted call-backs
    V abandoned_tasks{};      ///< call-back tasks created by abandoned calls
    V abandoned_wait_s{};     ///< mean time from abandonment to the start of the call-back
    V abandoned_unreached{};  ///< abandoned-call call-backs that never reached the caller
};

/// The call-back figures in report order: row(name, place, compute) with compute(callbacks, calls),
/// `calls` the class's whole-run counts.
template <class Row>
constexpr void callback_figure_rows(Row&& row) {
    using C = CallbackCounts;
    constexpr auto ratio = [](double num, double den) {
        return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
    };
    constexpr auto count = [](std::uint64_t n) { return static_cast<double>(n); };
    row(
        "callback_offered_share", [](auto& f) -> auto& { return f.offered_share; },
        [=](const C& b, const ClassCounts& c) { return ratio(count(b.offered), count(c.offered)); });
    row(
        "callback_accepted_share", [](auto& f) -> auto& { return f.accepted_share; },
        [=](const C& b, const ClassCounts& c) { return ratio(count(b.accepted.created), count(c.offered)); });
    row(
        "callbacks_accepted", [](auto& f) -> auto& { return f.accepted; },
        [=](const C& b, const ClassCounts&) { return count(b.accepted.created); });
    row(
        "callback_wait_s", [](auto& f) -> auto& { return f.accepted_wait_s; },
        [=](const C& b, const ClassCounts&) { return ratio(b.accepted.wait_s, count(b.accepted.reached)); });
    row(
        "callbacks_unreached", [](auto& f) -> auto& { return f.accepted_unreached; },
        [=](const C& b, const ClassCounts&) { return count(b.accepted.unreached); });
    row(
        "callback_attempts", [](auto& f) -> auto& { return f.accepted_attempts; },
        [=](const C& b, const ClassCounts&) { return count(b.accepted.attempts); });
    row(
        "abandoned_callbacks", [](auto& f) -> auto& { return f.abandoned_tasks; },
        [=](const C& b, const ClassCounts&) { return count(b.abandoned.created); });
    row(
        "abandoned_callback_wait_s", [](auto& f) -> auto& { return f.abandoned_wait_s; },
        [=](const C& b, const ClassCounts&) { return ratio(b.abandoned.wait_s, count(b.abandoned.reached)); });
    row(
        "abandoned_callbacks_unreached", [](auto& f) -> auto& { return f.abandoned_unreached; },
        [=](const C& b, const ClassCounts&) { return count(b.abandoned.unreached); });
}

/// One replication's call-back figures of a class from its call-back and call counts.
CallbackFigures<double> callback_figures(const CallbackCounts& callbacks, const ClassCounts& calls);

/// The figures of a backlog of deferrable work. V is double (one replication) or Figure (the summary).
template <class V>
struct DeferrableFigures {
    V arrived{};              ///< items arrived
    V started{};              ///< items whose work started
    V mean_response_s{};      ///< mean time from arrival to the start of work, over started items
    V within_target_share{};  ///< items started within the response-time target / items arrived (0–1)
};

/// The backlog figures in report order: row(name, place, compute) with compute(DeferrableCounts).
template <class Row>
constexpr void deferrable_figure_rows(Row&& row) {
    using D = DeferrableCounts;
    constexpr auto count = [](std::uint64_t n) { return static_cast<double>(n); };
    constexpr auto ratio = [](double num, double den) {
        return den > 0 ? num / den : std::numeric_limits<double>::quiet_NaN();
    };
    row(
        "arrived", [](auto& f) -> auto& { return f.arrived; }, [=](const D& d) { return count(d.arrived); });
    row(
        "started", [](auto& f) -> auto& { return f.started; }, [=](const D& d) { return count(d.started); });
    row(
        "mean_response_s", [](auto& f) -> auto& { return f.mean_response_s; },
        [=](const D& d) { return ratio(d.response_s, count(d.started)); });
    row(
        "within_target_share", [](auto& f) -> auto& { return f.within_target_share; },
        [=](const D& d) { return ratio(count(d.within_target), count(d.arrived)); });
}

/// One replication's figures of a backlog.
DeferrableFigures<double> deferrable_figures(const DeferrableCounts& counts);

/// Calls f(metric, value) on each backlog figure in report order.
template <class Figures, class F>
void for_each_deferrable_figure(Figures& figures, F&& f) {
    deferrable_figure_rows([&](std::string_view name, auto place, auto) { f(name, place(figures)); });
}

/// Calls f(metric, value) on each call-back figure in report order.
template <class Figures, class F>
void for_each_callback_figure(Figures& figures, F&& f) {
    callback_figure_rows([&](std::string_view name, auto place, auto) { f(name, place(figures)); });
}

}  // namespace crsim::model
