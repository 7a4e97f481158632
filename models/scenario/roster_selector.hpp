#pragma once
/// \file
/// Selecting roster lines by what they say: `room=hanley,shift=night` picks every line of `roster`
/// and of every named `rosters` block whose room is hanley and whose shift is night.
///
/// One selector syntax for the whole tool: `crsim --set 'roster[room=hanley,shift=night].headcount+=3'`
/// (overrides.hpp) and the `select:` maps of other files use these functions, so a selector means
/// the same thing everywhere. A condition `key=value` on a line compares:
/// - `days`: as sets of weekdays: the line works on every day the value names (`days=sat` picks
///   lines with days `weekends`, `all`, `[fri, sat]` or no `days`; `days=weekdays` picks lines
///   working Monday to Friday). Values are written as in a roster line (`mon-fri`, `weekends`).
/// - `overtime`: `true` or `false`; a line without the key is `false`.
/// - `headcount`, `weekly_cap`, `weeks`, `cohort`, `room`, `group`, `shift`: the line's value as
///   written (a shift given inline as a map never matches a name).
/// Keys other than the roster line keys are errors, with a did-you-mean suggestion.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/scenario/diagnostic.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

/// Which weekdays (index 0 = Monday) a roster line works.
using Days = std::array<bool, 7>;

/// The keys of a roster line: what the loader accepts and what a selector may compare.
extern const std::vector<std::string> roster_line_keys;

/// One days word as a roster line writes it: all, weekdays, weekends, mon, or a range fri-mon (a
/// range may wrap); nothing when it is none of these.
std::optional<Days> parse_days_word(std::string_view word);

/// Every condition must hold for a line to be selected. Empty: every line (`[*]`).
struct RosterSelector {
    struct Condition {
        std::string key;
        std::string value;
    };
    std::vector<Condition> conditions;
};

/// One roster line in a scenario tree, with its key path (`roster[3]`, `rosters.recovery[0]`).
template <class N>
struct RosterLineRef {
    std::string path;
    N* line;
};

/// Parses the syntax `key=value,key=value` only, keys unchecked (lists other than the roster use
/// it too). `*` or empty text is no condition. On a problem returns nothing and sets `error`.
std::optional<RosterSelector> parse_selector_conditions(std::string_view text, std::string& error);

/// Parses `room=hanley,shift=night` (or `*`, or empty, for every line). Spaces around keys and
/// values are ignored. On a problem returns nothing and sets `error` to what was expected.
std::optional<RosterSelector> parse_roster_selector(std::string_view text, std::string& error);

/// Reads a selector written as a YAML map `{room: hanley, shift: night}`; problems are added to
/// `diagnostics` at the offending node, under `path`.
std::optional<RosterSelector> read_roster_selector(const Node& map, const std::string& path,
                                                   std::vector<Diagnostic>& diagnostics);

/// The selector's problems that do not depend on any roster (an unknown key, days that are not
/// days), as messages; empty when it is well formed.
std::vector<std::string> check_roster_selector(const RosterSelector& selector);

/// True when `line` (a roster line map) satisfies every condition.
bool roster_line_matches(const Node& line, const RosterSelector& selector);

/// The lines of `roster` then of each `rosters` block, in file order, of a (merged) scenario tree.
std::vector<RosterLineRef<Node>> roster_lines(Node& root);
std::vector<RosterLineRef<const Node>> roster_lines(const Node& root);

/// The lines of `lines` that match.
template <class N>
std::vector<RosterLineRef<N>> select_roster_lines(const std::vector<RosterLineRef<N>>& lines,
                                                  const RosterSelector& selector) {
    std::vector<RosterLineRef<N>> out;
    for (const auto& ref : lines)
        if (roster_line_matches(*ref.line, selector)) out.push_back(ref);
    return out;
}

/// Why a selector picks no line, for an error message: the first condition no line satisfies,
/// with the closest value some line has ("no roster line has shift 'nigth'; did you mean 'night'?
/// lines have shift early, day or night"), or that the conditions together match nothing.
std::string explain_no_match(const std::vector<RosterLineRef<const Node>>& lines, const RosterSelector& selector);

}  // namespace crsim::scenario
