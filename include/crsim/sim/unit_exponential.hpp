#pragma once
/// \file
/// An Exp(1) draw, bit for bit the number Boost.Random's exponential_distribution<double>(1.0)
/// gives from the same engine, at about half its cost.
///
/// Boost's ziggurat builds its (bucket, fraction) pair through a generic routine for any engine
/// and runs a loop even when the first box accepts, which 98% of draws do. Here the pair comes
/// straight from one 64-bit word, as Boost builds it for a 64-bit engine, and the accepted case
/// returns at once, inline; the rare rest follows Boost's loop step by step, with its tables, out
/// of line (unit_exponential.cpp). Stored results depend on these numbers, so test_random
/// compares the two draw by draw.

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "crsim/sim/random_stream.hpp"

namespace crsim::sim {

namespace detail {
/// Boost's (fraction, bucket) pair of an 8-bit bucket from one word of a full-range 64-bit engine
/// (boost/random/detail/int_float_pair.hpp): the bucket is the low 8 bits; the fraction is the
/// other 56 bits over 2^56, with bit 11 of the word cleared (Boost masks that one bit so as to keep
/// the 53 digits of a double, and we must give its numbers). Here the fraction is left as the
/// 56-bit integer, `fraction_2_56` = fraction * 2^56, for ZigguratEdges::scaled to divide.
struct ZigguratPair {
    double fraction_2_56;
    std::size_t bucket;
};
inline ZigguratPair ziggurat_pair(Engine& engine) {
    static_assert(std::is_same_v<Engine::result_type, std::uint64_t> && Engine::word_size == 64,
                  "needs a full-range 64-bit engine");
    const std::uint64_t word = engine();
    return {static_cast<double>((word & ~(std::uint64_t{1} << 11)) >> 8), word & 0xff};
}

/// Boost's table of the ziggurat's box edges (boost::random::detail::exponential_table<double>::
/// table_x), and the same edges over 2^56: a box's x, Boost's fraction times its edge, is then one
/// product, fraction_2_56 * scaled[bucket], and the same number, as scaling by a power of two is
/// exact. Named here so that this header, which Distribution's includes, needs no Boost header.
struct ZigguratEdges {
    double edge[257];
    double scaled[257];
};
extern const ZigguratEdges ziggurat_edges;

/// The rest of a draw whose first box rejected (about 1 draw in 50): Boost's loop from there on.
[[gnu::noinline, gnu::cold]] double unit_exponential_rejected(Engine& engine, std::size_t bucket, double x);
}  // namespace detail

/// An Exp(1) variate from `engine`: exactly boost::random::exponential_distribution<double>(1.0)(engine).
inline double unit_exponential(Engine& engine) {
    const detail::ZigguratEdges& edges = detail::ziggurat_edges;
    const detail::ZigguratPair pair = detail::ziggurat_pair(engine);
    const double x = pair.fraction_2_56 * edges.scaled[pair.bucket];
    if (x < edges.edge[pair.bucket + 1]) [[likely]]
        return x;  // Boost returns 0.0 + x: the same number, x being positive
    return detail::unit_exponential_rejected(engine, pair.bucket, x);
}

}  // namespace crsim::sim
