// The timeline keys of a scenario: what changes week by week. Weeks count from 1 at
// t = 0; a date is turned into the week containing it, counted from start_date.
#include <algorithm>
#include <cmath>

#include "crsim/scenario/units.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {

using model::AttritionSpec;
using model::CallInSpec;
using model::CohortSpec;
using model::DisruptionSpec;
using model::RoomMergeSpec;
using model::TransitionSpec;

const std::vector<std::string> merge_keys = {"into", "rooms", "week", "date"};
const std::vector<std::string> range_keys = {"from", "to", "from_date", "to_date"};
const std::vector<std::string> transition_keys = {"week", "date", "handle_inflation", "decay"};
const std::vector<std::string> disruption_keys = {"groups", "weeks", "headcount"};
const std::vector<std::string> attrition_keys = {"groups", "weeks", "per_week"};
const std::vector<std::string> call_in_keys = {"class",  "room",   "group",      "queue_above", "for",
                                               "people", "length", "weekly_cap", "weeks"};
const std::vector<std::string> cohort_keys = {"start_week",     "start_date", "course", "available_during_course",
                                              "initial_factor", "learning"};

double week_start_s(int week) { return (week - 1) * model::seconds_per_week; }

}  // namespace

std::optional<int> SchemaLoader::date_week(const Node& n, const std::string& path) {
    const auto text = r_.text(n, path, "an ISO date YYYY-MM-DD");
    if (!text) {
        return std::nullopt;
    }
    const Parsed<long long> day = parse_iso_date_days(*text);
    if (!day) {
        r_.error(n.pos, path, day.error);
        return std::nullopt;
    }
    if (!start_date_given_) {
        r_.error(n.pos, path, "a date needs start_date (the date of t = 0) at the top level");
        return std::nullopt;
    }
    if (!start_day_) {
        return std::nullopt;  // start_date is wrong: already reported
    }
    if (*day.value < *start_day_) {
        r_.error(n.pos, path, "expected a date on or after start_date (" + start_date_text_ + "), got " + *text);
        return std::nullopt;
    }
    const long long week = (*day.value - *start_day_) / 7 + 1;
    return static_cast<int>(std::min<long long>(week, std::numeric_limits<int>::max()));
}

std::optional<WeekAt> SchemaLoader::read_week_at(const Node& map, const std::string& path, const std::string& week_key,
                                                 const std::string& date_key, std::optional<int> default_week) {
    const Node* week = Reader::get(map, week_key);
    const Node* date = Reader::get(map, date_key);
    if (week != nullptr && date != nullptr) {
        r_.error(date->pos, join_path(path, date_key), "give either " + week_key + " or " + date_key + ", not both");
        return std::nullopt;
    }
    if (week != nullptr) {
        const auto v = r_.integer(*week, join_path(path, week_key), 1);
        return v ? std::optional(WeekAt{static_cast<int>(*v), week}) : std::nullopt;
    }
    if (date != nullptr) {
        const auto v = date_week(*date, join_path(path, date_key));
        return v ? std::optional(WeekAt{*v, date}) : std::nullopt;
    }
    if (default_week) {
        return WeekAt{*default_week, nullptr};
    }
    r_.error(map.pos, path, "missing the week: give " + week_key + " (from 1) or " + date_key + " (YYYY-MM-DD)");
    return std::nullopt;
}

std::optional<WeekRange> SchemaLoader::read_week_range(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a week range {from, to} (or from_date, to_date)")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, range_keys);
    WeekRange range;
    if (const auto from = read_week_at(n, path, "from", "from_date", 1)) {
        range.from = from->week;
        range.from_node = from->node;
    }
    const Node* to = Reader::get(n, "to");
    const Node* to_date = Reader::get(n, "to_date");
    if (to != nullptr && to_date != nullptr) {
        r_.error(to_date->pos, join_path(path, "to_date"), "give either to or to_date, not both");
    } else if (to != nullptr) {
        const auto v = r_.integer(*to, join_path(path, "to"), 1);
        if (v && *v < range.from) {
            r_.error(to->pos, join_path(path, "to"),
                     "expected at least weeks.from (" + std::to_string(range.from) + "), got " + to->text);
        } else if (v) {
            range.to = static_cast<int>(*v);
        }
    } else if (to_date != nullptr) {
        const auto v = date_week(*to_date, join_path(path, "to_date"));
        if (v && *v < range.from) {
            r_.error(to_date->pos, join_path(path, "to_date"),
                     "expected a date in week " + std::to_string(range.from) + " (weeks.from) or later, got " +
                         to_date->text + " (week " + std::to_string(*v) + ")");
        } else if (v) {
            range.to = *v;
        }
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return range;
}

std::optional<std::size_t> SchemaLoader::name_ref(const Node& n, const std::string& path, std::string_view what,
                                                  const std::vector<std::string>& names) {
    const auto name = r_.text(n, path, "a " + std::string(what) + " name");
    if (!name) {
        return std::nullopt;
    }
    const auto idx = index_of(names, *name);
    if (!idx) {
        r_.unknown_name(n, path, what, *name, names);
    }
    return idx;
}

std::optional<std::vector<bool>> SchemaLoader::read_group_set(const Node& map, const std::string& path) {
    std::vector<bool> marked(group_names_.size(), true);
    const Node* groups = Reader::get(map, "groups");
    if (groups == nullptr) {
        return marked;  // every group
    }
    const std::string gp = join_path(path, "groups");
    if (!r_.expect_list(*groups, gp, "a list of group names")) {
        return std::nullopt;
    }
    if (groups->items.empty()) {
        r_.error(groups->pos, gp, "expected at least one group name (leave groups out for every group)");
        return std::nullopt;
    }
    marked.assign(group_names_.size(), false);
    bool ok = true;
    for (std::size_t i = 0; i < groups->items.size(); ++i) {
        const Node& item = groups->items[i];
        const std::string ip = index_path(gp, i);
        const auto g = name_ref(item, ip, "group", group_names_);
        if (!g) {
            ok = false;
        } else if (marked[*g]) {
            r_.error(item.pos, ip, "group '" + group_names_[*g] + "' is listed twice");
            ok = false;
        } else {
            marked[*g] = true;
        }
    }
    return ok ? std::optional(std::move(marked)) : std::nullopt;
}

void SchemaLoader::warn_after_horizon(int week, const Node* at, const std::string& path) {
    if (at != nullptr && horizon_s_ && week_start_s(week) >= *horizon_s_) {
        pending_warnings_.push_back({at->pos, path,
                                     "week " + std::to_string(week) + " starts after the horizon (" +
                                         format_duration(*horizon_s_) + "): this never takes effect"});
    }
}

// ---- merge ----

void SchemaLoader::read_merges(const Node& root) {
    const Node* merge = Reader::get(root, "merge");
    if (merge == nullptr) {
        return;
    }
    if (merge->kind == Node::Kind::sequence) {
        for (std::size_t i = 0; i < merge->items.size(); ++i) {
            read_merge(merge->items[i], index_path("merge", i));
        }
    } else if (merge->kind == Node::Kind::map) {
        read_merge(*merge, "merge");
    } else {
        r_.error(merge->pos, "merge",
                 "expected a merge {into, rooms, week} or a list of them, got " + Reader::describe(*merge));
        return;
    }
    check_merges();
}

void SchemaLoader::read_merge(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a merge {into, rooms, week}")) {
        return;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, merge_keys);
    MergeDraft m;
    m.path = path;
    std::optional<std::size_t> into;
    if (const Node* into_node = r_.require(n, path, "into")) {
        into = name_ref(*into_node, join_path(path, "into"), "room", room_names_);
        m.into_node = into_node;
    }
    if (const Node* rooms = r_.require(n, path, "rooms")) {
        const std::string rp = join_path(path, "rooms");
        if (r_.expect_list(*rooms, rp, "a list of room names")) {
            if (rooms->items.empty()) {
                r_.error(rooms->pos, rp, "expected at least one room to merge");
            }
            for (std::size_t i = 0; i < rooms->items.size(); ++i) {
                const Node& item = rooms->items[i];
                const std::string ip = index_path(rp, i);
                const auto room = name_ref(item, ip, "room", room_names_);
                if (!room) {
                    continue;
                }
                if (into && *room == *into) {
                    r_.error(item.pos, ip, "room '" + room_names_[*room] + "' cannot be merged into itself");
                } else if (std::find(m.rooms.begin(), m.rooms.end(), *room) != m.rooms.end()) {
                    r_.error(item.pos, ip, "room '" + room_names_[*room] + "' is listed twice");
                } else {
                    m.rooms.push_back(*room);
                    m.room_nodes.push_back(&item);
                }
            }
        }
    }
    if (const auto week = read_week_at(n, path, "week", "date", 1)) {
        m.week = week->week;
        warn_after_horizon(m.week, week->node, join_path(path, week->node == n.find("date") ? "date" : "week"));
    }
    if (r_.error_count() == errors_before && into) {
        m.into = *into;
        merges_.push_back(std::move(m));
    }
}

void SchemaLoader::check_merges() {
    // A room disappears once; a room receiving others must still exist then (it may merge later).
    for (std::size_t k = 0; k < merges_.size(); ++k) {
        const MergeDraft& m = merges_[k];
        for (std::size_t i = 0; i < m.rooms.size(); ++i) {
            for (std::size_t j = 0; j < k; ++j) {
                const MergeDraft& earlier = merges_[j];
                if (std::find(earlier.rooms.begin(), earlier.rooms.end(), m.rooms[i]) != earlier.rooms.end()) {
                    r_.error(m.room_nodes[i]->pos, index_path(join_path(m.path, "rooms"), i),
                             "room '" + room_names_[m.rooms[i]] + "' is already merged into '" +
                                 room_names_[earlier.into] + "' in week " + std::to_string(earlier.week));
                }
            }
        }
    }
    for (const MergeDraft& m : merges_) {
        for (const MergeDraft& other : merges_) {
            if (&other != &m && other.week <= m.week &&
                std::find(other.rooms.begin(), other.rooms.end(), m.into) != other.rooms.end()) {
                r_.error(m.into_node->pos, join_path(m.path, "into"),
                         "room '" + room_names_[m.into] + "' is itself merged into '" + room_names_[other.into] +
                             "' in week " + std::to_string(other.week) + "; merge into '" + room_names_[other.into] +
                             "' instead");
                break;
            }
        }
    }
}

std::optional<int> SchemaLoader::merge_week_of(std::size_t room) const {
    for (const MergeDraft& m : merges_) {
        if (std::find(m.rooms.begin(), m.rooms.end(), room) != m.rooms.end()) {
            return m.week;
        }
    }
    return std::nullopt;
}

// ---- transitions, disruptions, attrition ----

void SchemaLoader::read_transitions(const Node& root) {
    const Node* list = Reader::get(root, "transitions");
    if (list == nullptr ||
        !r_.expect_list(*list, "transitions", "a list of transitions {week, handle_inflation, decay}")) {
        return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& item = list->items[i];
        const std::string path = index_path("transitions", i);
        if (!r_.expect_map(item, path, "a transition {week, handle_inflation, decay}")) {
            continue;
        }
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(item, path, transition_keys);
        TransitionSpec t;
        if (const auto week = read_week_at(item, path, "week", "date", std::nullopt)) {
            t.week = week->week;
            warn_after_horizon(t.week, week->node, path);
        }
        if (const Node* inflation = r_.require(item, path, "handle_inflation")) {
            t.handle_inflation = r_.ratio(*inflation, join_path(path, "handle_inflation")).value_or(0);
        }
        if (const Node* decay = r_.require(item, path, "decay")) {
            if (const auto v = r_.duration(*decay, join_path(path, "decay"), Bound::positive)) {
                t.decay_weeks = *v / model::seconds_per_week;
            }
        }
        if (r_.error_count() == errors_before) {
            transitions_.push_back(t);
        }
    }
}

void SchemaLoader::read_disruptions(const Node& root) {
    const Node* list = Reader::get(root, "disruptions");
    if (list == nullptr || !r_.expect_list(*list, "disruptions", "a list of disruptions {groups, weeks, headcount}")) {
        return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& item = list->items[i];
        const std::string path = index_path("disruptions", i);
        if (!r_.expect_map(item, path, "a disruption {groups, weeks, headcount}")) {
            continue;
        }
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(item, path, disruption_keys);
        DisruptionSpec d;
        if (auto groups = read_group_set(item, path)) {
            d.groups = std::move(*groups);
        }
        if (const Node* weeks = r_.require(item, path, "weeks")) {
            if (const auto range = read_week_range(*weeks, join_path(path, "weeks"))) {
                d.from_week = range->from;
                d.to_week = range->to;
                warn_after_horizon(range->from, range->from_node, join_path(path, "weeks"));
            }
        }
        if (const Node* headcount = r_.require(item, path, "headcount")) {
            d.headcount_factor = r_.share(*headcount, join_path(path, "headcount"), 1.0, false).value_or(1);
        }
        if (r_.error_count() == errors_before) {
            disruptions_.push_back(std::move(d));
        }
    }
}

void SchemaLoader::read_attritions(const Node& root) {
    const Node* list = Reader::get(root, "attrition");
    if (list == nullptr || !r_.expect_list(*list, "attrition", "a list of attrition rules {groups, weeks, per_week}")) {
        return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& item = list->items[i];
        const std::string path = index_path("attrition", i);
        if (!r_.expect_map(item, path, "an attrition rule {groups, weeks, per_week}")) {
            continue;
        }
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(item, path, attrition_keys);
        AttritionSpec a;
        if (auto groups = read_group_set(item, path)) {
            a.groups = std::move(*groups);
        }
        if (const Node* weeks = Reader::get(item, "weeks")) {
            if (const auto range = read_week_range(*weeks, join_path(path, "weeks"))) {
                a.from_week = range->from;
                a.to_week = range->to;
                warn_after_horizon(range->from, range->from_node, join_path(path, "weeks"));
            }
        }
        if (const Node* loss = r_.require(item, path, "per_week")) {
            a.weekly_loss = r_.share(*loss, join_path(path, "per_week"), 1.0, false).value_or(0);
        }
        if (r_.error_count() == errors_before) {
            attritions_.push_back(std::move(a));
        }
    }
}

// ---- call_ins ----

void SchemaLoader::read_call_ins(const Node& root) {
    const Node* list = Reader::get(root, "call_ins");
    if (list == nullptr ||
        !r_.expect_list(*list, "call_ins", "a list of call-in rules {class, room, group, queue_above, for, length}")) {
        return;
    }
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& item = list->items[i];
        const std::string path = index_path("call_ins", i);
        if (!r_.expect_map(item, path, "a call-in rule {class, room, group, queue_above, for, length}")) {
            continue;
        }
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(item, path, call_in_keys);
        CallInSpec c;
        std::optional<std::size_t> cls;
        if (const Node* n = r_.require(item, path, "class")) {
            cls = class_ref(*n, join_path(path, "class"));
        }
        if (const Node* n = r_.require(item, path, "room")) {
            c.room = name_ref(*n, join_path(path, "room"), "room", room_names_).value_or(0);
        }
        if (const Node* n = r_.require(item, path, "group")) {
            const std::string gp = join_path(path, "group");
            if (const auto g = name_ref(*n, gp, "group", group_names_)) {
                c.group = *g;
                if (cls && groups_[*g] && !groups_[*g]->takes[*cls]) {
                    r_.error(n->pos, gp,
                             "group '" + group_names_[*g] + "' does not take class '" + class_names_[*cls] + "'");
                }
            }
        }
        c.cls = cls.value_or(0);
        if (const Node* n = r_.require(item, path, "queue_above")) {
            c.queue_above = static_cast<std::size_t>(r_.integer(*n, join_path(path, "queue_above"), 0).value_or(0));
        }
        if (const Node* n = r_.require(item, path, "for")) {
            c.sustained_s = r_.duration(*n, join_path(path, "for"), Bound::positive).value_or(0);
        }
        if (const Node* n = Reader::get(item, "people")) {
            c.people = static_cast<int>(r_.integer(*n, join_path(path, "people"), 1).value_or(1));
        }
        if (const Node* n = r_.require(item, path, "length")) {
            c.length_s = r_.duration(*n, join_path(path, "length"), Bound::positive).value_or(0);
        }
        if (const Node* n = Reader::get(item, "weekly_cap")) {
            const std::string cp = join_path(path, "weekly_cap");
            if (const auto v = r_.duration(*n, cp, Bound::non_negative)) {
                c.weekly_cap_hours = *v / model::seconds_per_hour;
                if (c.length_s > 0 && *v < c.length_s) {
                    pending_warnings_.push_back({n->pos, cp,
                                                 "the cap (" + format_duration(*v) +
                                                     ") is less than one person's call-in (" +
                                                     format_duration(c.length_s) + "): nobody is ever called in"});
                }
            }
        }
        if (const Node* weeks = Reader::get(item, "weeks")) {
            if (const auto range = read_week_range(*weeks, join_path(path, "weeks"))) {
                c.from_week = range->from;
                c.to_week = range->to;
                warn_after_horizon(range->from, range->from_node, join_path(path, "weeks"));
            }
        }
        if (r_.error_count() == errors_before) {
            call_ins_.push_back(c);
            call_in_pos_.push_back(item.pos);
            call_in_path_.push_back(path);
        }
    }
}

// ---- cohorts ----

void SchemaLoader::read_cohorts(const Node& root) {
    const Node* cohorts = Reader::get(root, "cohorts");
    if (cohorts == nullptr || !r_.expect_map(*cohorts, "cohorts", "a map of named training cohorts")) {
        return;
    }
    for (const MapEntry& e : cohorts->entries) {
        cohort_names_.push_back(e.key);
        cohort_pos_.push_back(e.key_pos);
        cohorts_.emplace_back();
        const std::string path = join_path("cohorts", e.key);
        const Node& n = e.value;
        if (!r_.expect_map(n, path,
                           "a cohort {start_week, course, available_during_course, initial_factor, learning}")) {
            continue;
        }
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(n, path, cohort_keys);
        CohortSpec c;
        c.name = e.key;
        if (const auto start = read_week_at(n, path, "start_week", "start_date", std::nullopt)) {
            c.start_week = start->week;
            warn_after_horizon(c.start_week, start->node, path);
        }
        if (const Node* course = r_.require(n, path, "course")) {
            c.course_weeks = r_.duration(*course, join_path(path, "course"), Bound::non_negative).value_or(0) /
                             model::seconds_per_week;
        }
        if (const Node* available = Reader::get(n, "available_during_course")) {
            c.available_during_course =
                r_.share(*available, join_path(path, "available_during_course"), 1.0, false).value_or(0);
        }
        if (const Node* factor = Reader::get(n, "initial_factor")) {
            c.initial_factor =
                r_.number(*factor, join_path(path, "initial_factor"), Bound::positive, max_ratio).value_or(1);
        }
        if (const Node* learning = Reader::get(n, "learning")) {
            c.learning_weeks = r_.duration(*learning, join_path(path, "learning"), Bound::non_negative).value_or(0) /
                               model::seconds_per_week;
        }
        if (r_.error_count() == errors_before) {
            cohorts_.back() = std::move(c);
        }
    }
}

// ---- assembly ----

void SchemaLoader::assemble_timeline(model::ScenarioSpec& spec, const std::vector<std::size_t>& room_map) {
    // Merges after week 1 stay in the spec, applied in week order (so a room merged into one that
    // merges later follows it).
    for (const MergeDraft& m : merges_) {
        if (m.week == 1) {
            continue;
        }
        RoomMergeSpec merge;
        merge.into = room_map[m.into];
        merge.week = m.week;
        for (const std::size_t r : m.rooms) {
            merge.rooms.push_back(room_map[r]);
        }
        spec.merges.push_back(std::move(merge));
    }
    std::stable_sort(spec.merges.begin(), spec.merges.end(),
                     [](const RoomMergeSpec& a, const RoomMergeSpec& b) { return a.week < b.week; });
    spec.transitions = std::move(transitions_);
    spec.disruptions = std::move(disruptions_);
    spec.attritions = std::move(attritions_);
    for (std::size_t i = 0; i < call_ins_.size(); ++i) {
        CallInSpec c = call_ins_[i];
        const auto week = merge_week_of(c.room);
        if (week && *week > 1 && c.to_week >= *week) {
            r_.warning(call_in_pos_[i], join_path(call_in_path_[i], "room"),
                       "room '" + room_names_[c.room] + "' is merged in week " + std::to_string(*week) +
                           "; from then its queue stays empty and this rule calls nobody in");
        }
        c.room = room_map[c.room];
        spec.call_ins.push_back(c);
    }
    for (auto& c : cohorts_) {
        spec.cohorts.push_back(std::move(*c));
    }

    for (std::size_t i = 0; i < spec.cohorts.size(); ++i) {
        const auto uses = [&](const model::ShiftSpec& s) { return s.cohort == static_cast<int>(i); };
        if (std::none_of(spec.shifts.begin(), spec.shifts.end(), uses)) {
            r_.warning(cohort_pos_[i], join_path("cohorts", cohort_names_[i]), "no roster line uses this cohort");
        }
    }
    // People on shift: always are placed once, at t = 0: later changes do not reach them.
    for (std::size_t i = 0; i < spec.shifts.size(); ++i) {
        const model::ShiftSpec& s = spec.shifts[i];
        if (std::isfinite(s.length_s)) {
            continue;
        }
        for (const MergeDraft& m : merges_) {
            const bool in_merged_room =
                std::any_of(m.rooms.begin(), m.rooms.end(), [&](std::size_t r) { return room_map[r] == s.room; });
            if (m.week > 1 && in_merged_room) {
                r_.warning(shift_pos_[i], shift_path_[i],
                           "people on shift: always stay in '" + spec.rooms[s.room].name + "' after it merges into '" +
                               room_names_[m.into] + "' in week " + std::to_string(m.week) +
                               "; give them a shift that ends, or roster them in '" + room_names_[m.into] + "'");
            }
        }
        const bool disrupted = std::any_of(spec.disruptions.begin(), spec.disruptions.end(),
                                           [&](const auto& d) { return d.groups[s.group]; }) ||
                               std::any_of(spec.attritions.begin(), spec.attritions.end(),
                                           [&](const auto& a) { return a.groups[s.group]; });
        if (disrupted) {
            r_.warning(shift_pos_[i], shift_path_[i],
                       "people on shift: always turn up once, at t = 0: disruptions and attrition of group '" +
                           spec.groups[s.group].name + "' after that do not reach them");
        }
    }
    for (PendingWarning& w : pending_warnings_) {
        r_.warning(w.at, w.path, std::move(w.message));
    }
    pending_warnings_.clear();
}

}  // namespace crsim::scenario
