// The `staffing:` block: which roster lines `crsim staff` may change, within what bounds, and how
// sure its answer must be (scenarios/README.md, "staffing").
#include <algorithm>
#include <map>

#include "crsim/scenario/units.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {

const std::vector<std::string> staffing_keys = {"vary", "candidates", "confidence", "every_week"};
const std::vector<std::string> vary_keys = {"select", "min", "max"};
/// The roster-line keys a selector may name; headcount is what the search sets.
const std::vector<std::string> selector_keys = {"room",     "group",      "shift", "days",
                                                "weeks", "overtime", "weekly_cap", "cohort"};
/// A key a line leaves out matches a selector giving its default.
const std::map<std::string, std::string> selector_defaults = {{"days", "all"}, {"overtime", "false"}};

/// A scalar needs quotes in flow YAML when it was quoted, or holds flow punctuation.
bool needs_quotes(const Node& n) {
    if (!n.plain || n.text.empty()) return true;
    return n.text.find_first_of(",[]{}:#\"'") != std::string::npos && n.text.find(':') != 2;  // "07:00" is fine
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace

std::string flow_text(const Node& n) {
    switch (n.kind) {
        case Node::Kind::null: return "~";
        case Node::Kind::scalar: return needs_quotes(n) ? quoted(n.text) : n.text;
        case Node::Kind::sequence: {
            std::string out = "[";
            for (std::size_t i = 0; i < n.items.size(); ++i) out += (i ? ", " : "") + flow_text(n.items[i]);
            return out + "]";
        }
        case Node::Kind::map: {
            std::string out = "{";
            for (std::size_t i = 0; i < n.entries.size(); ++i) {
                const MapEntry& e = n.entries[i];
                Node key;
                key.kind = Node::Kind::scalar;
                key.text = e.key;
                out += (i ? ", " : "") + flow_text(key) + ": " + flow_text(e.value);
            }
            return out + "}";
        }
    }
    return "~";
}

model::RosterLineSource line_source(const Node& line) {
    model::RosterLineSource source;
    for (const MapEntry& e : line.entries)
        if (e.key != "headcount" && e.value.kind != Node::Kind::null) source.fields.emplace_back(e.key, flow_text(e.value));
    return source;
}

std::vector<std::size_t> SchemaLoader::select_lines(const Node& selector, const std::string& path) {
    std::vector<std::size_t> matched;
    if (!r_.expect_map(selector, path, "a selector of roster lines, e.g. {group: call-handlers, shift: late}")) return matched;
    r_.check_keys(selector, path, selector_keys);
    if (selector.entries.empty()) {
        r_.error(selector.pos, path, "expected at least one key to select roster lines by (room, group, shift, days, ...)");
        return matched;
    }
    const auto matches = [&](const model::RosterLineSource& line) {
        for (const MapEntry& e : selector.entries) {
            const auto fallback = selector_defaults.find(e.key);
            const std::string value = line.field(e.key, fallback == selector_defaults.end() ? "" : fallback->second);
            if (value != flow_text(e.value)) return false;
        }
        return true;
    };
    for (std::size_t i = 0; i < shift_sources_.size(); ++i)
        if (matches(shift_sources_[i])) matched.push_back(i);
    for (std::size_t i = 0; i < candidate_sources_.size(); ++i)
        if (matches(candidate_sources_[i])) matched.push_back(shift_sources_.size() + i);
    if (matched.empty())
        r_.error(selector.pos, path, "matches no roster line (nor staffing candidate): " + flow_text(selector));
    return matched;
}

void SchemaLoader::read_staffing(const Node& root) {
    const Node* block = Reader::get(root, "staffing");
    if (block == nullptr || !r_.expect_map(*block, "staffing", "a map with vary, candidates, confidence, every_week"))
        return;
    r_.check_keys(*block, "staffing", staffing_keys);
    const std::size_t errors_before = r_.error_count();
    model::StaffingSpec staffing;

    if (const Node* candidates = Reader::get(*block, "candidates");
        candidates != nullptr && r_.expect_list(*candidates, "staffing.candidates", "a list of roster lines without headcount")) {
        reading_candidates_ = true;
        for (std::size_t i = 0; i < candidates->items.size(); ++i) {
            const std::size_t before = candidate_sources_.size();
            read_roster_line(candidates->items[i], index_path("staffing.candidates", i));
            if (candidate_sources_.size() > before) candidate_sources_.back().index = i;
        }
        reading_candidates_ = false;
    }

    // Bounds per line: a line matched by several selectors takes those of the last.
    std::map<std::size_t, model::StaffingDecision> bounds;
    const Node* vary = r_.require(*block, "staffing", "vary");
    if (vary != nullptr && r_.expect_list(*vary, "staffing.vary", "a list of {select, min, max}")) {
        if (vary->items.empty()) r_.error(vary->pos, "staffing.vary", "expected at least one {select, min, max}");
        for (std::size_t i = 0; i < vary->items.size(); ++i) {
            const Node& item = vary->items[i];
            const std::string path = index_path("staffing.vary", i);
            if (!r_.expect_map(item, path, "{select: {...}, min: 0, max: 10}")) continue;
            r_.check_keys(item, path, vary_keys);
            std::optional<long long> min = 0, max;
            if (const Node* n = Reader::get(item, "min")) min = r_.integer(*n, join_path(path, "min"), 0);
            if (const Node* n = r_.require(item, path, "max")) max = r_.integer(*n, join_path(path, "max"), 0);
            if (min && max && *max < *min) {
                r_.error(item.find("max")->pos, join_path(path, "max"),
                         "expected at least min (" + std::to_string(*min) + "), got " + std::to_string(*max));
                continue;
            }
            const Node* select = r_.require(item, path, "select");
            if (select == nullptr) continue;
            const std::vector<std::size_t> lines = select_lines(*select, join_path(path, "select"));
            if (!min || !max) continue;
            for (const std::size_t line : lines)
                bounds[line] = {line, static_cast<int>(*min), static_cast<int>(*max)};
        }
    }
    for (std::size_t i = 0; i < candidate_sources_.size(); ++i) {
        const std::size_t index = candidate_sources_[i].index;
        if (!bounds.contains(shift_sources_.size() + i))
            r_.error(block->find("candidates")->items[index].pos, index_path("staffing.candidates", index),
                     "no staffing.vary selector matches this candidate, so it has no bounds");
    }

    if (const Node* n = Reader::get(*block, "confidence")) {
        if (const auto c = r_.share(*n, "staffing.confidence", 1, true)) {
            if (*c < 0.5) r_.error(n->pos, "staffing.confidence", "expected at least 50% (e.g. 95%), got " + n->text);
            else staffing.confidence = *c;
        }
    }
    if (const Node* n = Reader::get(*block, "every_week"))
        staffing.every_week = r_.boolean(*n, "staffing.every_week").value_or(false);

    if (r_.error_count() > errors_before) return;
    for (const auto& [line, decision] : bounds) staffing.decisions.push_back(decision);
    staffing.candidates = std::move(candidates_);
    staffing.candidate_sources = std::move(candidate_sources_);
    staffing_ = std::move(staffing);
}

}  // namespace crsim::scenario
