#pragma once
/// \file
/// One problem found in a scenario, with where it is and what was expected.

#include <string>
#include <vector>

namespace crsim::scenario {

/// A scenario error or warning, located in a file by 1-based line and column (0 when unknown).
struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key_path;  ///< like `classes.999.handle_time.mean` or `roster[2].headcount`; empty at the top
    std::string message;
    bool warning = false;

    /// `file:line:col: error: key.path: message` (or `warning:`; no `key.path: ` when it is empty;
    /// no `:line:col` when line is 0, as for a `--set` argument).
    std::string format() const;
};

/// True if any diagnostic is an error (not a warning).
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace crsim::scenario
