#pragma once
/// \file
/// SHA-256 (FIPS 180-4), used to fingerprint the scenario files a run was made from.

#include <string>
#include <string_view>

namespace crsim::scenario {

/// The SHA-256 digest of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace crsim::scenario
