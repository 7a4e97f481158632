#include "roster_selector.hpp"

#include <algorithm>
#include <array>

#include "crsim/scenario/suggest.hpp"
#include "crsim/scenario/units.hpp"

namespace crsim::scenario {

const std::vector<std::string> roster_line_keys = {"room",  "group",    "shift",      "days",  "headcount",
                                                   "weeks", "overtime", "weekly_cap", "cohort"};

std::optional<Days> parse_days_word(std::string_view word) {
    Days days{};
    const auto set_range = [&](int from, int to) {
        for (int d = from;; d = (d + 1) % 7) {  // a range may wrap: fri-mon
            days[static_cast<std::size_t>(d)] = true;
            if (d == to) break;
        }
    };
    if (word == "all")
        set_range(0, 6);
    else if (word == "weekdays")
        set_range(0, 4);
    else if (word == "weekends")
        set_range(5, 6);
    else {
        const std::size_t dash = word.find('-');
        const auto from = parse_weekday(word.substr(0, dash));
        const auto to = dash == std::string_view::npos ? from : parse_weekday(word.substr(dash + 1));
        if (!from || !to) return std::nullopt;
        set_range(*from.value, *to.value);
    }
    return days;
}

namespace {

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

/// The days a line works: its `days` (a word or a list of words), all days when absent.
std::optional<Days> line_days(const Node& line) {
    const Node* d = line.find("days");
    if (d == nullptr || d->kind == Node::Kind::null) return Days{true, true, true, true, true, true, true};
    if (d->kind == Node::Kind::scalar) return parse_days_word(d->text);
    if (d->kind != Node::Kind::sequence) return std::nullopt;
    Days days{};
    for (const Node& item : d->items) {
        if (item.kind != Node::Kind::scalar) return std::nullopt;
        const auto one = parse_days_word(item.text);
        if (!one) return std::nullopt;
        for (std::size_t i = 0; i < 7; ++i) days[i] = days[i] || (*one)[i];
    }
    return days;
}

/// The line's value of `key` as a selector compares it, or nothing when it has none.
std::optional<std::string> line_value(const Node& line, const std::string& key) {
    const Node* v = line.find(key);
    if (v == nullptr || v->kind == Node::Kind::null) {
        if (key == "overtime") return std::string("false");
        return std::nullopt;
    }
    if (v->kind != Node::Kind::scalar) return std::nullopt;
    return v->text;
}

bool condition_holds(const Node& line, const RosterSelector::Condition& c) {
    if (line.kind != Node::Kind::map) return false;
    if (c.key == "days") {
        const auto wanted = parse_days_word(c.value);
        const auto has = line_days(line);
        if (!wanted || !has) return false;
        for (std::size_t i = 0; i < 7; ++i)
            if ((*wanted)[i] && !(*has)[i]) return false;
        return true;
    }
    const auto v = line_value(line, c.key);
    return v && *v == c.value;
}

template <class N, class R>
void collect_lines(R& root, std::vector<RosterLineRef<N>>& out) {
    if (root.kind != Node::Kind::map) return;
    for (auto& e : root.entries) {
        if (e.key == "roster" && e.value.kind == Node::Kind::sequence) {
            for (std::size_t i = 0; i < e.value.items.size(); ++i)
                out.push_back({"roster[" + std::to_string(i) + "]", &e.value.items[i]});
        }
    }
    for (auto& e : root.entries) {
        if (e.key != "rosters" || e.value.kind != Node::Kind::map) continue;
        for (auto& block : e.value.entries) {
            if (block.value.kind != Node::Kind::sequence) continue;
            for (std::size_t i = 0; i < block.value.items.size(); ++i)
                out.push_back({"rosters." + block.key + "[" + std::to_string(i) + "]", &block.value.items[i]});
        }
    }
}

}  // namespace

std::optional<RosterSelector> parse_selector_conditions(std::string_view text, std::string& error) {
    RosterSelector selector;
    const std::string whole = trim(text);
    if (whole.empty() || whole == "*") return selector;
    std::size_t start = 0;
    while (start <= whole.size()) {
        const std::size_t comma = whole.find(',', start);
        const std::string part =
            trim(std::string_view(whole).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        const std::size_t eq = part.find('=');
        if (eq == std::string::npos || trim(part.substr(0, eq)).empty() || trim(part.substr(eq + 1)).empty()) {
            error =
                "expected key=value conditions separated by commas (e.g. room=hanley,shift=night), got '" + part + "'";
            return std::nullopt;
        }
        selector.conditions.push_back({trim(part.substr(0, eq)), trim(part.substr(eq + 1))});
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return selector;
}

std::optional<RosterSelector> parse_roster_selector(std::string_view text, std::string& error) {
    std::optional<RosterSelector> parsed = parse_selector_conditions(text, error);
    if (!parsed) return std::nullopt;
    RosterSelector& selector = *parsed;
    const std::vector<std::string> problems = check_roster_selector(selector);
    if (!problems.empty()) {
        error = problems.front();
        return std::nullopt;
    }
    return selector;
}

std::optional<RosterSelector> read_roster_selector(const Node& map, const std::string& path,
                                                   std::vector<Diagnostic>& diagnostics) {
    const auto error = [&](const SourcePos& at, const std::string& p, std::string message) {
        diagnostics.push_back(Diagnostic{at.file, at.line, at.column, p, std::move(message), false});
    };
    if (map.kind != Node::Kind::map) {
        error(map.pos, path, "expected a map of roster line keys and values (e.g. {room: hanley, shift: night})");
        return std::nullopt;
    }
    RosterSelector selector;
    bool ok = true;
    for (const MapEntry& e : map.entries) {
        const std::string p = path.empty() ? e.key : path + "." + e.key;
        if (e.value.kind != Node::Kind::scalar) {
            error(e.value.pos, p, "expected a value as a roster line writes it (a name, a number, true/false)");
            ok = false;
            continue;
        }
        RosterSelector one{{{e.key, e.value.text}}};
        const std::vector<std::string> problems = check_roster_selector(one);
        if (!problems.empty()) {
            error(e.key == "days" ? e.value.pos : e.key_pos, p, problems.front());
            ok = false;
            continue;
        }
        selector.conditions.push_back(one.conditions.front());
    }
    if (!ok) return std::nullopt;
    return selector;
}

std::vector<std::string> check_roster_selector(const RosterSelector& selector) {
    std::vector<std::string> problems;
    for (const RosterSelector::Condition& c : selector.conditions) {
        if (std::find(roster_line_keys.begin(), roster_line_keys.end(), c.key) == roster_line_keys.end()) {
            std::string message = "a roster line has no key '" + c.key + "'";
            if (const auto guess = closest(c.key, roster_line_keys))
                message += "; did you mean '" + *guess + "'?";
            else
                message += ": select by " + join_list(roster_line_keys);
            problems.push_back(std::move(message));
        } else if (c.key == "days" && !parse_days_word(c.value)) {
            problems.push_back("days '" + c.value +
                               "': expected all, weekdays, weekends, a day (mon … sun) or a range such as mon-fri");
        }
    }
    return problems;
}

bool roster_line_matches(const Node& line, const RosterSelector& selector) {
    return std::all_of(selector.conditions.begin(), selector.conditions.end(),
                       [&](const RosterSelector::Condition& c) { return condition_holds(line, c); });
}

std::vector<RosterLineRef<Node>> roster_lines(Node& root) {
    std::vector<RosterLineRef<Node>> out;
    collect_lines<Node>(root, out);
    return out;
}

std::vector<RosterLineRef<const Node>> roster_lines(const Node& root) {
    std::vector<RosterLineRef<const Node>> out;
    collect_lines<const Node>(root, out);
    return out;
}

std::string explain_no_match(const std::vector<RosterLineRef<const Node>>& lines, const RosterSelector& selector) {
    if (lines.empty()) return "the scenario has no roster lines";
    for (const RosterSelector::Condition& c : selector.conditions) {
        const bool any =
            std::any_of(lines.begin(), lines.end(), [&](const auto& ref) { return condition_holds(*ref.line, c); });
        if (any) continue;
        std::vector<std::string> values;
        for (const auto& ref : lines) {
            std::optional<std::string> v;
            if (c.key == "days") {
                const Node* d = ref.line->find("days");
                v = d != nullptr && d->kind == Node::Kind::scalar ? std::optional(d->text) : std::nullopt;
            } else {
                v = line_value(*ref.line, c.key);
            }
            if (v && std::find(values.begin(), values.end(), *v) == values.end()) values.push_back(*v);
        }
        std::string message = "no roster line has " + c.key + " '" + c.value + "'";
        if (const auto guess = closest(c.value, values)) message += "; did you mean '" + *guess + "'?";
        if (!values.empty()) message += " (lines have " + c.key + " " + join_list(values) + ")";
        return message;
    }
    return "no roster line has all of these at once";
}

}  // namespace crsim::scenario
