#pragma once
/// \file
/// Applying overrides (crsim/scenario/overrides.hpp) to a scenario's YAML tree.

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

/// Applies each override in order; returns whether all applied.
bool apply_overrides(Node& root, const std::vector<Override>& overrides, std::vector<Diagnostic>& diagnostics);

}  // namespace crsim::scenario
