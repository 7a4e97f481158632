#pragma once
/// \file
/// Overrides of scenario values, as `crsim run|validate|compare --set PATH=VALUE` and sweep files
/// give them. An override is applied to the scenario's YAML tree after `extends` and before
/// validation, so a bad value is reported like any other, located at the `--set` argument.
///
/// PATH is a key path through the scenario: map keys joined by dots (`classes.101.patience.mean`,
/// `groups.call-handlers.absence`, `horizon`); a list item by index (`roster[3]`, 0-based), every
/// item (`roster[*]`) or every item matching a selector (`roster[room=hanley,shift=night]`, see
/// roster_selector.hpp: on `roster` a selector or `*` covers the lines of `roster` and of every
/// `rosters` block). `[*]` on a map addresses each of its values (`classes[*].patience.mean`).
/// Operators: `=` sets (VALUE is YAML: `5min`, `[mon, tue]`, `{dist: exponential, mean: 5min}`);
/// `+=` adds and `*=` multiplies a number, a duration (`+=30s`) or a percentage (`+=5%`); the result
/// of either on an integer is rounded to the nearest integer (halves away from zero).
/// A path, index or selector that matches nothing is an error with a "did you mean" suggestion;
/// `=` may add a last key that is missing (validation then says whether the key exists).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crsim::scenario {

/// One `PATH=VALUE`, `PATH+=VALUE` or `PATH*=VALUE`.
struct Override {
    enum class Op { set, add, multiply };

    std::string path;  ///< `roster[shift=night].headcount`
    Op op = Op::set;
    std::string value;  ///< YAML text
    /// How diagnostics name where it came from: `--set 'roster[shift=night].headcount+=3'` by default.
    std::string origin;

    /// `PATH=VALUE` (or `+=`, `*=`) written back.
    std::string text() const;
};

/// Parses `PATH=VALUE`, `PATH+=VALUE` or `PATH*=VALUE` (the first `=` outside brackets splits
/// them). On a problem returns nothing and sets `error`. The origin is `--set 'ARGUMENT'`.
std::optional<Override> parse_override(std::string_view argument, std::string& error);

}  // namespace crsim::scenario
