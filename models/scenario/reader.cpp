#include "reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "crsim/scenario/suggest.hpp"
#include "crsim/scenario/units.hpp"

namespace crsim::scenario {

std::string join_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

void Reader::error(const SourcePos& at, const std::string& path, std::string message) {
    diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, path, std::move(message), false});
}

void Reader::warning(const SourcePos& at, const std::string& path, std::string message) {
    diagnostics_.push_back(Diagnostic{at.file, at.line, at.column, path, std::move(message), true});
}

std::size_t Reader::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& d) { return !d.warning; }));
}

std::string Reader::describe(const Node& n) {
    switch (n.kind) {
        case Node::Kind::null:
            return "nothing";
        case Node::Kind::map:
            return "a map";
        case Node::Kind::sequence:
            return "a list";
        case Node::Kind::scalar:
            break;
    }
    if (n.tag.empty()) {
        return "'" + n.text + "'";
    }
    if (n.tag == "!") {
        return "\"" + n.text + "\" (quoted, so a string)";
    }
    const std::string prefix = "tag:yaml.org,2002:";
    const std::string tag = n.tag.rfind(prefix, 0) == 0 ? "!!" + n.tag.substr(prefix.size()) : n.tag;
    return "'" + n.text + "' (tagged " + tag + (n.plain ? ")" : ", so a string)");
}

bool Reader::expect_map(const Node& n, const std::string& path, std::string_view what) {
    if (n.kind == Node::Kind::map) {
        return true;
    }
    error(n.pos, path, "expected " + std::string(what) + ", got " + describe(n));
    return false;
}

bool Reader::expect_list(const Node& n, const std::string& path, std::string_view what) {
    if (n.kind == Node::Kind::sequence) {
        return true;
    }
    error(n.pos, path, "expected " + std::string(what) + ", got " + describe(n));
    return false;
}

void Reader::check_keys(const Node& map, const std::string& path, const std::vector<std::string>& allowed,
                        std::string_view none_allowed_hint) {
    const MapEntry* previous = nullptr;
    for (const MapEntry& e : map.entries) {
        const MapEntry* before = std::exchange(previous, &e);
        if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) {
            continue;
        }
        std::string message = "unknown key '" + e.key + "'";
        // `{per_year: 90,000}` is read by YAML as per_year: 90 and a key 000 without a value.
        const bool digits =
            e.key.size() == 3 && std::all_of(e.key.begin(), e.key.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits && e.value.kind == Node::Kind::null && before != nullptr &&
            before->value.kind == Node::Kind::scalar && before->value.plain) {
            error(before->value.pos, join_path(path, before->key),
                  "'" + before->value.text + "," + e.key +
                      "' is not a number: thousands separators are not allowed (write " + before->value.text + e.key +
                      ")");
            continue;
        }
        if (allowed.empty()) {
            message += "; " + std::string(none_allowed_hint);
        } else if (const auto guess = closest(e.key, allowed)) {
            message += "; did you mean '" + *guess + "'?";
        } else {
            message += "; expected one of: " + join_list(allowed);
        }
        error(e.key_pos, join_path(path, e.key), std::move(message));
    }
}

const Node* Reader::get(const Node& map, std::string_view key) {
    const Node* n = map.find(key);
    return n != nullptr && n->kind != Node::Kind::null ? n : nullptr;
}

const Node* Reader::require(const Node& map, const std::string& path, std::string_view key) {
    const Node* n = get(map, key);
    if (n == nullptr) {
        error(map.pos, path, "missing required key '" + std::string(key) + "'");
    }
    return n;
}

std::optional<std::string> Reader::text(const Node& n, const std::string& path, std::string_view what) {
    if (n.kind != Node::Kind::scalar || n.text.empty()) {
        error(n.pos, path, "expected " + std::string(what) + ", got " + describe(n));
        return std::nullopt;
    }
    return n.text;
}

std::optional<std::string> Reader::plain_scalar(const Node& n, const std::string& path, std::string_view expected) {
    if (n.kind != Node::Kind::scalar || !n.plain) {
        error(n.pos, path, "expected " + std::string(expected) + ", got " + describe(n));
        return std::nullopt;
    }
    return n.text;
}

std::optional<double> Reader::number(const Node& n, const std::string& path, Bound bound, double max) {
    const auto s = plain_scalar(n, path, "a number");
    if (!s) {
        return std::nullopt;
    }
    const Parsed<double> v = parse_number(*s);
    if (!v) {
        error(n.pos, path, v.error);
        return std::nullopt;
    }
    if (bound == Bound::positive && !(*v.value > 0)) {
        error(n.pos, path, "expected a positive number, got " + *s);
        return std::nullopt;
    }
    if (bound == Bound::non_negative && *v.value < 0) {
        error(n.pos, path, "expected a number >= 0, got " + *s);
        return std::nullopt;
    }
    if (*v.value > max) {
        error(n.pos, path, "expected a number <= " + format_rounded(max) + ", got " + *s);
        return std::nullopt;
    }
    return v.value;
}

std::optional<std::uint64_t> Reader::whole_number(const Node& n, const std::string& path, std::uint64_t max) {
    const auto s = plain_scalar(n, path, "a whole number");
    if (!s) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const char* first = s->data();
    const char* last = s->data() + s->size();
    const auto [end, ec] = std::from_chars(first, last, value);
    if (s->empty() || end != last || ec == std::errc::invalid_argument) {
        error(n.pos, path, "expected a whole number from 0 to " + std::to_string(max) + ", got " + describe(n));
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range || value > max) {
        error(n.pos, path, "expected a whole number <= " + std::to_string(max) + ", got " + *s);
        return std::nullopt;
    }
    return value;
}

std::optional<long long> Reader::integer(const Node& n, const std::string& path, long long min, long long max) {
    const auto s = plain_scalar(n, path, "an integer");
    if (!s) {
        return std::nullopt;
    }
    const Parsed<double> v = parse_number(*s);
    const bool integral = v && s->find_first_of(".eE") == std::string::npos && std::abs(*v.value) < 9e15;
    if (!integral) {
        error(n.pos, path, "expected an integer, got " + describe(n));
        return std::nullopt;
    }
    const auto value = static_cast<long long>(*v.value);
    if (value < min) {
        error(n.pos, path, "expected an integer >= " + std::to_string(min) + ", got " + *s);
        return std::nullopt;
    }
    if (value > max) {
        error(n.pos, path, "expected an integer <= " + std::to_string(max) + ", got " + *s);
        return std::nullopt;
    }
    return value;
}

std::optional<double> Reader::duration(const Node& n, const std::string& path, Bound bound, bool allow_never) {
    if (n.kind != Node::Kind::scalar || !n.plain) {
        error(n.pos, path,
              std::string(allow_never ? "expected a duration with a unit (s, min, h, d, w) or never"
                                      : "expected a duration with a unit (s, min, h, d, w), e.g. 30s") +
                  ", got " + describe(n));
        return std::nullopt;
    }
    if (allow_never && n.text == "never") {
        return std::numeric_limits<double>::infinity();
    }
    const Parsed<double> v = parse_duration(n.text);
    if (!v) {
        error(n.pos, path, allow_never ? v.error + " (or never)" : v.error);
        return std::nullopt;
    }
    if (bound == Bound::positive && !(*v.value > 0)) {
        error(n.pos, path, "expected a positive duration, got " + n.text);
        return std::nullopt;
    }
    if (bound == Bound::non_negative && *v.value < 0) {
        error(n.pos, path, "expected a duration >= 0, got " + n.text);
        return std::nullopt;
    }
    if (std::abs(*v.value) > max_duration_s) {
        error(
            n.pos, path,
            "expected a duration of at most " + format_rounded(max_duration_s) + "s (about 317 years), got " + n.text);
        return std::nullopt;
    }
    return v.value;
}

std::optional<double> Reader::share(const Node& n, const std::string& path, double max_share, bool max_exclusive) {
    std::string range = max_exclusive ? "a share from 0 up to but not including " : "a share from 0 to ";
    range += format_rounded(max_share);
    range += " (e.g. 0.15 or 15%)";
    if (n.kind != Node::Kind::scalar || !n.plain) {
        error(n.pos, path, "expected " + range + ", got " + describe(n));
        return std::nullopt;
    }
    const Parsed<double> v = parse_share(n.text);
    if (!v) {
        error(n.pos, path, v.error);
        return std::nullopt;
    }
    if (*v.value < 0 || *v.value > max_share || (max_exclusive && *v.value == max_share)) {
        error(n.pos, path, "expected " + range + ", got " + n.text);
        return std::nullopt;
    }
    return v.value;
}

std::optional<double> Reader::ratio(const Node& n, const std::string& path) {
    constexpr std::string_view expected = "expected a share >= 0 (e.g. 0.5 or 50%)";
    if (n.kind != Node::Kind::scalar || !n.plain) {
        error(n.pos, path, std::string(expected) + ", got " + describe(n));
        return std::nullopt;
    }
    const Parsed<double> v = parse_share(n.text);
    if (!v) {
        error(n.pos, path, v.error);
        return std::nullopt;
    }
    if (*v.value < 0) {
        error(n.pos, path, std::string(expected) + ", got " + n.text);
        return std::nullopt;
    }
    if (*v.value > max_ratio) {
        error(n.pos, path,
              "expected a share of at most " + format_rounded(max_ratio) + " (" + format_rounded(max_ratio * 100) +
                  "%), got " + n.text);
        return std::nullopt;
    }
    return v.value;
}

std::optional<bool> Reader::boolean(const Node& n, const std::string& path) {
    if (n.kind == Node::Kind::scalar && n.plain && (n.text == "true" || n.text == "false")) {
        return n.text == "true";
    }
    error(n.pos, path, "expected true or false, got " + describe(n));
    return std::nullopt;
}

std::optional<double> Reader::percent(const Node& n, const std::string& path) {
    if (n.kind != Node::Kind::scalar || !n.plain) {
        error(n.pos, path, "expected a percentage such as 5 or 5%, got " + describe(n));
        return std::nullopt;
    }
    const Parsed<double> v = parse_percent(n.text);
    if (!v) {
        error(n.pos, path, v.error);
        return std::nullopt;
    }
    if (*v.value < 0 || *v.value > 100) {
        error(n.pos, path, "expected a percentage from 0 to 100, got " + n.text);
        return std::nullopt;
    }
    return v.value;
}

std::optional<double> Reader::clock_time(const Node& n, const std::string& path) {
    if (n.kind != Node::Kind::scalar) {
        error(n.pos, path, "expected a clock time HH:MM from 00:00 to 23:59, got " + describe(n));
        return std::nullopt;
    }
    const Parsed<double> v = parse_clock_time(n.text);
    if (!v) {
        error(n.pos, path, v.error);
    }
    return v.value;
}

namespace {

struct DistKind {
    std::string name;
    std::vector<std::string> params;
};

const std::vector<DistKind>& dist_kinds() {
    static const std::vector<DistKind> kinds = {
        {"exponential", {"mean"}},       {"lognormal", {"mean", "sd"}}, {"gamma", {"mean", "sd"}},
        {"weibull", {"shape", "scale"}}, {"uniform", {"low", "high"}},  {"deterministic", {"value"}},
        {"empirical", {"values"}},
    };
    return kinds;
}

}  // namespace

std::optional<sim::Distribution> Reader::distribution(const Node& n, const std::string& path, bool positive_mean) {
    if (n.kind == Node::Kind::scalar) {
        const auto v = duration(n, path, positive_mean ? Bound::positive : Bound::non_negative);
        if (!v) {
            return std::nullopt;
        }
        return sim::Distribution::deterministic(*v);
    }
    if (n.kind != Node::Kind::map) {
        error(n.pos, path,
              "expected a duration (e.g. 30s) or a map with 'dist' (e.g. {dist: exponential, mean: 5min}), got " +
                  describe(n));
        return std::nullopt;
    }
    const Node* dist_node = require(n, path, "dist");
    if (dist_node == nullptr) {
        return std::nullopt;
    }
    const std::string dist_path = join_path(path, "dist");
    const auto dist_name = text(*dist_node, dist_path, "a distribution name");
    if (!dist_name) {
        return std::nullopt;
    }
    const auto& kinds = dist_kinds();
    const auto kind = std::find_if(kinds.begin(), kinds.end(), [&](const DistKind& k) { return k.name == *dist_name; });
    if (kind == kinds.end()) {
        std::vector<std::string> names;
        for (const DistKind& k : kinds) {
            names.push_back(k.name);
        }
        std::string message = "unknown distribution '" + *dist_name + "'";
        if (const auto guess = closest(*dist_name, names)) {
            message += "; did you mean '" + *guess + "'?";
        }
        message += " (valid: " + join_list(names, "and") + ")";
        error(dist_node->pos, dist_path, std::move(message));
        return std::nullopt;
    }
    std::vector<std::string> allowed = kind->params;
    allowed.insert(allowed.begin(), "dist");
    const std::size_t errors_before = error_count();
    check_keys(n, path, allowed);

    // Each parameter, read with the bound it needs; missing ones are reported by require().
    const auto param_duration = [&](const std::string& key, Bound bound) -> std::optional<double> {
        const Node* p = require(n, path, key);
        return p != nullptr ? duration(*p, join_path(path, key), bound) : std::nullopt;
    };
    std::optional<sim::Distribution> result;
    try {
        const std::string& k = kind->name;
        if (k == "exponential") {
            if (const auto mean = param_duration("mean", Bound::positive)) {
                result = sim::Distribution::exponential(*mean);
            }
        } else if (k == "lognormal" || k == "gamma") {
            const auto mean = param_duration("mean", Bound::positive);
            const auto sd = param_duration("sd", Bound::positive);
            if (mean && sd) {
                result =
                    k == "lognormal" ? sim::Distribution::lognormal(*mean, *sd) : sim::Distribution::gamma(*mean, *sd);
            }
        } else if (k == "weibull") {
            const Node* shape_node = require(n, path, "shape");
            const auto shape =
                shape_node != nullptr ? number(*shape_node, join_path(path, "shape"), Bound::positive) : std::nullopt;
            const auto scale = param_duration("scale", Bound::positive);
            if (shape && scale) {
                result = sim::Distribution::weibull(*shape, *scale);
            }
        } else if (k == "uniform") {
            const auto low = param_duration("low", Bound::non_negative);
            const auto high = param_duration("high", Bound::non_negative);
            if (low && high) {
                if (*high < *low) {
                    error(n.find("high")->pos, join_path(path, "high"),
                          "expected at least low (" + format_duration(*low) + "), got " + n.find("high")->text);
                } else {
                    result = sim::Distribution::uniform(*low, *high);
                }
            }
        } else if (k == "deterministic") {
            if (const auto value = param_duration("value", Bound::non_negative)) {
                result = sim::Distribution::deterministic(*value);
            }
        } else {  // empirical
            const Node* values = require(n, path, "values");
            const std::string values_path = join_path(path, "values");
            if (values != nullptr && expect_list(*values, values_path, "a list of durations")) {
                std::vector<double> observations;
                for (std::size_t i = 0; i < values->items.size(); ++i) {
                    if (const auto v = duration(values->items[i], index_path(values_path, i), Bound::non_negative)) {
                        observations.push_back(*v);
                    }
                }
                if (values->items.empty()) {
                    error(values->pos, values_path, "expected at least one duration");
                } else if (observations.size() == values->items.size()) {
                    result = sim::Distribution::empirical(std::move(observations));
                }
            }
        }
    } catch (const std::invalid_argument& e) {
        error(n.pos, path, e.what());
        return std::nullopt;
    }
    if (error_count() != errors_before) {
        return std::nullopt;
    }
    // Parameters each valid on their own may still give a mean or spread no clock can use (a
    // Weibull shape of 0.001 has a mean of about 10^2564 times its scale): refuse them here, where
    // the message can say where, rather than fail in the middle of a run.
    if (result) {
        const double mean = result->mean();
        const double sd = result->sd();
        if (!std::isfinite(mean) || std::abs(mean) > max_duration_s) {
            error(n.pos, path,
                  "expected a distribution with a mean of at most " + format_rounded(max_duration_s) + "s, got " +
                      (std::isfinite(mean) ? format_rounded(mean) + "s" : std::string("one too large to compute")) +
                      ": " + result->describe());
            return std::nullopt;
        }
        if (!std::isfinite(sd) || sd > max_duration_s) {
            error(n.pos, path,
                  "expected a distribution with a standard deviation of at most " + format_rounded(max_duration_s) +
                      "s, got " +
                      (std::isfinite(sd) ? format_rounded(sd) + "s" : std::string("one too large to compute")) + ": " +
                      result->describe());
            return std::nullopt;
        }
    }
    if (result && positive_mean && !(result->mean() > 0)) {
        error(n.pos, path, "expected a distribution with a positive mean, got " + format_duration(result->mean()));
        return std::nullopt;
    }
    return result;
}

void Reader::unknown_name(const Node& at, const std::string& path, std::string_view what, const std::string& name,
                          const std::vector<std::string>& defined) {
    std::string message = "no " + std::string(what) + " named '" + name + "'";
    if (const auto guess = closest(name, defined)) {
        message += "; did you mean '" + *guess + "'?";
    } else if (defined.empty()) {
        message += " (none is defined)";
    } else {
        message += " (defined: " + join_list(defined, "and") + ")";
    }
    error(at.pos, path, std::move(message));
}

}  // namespace crsim::scenario
