#pragma once
/// \file
/// How demand reaches the handlers, as plain scenario data: a front end (triage / IVR) that
/// resolves, redirects or re-classifies calls, channel shift from one class to another week by
/// week, and surges of demand, scheduled and random. Every index is a class of ScenarioSpec.

#include <optional>
#include <vector>

#include "crsim/sim/distribution.hpp"

namespace crsim::model {

/// A front-end menu (IVR, triage) every first attempt of a class passes through before its queue.
struct TriageSpec {
    /// Time in the menu before the caller leaves or joins a queue (callers do not hang up in it).
    sim::Distribution menu_time = sim::Distribution::deterministic(0);
    double resolved = 0;    ///< share resolved in the menu (recorded message, self-service): leaves
    double redirected = 0;  ///< share sent elsewhere (not a police matter, another agency): leaves
    /// Per class: share re-classified to that class, joining its queue with its priority (0 for
    /// the class itself). resolved + redirected + the re-classified shares <= 1.
    std::vector<double> reclassified;
};

/// A share of class `from`'s callers that use class `to` instead (web chat, an online report),
/// week by week: the caller never rings, the demand arrives as a `to` contact at the same time, or
/// as an item of deferrable backlog `to` (ScenarioSpec::deferrables) when `to_backlog`.
struct ChannelShiftSpec {
    std::size_t from = 0, to = 0;
    /// Share in week w + 1 of the run; weeks after the last keep the last share.
    std::vector<double> week_shares;
    bool to_backlog = false;

    /// The share in week `week` (from 1).
    double share_in_week(int week) const {
        if (week_shares.empty() || week < 1) return 0.0;
        const auto i = static_cast<std::size_t>(week - 1);
        return i < week_shares.size() ? week_shares[i] : week_shares.back();
    }
};

/// A scheduled surge: in [from_s, to_s) each class's arrival rate is multiplied by its factor.
struct ScheduledSurgeSpec {
    double from_s = 0, to_s = 0;
    std::vector<double> multipliers;  ///< per class; 1 where the surge does not touch it
};

/// Random incidents: a Poisson process of incidents, each bringing extra calls of some classes
/// over its random duration, as a Poisson stream at a constant rate during the incident.
struct RandomSurgeSpec {
    double per_week = 0;                                               ///< incidents per week (> 0)
    sim::Distribution duration = sim::Distribution::deterministic(0);  ///< of one incident (mean > 0)
    std::vector<double> extra_calls;  ///< per class: mean extra calls one incident brings (0: none)
    /// Coefficient of variation of an incident's size: its extra calls are extra_calls times a
    /// gamma(mean 1) draw; 0: every incident has the mean size.
    double size_cv = 0;
};

/// The demand keys of a scenario; all empty in a scenario without them.
struct DemandSpec {
    std::vector<std::optional<TriageSpec>> triage;  ///< per class, or empty: no class is triaged
    std::vector<ChannelShiftSpec> channel_shifts;
    std::vector<ScheduledSurgeSpec> surges;
    std::vector<RandomSurgeSpec> random_surges;

    /// The scenario uses any of these features (and reports its demand figures).
    bool any() const { return !triage.empty() || !channel_shifts.empty() || !surges.empty() || !random_surges.empty(); }
    bool has_surges() const { return !surges.empty() || !random_surges.empty(); }
};

}  // namespace crsim::model
