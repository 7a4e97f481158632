#pragma once
// Text helpers of the terminal tables (`crsim run`'s and `crsim compare`'s): padding by display
// columns and fixed decimals by magnitude, one rule for both tables.

#include <cstddef>
#include <string>
#include <string_view>

namespace crsim::report::table {

/// Display columns of UTF-8 text (continuation bytes take none), so that "±" and "–" pad like one character.
std::size_t columns(std::string_view text);

std::string pad_right(std::string text, std::size_t width);
std::string pad_left(const std::string& text, std::size_t width);

/// Decimals for a figure of this magnitude: about three significant digits, whole numbers from 1000.
int decimals(double x);

/// `x` with `digits` decimals ("-" when undefined); `sign`: always with its sign ("+1.20").
std::string fixed(double x, int digits, bool sign = false);

}  // namespace crsim::report::table
