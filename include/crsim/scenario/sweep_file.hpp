#pragma once
/// \file
/// Sweep files: a base scenario, parameters (each a --set PATH with a list or a range of values)
/// and a design (grid or Latin hypercube) that together name the points of a sweep. The format is
/// documented in scenarios/sweeps/README.md. A sweep file is validated as strictly as a scenario:
/// every point's scenario is loaded and checked, and problems are located in the sweep file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/scenario/diagnostic.hpp"
#include "crsim/scenario/overrides.hpp"

namespace crsim::scenario {

/// One swept value path and the values it takes.
struct SweepParameter {
    std::string path;  ///< a --set PATH: `roster[shift=night].headcount`
    /// How a value is applied: set (`PATH: [..]`), or multiply / add to the base scenario's value
    /// (`PATH: {scale: [..]}`, `{add: [..]}`), exactly as `--set PATH*=V` and `PATH+=V` do.
    Override::Op op = Override::Op::set;
    std::string name;                 ///< the store's column name: `name:` if given, else the path
    std::vector<std::string> values;  ///< list values, or a range's grid, as written (`5min`)
    /// A range {from, to[, step]}: Latin hypercube designs sample within it.
    struct Range {
        double from = 0, to = 0;
        double step = 0;  ///< 0: continuous (rounded for integers)
        enum class Notation { integer, number, duration, percent } notation = Notation::number;
        std::string unit;  ///< duration unit of `from`
    };
    std::optional<Range> range;
    std::string origin;  ///< `file:line:col` of the values, naming the point's overrides in messages
};

/// A parsed and validated sweep.
struct SweepSpec {
    std::string file;    ///< as given
    std::string sha256;  ///< of the sweep file's bytes
    std::string base;    ///< the base scenario's path (relative to the working directory)
    std::size_t replications = 0;
    std::uint64_t seed = 0;
    std::optional<std::string> window;  ///< as written (`recovery`, `14-26`); each point's spec.window is set from it
    std::vector<SweepParameter> parameters;
    std::string design;                            ///< `grid` or `lhs`
    std::vector<std::vector<std::string>> points;  ///< [point][parameter]: the value as written
    std::string base_sha256;                       ///< the base scenario's fingerprint (its files, extends included)
    std::vector<model::ScenarioSpec> specs;        ///< each point's scenario, validated
};

/// A sweep, or the reasons it could not be loaded (each `file:line:col: error: ...`).
struct SweepLoadResult {
    std::optional<SweepSpec> sweep;
    std::vector<Diagnostic> diagnostics;
};

/// Reads, expands and validates a sweep file; never throws for bad input. With `max_memory_bytes`
/// (> 0), a sweep whose points' scenarios would together take more memory (measured on the first
/// points) is refused with an error before the rest are loaded.
SweepLoadResult load_sweep(const std::string& path, double max_memory_bytes = 0);

/// The overrides that make point `point` (0-based) of its base scenario.
std::vector<Override> point_overrides(const SweepSpec& sweep, std::size_t point);

/// A value as written in base units, for plotting: seconds for durations, shares for
/// percentages, the number itself for numbers; nothing for anything else.
std::optional<double> base_unit_value(const std::string& text);

}  // namespace crsim::scenario
