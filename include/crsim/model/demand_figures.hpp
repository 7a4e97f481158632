#pragma once
/// \file
/// The demand figures of a class (DemandCounts in figures), declared once like the call figures:
/// a member of DemandFigures and one row in demand_figure_rows. Reported only by scenarios with
/// demand keys (triage, channel_shift, surges, random_surges), so other scenarios' outputs are
/// as they were.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/model/replication_result.hpp"

namespace crsim::model {

/// V is double (one replication) or Figure (the summary).
template <class V>
struct DemandFigures {
    V demand{};            ///< first attempts the class's arrivals brought, before shift and menu
    V shifted_out{};       ///< moved to another channel before ringing
    V shifted_in{};        ///< other classes' demand moved to this channel
    V triaged{};           ///< went through the class's menu
    V resolved{};          ///< resolved in the menu
    V redirected{};        ///< redirected elsewhere by the menu
    V deflected{};         ///< resolved + redirected: demand that never reached a handler
    V deflected_pct{};     ///< 100 · deflected / demand
    V reclassified_out{};  ///< moved by the menu to another class's queue
    V reclassified_in{};   ///< moved here by another class's menu
    V surge_extra{};       ///< expected part of the demand that surges added
};

/// The demand figures in report order: row(name, place, compute) with compute(DemandCounts).
template <class Row>
constexpr void demand_figure_rows(Row&& row) {
    const auto as_double = [](std::uint64_t n) { return static_cast<double>(n); };
    row(
        "demand", [](auto& f) -> auto& { return f.demand; },
        [=](const DemandCounts& d) { return as_double(d.demand); });
    row(
        "shifted_out", [](auto& f) -> auto& { return f.shifted_out; },
        [=](const DemandCounts& d) { return as_double(d.shifted_out); });
    row(
        "shifted_in", [](auto& f) -> auto& { return f.shifted_in; },
        [=](const DemandCounts& d) { return as_double(d.shifted_in); });
    row(
        "triaged", [](auto& f) -> auto& { return f.triaged; },
        [=](const DemandCounts& d) { return as_double(d.triaged); });
    row(
        "resolved", [](auto& f) -> auto& { return f.resolved; },
        [=](const DemandCounts& d) { return as_double(d.resolved); });
    row(
        "redirected", [](auto& f) -> auto& { return f.redirected; },
        [=](const DemandCounts& d) { return as_double(d.redirected); });
    row(
        "deflected", [](auto& f) -> auto& { return f.deflected; },
        [=](const DemandCounts& d) { return as_double(d.resolved + d.redirected); });
    row(
        "deflected_pct", [](auto& f) -> auto& { return f.deflected_pct; },
        [=](const DemandCounts& d) {
            return d.demand > 0 ? 100.0 * as_double(d.resolved + d.redirected) / as_double(d.demand)
                                : std::numeric_limits<double>::quiet_NaN();
        });
    row(
        "reclassified_out", [](auto& f) -> auto& { return f.reclassified_out; },
        [=](const DemandCounts& d) { return as_double(d.reclassified_out); });
    row(
        "reclassified_in", [](auto& f) -> auto& { return f.reclassified_in; },
        [=](const DemandCounts& d) { return as_double(d.reclassified_in); });
    row(
        "surge_extra", [](auto& f) -> auto& { return f.surge_extra; },
        [](const DemandCounts& d) { return d.surge_extra; });
}

/// Calls f(metric, threshold_s (always NaN), value) on each demand figure in report order.
template <class Figures, class F>
void for_each_demand_figure(Figures& d, F&& f) {
    demand_figure_rows(
        [&](std::string_view name, auto place, auto) { f(name, std::numeric_limits<double>::quiet_NaN(), place(d)); });
}

/// One replication's demand figures from a span's counts.
inline DemandFigures<double> demand_figures(const DemandCounts& counts) {
    DemandFigures<double> f;
    demand_figure_rows([&](std::string_view, auto place, auto compute) { place(f) = compute(counts); });
    return f;
}

}  // namespace crsim::model
