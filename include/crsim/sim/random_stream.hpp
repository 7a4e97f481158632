#pragma once
/// \file
/// Named, reproducible random streams: one engine per (master seed, replication, stream name).

#include <cstdint>
#include <string_view>

#include "crsim/sim/mersenne_twister.hpp"

namespace crsim::sim {

/// The engine behind every stream.
///
/// Boost 1.74 offers no counter-based or xoshiro engine; mt19937_64 is the best-tested 64-bit
/// engine it has, its 2^19937 period leaves room for any number of disjoint-in-practice streams,
/// and it yields the same sequence on every platform. MersenneTwister64 gives Boost's numbers,
/// bit for bit, more cheaply. Its 5 KB (state and tempered output) make copies cost something,
/// so hand streams around by reference.
using Engine = MersenneTwister64;

/// 64-bit FNV-1a hash of a stream name (stable across platforms and releases).
std::uint64_t name_hash(std::string_view name);

/// The SplitMix64 finaliser: a bijective 64-bit mixer with full avalanche.
std::uint64_t mix64(std::uint64_t x);

/// The 64-bit key that identifies a stream; README.md ("Random streams") gives the derivation.
std::uint64_t stream_key(std::uint64_t master_seed, std::uint64_t replication, std::string_view name);

/// A freshly seeded engine for the stream (master_seed, replication, name).
Engine make_stream(std::uint64_t master_seed, std::uint64_t replication, std::string_view name);

/// Makes the named streams of one replication.
///
/// Two factories with the same seed and replication hand out identical streams for the same
/// name, which gives common random numbers across scenario variants: a component that draws
/// from its own named stream sees the same numbers whatever the rest of the model does.
class StreamFactory {
public:
    /// A factory for replication `replication` of a study seeded with `master_seed`.
    StreamFactory(std::uint64_t master_seed, std::uint64_t replication)
        : master_seed_(master_seed), replication_(replication) {}

    /// A freshly seeded engine for the stream `name`; every make() starts it afresh.
    Engine make(std::string_view name) const { return make_stream(master_seed_, replication_, name); }

    /// The master seed.
    std::uint64_t master_seed() const { return master_seed_; }

    /// The replication index.
    std::uint64_t replication() const { return replication_; }

private:
    std::uint64_t master_seed_;
    std::uint64_t replication_;
};

}  // namespace crsim::sim
