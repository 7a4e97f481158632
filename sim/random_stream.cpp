#include "crsim/sim/random_stream.hpp"

#include <array>
#include <boost/random/seed_seq.hpp>

namespace crsim::sim {

namespace {

constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

// One step of the SplitMix64 generator: advances `state` and returns the mixed output.
std::uint64_t splitmix_next(std::uint64_t& state) {
    state += golden_gamma;
    return mix64(state);
}

}  // namespace

std::uint64_t name_hash(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
    for (const char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;  // FNV prime
    }
    return h;
}

std::uint64_t mix64(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// Every step is a bijection of the value it folds in, so with any two inputs held fixed,
// distinct values of the third always give distinct keys (no collisions between replications
// of one stream, nor between names with distinct hashes in one replication).
std::uint64_t stream_key(std::uint64_t master_seed, std::uint64_t replication, std::string_view name) {
    const std::uint64_t s = mix64(master_seed + golden_gamma);
    const std::uint64_t r = mix64(s + replication * golden_gamma);
    return mix64(r ^ name_hash(name));
}

Engine make_stream(std::uint64_t master_seed, std::uint64_t replication, std::string_view name) {
    // Expand the key into 256 bits with SplitMix64, then let seed_seq spread them over the
    // Mersenne Twister's whole state, so keys that differ in one bit give unrelated states.
    std::uint64_t state = stream_key(master_seed, replication, name);
    std::array<std::uint32_t, 8> words{};
    for (std::size_t i = 0; i < words.size(); i += 2) {
        const std::uint64_t v = splitmix_next(state);
        words[i] = static_cast<std::uint32_t>(v);
        words[i + 1] = static_cast<std::uint32_t>(v >> 32);
    }
    boost::random::seed_seq seq(words.begin(), words.end());
    return Engine(seq);
}

}  // namespace crsim::sim
