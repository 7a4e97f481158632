#pragma once
/// \file
/// Erlang C/A estimates of each class's whole-run figures (`crsim run --analytic`), a stationary
/// figure per interval of the interval load table (interval_load.hpp), weighted by offered calls.

#include <vector>

#include "crsim/model/routing_policy.hpp"
#include "crsim/model/scenario_spec.hpp"
#include "crsim/model/summary.hpp"

namespace crsim::model {

/// Erlang estimates of each class's whole-run figures over [warm-up, horizon), for `crsim run
/// --analytic`. Per interval, the people who may take a class are shared between the classes they
/// take in proportion to load (priority and reserves ignored), and the class is an M/M/N queue
/// (Erlang C) or M/M/N+M (Erlang A with the patience distribution's mean) using mean times only;
/// a fractional N interpolates linearly between the figures of the whole numbers around it. The
/// run figure weighs each interval by its offered calls (ASA by its answered calls). An interval in
/// which Erlang C is unstable is overloaded, and makes the run figures NaN. `reach` says which rooms'
/// people a class's calls reach: only their home room's, or every room's when they may overflow
/// (overflow delays taken as 0: the default, and for one room the same).
std::vector<AnalyticFigures> erlang_estimates(const ScenarioSpec& spec,
                                              RoutingPolicy::Reach reach = RoutingPolicy::Reach::every_room);

/// Both bounds of each class's Erlang estimates: rooms separate (no overflow, the pessimistic one)
/// and fully pooled (the optimistic one); the simulated routing, overflowing after a wait, lies between.
std::vector<AnalyticBounds> erlang_bounds(const ScenarioSpec& spec);

}  // namespace crsim::model
