#pragma once
/// \file
/// Numbers as every output writes them: one rule, so that summary.json, the CSV files, sweep stores
/// and messages agree to the last digit.

#include <string>

namespace crsim::model {

/// The shortest decimal text that reads back to exactly `x` ("0.1", "120", "1e+20"); "" for NaN or infinity.
std::string format_number(double x);

/// A service-level threshold as it names a JSON key: "10s", "180s", "7.5s".
std::string threshold_label(double threshold_s);

}  // namespace crsim::model
