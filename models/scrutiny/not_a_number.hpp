#pragma once
// An undefined figure (a week without calls): one definition for the library's files, which a
// unity build compiles together.

#include <limits>

namespace crsim::scrutiny {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace crsim::scrutiny
