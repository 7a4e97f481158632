// The `staffing:` block: which roster lines `crsim staff` may change, within what bounds, and how
// sure its answer must be (scenarios/README.md, "staffing").
#include <algorithm>
#include <limits>
#include <map>

#include "crsim/scenario/units.hpp"
#include "roster_selector.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {

const std::vector<std::string> staffing_keys = {"vary", "candidates", "confidence", "every_week"};
const std::vector<std::string> vary_keys = {"select", "min", "max"};
const std::vector<std::string> verified_keys = {"confidence", "sided", "every_week", "window", "replications", "seed"};
const std::vector<std::string> verified_window_keys = {"from", "to"};

}  // namespace

model::RosterLineSource line_source(const Node& line) {
    model::RosterLineSource source;
    for (const MapEntry& e : line.entries)
        if (e.key != "headcount" && e.value.kind != Node::Kind::null)
            source.fields.emplace_back(e.key, flow_text(e.value));
    return source;
}

std::vector<std::size_t> SchemaLoader::select_lines(const Node& root, const Node& selector, const std::string& path) {
    // The selectors of `--set` (roster_selector.hpp), so that a selector means the same everywhere.
    std::vector<std::size_t> matched;
    if (!r_.expect_map(selector, path, "a selector of roster lines, e.g. {group: call-handlers, shift: late}"))
        return matched;
    if (selector.entries.empty()) {
        r_.error(selector.pos, path,
                 "expected at least one key to select roster lines by (room, group, shift, days, ...)");
        return matched;
    }
    std::vector<Diagnostic> problems;
    const std::optional<RosterSelector> parsed = read_roster_selector(selector, path, problems);
    for (const Diagnostic& d : problems) r_.error(SourcePos{d.file, d.line, d.column}, d.key_path, d.message);
    if (!parsed || !problems.empty()) return matched;
    const std::vector<RosterLineRef<const Node>> lines = roster_lines(root);
    // Lines that did not load have been reported; the indices below hold only without errors.
    if (lines.size() != shift_sources_.size()) return matched;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (roster_line_matches(*lines[i].line, *parsed)) matched.push_back(i);
    if (const Node* candidates = Reader::get(*root.find("staffing"), "candidates");
        candidates != nullptr && candidates->kind == Node::Kind::sequence)
        for (std::size_t i = 0; i < candidate_sources_.size(); ++i)
            if (roster_line_matches(candidates->items[candidate_sources_[i].index], *parsed))
                matched.push_back(shift_sources_.size() + i);
    if (matched.empty()) {
        r_.error(selector.pos, path,
                 "matches no roster line nor staffing candidate: " + explain_no_match(lines, *parsed));
    }
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
        candidates != nullptr &&
        r_.expect_list(*candidates, "staffing.candidates", "a list of roster lines without headcount")) {
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
            const std::vector<std::size_t> lines = select_lines(root, *select, join_path(path, "select"));
            if (!min || !max) continue;
            for (const std::size_t line : lines) bounds[line] = {line, static_cast<int>(*min), static_cast<int>(*max)};
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
            if (*c < 0.5)
                r_.error(n->pos, "staffing.confidence", "expected at least 50% (e.g. 95%), got " + n->text);
            else
                staffing.confidence = *c;
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

namespace crsim::scenario {

void SchemaLoader::read_verified(const Node& root, model::ScenarioSpec& spec) {
    const Node* block = Reader::get(root, "verified");
    if (block == nullptr ||
        !r_.expect_map(*block, "verified", "a map with confidence, sided, every_week, window, replications, seed"))
        return;
    r_.check_keys(*block, "verified", verified_keys);
    const std::size_t errors_before = r_.error_count();
    model::VerifiedSpec verified;
    // Every key but sided and every_week is required: a verdict names what it was verified on.
    if (const Node* n = r_.require(*block, "verified", "confidence")) {
        if (const auto c = r_.share(*n, "verified.confidence", 1, true)) {
            if (*c < 0.5)
                r_.error(n->pos, "verified.confidence", "expected at least 50% (e.g. 95%), got " + n->text);
            else
                verified.criterion.confidence = *c;
        }
    }
    if (const Node* n = Reader::get(*block, "sided")) {
        if (n->kind == Node::Kind::scalar && (n->text == "one" || n->text == "two"))
            verified.criterion.two_sided = n->text == "two";
        else
            r_.error(n->pos, "verified.sided", "expected one or two, got " + Reader::describe(*n));
    }
    if (const Node* n = Reader::get(*block, "every_week"))
        verified.criterion.every_week = r_.boolean(*n, "verified.every_week").value_or(false);
    if (const Node* w = r_.require(*block, "verified", "window");
        w != nullptr && r_.expect_map(*w, "verified.window", "a map with from and to, e.g. {from: 0s, to: 14d}")) {
        r_.check_keys(*w, "verified.window", verified_window_keys);
        const Node* from = r_.require(*w, "verified.window", "from");
        const Node* to = r_.require(*w, "verified.window", "to");
        std::optional<double> from_s, to_s;
        if (from != nullptr) from_s = r_.duration(*from, "verified.window.from", Bound::non_negative);
        if (to != nullptr) to_s = r_.duration(*to, "verified.window.to", Bound::positive);
        if (from_s && to_s) {
            if (*from_s >= *to_s)
                r_.error(to->pos, "verified.window.to",
                         "expected more than from (" + from->text + "), got " + to->text);
            else if (horizon_s_ && *to_s > *horizon_s_)
                r_.error(to->pos, "verified.window.to",
                         "expected at most the horizon (" + format_duration(*horizon_s_) + "), got " + to->text);
            verified.from_s = *from_s;
            verified.to_s = *to_s;
        }
    }
    if (const Node* n = r_.require(*block, "verified", "replications")) {
        if (const auto reps = r_.integer(*n, "verified.replications", 2))
            verified.replications = static_cast<std::size_t>(*reps);
    }
    if (const Node* n = r_.require(*block, "verified", "seed")) {
        if (const auto seed = r_.whole_number(*n, "verified.seed", std::numeric_limits<std::uint64_t>::max()))
            verified.seed = *seed;
    }
    if (r_.error_count() == errors_before) spec.verified = verified;
}

}  // namespace crsim::scenario
