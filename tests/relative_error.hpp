// Shared by the analytic suites (one unity batch): infinite patience and the relative difference
// by which exact methods are compared.
#pragma once

#include <cmath>
#include <limits>

inline constexpr double inf = std::numeric_limits<double>::infinity();

/// Relative difference, for agreement between exact methods.
inline double rel(double x, double ref) { return std::abs(x - ref) / std::abs(ref); }
