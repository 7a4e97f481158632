#pragma once
/// \file
/// Reading a YAML scenario into a validated ScenarioSpec. The format is documented in
/// scenarios/README.md.

#include <optional>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/scenario/diagnostic.hpp"

namespace crsim::scenario {

/// A loaded scenario, or the reasons it could not be loaded. Warnings may accompany a spec.
struct LoadResult {
    std::optional<model::ScenarioSpec> spec;  ///< set only when there is no error
    std::vector<Diagnostic> diagnostics;      ///< every error and warning, in file order per check

    /// True when the spec is set (no errors; there may be warnings).
    bool ok() const { return spec.has_value(); }
};

/// Loads and validates the scenario file at `path` (and those it extends). Never throws for bad
/// input: every problem found is returned as a diagnostic, and the spec is left empty if any is an error.
LoadResult load_scenario(const std::string& path);

/// Same as load_scenario for YAML text; `display_name` names it in diagnostics and gives the default
/// scenario name. A relative `extends` path is taken relative to the working directory.
LoadResult load_scenario_text(const std::string& yaml, const std::string& display_name);

}  // namespace crsim::scenario
