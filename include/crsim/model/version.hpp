#pragma once
/// \file
/// The crsim release, as recorded in every result file.

namespace crsim::model {

/// The crsim version string, e.g. "0.1.0".
const char* version();

}  // namespace crsim::model
