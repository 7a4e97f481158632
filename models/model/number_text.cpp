#include "crsim/model/number_text.hpp"

#include <charconv>
#include <cmath>

namespace crsim::model {

std::string format_number(double x) {
    if (!std::isfinite(x)) return {};
    // std::to_chars without a precision gives the shortest text that reads back to the same
    // double, independent of the locale: "0.1" rather than %.17g's "0.10000000000000001".
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

std::string threshold_label(double threshold_s) { return format_number(threshold_s) + "s"; }

}  // namespace crsim::model
