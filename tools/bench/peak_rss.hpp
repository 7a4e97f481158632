#pragma once
/// \file
/// Peak resident memory of this process, for the benchmark programs' reports.

namespace crsim::bench {

/// Peak resident set size of the calling process so far, in MiB.
double peak_rss_mb();

}  // namespace crsim::bench
