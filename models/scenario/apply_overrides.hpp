#pragma once
/// \file
/// Applying overrides (crsim/scenario/overrides.hpp) to a scenario's YAML tree.

#include <string>
#include <vector>

#include "crsim/scenario/diagnostic.hpp"
#include "crsim/scenario/overrides.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

/// Applies `o` to `root` (the scenario after extends). Values it writes carry the position
/// {o.origin, 0, 0}, so validation errors about them name the override. On a problem (nothing
/// matches, a value that cannot be added to) adds an error to `diagnostics` and leaves `root`
/// unchanged; returns whether it applied.
bool apply_override(Node& root, const Override& o, std::vector<Diagnostic>& diagnostics);

/// The concrete key paths `o` addresses in `root` (`roster[2].headcount` for
/// `roster[group=handlers].headcount`, a line of a `rosters` block as `rosters.B[i]`), so that two
/// paths can be compared for the value they reach; empty when it addresses nothing.
std::vector<std::string> override_targets(const Node& root, const Override& o);

/// Whether two concrete key paths reach a common value: equal, or one inside the other.
bool paths_overlap(const std::string& a, const std::string& b);

/// Applies each override in order; returns whether all applied.
bool apply_overrides(Node& root, const std::vector<Override>& overrides, std::vector<Diagnostic>& diagnostics);

}  // namespace crsim::scenario
