#include "crsim/sim/mersenne_twister.hpp"

namespace crsim::sim {

namespace {

// mt19937_64's parameters (Boost's mersenne_twister_engine<uint64_t, 64, 312, 156, 31, ...>).
constexpr std::size_t n = MersenneTwister64::state_size;
constexpr std::size_t m = 156;
constexpr std::uint64_t upper_mask = ~std::uint64_t{0} << 31;
constexpr std::uint64_t lower_mask = ~upper_mask;
constexpr std::uint64_t xor_mask = 0xb5026f5aa96619e9;

// The recurrence: a new word from the upper bit of `word`, the lower 31 bits of `next` and the
// word `far` (m places on, cyclically). (next & 1) * xor_mask as a mask, which vectorises.
std::uint64_t step(std::uint64_t word, std::uint64_t next, std::uint64_t far) {
    const std::uint64_t y = (word & upper_mask) | (next & lower_mask);
    return far ^ (y >> 1) ^ (-(next & 1) & xor_mask);
}

std::uint64_t temper(std::uint64_t z) {
    z ^= (z >> 29) & 0x5555555555555555;
    z ^= (z << 17) & 0x71d67fffeda60000;
    z ^= (z << 37) & 0xfff7eee000000000;
    return z ^ (z >> 43);
}

}  // namespace

MersenneTwister64::MersenneTwister64() {
    // Boost's seed(5489): Knuth's multiplicative recurrence from the seed.
    state_[0] = 5489;
    for (std::size_t j = 1; j < n; ++j) state_[j] = 6364136223846793005 * (state_[j - 1] ^ (state_[j - 1] >> 62)) + j;
    normalize();
    refill();
}

void MersenneTwister64::normalize() {
    std::uint64_t y0 = state_[m - 1] ^ state_[n - 1];
    y0 = y0 >> 63 ? ((y0 ^ xor_mask) << 1) | 1 : y0 << 1;
    state_[0] = (state_[0] & upper_mask) | (y0 & lower_mask);
    for (const std::uint64_t word : state_) {
        if (word != 0) return;
    }
    state_[0] = std::uint64_t{1} << 63;
}

void MersenneTwister64::refill() {
    // Boost's twist, in two loops so that neither needs a modulo: word j < n - m takes word j + m,
    // not yet replaced; the others take word j + m - n, which the first loop has replaced. Each
    // new word is tempered while it is at hand.
    const auto replace = [this](std::size_t j, std::uint64_t next, std::uint64_t far) {
        state_[j] = step(state_[j], next, far);
        tempered_[j] = temper(state_[j]);
    };
    for (std::size_t j = 0; j < n - m; ++j) replace(j, state_[j + 1], state_[j + m]);
    for (std::size_t j = n - m; j < n - 1; ++j) replace(j, state_[j + 1], state_[j + m - n]);
    replace(n - 1, state_[0], state_[m - 1]);
    next_ = 0;
}

}  // namespace crsim::sim
