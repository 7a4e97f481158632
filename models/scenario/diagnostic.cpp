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

std::string terminal_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\t' && c != '\n') || byte == 0x7f) {
            constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return !d.warning; });
}

}  // namespace crsim::scenario
