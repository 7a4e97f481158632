#include "crsim/stats/tally.hpp"

#include <cmath>

namespace crsim::stats {

double Tally::variance() const { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : nan(); }

double Tally::sd() const { return std::sqrt(variance()); }

}  // namespace crsim::stats
