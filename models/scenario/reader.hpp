#pragma once
/// \file
/// Typed reading of tree nodes for the scenario schema. Every reader reports what was expected
/// (as a diagnostic at the node, under its key path) and returns nothing on a problem, so the
/// loader carries on and collects every error in one pass.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crsim/scenario/diagnostic.hpp"
#include "crsim/sim/distribution.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

/// The longest duration a scenario may give (about 317 years), and the largest mean and standard
/// deviation of a distribution: beyond it, simulated times lose the precision of a second.
constexpr double max_duration_s = 1e10;

/// The largest share with no natural upper bound (premiums, inflations): 100 is 10000%.
constexpr double max_ratio = 100;

/// The range a number or duration must lie in.
enum class Bound { any, non_negative, positive };

/// `path.key`, or `key` at the top.
std::string join_path(const std::string& path, std::string_view key);

/// `path[index]`.
std::string index_path(const std::string& path, std::size_t index);

class Reader {
public:
    explicit Reader(std::vector<Diagnostic>& diagnostics) : diagnostics_(diagnostics) {}

    /// Records an error at `at`.
    void error(const SourcePos& at, const std::string& path, std::string message);
    /// Records a warning at `at`.
    void warning(const SourcePos& at, const std::string& path, std::string message);
    /// The number of errors recorded so far (warnings excluded).
    std::size_t error_count() const;

    /// True for a map; otherwise reports "expected a map" (`what` may describe it better).
    bool expect_map(const Node& n, const std::string& path, std::string_view what = "a map");
    /// True for a sequence; otherwise reports "expected a list".
    bool expect_list(const Node& n, const std::string& path, std::string_view what = "a list");

    /// Reports each key of `map` not in `allowed`, suggesting the closest allowed one.
    void check_keys(const Node& map, const std::string& path, const std::vector<std::string>& allowed,
                    std::string_view none_allowed_hint = {});

    /// The value of `key`, or nullptr when it is absent or null (null means "use the default").
    static const Node* get(const Node& map, std::string_view key);
    /// The value of a required `key`; reports "missing required key" at the map when absent or null.
    const Node* require(const Node& map, const std::string& path, std::string_view key);

    /// A text (non-empty scalar), e.g. a name.
    std::optional<std::string> text(const Node& n, const std::string& path, std::string_view what = "a name");
    /// A plain number within `bound`, at most `max`.
    std::optional<double> number(const Node& n, const std::string& path, Bound bound = Bound::any,
                                 double max = std::numeric_limits<double>::max());
    /// A plain whole number from 0 to `max`, exact over the whole 64-bit range (a seed).
    std::optional<std::uint64_t> whole_number(const Node& n, const std::string& path, std::uint64_t max);
    /// A plain integer from `min` to `max`.
    std::optional<long long> integer(const Node& n, const std::string& path, long long min,
                                     long long max = std::numeric_limits<int>::max());
    /// A duration with a unit within `bound`; with `allow_never`, the word `never` gives infinity.
    std::optional<double> duration(const Node& n, const std::string& path, Bound bound, bool allow_never = false);
    /// A share of a whole (0.15 or 15%) in [0, `max_share`] (or [0, max_share) if `max_exclusive`).
    std::optional<double> share(const Node& n, const std::string& path, double max_share, bool max_exclusive);
    /// A share with no upper bound (0.5 or 50%, 1.5 or 150%), >= 0: premiums and inflations.
    std::optional<double> ratio(const Node& n, const std::string& path);
    /// `true` or `false`, unquoted.
    std::optional<bool> boolean(const Node& n, const std::string& path);
    /// A percentage (5 or 5%) from 0 to 100.
    std::optional<double> percent(const Node& n, const std::string& path);
    /// A clock time HH:MM, in seconds after midnight.
    std::optional<double> clock_time(const Node& n, const std::string& path);
    /// A distribution of a duration: a plain duration (deterministic) or a map with `dist`.
    /// With `positive_mean`, a distribution whose mean is zero is an error.
    std::optional<sim::Distribution> distribution(const Node& n, const std::string& path, bool positive_mean);

    /// Reports a reference to a name not defined: "no <what> named 'x'; did you mean 'y'?".
    void unknown_name(const Node& at, const std::string& path, std::string_view what, const std::string& name,
                      const std::vector<std::string>& defined);

    /// "a map", "a list", "null", or the scalar as written.
    static std::string describe(const Node& n);

private:
    std::optional<std::string> plain_scalar(const Node& n, const std::string& path, std::string_view expected);

    std::vector<Diagnostic>& diagnostics_;
};

}  // namespace crsim::scenario
