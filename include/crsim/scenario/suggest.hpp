#pragma once
/// \file
/// "Did you mean" suggestions for misspelt keys and names.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crsim::scenario {

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// neighbouring letters each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if close enough to be a likely typo (distance at most 1 for
/// short words, about a third of the length for longer ones); ties go to the earlier candidate.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

/// "a, b or c" (or "a" / "a or b"); `conjunction` may be "or" or "and".
std::string join_list(const std::vector<std::string>& items, std::string_view conjunction = "or");

}  // namespace crsim::scenario
