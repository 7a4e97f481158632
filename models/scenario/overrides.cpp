#include "crsim/scenario/overrides.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "apply_overrides.hpp"
#include "crsim/scenario/suggest.hpp"
#include "crsim/scenario/units.hpp"
#include "roster_selector.hpp"

namespace crsim::scenario {

namespace {

/// One step of a path: a map key, or a bracket on the list (or map) reached so far.
struct Step {
    enum class Kind { key, index, all, select };
    Kind kind = Kind::key;
    std::string key;          ///< Kind::key
    std::size_t index = 0;    ///< Kind::index
    RosterSelector selector;  ///< Kind::select
    std::string text;         ///< the step as written, for messages
};

std::optional<std::vector<Step>> parse_path(std::string_view path, std::string& error) {
    std::vector<Step> steps;
    std::size_t i = 0;
    bool expect_key = true;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos) {
                error = "unclosed '[' in the path";
                return std::nullopt;
            }
            if (steps.empty()) {
                error = "a path starts with a key, such as roster[3] or classes.101";
                return std::nullopt;
            }
            const std::string_view inside = path.substr(i + 1, close - i - 1);
            Step s;
            s.text = std::string(path.substr(i, close - i + 1));
            std::size_t index = 0;
            const auto [end, ec] = std::from_chars(inside.data(), inside.data() + inside.size(), index);
            if (inside == "*") {
                s.kind = Step::Kind::all;
            } else if (!inside.empty() && ec == std::errc() && end == inside.data() + inside.size()) {
                s.kind = Step::Kind::index;
                s.index = index;
            } else {
                std::string why;
                auto selector = parse_selector_conditions(inside, why);
                if (!selector || selector->conditions.empty()) {
                    error = "'" + s.text + "': expected an index from 0, * or key=value conditions (" +
                            (why.empty() ? "room=hanley,shift=night" : why) + ")";
                    return std::nullopt;
                }
                s.kind = Step::Kind::select;
                s.selector = std::move(*selector);
            }
            steps.push_back(std::move(s));
            i = close + 1;
            expect_key = false;
            continue;
        }
        if (path[i] == '.') {
            if (expect_key) {
                error = "an empty key in the path (two dots, or a leading dot)";
                return std::nullopt;
            }
            expect_key = true;
            ++i;
            continue;
        }
        if (!expect_key) {
            error = "expected '.' or '[' after '" + std::string(path.substr(0, i)) + "'";
            return std::nullopt;
        }
        const std::size_t end = path.find_first_of(".[]", i);
        if (end != std::string_view::npos && path[end] == ']') {
            error = "a ']' without its '['";
            return std::nullopt;
        }
        Step s;
        s.key = std::string(path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
        s.text = s.key;
        steps.push_back(std::move(s));
        expect_key = false;
        i = end == std::string_view::npos ? path.size() : end;
    }
    if (steps.empty() || expect_key) {
        error = steps.empty() ? "an empty path" : "the path ends with a dot";
        return std::nullopt;
    }
    return steps;
}

bool looks_integer(const std::string& text) { return text.find_first_of(".eE") == std::string::npos; }

/// `current` (a number, a duration or a percentage) plus or times `operand`, written in the same
/// notation; nothing (and `error`) when they do not fit.
std::optional<std::string> combine(const std::string& current, Override::Op op, const std::string& operand,
                                   std::string& error) {
    const char* verb = op == Override::Op::add ? "add" : "multiply";
    const Parsed<double> factor = parse_number(operand);
    if (op == Override::Op::multiply && !factor) {
        error = "*= takes a plain number (a factor such as 1.1), got '" + operand + "'";
        return std::nullopt;
    }
    if (const Parsed<double> n = parse_number(current)) {
        double result = 0;
        if (op == Override::Op::multiply) {
            result = *n.value * *factor.value;
        } else if (factor) {
            result = *n.value + *factor.value;
        } else {
            error = "the value is a number (" + current + "): += takes a plain number, got '" + operand + "'";
            return std::nullopt;
        }
        if (!looks_integer(current)) return format_exact(result);
        // Checked before rounding: llround of a value beyond long long is undefined.
        if (!(std::abs(result) < 9e18)) {
            error = "the result (" + format_exact(result) + ") is out of range for a whole number";
            return std::nullopt;
        }
        return std::to_string(std::llround(result));
    }
    if (!current.empty() && current.back() == '%') {
        const Parsed<double> share = parse_share(current);
        if (share) {
            double result = 0;
            if (op == Override::Op::multiply) {
                result = *share.value * *factor.value;
            } else if (!operand.empty() && operand.back() == '%' && parse_share(operand)) {
                result = *share.value + *parse_share(operand).value;
            } else {
                error = "the value is a percentage (" + current + "): += takes a percentage such as 5%, got '" +
                        operand + "'";
                return std::nullopt;
            }
            return format_exact(result * 100) + "%";
        }
    }
    if (const Parsed<double> d = parse_duration(current)) {
        double seconds = 0;
        if (op == Override::Op::multiply) {
            seconds = *d.value * *factor.value;
        } else if (const Parsed<double> more = parse_duration(operand)) {
            seconds = *d.value + *more.value;
        } else {
            error = "the value is a duration (" + current + "): += takes a duration such as 30s or 2min, got '" +
                    operand + "'";
            return std::nullopt;
        }
        // Written in the unit the value had: 8min * 1.1 gives 8.8min.
        std::size_t unit_start = current.size();
        while (unit_start > 0 && std::isalpha(static_cast<unsigned char>(current[unit_start - 1]))) --unit_start;
        const std::string unit = current.substr(unit_start);
        const double unit_s = *parse_duration("1" + unit).value;
        return format_exact(seconds / unit_s) + unit;
    }
    error = std::string("cannot ") + verb + " '" + current + "': expected a number, a duration or a percentage there";
    return std::nullopt;
}

void set_positions(Node& n, const SourcePos& pos) {
    n.pos = pos;
    for (Node& item : n.items) set_positions(item, pos);
    for (MapEntry& e : n.entries) {
        e.key_pos = pos;
        set_positions(e.value, pos);
    }
}

std::string describe_kind(const Node& n) {
    switch (n.kind) {
        case Node::Kind::null:
            return "empty";
        case Node::Kind::scalar:
            return "a value (" + n.text + ")";
        case Node::Kind::sequence:
            return "a list";
        case Node::Kind::map:
            return "a map";
    }
    return "a node";
}

struct Target {
    Node* node;
    std::string path;
};

/// Walks `steps` from the root; fills `out` with the nodes addressed. `create_last` adds a missing
/// last key (for `=`).
class Walker {
public:
    Walker(Node& root, const Override& o, std::vector<Diagnostic>& diagnostics)
        : root_(root), o_(o), diagnostics_(diagnostics) {}

    bool walk(const std::vector<Step>& steps, std::vector<Target>& out) {
        std::vector<Target> current = {{&root_, ""}};
        for (std::size_t s = 0; s < steps.size(); ++s) {
            const Step& step = steps[s];
            const bool last = s + 1 == steps.size();
            std::vector<Target> next;
            for (const Target& t : current) {
                if (!advance(t, step, last, next)) return false;
            }
            current = std::move(next);
        }
        out = std::move(current);
        return true;
    }

private:
    bool error(const std::string& path, std::string message) {
        diagnostics_.push_back(Diagnostic{o_.origin, 0, 0, path, std::move(message), false});
        return false;
    }

    static std::string child(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }

    bool advance(const Target& t, const Step& step, bool last, std::vector<Target>& next) {
        Node& n = *t.node;
        switch (step.kind) {
            case Step::Kind::key: {
                const std::string path = child(t.path, step.key);
                if (n.kind == Node::Kind::null && last && o_.op == Override::Op::set) n.kind = Node::Kind::map;
                if (n.kind != Node::Kind::map)
                    return error(t.path, "is " + describe_kind(n) + ", not a map: it has no key '" + step.key + "'");
                for (MapEntry& e : n.entries) {
                    if (e.key == step.key) {
                        next.push_back({&e.value, path});
                        return true;
                    }
                }
                std::vector<std::string> keys;
                for (const MapEntry& e : n.entries) keys.push_back(e.key);
                const auto guess = closest(step.key, keys);
                if (last && o_.op == Override::Op::set && !guess) {
                    // A key the scenario leaves out, set here (validation judges whether it exists).
                    n.entries.push_back(MapEntry{step.key, SourcePos{o_.origin, 0, 0}, Node{}});
                    next.push_back({&n.entries.back().value, path});
                    return true;
                }
                std::string where = t.path.empty() ? "the scenario" : t.path;
                std::string message = "no key '" + step.key + "' in " + where;
                if (guess)
                    message += "; did you mean '" + *guess + "'?";
                else if (!keys.empty())
                    message += " (it has " + join_list(keys, "and") + ")";
                return error(path, std::move(message));
            }
            case Step::Kind::index: {
                const std::string path = t.path + step.text;
                if (n.kind != Node::Kind::sequence)
                    return error(t.path, "is " + describe_kind(n) + ", not a list: " + step.text + " needs a list");
                if (step.index >= n.items.size()) {
                    const std::string range =
                        n.items.empty() ? "it is empty" : "indexes go from 0 to " + std::to_string(n.items.size() - 1);
                    return error(path, "no item " + std::to_string(step.index) + " in " + t.path + " (" + range + ")");
                }
                next.push_back({&n.items[step.index], path});
                return true;
            }
            case Step::Kind::all:
            case Step::Kind::select:
                return select(t, step, next);
        }
        return false;
    }

    bool select(const Target& t, const Step& step, std::vector<Target>& next) {
        Node& n = *t.node;
        const bool is_roster = t.path == "roster" || t.path.rfind("rosters.", 0) == 0;
        if (is_roster && n.kind == Node::Kind::sequence) {
            // `roster[...]` covers every line: those of `roster` and of each `rosters` block.
            std::vector<RosterLineRef<Node>> lines;
            if (t.path == "roster") {
                lines = roster_lines(root_);
            } else {
                for (std::size_t i = 0; i < n.items.size(); ++i)
                    lines.push_back({t.path + "[" + std::to_string(i) + "]", &n.items[i]});
            }
            const std::vector<std::string> problems = check_roster_selector(step.selector);
            if (!problems.empty()) return error(t.path + step.text, problems.front());
            const auto chosen = select_roster_lines(lines, step.selector);
            if (chosen.empty()) {
                std::vector<RosterLineRef<const Node>> view;
                for (const auto& l : lines) view.push_back({l.path, l.line});
                return error(t.path + step.text, explain_no_match(view, step.selector));
            }
            for (const auto& l : chosen) next.push_back({l.line, l.path});
            return true;
        }
        if (n.kind == Node::Kind::map && step.kind == Step::Kind::all) {
            for (MapEntry& e : n.entries) next.push_back({&e.value, child(t.path, e.key)});
            if (n.entries.empty()) return error(t.path + step.text, "the map is empty");
            return true;
        }
        if (n.kind != Node::Kind::sequence)
            return error(t.path, "is " + describe_kind(n) + ", not a list: " + step.text + " needs a list");
        const std::size_t before = next.size();
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            const Node& item = n.items[i];
            const bool all = std::all_of(step.selector.conditions.begin(), step.selector.conditions.end(),
                                         [&](const RosterSelector::Condition& c) {
                                             const Node* v = item.find(c.key);
                                             return v != nullptr && v->kind == Node::Kind::scalar && v->text == c.value;
                                         });
            if (all) next.push_back({&n.items[i], t.path + "[" + std::to_string(i) + "]"});
        }
        if (next.size() > before) return true;
        if (n.items.empty()) return error(t.path + step.text, "the list is empty");
        // The first condition no item satisfies, with the values the items have.
        for (const RosterSelector::Condition& c : step.selector.conditions) {
            std::vector<std::string> values;
            for (const Node& item : n.items) {
                const Node* v = item.find(c.key);
                if (v != nullptr && v->kind == Node::Kind::scalar &&
                    std::find(values.begin(), values.end(), v->text) == values.end())
                    values.push_back(v->text);
            }
            if (std::find(values.begin(), values.end(), c.value) != values.end()) continue;
            std::string message = "no item of " + t.path + " has " + c.key + " '" + c.value + "'";
            if (const auto guess = closest(c.value, values))
                message += "; did you mean '" + *guess + "'?";
            else if (!values.empty())
                message += " (items have " + c.key + " " + join_list(values) + ")";
            return error(t.path + step.text, std::move(message));
        }
        return error(t.path + step.text, "no item of " + t.path + " has all of these at once");
    }

    Node& root_;
    const Override& o_;
    std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

std::string Override::text() const {
    const char* sign = op == Op::set ? "=" : op == Op::add ? "+=" : "*=";
    return path + sign + value;
}

std::optional<Override> parse_override(std::string_view argument, std::string& error) {
    int depth = 0;
    std::size_t eq = std::string_view::npos;
    for (std::size_t i = 0; i < argument.size(); ++i) {
        if (argument[i] == '[')
            ++depth;
        else if (argument[i] == ']')
            --depth;
        else if (argument[i] == '=' && depth == 0) {
            eq = i;
            break;
        }
    }
    if (eq == std::string_view::npos) eq = argument.find('=');  // unbalanced brackets: the path says why
    if (eq == std::string_view::npos || eq == 0) {
        error = "expected PATH=VALUE, PATH+=VALUE or PATH*=VALUE (e.g. classes.101.patience.mean=5min), got '" +
                std::string(argument) + "'";
        return std::nullopt;
    }
    Override o;
    std::size_t path_end = eq;
    if (argument[eq - 1] == '+') {
        o.op = Override::Op::add;
        --path_end;
    } else if (argument[eq - 1] == '*') {
        o.op = Override::Op::multiply;
        --path_end;
    }
    o.path = std::string(argument.substr(0, path_end));
    o.value = std::string(argument.substr(eq + 1));
    o.origin = "--set '" + std::string(argument) + "'";
    std::string why;
    if (!parse_path(o.path, why)) {
        error = "'" + std::string(argument) + "': " + why;
        return std::nullopt;
    }
    if (o.op != Override::Op::set && o.value.empty()) {
        error = "'" + std::string(argument) + "': nothing after the operator";
        return std::nullopt;
    }
    return o;
}

bool apply_override(Node& root, const Override& o, std::vector<Diagnostic>& diagnostics) {
    const auto fail = [&](const std::string& path, std::string message) {
        diagnostics.push_back(Diagnostic{o.origin, 0, 0, path, std::move(message), false});
        return false;
    };
    std::string why;
    const std::optional<std::vector<Step>> steps = parse_path(o.path, why);
    if (!steps) return fail("", why);
    Node copy = root;  // left unchanged when any part fails
    std::vector<Target> targets;
    if (!Walker(copy, o, diagnostics).walk(*steps, targets)) return false;

    const SourcePos origin{o.origin, 0, 0};
    if (o.op == Override::Op::set) {
        std::vector<Diagnostic> parse_problems;
        std::optional<Node> value = parse_yaml(o.value, o.origin, parse_problems);
        if (!value || has_errors(parse_problems)) {
            diagnostics.insert(diagnostics.end(), parse_problems.begin(), parse_problems.end());
            if (!has_errors(parse_problems)) return fail(o.path, "the value is not YAML");
            return false;
        }
        set_positions(*value, origin);
        for (const Target& t : targets) *t.node = *value;
    } else {
        for (const Target& t : targets) {
            if (t.node->kind != Node::Kind::scalar)
                return fail(t.path, std::string("is ") + describe_kind(*t.node) + ": " +
                                        (o.op == Override::Op::add ? "+=" : "*=") +
                                        " needs a number, a duration or a percentage");
            const auto result = combine(t.node->text, o.op, o.value, why);
            if (!result) return fail(t.path, why);
            t.node->text = *result;
            t.node->plain = true;
            t.node->pos = origin;
        }
    }
    root = std::move(copy);
    return true;
}

std::vector<std::string> override_targets(const Node& root, const Override& o) {
    std::string why;
    const std::optional<std::vector<Step>> steps = parse_path(o.path, why);
    if (!steps) return {};
    Node copy = root;
    std::vector<Diagnostic> ignored;
    std::vector<Target> targets;
    if (!Walker(copy, o, ignored).walk(*steps, targets)) return {};
    std::vector<std::string> paths;
    for (const Target& t : targets) paths.push_back(t.path);
    return paths;
}

bool paths_overlap(const std::string& a, const std::string& b) {
    const std::string& shorter = a.size() <= b.size() ? a : b;
    const std::string& longer = a.size() <= b.size() ? b : a;
    if (longer.compare(0, shorter.size(), shorter) != 0) return false;
    return longer.size() == shorter.size() || longer[shorter.size()] == '.' || longer[shorter.size()] == '[';
}

bool apply_overrides(Node& root, const std::vector<Override>& overrides, std::vector<Diagnostic>& diagnostics) {
    bool all = true;
    for (const Override& o : overrides) all = apply_override(root, o, diagnostics) && all;
    return all;
}

}  // namespace crsim::scenario
