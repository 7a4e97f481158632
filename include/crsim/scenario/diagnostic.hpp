#pragma once
/// \file
/// One problem found in a scenario, with where it is and what was expected.

#include <string>
#include <string_view>
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

/// Text from the input made safe for a terminal, the one rule for what crsim prints on stderr: a
/// control byte (below 0x20, other than tab and line feed, and 0x7f) is shown as \xHH, so that an
/// ESC or a carriage return in a file name or a scenario key cannot drive the terminal. Text
/// without such bytes is returned as it is; escaping twice changes nothing.
std::string terminal_text(std::string_view text);

/// True if any diagnostic is an error (not a warning).
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace crsim::scenario
