#include "peak_rss.hpp"

#include <sys/resource.h>

namespace crsim::bench {

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports kilobytes
}

}  // namespace crsim::bench
