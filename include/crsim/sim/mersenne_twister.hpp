#pragma once
/// \file
/// The 64-bit Mersenne Twister, bit for bit boost::random::mt19937_64, at less cost per number.

#include <array>
#include <cstddef>
#include <cstdint>

namespace crsim::sim {

/// mt19937_64: the numbers boost::random::mt19937_64 gives from the same seed sequence.
///
/// Boost tempers each word as it is drawn, about twenty instructions at every call site. Here the
/// tempered words of a whole state are made at once, when the state is twisted, in loops that
/// the compiler turns into vector code; a draw is then a load. The price is a second 2.5 KB array.
/// Stored results depend on these numbers, so test_random compares the two engines draw by draw.
class MersenneTwister64 {
public:
    using result_type = std::uint64_t;
    static constexpr std::size_t word_size = 64;
    static constexpr std::size_t state_size = 312;

    /// Seeded as boost::random::mt19937_64() is, with its default seed 5489.
    MersenneTwister64();

    /// Seeded as boost::random::mt19937_64(seq) is: 624 32-bit words from `seq.generate`, two to
    /// a word of state, the lower first.
    template <class SeedSeq>
    explicit MersenneTwister64(SeedSeq& seq) {
        std::array<std::uint32_t, 2 * state_size> halves;
        seq.generate(halves.begin(), halves.end());
        for (std::size_t j = 0; j < state_size; ++j) {
            state_[j] = halves[2 * j] | std::uint64_t{halves[2 * j + 1]} << 32;
        }
        normalize();
        refill();
    }

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return ~result_type{0}; }

    /// The next number.
    result_type operator()() {
        if (next_ == state_size) [[unlikely]]
            refill();
        return tempered_[next_++];
    }

    /// Same state: the two give the same numbers from here on.
    friend bool operator==(const MersenneTwister64&, const MersenneTwister64&) = default;

private:
    // Boost's normalize_state after seeding: the bits of word 0 the recurrence never reads are
    // set as a step back from the state would give them, and an all-zero state is made non-zero.
    void normalize();
    // Twists the state and tempers all its words into tempered_. Out of line: once per 312 draws.
    [[gnu::noinline]] void refill();

    std::size_t next_ = state_size;                   // the first word of tempered_ not yet drawn
    std::array<std::uint64_t, state_size> tempered_;  // the state's words, tempered: the output
    std::array<std::uint64_t, state_size> state_;
};

}  // namespace crsim::sim
