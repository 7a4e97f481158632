#include "crsim/scenario/load_scenario.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

#include "apply_overrides.hpp"
#include "crsim/model/target_metric.hpp"
#include "crsim/scenario/sha256.hpp"
#include "crsim/scenario/suggest.hpp"
#include "crsim/scenario/units.hpp"
#include "reader.hpp"
#include "roster_selector.hpp"
#include "schema_loader.hpp"
#include "yaml_tree.hpp"

namespace crsim::scenario {

namespace {

using model::ArrivalSpec;
using model::BreakSpec;
using model::ClassSpec;
using model::GroupSpec;
using model::RoomSpec;
using model::ScenarioSpec;
using model::ShiftSpec;
using model::TargetSpec;

const std::vector<std::string> top_keys = {"name",
                                           "description",
                                           "currency",
                                           "extends",
                                           "start_date",
                                           "horizon",
                                           "warmup",
                                           "replications",
                                           "seed",
                                           "profiles",
                                           "shift_patterns",
                                           "rooms",
                                           "classes",
                                           "groups",
                                           "routing",
                                           "roster",
                                           "rosters",
                                           "merge",
                                           "transitions",
                                           "disruptions",
                                           "attrition",
                                           "call_ins",
                                           "cohorts",
                                           "windows",
                                           "staffing",
                                           "verified",
                                           "triage",
                                           "channel_shift",
                                           "surges",
                                           "random_surges",
                                           "deferrable",
                                           "staffing_daily_cv",
                                           "staffing_daily_mean"};

constexpr double share_tolerance = 1e-6;
// Beyond these, sums over a run's hours (costs) or handle times leave the range where the figures
// are exact to the cent or the second; no real control room comes near them.
constexpr double max_cost_per_hour = 1e6;
constexpr double max_factor = 100;
constexpr double max_contract_hours_per_week = 168;  // the hours of a week
constexpr std::size_t max_currency_bytes = 16;       // a code or a symbol, shown on every money axis
constexpr const char* flat_profile = "flat";
constexpr const char* always_shift = "always";

std::vector<std::string> keys_of(const Node& map) {
    std::vector<std::string> keys;
    if (map.kind == Node::Kind::map) {
        for (const MapEntry& e : map.entries) {
            keys.push_back(e.key);
        }
    }
    return keys;
}

}  // namespace

std::optional<ScenarioSpec> SchemaLoader::load(const Node& root, const std::string& file,
                                               const std::string& default_name) {
    if (!r_.expect_map(root, "", "a map of scenario keys (name, horizon, classes, ...)")) {
        return std::nullopt;
    }
    r_.check_keys(root, "", top_keys);

    ScenarioSpec spec;
    spec.name = default_name;
    spec.source_file = file;
    read_run_keys(root, spec);
    read_staffing_noise(root, spec);
    read_rooms(root);
    read_profiles(root);
    read_patterns(root);
    std::vector<SourcePos> class_pos;
    std::vector<std::optional<ClassDraft>> drafts = read_classes(root, class_pos);
    read_groups(root, class_pos);
    read_routing(root);
    read_cohorts(root);
    read_roster(root);
    read_merges(root);
    read_transitions(root);
    read_disruptions(root);
    read_attritions(root);
    read_call_ins(root);
    read_deferrables(root);
    read_windows(root, spec);
    read_staffing(root);
    read_verified(root, spec);
    read_demand(root, spec);

    if (r_.error_count() > 0) {
        return std::nullopt;
    }

    // Everything is valid: apply the merges of week 1 (rooms pooled from the start: they leave
    // the spec) and assemble the spec.
    std::vector<bool> merged_from_start;
    const std::vector<std::size_t> room_map = place_rooms(spec, merged_from_start);
    assemble_classes(spec, drafts, room_map);
    for (auto& g : groups_) {
        spec.groups.push_back(std::move(*g));
    }
    spec.shifts = std::move(shifts_);
    for (ShiftSpec& s : spec.shifts) {
        s.room = room_map[s.room];
    }
    spec.shift_sources = std::move(shift_sources_);
    if (staffing_) {
        for (ShiftSpec& s : staffing_->candidates) s.room = room_map[s.room];
        spec.staffing = std::move(staffing_);
    }
    spec.deferrables = std::move(deferrables_);
    assemble_timeline(spec, room_map);
    warn_unused_staff(spec, room_map, merged_from_start);
    return spec;
}

void SchemaLoader::read_run_keys(const Node& root, ScenarioSpec& spec) {
    if (const Node* n = Reader::get(root, "name")) {
        if (const auto name = r_.text(*n, "name")) {
            spec.name = *name;
        }
    }
    if (const Node* n = Reader::get(root, "description")) {
        spec.description = r_.text(*n, "description", "a text").value_or("");
    }
    if (const Node* n = Reader::get(root, "currency")) {
        const auto currency = r_.text(*n, "currency", "a currency (GBP, EUR, £)");
        if (currency && currency->size() > max_currency_bytes)
            r_.error(n->pos, "currency",
                     "expected a currency of at most " + std::to_string(max_currency_bytes) + " bytes (GBP, £), got " +
                         std::to_string(currency->size()));
        else if (currency)
            spec.currency = *currency;
    }
    if (const Node* n = Reader::get(root, "start_date")) {
        start_date_given_ = true;
        if (n->kind != Node::Kind::scalar) {
            r_.error(n->pos, "start_date", "expected an ISO date YYYY-MM-DD, got " + Reader::describe(*n));
        } else if (const Parsed<long long> day = parse_iso_date_days(n->text)) {
            start_day_ = *day.value;
            start_date_text_ = n->text;
            spec.start_weekday = *parse_iso_date_weekday(n->text).value;
            spec.start_day = parse_iso_date_days(n->text).value;
        } else {
            r_.error(n->pos, "start_date", day.error);
        }
    }
    std::optional<double> horizon;
    if (const Node* n = r_.require(root, "", "horizon")) {
        horizon = r_.duration(*n, "horizon", Bound::positive);
    }
    if (const Node* n = Reader::get(root, "warmup")) {
        const auto warmup = r_.duration(*n, "warmup", Bound::non_negative);
        if (warmup && horizon && *warmup >= *horizon) {
            r_.error(n->pos, "warmup",
                     "expected less than the horizon (" + format_duration(*horizon) + "), got " + n->text);
        } else if (warmup) {
            spec.warmup_s = *warmup;
        }
    }
    if (horizon) {
        spec.horizon_s = *horizon;
        horizon_s_ = *horizon;
    }
    if (const Node* n = Reader::get(root, "replications")) {
        if (const auto reps = r_.integer(*n, "replications", 1)) {
            spec.replications = static_cast<std::size_t>(*reps);
        }
    }
    if (const Node* n = Reader::get(root, "seed")) {
        if (const auto seed = r_.whole_number(*n, "seed", std::numeric_limits<std::uint64_t>::max())) {
            spec.seed = *seed;
        }
    }
}

std::vector<std::optional<ClassDraft>> SchemaLoader::read_classes(const Node& root, std::vector<SourcePos>& class_pos) {
    // Names first, so that everything can refer to any of them.
    std::vector<std::optional<ClassDraft>> drafts;
    const Node* classes = r_.require(root, "", "classes");
    if (classes != nullptr && r_.expect_map(*classes, "classes", "a map of call classes")) {
        class_names_ = keys_of(*classes);
        if (class_names_.empty()) {
            r_.error(classes->pos, "classes", "expected at least one call class");
        }
        for (const MapEntry& e : classes->entries) {
            class_pos.push_back(e.key_pos);
            drafts.push_back(read_class(e.value, join_path("classes", e.key)));
        }
    }
    routing_.assign(class_names_.size(), {});

    return drafts;
}

void SchemaLoader::read_groups(const Node& root, const std::vector<SourcePos>& class_pos) {
    const Node* groups = r_.require(root, "", "groups");
    if (groups != nullptr && r_.expect_map(*groups, "groups", "a map of staff groups")) {
        group_names_ = keys_of(*groups);
        if (group_names_.empty()) {
            r_.error(groups->pos, "groups", "expected at least one staff group");
        }
        for (const MapEntry& e : groups->entries) {
            group_pos_.push_back(e.key_pos);
            groups_.push_back(read_group(e.key, e.value, join_path("groups", e.key)));
        }
    }
    const bool all_groups_read =
        std::all_of(groups_.begin(), groups_.end(), [](const auto& g) { return g.has_value(); });
    if (groups != nullptr && all_groups_read) {
        for (std::size_t c = 0; c < class_names_.size(); ++c) {
            const bool taken = std::any_of(groups_.begin(), groups_.end(), [&](const auto& g) { return g->takes[c]; });
            if (!taken) {
                r_.error(class_pos[c], join_path("classes", class_names_[c]),
                         "no group takes this class (list it under some group's takes)");
            }
        }
    }
}

std::vector<std::size_t> SchemaLoader::place_rooms(ScenarioSpec& spec, std::vector<bool>& merged_from_start) const {
    std::vector<std::size_t> room_map(room_names_.size());
    merged_from_start.assign(room_names_.size(), false);
    for (const MergeDraft& m : merges_) {
        for (const std::size_t i : m.rooms) {
            merged_from_start[i] = m.week == 1;
        }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < room_names_.size(); ++i) {
        if (!merged_from_start[i]) {
            room_map[i] = kept++;
            spec.rooms.push_back(RoomSpec{room_names_[i], room_trunks_[i]});
        }
    }
    for (const MergeDraft& m : merges_) {
        for (const std::size_t i : m.rooms) {
            if (m.week == 1) {
                room_map[i] = room_map[m.into];  // `into` is never itself merged in week 1
                // Pooled rooms pool their lines; a room without a cap leaves the pool without one.
                std::optional<int>& pooled = spec.rooms[room_map[i]].trunks;
                pooled = pooled && room_trunks_[i] ? std::optional(*pooled + *room_trunks_[i]) : std::nullopt;
            }
        }
    }

    return room_map;
}

void SchemaLoader::assemble_classes(ScenarioSpec& spec, std::vector<std::optional<ClassDraft>>& drafts,
                                    const std::vector<std::size_t>& room_map) {
    for (std::size_t c = 0; c < class_names_.size(); ++c) {
        ClassDraft& d = *drafts[c];
        std::vector<double> shares(spec.rooms.size(), 0.0);
        for (std::size_t i = 0; i < room_names_.size(); ++i) {
            shares[room_map[i]] += d.room_shares[i];
        }
        std::vector<double> thresholds;
        for (const TargetSpec& t : d.targets) {
            if (t.metric == TargetSpec::Metric::service_level) {
                thresholds.push_back(t.threshold_s);
            }
        }
        std::sort(thresholds.begin(), thresholds.end());
        thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
        std::vector<std::size_t> preference = routing_[c];
        for (std::size_t g = 0; g < groups_.size(); ++g) {
            if (groups_[g]->takes[c] && std::find(preference.begin(), preference.end(), g) == preference.end()) {
                preference.push_back(g);
            }
        }
        ClassSpec cls;
        cls.name = class_names_[c];
        cls.priority = d.priority;
        cls.arrivals = std::move(d.arrivals);
        cls.handle_time = *d.handle_time;
        cls.handle_by_hour = std::move(d.handle_by_hour);
        cls.head_start_s = d.head_start_s;
        cls.wrap_up = *d.wrap_up;
        cls.patience = d.never_abandon ? std::nullopt : d.patience;
        cls.connection = *d.connection;
        cls.room_shares = std::move(shares);
        cls.overflow_after_s = d.overflow_after_s;
        cls.targets = std::move(d.targets);
        cls.thresholds_s = std::move(thresholds);
        cls.group_preference = std::move(preference);
        cls.redial = d.redial;
        cls.trunks = d.trunks;
        if (d.redial_node != nullptr && d.never_abandon) {
            r_.warning(d.redial_node->pos, join_path(join_path("classes", class_names_[c]), "redial"),
                       "callers of this class never abandon (patience: never), so none rings again");
        }
        cls.callback = d.callback;
        cls.abandoned_callback = d.abandoned_callback;
        cls.chat = d.chat;
        if (d.abandoned_callback_node != nullptr && d.never_abandon) {
            r_.warning(d.abandoned_callback_node->pos,
                       join_path(join_path("classes", class_names_[c]), "abandoned_callback"),
                       "callers of this class never abandon (patience: never), so no call is rung back");
        }
        spec.classes.push_back(std::move(cls));
    }
}

void SchemaLoader::warn_unused_staff(const ScenarioSpec& spec, const std::vector<std::size_t>& room_map,
                                     const std::vector<bool>& merged_from_start) {
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
        if (std::none_of(spec.shifts.begin(), spec.shifts.end(), [&](const ShiftSpec& s) { return s.group == g; }) &&
            std::none_of(spec.call_ins.begin(), spec.call_ins.end(), [&](const auto& c) { return c.group == g; })) {
            r_.warning(group_pos_[g], join_path("groups", group_names_[g]), "no roster line uses this group");
        }
    }
    for (std::size_t i = 0; i < room_names_.size(); ++i) {
        if (merged_from_start[i]) {
            continue;
        }
        const std::size_t room = room_map[i];
        if (std::none_of(spec.shifts.begin(), spec.shifts.end(), [&](const ShiftSpec& s) { return s.room == room; })) {
            r_.warning(room_pos_[i], join_path("rooms", room_names_[i]),
                       "no roster line staffs this room: its calls are answered only by other rooms, after "
                       "overflow_after");
        }
    }
}

void SchemaLoader::read_rooms(const Node& root) {
    const Node* rooms = r_.require(root, "", "rooms");
    if (rooms == nullptr || !r_.expect_map(*rooms, "rooms", "a map of room names (e.g. {hanley: {}})")) {
        return;
    }
    if (rooms->entries.empty()) {
        r_.error(rooms->pos, "rooms", "expected at least one room");
    }
    for (const MapEntry& e : rooms->entries) {
        room_names_.push_back(e.key);
        room_pos_.push_back(e.key_pos);
        room_trunks_.emplace_back();
        const std::string path = join_path("rooms", e.key);
        if (e.value.kind == Node::Kind::map) {
            r_.check_keys(e.value, path, {"trunks"});
            if (const Node* t = Reader::get(e.value, "trunks"))
                room_trunks_.back() = read_trunks(*t, join_path(path, "trunks"));
        } else if (e.value.kind != Node::Kind::null) {
            r_.error(e.value.pos, path, "expected a map {} or {trunks: N}, got " + Reader::describe(e.value));
        }
    }
}

void SchemaLoader::read_profiles(const Node& root) {
    const Node* profiles = Reader::get(root, "profiles");
    if (profiles == nullptr || !r_.expect_map(*profiles, "profiles", "a map of named weekly profiles")) {
        return;
    }
    for (const MapEntry& e : profiles->entries) {
        profile_names_.push_back(e.key);
        const std::string path = join_path("profiles", e.key);
        if (e.key == flat_profile) {
            r_.error(e.key_pos, path, "the name 'flat' is reserved for the built-in flat profile");
            continue;
        }
        if (auto p = read_profile(e.value, path)) {
            profiles_.emplace(e.key, std::move(*p));
        }
    }
}

namespace {
const std::vector<std::string> profile_keys = {"interval", "values", "by_day"};
const std::vector<std::string> day_keys = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
}  // namespace

std::optional<Profile> SchemaLoader::read_profile(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map with values or by_day")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, profile_keys);
    Profile p;
    if (const Node* interval = Reader::get(n, "interval")) {
        const auto v = r_.duration(*interval, join_path(path, "interval"), Bound::positive);
        if (!v) {
            return std::nullopt;
        }
        const double per_day = model::seconds_per_day / *v;
        if (std::abs(per_day - std::round(per_day)) > 1e-9 * per_day) {
            r_.error(interval->pos, join_path(path, "interval"),
                     "expected an interval that divides 1 day exactly (e.g. 15min, 30min, 1h), got " + interval->text);
            return std::nullopt;
        }
        p.interval_s = *v;
    }
    const auto per_day = static_cast<std::size_t>(std::llround(model::seconds_per_day / p.interval_s));
    const std::string interval_text = format_duration(p.interval_s);
    const Node* values = Reader::get(n, "values");
    const Node* by_day = Reader::get(n, "by_day");
    if (values != nullptr && by_day != nullptr) {
        r_.error(by_day->pos, join_path(path, "by_day"), "give either values or by_day, not both");
        return std::nullopt;
    }
    if (values != nullptr) {
        auto w = read_weights(*values, join_path(path, "values"), 7 * per_day,
                              "7 days × " + std::to_string(per_day) + " intervals of " + interval_text);
        if (!w) {
            return std::nullopt;
        }
        p.values = std::move(*w);
    } else if (by_day != nullptr) {
        const std::string by_day_path = join_path(path, "by_day");
        if (!r_.expect_map(*by_day, by_day_path, "a map from mon … sun to lists of values")) {
            return std::nullopt;
        }
        r_.check_keys(*by_day, by_day_path, day_keys);
        for (const std::string& day : day_keys) {
            const Node* list = r_.require(*by_day, by_day_path, day);
            if (list == nullptr) {
                continue;
            }
            if (auto w = read_weights(*list, join_path(by_day_path, day), per_day,
                                      std::to_string(per_day) + " intervals of " + interval_text)) {
                p.values.insert(p.values.end(), w->begin(), w->end());
            }
        }
    } else {
        r_.error(n.pos, path, "expected values (the whole week) or by_day (each day)");
        return std::nullopt;
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    if (std::accumulate(p.values.begin(), p.values.end(), 0.0) <= 0) {
        const Node& at = values != nullptr ? *values : *by_day;
        r_.error(at.pos, join_path(path, values != nullptr ? "values" : "by_day"),
                 "expected at least one positive value");
        return std::nullopt;
    }
    return p;
}

std::optional<std::vector<double>> SchemaLoader::read_weights(const Node& n, const std::string& path,
                                                              std::size_t expected, const std::string& shape) {
    if (!r_.expect_list(n, path, "a list of numbers")) {
        return std::nullopt;
    }
    if (n.items.size() != expected) {
        r_.error(
            n.pos, path,
            "expected " + std::to_string(expected) + " values (" + shape + "), got " + std::to_string(n.items.size()));
        return std::nullopt;
    }
    std::vector<double> out;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (const auto v = r_.number(n.items[i], index_path(path, i), Bound::non_negative)) {
            out.push_back(*v);
        }
    }
    return out.size() == expected ? std::optional(std::move(out)) : std::nullopt;
}

void SchemaLoader::read_patterns(const Node& root) {
    const Node* patterns = Reader::get(root, "shift_patterns");
    if (patterns == nullptr || !r_.expect_map(*patterns, "shift_patterns", "a map of named shifts")) {
        return;
    }
    for (const MapEntry& e : patterns->entries) {
        pattern_names_.push_back(e.key);
        if (auto p = read_pattern(e.value, join_path("shift_patterns", e.key))) {
            patterns_.emplace(e.key, std::move(*p));
        }
    }
}

namespace {
const std::vector<std::string> pattern_keys = {"start", "length", "breaks"};
const std::vector<std::string> break_keys = {"after", "length", "spread"};
}  // namespace

std::optional<Pattern> SchemaLoader::read_pattern(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a shift {start, length, breaks}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, pattern_keys);
    Pattern p;
    if (const Node* start = r_.require(n, path, "start")) {
        p.start_s = r_.clock_time(*start, join_path(path, "start")).value_or(0);
    }
    if (const Node* length = r_.require(n, path, "length")) {
        const auto v = r_.duration(*length, join_path(path, "length"), Bound::positive);
        if (v && *v > model::seconds_per_day) {
            r_.error(length->pos, join_path(path, "length"), "expected at most 24h, got " + length->text);
        } else if (v) {
            p.length_s = *v;
        }
    }
    if (const Node* breaks = Reader::get(n, "breaks")) {
        const std::string breaks_path = join_path(path, "breaks");
        std::vector<const Node*> break_nodes;
        std::vector<std::string> break_paths;
        if (r_.expect_list(*breaks, breaks_path, "a list of breaks {after, length, spread}")) {
            for (std::size_t i = 0; i < breaks->items.size(); ++i) {
                const Node& b = breaks->items[i];
                const std::string bp = index_path(breaks_path, i);
                if (!r_.expect_map(b, bp, "a break {after, length, spread}")) {
                    continue;
                }
                r_.check_keys(b, bp, break_keys);
                BreakSpec spec;
                const Node* after = r_.require(b, bp, "after");
                const Node* length = r_.require(b, bp, "length");
                const Node* spread = Reader::get(b, "spread");
                std::optional<double> after_s;
                std::optional<double> length_s;
                std::optional<double> spread_s = 0.0;
                if (after != nullptr) {
                    after_s = r_.duration(*after, join_path(bp, "after"), Bound::non_negative);
                }
                if (length != nullptr) {
                    length_s = r_.duration(*length, join_path(bp, "length"), Bound::positive);
                }
                if (spread != nullptr) {
                    spread_s = r_.duration(*spread, join_path(bp, "spread"), Bound::non_negative);
                }
                if (!after_s || !length_s || !spread_s) {
                    continue;
                }
                const double end = *after_s + *spread_s + *length_s;
                if (p.length_s > 0 && end > p.length_s + 1e-9) {
                    r_.error(b.pos, bp,
                             "expected the break to end within the shift: after + spread + length = " +
                                 format_duration(end) + " exceeds the shift length " + format_duration(p.length_s));
                    continue;
                }
                spec.after_s = *after_s;
                spec.length_s = *length_s;
                spec.spread_s = *spread_s;
                p.breaks.push_back(spec);
                break_nodes.push_back(&b);
                break_paths.push_back(bp);
            }
            check_break_overlaps(p.breaks, break_nodes, break_paths);
        }
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return p;
}

void SchemaLoader::check_break_overlaps(const std::vector<BreakSpec>& breaks, const std::vector<const Node*>& nodes,
                                        const std::vector<std::string>& paths) {
    // Each break is taken somewhere in [after, after + spread + length): two such windows that
    // meet could give one person two breaks at once, of which the model would keep one.
    std::vector<std::size_t> order(breaks.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return breaks[a].after_s < breaks[b].after_s; });
    std::optional<std::size_t> latest;  // of those before, the one ending last
    const auto end_of = [&](std::size_t i) { return breaks[i].after_s + breaks[i].spread_s + breaks[i].length_s; };
    for (const std::size_t i : order) {
        if (latest && breaks[i].after_s < end_of(*latest)) {
            const std::size_t j = *latest;
            r_.error(nodes[i]->pos, paths[i],
                     "overlaps " + paths[j].substr(paths[j].rfind('.') + 1) + " (taken from " +
                         format_duration(breaks[j].after_s) + " until up to " + format_duration(end_of(j)) +
                         " into the shift): give each break its own time");
        }
        if (!latest || end_of(i) > end_of(*latest)) {
            latest = i;
        }
    }
}

namespace {
const std::vector<std::string> class_keys = {
    "priority", "head_start", "arrivals",   "handle_time", "handle_time_by_hour",
    "wrap_up",  "patience",   "connection", "rooms",       "overflow_after",
    "targets",  "redial",     "trunks",     "callback",    "abandoned_callback",
    "chat"};
}  // namespace

std::optional<ClassDraft> SchemaLoader::read_class(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a call class {priority, arrivals, handle_time, patience, ...}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, class_keys);
    ClassDraft d;
    if (const Node* p = r_.require(n, path, "priority")) {
        d.priority = static_cast<int>(r_.integer(*p, join_path(path, "priority"), -1'000'000, 1'000'000).value_or(0));
    }
    if (const Node* a = r_.require(n, path, "arrivals")) {
        if (auto arrivals = read_arrivals(*a, join_path(path, "arrivals"))) {
            d.arrivals = std::move(*arrivals);
        }
    }
    if (const Node* h = r_.require(n, path, "handle_time")) {
        d.handle_time = r_.distribution(*h, join_path(path, "handle_time"), true);
    }
    if (const Node* p = r_.require(n, path, "patience")) {
        d.never_abandon = p->kind == Node::Kind::scalar && p->text == "never";
        if (!d.never_abandon) {
            d.patience = r_.distribution(*p, join_path(path, "patience"), true);
        }
    }
    if (const Node* h = Reader::get(n, "head_start")) {
        d.head_start_s = r_.duration(*h, join_path(path, "head_start"), Bound::non_negative).value_or(0);
    }
    if (const Node* h = Reader::get(n, "handle_time_by_hour")) {
        d.handle_by_hour =
            read_handle_by_hour(*h, join_path(path, "handle_time_by_hour")).value_or(model::HandleByHour{});
    }
    const auto optional_dist = [&](const char* key) {
        const Node* v = Reader::get(n, key);
        return v != nullptr ? r_.distribution(*v, join_path(path, key), false)
                            : std::optional(sim::Distribution::deterministic(0));
    };
    d.wrap_up = optional_dist("wrap_up");
    d.connection = optional_dist("connection");
    if (const Node* rooms = Reader::get(n, "rooms")) {
        d.room_shares = read_room_shares(*rooms, join_path(path, "rooms")).value_or(std::vector<double>{});
    } else if (!room_names_.empty()) {
        d.room_shares.assign(room_names_.size(), 1.0 / static_cast<double>(room_names_.size()));
    }
    if (const Node* o = Reader::get(n, "overflow_after")) {
        d.overflow_after_s = r_.duration(*o, join_path(path, "overflow_after"), Bound::non_negative, true).value_or(0);
    }
    if (const Node* targets = Reader::get(n, "targets")) {
        const std::string tp = join_path(path, "targets");
        if (r_.expect_list(*targets, tp, "a list of targets")) {
            for (std::size_t i = 0; i < targets->items.size(); ++i) {
                if (auto t = read_target(targets->items[i], index_path(tp, i))) {
                    d.targets.push_back(*t);
                }
            }
        }
    }
    if (const Node* redial = Reader::get(n, "redial")) {
        if (const auto rd = read_redial(*redial, join_path(path, "redial"))) {
            d.redial = *rd;
            d.redial_node = redial;
        }
    }
    if (const Node* t = Reader::get(n, "trunks")) d.trunks = read_trunks(*t, join_path(path, "trunks"));
    read_class_callbacks(n, path, d);
    if (const Node* chat = Reader::get(n, "chat")) d.chat = read_chat(*chat, join_path(path, "chat"));
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return d;
}

namespace {
const std::vector<std::string> redial_keys = {"share", "delay", "max_attempts"};
}  // namespace

std::optional<model::RedialSpec> SchemaLoader::read_redial(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map {share, delay, max_attempts}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, redial_keys);
    model::RedialSpec rd;
    rd.max_attempts = 2;  // when redial is given: one ring back
    if (const Node* share = r_.require(n, path, "share")) {
        rd.share = r_.share(*share, join_path(path, "share"), 1.0, false).value_or(0);
    }
    if (const Node* delay = r_.require(n, path, "delay")) {
        if (const auto dist = r_.distribution(*delay, join_path(path, "delay"), false)) {
            rd.delay = *dist;
        }
    }
    if (const Node* attempts = Reader::get(n, "max_attempts")) {
        rd.max_attempts = static_cast<int>(r_.integer(*attempts, join_path(path, "max_attempts"), 1).value_or(2));
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return rd;
}

namespace {
const std::vector<std::string> arrival_keys = {"per_week", "per_day", "per_year", "profile", "daily_cv", "times"};
}  // namespace

std::optional<ArrivalSpec> SchemaLoader::read_arrivals(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map {per_week, profile, daily_cv}")) {
        return std::nullopt;
    }
    r_.check_keys(n, path, arrival_keys);
    ArrivalSpec a;
    // Exactly one of the three rates, each converted to a weekly volume.
    struct Rate {
        const char* key;
        double to_week;
    };
    static constexpr std::array<Rate, 3> rates = {{{"per_week", 1.0}, {"per_day", 7.0}, {"per_year", 7.0 / 365.25}}};
    const Node* first = nullptr;
    bool ok = true;
    if (const Node* times = Reader::get(n, "times")) {
        // A replayed trace: none of the keys of the Poisson process applies.
        for (const char* key : {"per_week", "per_day", "per_year", "profile", "daily_cv"}) {
            if (const Node* v = Reader::get(n, key)) {
                r_.error(v->pos, join_path(path, key), "cannot be combined with times (a replayed trace)");
                ok = false;
            }
        }
        auto trace = read_trace(*times, join_path(path, "times"));
        if (!trace || !ok) {
            return std::nullopt;
        }
        if (horizon_s_) {
            a.per_week = static_cast<double>(trace->size()) * model::seconds_per_week / *horizon_s_;  // for reports
        }
        a.times_s = std::move(*trace);
        return a;
    }
    for (const Rate& rate : rates) {
        const Node* v = Reader::get(n, rate.key);
        if (v == nullptr) {
            continue;
        }
        if (first != nullptr) {
            r_.error(v->pos, join_path(path, rate.key), "give only one of per_week, per_day and per_year");
            ok = false;
            continue;
        }
        first = v;
        if (const auto x = r_.number(*v, join_path(path, rate.key), Bound::positive)) {
            a.per_week = *x * rate.to_week;
        } else {
            ok = false;
        }
    }
    if (first == nullptr) {
        r_.error(n.pos, path,
                 "missing the arrival rate: give one of per_week, per_day or per_year, or a trace (times)");
        ok = false;
    }
    if (const Node* p = Reader::get(n, "profile")) {
        const std::string pp = join_path(path, "profile");
        if (const auto name = r_.text(*p, pp, "a profile name")) {
            if (*name != flat_profile) {
                if (!index_of(profile_names_, *name)) {
                    std::vector<std::string> names = profile_names_;
                    names.push_back(flat_profile);
                    r_.unknown_name(*p, pp, "profile", *name, names);
                    ok = false;
                } else if (const auto it = profiles_.find(*name); it != profiles_.end()) {
                    a.profile = it->second.values;
                    a.interval_s = it->second.interval_s;
                } else {
                    ok = false;  // declared but invalid: already reported
                }
            }
        } else {
            ok = false;
        }
    }
    if (const Node* cv = Reader::get(n, "daily_cv")) {
        if (const auto v = r_.number(*cv, join_path(path, "daily_cv"), Bound::non_negative)) {
            a.daily_cv = *v;
        } else {
            ok = false;
        }
    }
    return ok ? std::optional(std::move(a)) : std::nullopt;
}

std::optional<std::vector<double>> SchemaLoader::read_trace(const Node& n, const std::string& path) {
    if (!r_.expect_list(n, path, "a list of arrival times (durations from t = 0, ascending)")) {
        return std::nullopt;
    }
    if (n.items.empty()) {
        r_.error(n.pos, path, "expected at least one arrival time");
        return std::nullopt;
    }
    std::vector<double> times;
    bool ok = true;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        const Node& item = n.items[i];
        const std::string ip = index_path(path, i);
        const auto t = r_.duration(item, ip, Bound::non_negative);
        if (!t) {
            ok = false;
        } else if (!times.empty() && *t < times.back()) {
            r_.error(item.pos, ip,
                     "expected times in ascending order: this one comes before the one above it (" +
                         format_duration(times.back()) + ")");
            ok = false;
        } else if (horizon_s_ && *t >= *horizon_s_) {
            r_.error(item.pos, ip,
                     "expected a time before the horizon (" + format_duration(*horizon_s_) + "), got " + item.text);
            ok = false;
        } else {
            times.push_back(*t);
        }
    }
    return ok ? std::optional(std::move(times)) : std::nullopt;
}

std::optional<std::vector<double>> SchemaLoader::read_room_shares(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map from room names to shares (e.g. {hanley: 0.45, stafford: 55%})")) {
        return std::nullopt;
    }
    std::vector<double> shares(room_names_.size(), 0.0);
    bool ok = true;
    double sum = 0;
    for (const MapEntry& e : n.entries) {
        const std::string sp = join_path(path, e.key);
        const auto room = index_of(room_names_, e.key);
        if (!room) {
            Node at;
            at.pos = e.key_pos;
            r_.unknown_name(at, sp, "room", e.key, room_names_);
            ok = false;
            continue;
        }
        if (const auto s = r_.share(e.value, sp, 1.0, false)) {
            shares[*room] = *s;
            sum += *s;
        } else {
            ok = false;
        }
    }
    if (ok && std::abs(sum - 1.0) > share_tolerance) {
        r_.error(n.pos, path, "expected shares summing to 1 (100%), got " + format_rounded(sum));
        ok = false;
    }
    return ok ? std::optional(std::move(shares)) : std::nullopt;
}

std::optional<TargetSpec> SchemaLoader::read_target(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a target {metric, ...}")) {
        return std::nullopt;
    }
    const Node* m = r_.require(n, path, "metric");
    if (m == nullptr) {
        return std::nullopt;
    }
    const std::string mp = join_path(path, "metric");
    const auto metric = r_.text(*m, mp, "a metric name");
    if (!metric) {
        return std::nullopt;
    }
    const model::TargetMetric* row = nullptr;
    for (const model::TargetMetric& m : model::target_metrics())
        // Its name in the outputs is read too (asa_s for asa): users type what they see.
        if (m.scenario_name == *metric || m.name == *metric) row = &m;
    if (row == nullptr) {
        std::vector<std::string> names;
        for (const model::TargetMetric& m : model::target_metrics()) names.emplace_back(m.scenario_name);
        std::string message = "unknown metric '" + *metric + "'";
        if (const auto guess = closest(*metric, names)) {
            message += "; did you mean '" + *guess + "'?";
        }
        r_.error(m->pos, mp, message + " (valid: " + join_list(names, "and") + ")");
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    TargetSpec t;
    t.metric = row->metric;
    // The metric's row says which keys its target has and how each is read.
    const auto read = [&](const Node& v, const std::string& key, model::TargetUnit unit) -> double {
        const std::string p = join_path(path, key);
        switch (unit) {
            case model::TargetUnit::share:
                return r_.share(v, p, 1.0, false).value_or(0);
            case model::TargetUnit::percent:
                return r_.percent(v, p).value_or(0);
            case model::TargetUnit::seconds:
                return r_.duration(v, p, Bound::positive).value_or(0);
        }
        return 0;
    };
    std::vector<std::string> keys = {"metric"};
    if (!row->parameter.key.empty()) keys.emplace_back(row->parameter.key);
    keys.emplace_back(row->goal_key);
    keys.insert(keys.end(), {"by", "periods_met"});
    r_.check_keys(n, path, keys);
    if (!row->parameter.key.empty()) {
        if (const Node* v = r_.require(n, path, std::string(row->parameter.key))) {
            t.*row->parameter.member = read(*v, std::string(row->parameter.key), row->parameter.unit);
        }
    }
    if (const Node* g = r_.require(n, path, std::string(row->goal_key))) {
        t.goal = read(*g, std::string(row->goal_key), row->unit);
    }
    read_target_period(n, path, t);
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return t;
}

std::optional<std::size_t> SchemaLoader::class_ref(const Node& n, const std::string& path) {
    const auto name = r_.text(n, path, "a class name");
    if (!name) {
        return std::nullopt;
    }
    const auto c = index_of(class_names_, *name);
    if (!c) {
        r_.unknown_name(n, path, "class", *name, class_names_);
    }
    return c;
}

namespace {
const std::vector<std::string> group_keys = {"takes",   "handle_factor", "cost_per_hour",          "overtime_premium",
                                             "absence", "reserve",       "contract_hours_per_week"};
}  // namespace

std::optional<GroupSpec> SchemaLoader::read_group(const std::string& name, const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a staff group {takes, handle_factor, cost_per_hour, absence, reserve}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, group_keys);
    const std::size_t n_classes = class_names_.size();
    GroupSpec g;
    g.name = name;
    g.takes.assign(n_classes, false);
    g.handle_factor.assign(n_classes, 1.0);
    g.reserved_for.assign(n_classes, false);

    // Checks a reference to a class this group takes.
    const auto taken_class = [&](const Node& ref, const std::string& ref_path) -> std::optional<std::size_t> {
        const auto c = class_ref(ref, ref_path);
        if (c && !g.takes[*c]) {
            r_.error(ref.pos, ref_path, "class '" + class_names_[*c] + "' is not in this group's takes");
            return std::nullopt;
        }
        return c;
    };

    if (const Node* takes = r_.require(n, path, "takes")) {
        const std::string tp = join_path(path, "takes");
        if (r_.expect_list(*takes, tp, "a list of class names")) {
            if (takes->items.empty()) {
                r_.error(takes->pos, tp, "expected at least one class name");
            }
            for (std::size_t i = 0; i < takes->items.size(); ++i) {
                const std::string ip = index_path(tp, i);
                if (const auto c = class_ref(takes->items[i], ip)) {
                    if (g.takes[*c]) {
                        r_.error(takes->items[i].pos, ip, "class '" + class_names_[*c] + "' is listed twice");
                    }
                    g.takes[*c] = true;
                }
            }
        }
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;  // the rest refers to the classes taken
    }
    if (const Node* factors = Reader::get(n, "handle_factor")) {
        const std::string fp = join_path(path, "handle_factor");
        if (r_.expect_map(*factors, fp, "a map from class names to factors (e.g. {\"101\": 1.2})")) {
            for (const MapEntry& e : factors->entries) {
                Node key;
                key.kind = Node::Kind::scalar;
                key.text = e.key;
                key.pos = e.key_pos;
                const std::string ep = join_path(fp, e.key);
                const auto c = taken_class(key, ep);
                const auto f = r_.number(e.value, ep, Bound::positive, max_factor);
                if (c && f) {
                    g.handle_factor[*c] = *f;
                }
            }
        }
    }
    if (const Node* cost = Reader::get(n, "cost_per_hour")) {
        g.cost_per_hour =
            r_.number(*cost, join_path(path, "cost_per_hour"), Bound::non_negative, max_cost_per_hour).value_or(0);
    }
    if (const Node* premium = Reader::get(n, "overtime_premium")) {
        g.overtime_premium = r_.ratio(*premium, join_path(path, "overtime_premium")).value_or(0);
    }
    if (const Node* hours = Reader::get(n, "contract_hours_per_week")) {
        g.contract_hours_per_week =
            r_.number(*hours, join_path(path, "contract_hours_per_week"), Bound::positive, max_contract_hours_per_week)
                .value_or(g.contract_hours_per_week);
    }
    if (const Node* absence = Reader::get(n, "absence")) {
        g.absence = r_.share(*absence, join_path(path, "absence"), 1.0, true).value_or(0);
    }
    if (const Node* reserve = Reader::get(n, "reserve")) {
        const std::string rp = join_path(path, "reserve");
        if (r_.expect_map(*reserve, rp, "a map {keep, for}")) {
            r_.check_keys(*reserve, rp, {"keep", "for"});
            if (const Node* keep = r_.require(*reserve, rp, "keep")) {
                g.reserve = static_cast<int>(r_.integer(*keep, join_path(rp, "keep"), 1).value_or(0));
            }
            if (const Node* for_node = r_.require(*reserve, rp, "for")) {
                const std::string fp = join_path(rp, "for");
                if (r_.expect_list(*for_node, fp, "a list of class names")) {
                    if (for_node->items.empty()) {
                        r_.error(for_node->pos, fp, "expected at least one class name");
                    }
                    for (std::size_t i = 0; i < for_node->items.size(); ++i) {
                        if (const auto c = taken_class(for_node->items[i], index_path(fp, i))) {
                            g.reserved_for[*c] = true;
                        }
                    }
                }
            }
        }
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return g;
}

void SchemaLoader::read_routing(const Node& root) {
    const Node* routing = Reader::get(root, "routing");
    if (routing == nullptr ||
        !r_.expect_map(*routing, "routing",
                       "a map from class names to lists of groups (e.g. {\"101\": [staff-101, handlers]})")) {
        return;
    }
    for (const MapEntry& e : routing->entries) {
        const std::string path = join_path("routing", e.key);
        Node key;
        key.kind = Node::Kind::scalar;
        key.text = e.key;
        key.pos = e.key_pos;
        const auto c = class_ref(key, path);
        if (!r_.expect_list(e.value, path, "a list of group names, most preferred first") || !c) {
            continue;
        }
        for (std::size_t i = 0; i < e.value.items.size(); ++i) {
            const Node& item = e.value.items[i];
            const std::string ip = index_path(path, i);
            const auto name = r_.text(item, ip, "a group name");
            if (!name) {
                continue;
            }
            const auto g = index_of(group_names_, *name);
            if (!g) {
                r_.unknown_name(item, ip, "group", *name, group_names_);
            } else if (std::find(routing_[*c].begin(), routing_[*c].end(), *g) != routing_[*c].end()) {
                r_.error(item.pos, ip, "group '" + *name + "' is listed twice");
            } else if (groups_[*g] && !groups_[*g]->takes[*c]) {
                r_.error(item.pos, ip, "group '" + *name + "' does not take class '" + e.key + "'");
            } else {
                routing_[*c].push_back(*g);
            }
        }
    }
}

void SchemaLoader::read_roster(const Node& root) {
    const Node* roster = r_.require(root, "", "roster");
    if (roster != nullptr && r_.expect_list(*roster, "roster", "a list of roster lines")) {
        if (roster->items.empty()) {
            r_.error(roster->pos, "roster", "expected at least one roster line");
        }
        for (std::size_t i = 0; i < roster->items.size(); ++i) {
            const std::size_t before = shift_sources_.size();
            read_roster_line(roster->items[i], index_path("roster", i));
            if (shift_sources_.size() > before) shift_sources_.back().index = i;
        }
    }
    // Named blocks of further lines: a scenario that extends another adds a block by name (maps
    // merge key by key), where a new `roster` list would replace the whole roster.
    const Node* blocks = Reader::get(root, "rosters");
    if (blocks == nullptr || !r_.expect_map(*blocks, "rosters", "a map of named lists of roster lines")) {
        return;
    }
    for (const MapEntry& block : blocks->entries) {
        const std::string block_path = join_path("rosters", block.key);
        if (!r_.expect_list(block.value, block_path, "a list of roster lines")) {
            continue;
        }
        for (std::size_t i = 0; i < block.value.items.size(); ++i) {
            const std::size_t before = shift_sources_.size();
            read_roster_line(block.value.items[i], index_path(block_path, i));
            if (shift_sources_.size() > before) {
                shift_sources_.back().block = block.key;
                shift_sources_.back().index = i;
            }
        }
    }
}

void SchemaLoader::read_roster_line(const Node& line, const std::string& path) {
    {
        if (!r_.expect_map(line, path, "a roster line {room, group, shift, days, headcount, weeks}")) {
            return;
        }
        const std::size_t errors_before = r_.error_count();
        static const std::vector<std::string> candidate_keys = [] {
            std::vector<std::string> keys = roster_line_keys;
            std::erase(keys, "headcount");
            return keys;
        }();
        r_.check_keys(line, path, reading_candidates_ ? candidate_keys : roster_line_keys);
        ShiftSpec s;
        const auto named = [&](const char* key, std::string_view what, const std::vector<std::string>& names,
                               std::size_t& out) {
            if (const Node* v = r_.require(line, path, key)) {
                if (const auto idx = name_ref(*v, join_path(path, key), what, names)) {
                    out = *idx;
                }
            }
        };
        named("room", "room", room_names_, s.room);
        named("group", "group", group_names_, s.group);
        bool always = false;
        if (const Node* shift = r_.require(line, path, "shift")) {
            const std::string sp = join_path(path, "shift");
            std::optional<Pattern> pattern;
            if (shift->kind == Node::Kind::map) {
                pattern = read_pattern(*shift, sp);
            } else if (shift->kind == Node::Kind::scalar && shift->plain && shift->text == always_shift &&
                       !index_of(pattern_names_, always_shift)) {  // a pattern named `always` takes precedence
                always = true;
                s.start_s = 0;
                s.length_s = model::never;
            } else if (const auto name =
                           r_.text(*shift, sp, "a shift pattern name, always, or a shift {start, length, breaks}")) {
                if (!index_of(pattern_names_, *name)) {
                    std::vector<std::string> names = pattern_names_;
                    names.emplace_back(always_shift);
                    r_.unknown_name(*shift, sp, "shift pattern", *name, names);
                } else if (const auto it = patterns_.find(*name); it != patterns_.end()) {
                    pattern = it->second;
                }
            }
            if (pattern) {
                s.start_s = pattern->start_s;
                s.length_s = pattern->length_s;
                s.breaks = pattern->breaks;
            }
        }
        // `shift: always` is on duty from t = 0 to the end: nothing about when it starts applies.
        const auto not_with_always = [&](const char* key, const std::string& why) {
            const Node* v = line.find(key);
            if (always && v != nullptr) {
                r_.error(v->pos, join_path(path, key), "not allowed with shift: always (" + why + ")");
                return true;
            }
            return false;
        };
        const std::string whole_run = "on duty for the whole run";
        if (const Node* days = Reader::get(line, "days"); days != nullptr && !not_with_always("days", whole_run)) {
            if (const auto d = read_days(*days, join_path(path, "days"))) {
                s.days = *d;
            }
        }
        if (reading_candidates_) {
            s.headcount = 0;  // the search chooses it; `headcount` is an unknown key here
        } else if (const Node* h = r_.require(line, path, "headcount")) {
            s.headcount = static_cast<int>(r_.integer(*h, join_path(path, "headcount"), 0).value_or(0));
        }
        if (const Node* weeks = Reader::get(line, "weeks"); weeks != nullptr && !not_with_always("weeks", whole_run)) {
            if (const auto range = read_week_range(*weeks, join_path(path, "weeks"))) {
                s.from_week = range->from;
                s.to_week = range->to;
                warn_after_horizon(range->from, range->from_node, join_path(path, "weeks"));
            }
        }
        if (const Node* overtime = Reader::get(line, "overtime")) {
            s.overtime = r_.boolean(*overtime, join_path(path, "overtime")).value_or(false);
        }
        if (const Node* cap = Reader::get(line, "weekly_cap");
            cap != nullptr && !not_with_always("weekly_cap", "the cap counts hours of shifts that end")) {
            const std::string cp = join_path(path, "weekly_cap");
            const auto v = r_.duration(*cap, cp, Bound::non_negative);
            const Node* overtime = Reader::get(line, "overtime");
            if (v && !s.overtime && (overtime == nullptr || overtime->text == "false")) {
                r_.error(cap->pos, cp, "a weekly cap applies only to overtime lines: add overtime: true");
            } else if (v) {
                s.weekly_cap_hours = *v / model::seconds_per_hour;
                if (s.length_s > 0 && *v < s.length_s) {
                    pending_warnings_.push_back({cap->pos, cp,
                                                 "the cap (" + format_duration(*v) +
                                                     ") is less than one person's shift (" +
                                                     format_duration(s.length_s) + "): nobody ever works this line"});
                }
            }
        }
        if (const Node* cohort = Reader::get(line, "cohort");
            cohort != nullptr && !not_with_always("cohort", "trainees join when their course starts")) {
            if (const auto c = name_ref(*cohort, join_path(path, "cohort"), "cohort", cohort_names_)) {
                s.cohort = static_cast<int>(*c);
            }
        }
        if (r_.error_count() == errors_before) {
            model::RosterLineSource source = line_source(line);
            if (reading_candidates_) {
                candidates_.push_back(std::move(s));
                candidate_sources_.push_back(std::move(source));
                return;
            }
            shifts_.push_back(std::move(s));
            shift_pos_.push_back(line.pos);
            shift_path_.push_back(path);
            shift_sources_.push_back(std::move(source));
        }
    }
}

std::optional<int> SchemaLoader::read_day_word(const Node& n, const std::string& path, std::array<bool, 7>& days) {
    const auto word = r_.text(n, path, "days");
    if (!word) {
        return std::nullopt;
    }
    if (const std::optional<Days> one = parse_days_word(*word)) {
        for (std::size_t d = 0; d < 7; ++d) days[d] = days[d] || (*one)[d];
        return 0;
    }
    std::vector<std::string> words = day_keys;
    words.insert(words.end(), {"all", "weekdays", "weekends"});
    std::string message = "unknown days '" + *word + "'";
    if (const auto guess = closest(*word, words)) {
        message += "; did you mean '" + *guess + "'?";
    } else {
        message +=
            ": expected all, weekdays, weekends, a day (mon, tue, wed, thu, fri, sat, sun), a range such as "
            "mon-fri, or a list such as [mon, wed]";
    }
    r_.error(n.pos, path, std::move(message));
    return std::nullopt;
}

std::optional<std::array<bool, 7>> SchemaLoader::read_days(const Node& n, const std::string& path) {
    std::array<bool, 7> days{};
    if (n.kind == Node::Kind::sequence) {
        if (n.items.empty()) {
            r_.error(n.pos, path, "expected at least one day");
            return std::nullopt;
        }
        bool ok = true;
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            ok = read_day_word(n.items[i], index_path(path, i), days).has_value() && ok;
        }
        return ok ? std::optional(days) : std::nullopt;
    }
    if (!read_day_word(n, path, days)) {
        return std::nullopt;
    }
    return days;
}

namespace {

/// Errors of the top file first, then by file, line and column.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics, const std::string& top_file) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        const auto key = [&](const Diagnostic& d) {
            return std::make_tuple(d.file != top_file, d.file, d.line, d.column);
        };
        return key(a) < key(b);
    });
}

LoadResult load_tree(const std::string& text, const std::string& file, const std::string& base_dir,
                     const std::string& default_name, const std::vector<Override>& overrides) {
    LoadResult result;
    ResolvedTree tree = resolve_extends(text, file, base_dir, result.diagnostics);
    if (tree.root && !has_errors(result.diagnostics) && !overrides.empty()) {
        apply_overrides(*tree.root, overrides, result.diagnostics);
        // The fingerprint is of the scenario as run: the files and then the overrides.
        for (const Override& o : overrides) tree.bytes += "\n--set " + o.text();
    }
    if (tree.root) {
        const auto from_override = [&](const SourcePos& p) {
            return p.line == 0 && std::any_of(overrides.begin(), overrides.end(),
                                              [&](const Override& o) { return o.origin == p.file; });
        };
        const std::function<bool(const Node&)> overridden = [&](const Node& n) {
            return from_override(n.pos) || std::any_of(n.items.begin(), n.items.end(), overridden) ||
                   std::any_of(n.entries.begin(), n.entries.end(),
                               [&](const MapEntry& e) { return from_override(e.key_pos) || overridden(e.value); });
        };
        for (const auto& line : roster_lines(std::as_const(*tree.root)))
            result.roster.push_back(RosterLineText{line.path, flow_text(*line.line), overridden(*line.line)});
    }
    if (tree.root && !has_errors(result.diagnostics)) {
        SchemaLoader loader(result.diagnostics);
        result.spec = loader.load(*tree.root, file, default_name);
        if (result.spec) {
            result.spec->sha256 = sha256_hex(tree.bytes);
        }
    }
    if (has_errors(result.diagnostics)) {
        result.spec.reset();
    }
    if (tree.root) {
        result.tree = std::make_shared<const Node>(std::move(*tree.root));
    }
    sort_diagnostics(result.diagnostics, file);
    return result;
}

}  // namespace

LoadResult load_scenario(const std::string& path, const std::vector<Override>& overrides) {
    std::string text;
    if (const auto why = read_file(path, text)) {
        LoadResult result;
        result.diagnostics.push_back(Diagnostic{path, 0, 0, "", "cannot read the file: " + *why, false});
        return result;
    }
    const std::filesystem::path p(path);
    return load_tree(text, path, p.parent_path().generic_string(), p.stem().string(), overrides);
}

Diagnostic locate(const LoadResult& loaded, const std::string& key_path, std::string message) {
    std::string path = key_path;
    if (path.rfind("shifts[", 0) == 0) {
        const std::size_t close = path.find(']');
        const std::size_t index =
            close == std::string::npos ? loaded.roster.size() : std::stoul(path.substr(7, close - 7));
        if (index < loaded.roster.size()) {
            path = loaded.roster[index].path + path.substr(close + 1);
        }
    }
    Diagnostic d{loaded.spec ? loaded.spec->source_file : std::string(), 0, 0, path, std::move(message), false};
    if (!loaded.tree) {
        return d;
    }
    const Node* node = loaded.tree.get();
    SourcePos at = node->pos;
    std::string_view rest = path;
    while (!rest.empty()) {
        if (node->kind == Node::Kind::map) {
            const MapEntry* match = nullptr;
            for (const MapEntry& e : node->entries) {
                const std::size_t k = e.key.size();
                const bool fits = rest.substr(0, k) == e.key && (rest.size() == k || rest[k] == '.' || rest[k] == '[');
                if (fits && (match == nullptr || k > match->key.size())) {
                    match = &e;
                }
            }
            if (match == nullptr) {
                break;
            }
            node = &match->value;
            at = node->kind == Node::Kind::scalar ? node->pos : match->key_pos;
            rest.remove_prefix(match->key.size());
        } else if (node->kind == Node::Kind::sequence && rest.front() == '[') {
            const std::size_t close = rest.find(']');
            std::size_t index = node->items.size();
            if (close != std::string_view::npos) {
                std::from_chars(rest.data() + 1, rest.data() + close, index);
            }
            if (index >= node->items.size()) {
                break;
            }
            node = &node->items[index];
            at = node->pos;
            rest.remove_prefix(close + 1);
        } else {
            break;
        }
        if (!rest.empty() && rest.front() == '.') {
            rest.remove_prefix(1);
        }
    }
    d.file = at.file;
    d.line = at.line;
    d.column = at.column;
    return d;
}

LoadResult load_scenario_text(const std::string& yaml, const std::string& display_name,
                              const std::vector<Override>& overrides) {
    return load_tree(yaml, display_name, "", std::filesystem::path(display_name).stem().string(), overrides);
}

std::optional<std::string> top_level_value_text(const LoadResult& loaded, const std::string& key) {
    if (!loaded.tree) return std::nullopt;
    const Node* value = loaded.tree->find(key);
    if (!value) return std::nullopt;
    return flow_text(*value);
}

}  // namespace crsim::scenario
