#include "crsim/scenario/diagnostic.hpp"

#include <algorithm>

namespace crsim::scenario {

std::string Diagnostic::format() const {
    // Line 0: not from a file line (a --set argument, a file that cannot be read).
    std::string out = line == 0 ? file + ": " : file + ':' + std::to_string(line) + ':' + std::to_string(column) + ": ";
    out += warning ? "warning: " : "error: ";
    if (!key_path.empty()) {
        out += key_path + ": ";
    }
    out += message;
    return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return !d.warning; });
}

}  // namespace crsim::scenario
