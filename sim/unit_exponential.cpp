#include "crsim/sim/unit_exponential.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>
#include <iterator>

namespace crsim::sim::detail {

const ZigguratEdges ziggurat_edges = [] {
    ZigguratEdges edges{};
    for (std::size_t i = 0; i < std::size(edges.edge); ++i) {
        edges.edge[i] = boost::random::detail::exponential_table<double>::table_x[i];
        edges.scaled[i] = edges.edge[i] * 0x1.0p-56;
    }
    return edges;
}();

double unit_exponential_rejected(Engine& engine, std::size_t bucket, double x) {
    const double* const table_x = boost::random::detail::exponential_table<double>::table_x;
    const double* const table_y = boost::random::detail::exponential_table<double>::table_y;
    // Boost's rejection steps, unchanged, for the first box (bucket, x) and any boxes after it:
    // the tail (bucket 0) is the body shifted; else a uniform height decides.
    double shift = 0;
    for (std::size_t i = bucket;;) {
        if (i == 0) {
            shift += table_x[1];
        } else {
            const double y01 = boost::random::uniform_01<double>()(engine);
            const double y = table_y[i] + y01 * (table_y[i + 1] - table_y[i]);
            const double y_above_ubound = (table_x[i] - table_x[i + 1]) * y01 - (table_x[i] - x);
            const double y_above_lbound = y - (table_y[i + 1] + (table_x[i + 1] - x) * table_y[i + 1]);
            if (y_above_ubound < 0 && (y_above_lbound < 0 || y < std::exp(-x))) return x + shift;
        }
        const ZigguratPair pair = ziggurat_pair(engine);
        i = pair.bucket;
        x = pair.fraction_2_56 * ziggurat_edges.scaled[i];
        if (x < table_x[i + 1]) return shift + x;
    }
}

}  // namespace crsim::sim::detail
