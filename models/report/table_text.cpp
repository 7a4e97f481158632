#include "table_text.hpp"

#include <cmath>
#include <cstdio>

namespace crsim::report::table {

std::size_t columns(std::string_view text) {
    std::size_t n = 0;
    for (const char ch : text)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad_right(std::string text, std::size_t width) {
    const std::size_t n = columns(text);
    if (n < width) text.append(width - n, ' ');
    return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
    const std::size_t n = columns(text);
    return n < width ? std::string(width - n, ' ') + text : text;
}

int decimals(double x) {
    const double a = std::fabs(x);
    return a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
}

std::string fixed(double x, int digits, bool sign) {
    if (!std::isfinite(x)) return "-";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, sign ? "%+.*f" : "%.*f", digits, x);
    return buffer;
}

}  // namespace crsim::report::table
