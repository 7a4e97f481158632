#pragma once
/// \file
/// Reading a YAML scenario into a validated ScenarioSpec. The format is documented in
/// scenarios/README.md.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/scenario/diagnostic.hpp"
#include "crsim/scenario/overrides.hpp"

namespace crsim::scenario {

struct Node;  // a YAML tree node (models/scenario/yaml_tree.hpp)

/// One roster line as loaded (after extends and overrides), for listings.
struct RosterLineText {
    std::string path;         ///< `roster[3]` or `rosters.recovery[0]`
    std::string text;         ///< the line in YAML flow style
    bool overridden = false;  ///< an override changed some value of it
};

/// A loaded scenario, or the reasons it could not be loaded. Warnings may accompany a spec.
struct LoadResult {
    std::optional<model::ScenarioSpec> spec;  ///< set only when there is no error
    std::vector<Diagnostic> diagnostics;      ///< every error and warning, in file order per check
    std::vector<RosterLineText> roster;       ///< the lines of roster and rosters, when the file parsed
    std::shared_ptr<const Node> tree;         ///< the scenario as merged, when it parsed (for locate())

    /// True when the spec is set (no errors; there may be warnings).
    bool ok() const { return spec.has_value(); }
};

/// Loads and validates the scenario file at `path` (and those it extends). Never throws for bad
/// input: every problem found is returned as a diagnostic, and the spec is left empty if any is an error.
/// `overrides` are applied in order after `extends` and before validation (overrides.hpp); the
/// spec's sha256 then covers them too.
LoadResult load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

/// An error about `key_path` (as in a diagnostic: `classes.999.arrivals`, `roster[2].headcount`;
/// `shifts[i]` names spec.shifts[i] and is translated to its roster line) at the place the key was
/// written: after an override, its --set argument; when the key was not written (a default), the
/// nearest enclosing key that was.
Diagnostic locate(const LoadResult& loaded, const std::string& key_path, std::string message);

/// The value of top-level key `key` of the scenario as merged (after extends and overrides) in YAML
/// flow style, `[{week: 6, handle_inflation: 52%, decay: 26w}]`; nothing when it is not there.
std::optional<std::string> top_level_value_text(const LoadResult& loaded, const std::string& key);

/// Same as load_scenario for YAML text; `display_name` names it in diagnostics and gives the default
/// scenario name. A relative `extends` path is taken relative to the working directory.
LoadResult load_scenario_text(const std::string& yaml, const std::string& display_name,
                              const std::vector<Override>& overrides = {});

}  // namespace crsim::scenario
