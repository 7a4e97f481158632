// The demand keys of a scenario: `triage` (a front-end menu per class), `channel_shift` (demand
// moving from one class to another week by week), `surges` (scheduled) and `random_surges`
// (incidents arriving at random). scenarios/README.md documents each key.
#include <algorithm>
#include <cmath>

#include "crsim/scenario/units.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {

const std::vector<std::string> triage_keys = {"menu_time", "resolved", "redirected", "reclassified"};
const std::vector<std::string> shift_keys = {"from", "to", "shares"};
const std::vector<std::string> surge_keys = {"week", "date", "day", "at", "duration", "multipliers"};
const std::vector<std::string> random_surge_keys = {"per_week", "duration", "extra_calls", "size_cv"};

constexpr double share_tolerance = 1e-9;
constexpr double max_multiplier = 100;
constexpr double max_extra_calls = 1e7;  // per incident and class
constexpr double max_incidents_per_week = 1e4;

/// A map key as a scalar node, so that the readers can name it where it was written.
Node key_node(const MapEntry& e) {
    Node key;
    key.kind = Node::Kind::scalar;
    key.text = e.key;
    key.pos = e.key_pos;
    return key;
}

}  // namespace

std::optional<std::vector<double>> SchemaLoader::read_class_numbers(const Node& n, const std::string& path,
                                                                    double fallback, Bound bound, double max,
                                                                    std::string_view what) {
    if (!r_.expect_map(n, path, "a map from class names to " + std::string(what) + " (e.g. {\"999\": 3})"))
        return std::nullopt;
    std::vector<double> values(class_names_.size(), fallback);
    bool ok = true;
    for (const MapEntry& e : n.entries) {
        const std::string ep = join_path(path, e.key);
        const auto c = name_ref(key_node(e), ep, "class", class_names_);
        const auto v = r_.number(e.value, ep, bound, max);
        if (c && v)
            values[*c] = *v;
        else
            ok = false;
    }
    return ok ? std::optional(values) : std::nullopt;
}

void SchemaLoader::read_demand(const Node& root, model::ScenarioSpec& spec) {
    read_triage(root, spec.demand);
    read_channel_shifts(root, spec.demand);
    read_surges(root, spec);
    read_random_surges(root, spec.demand);
    // A backlog without arrivals of its own must have demand shifted into it, or it has no work.
    if (const Node* map = Reader::get(root, "deferrable"); map != nullptr && map->kind == Node::Kind::map) {
        for (std::size_t d = 0; d < deferrables_.size(); ++d) {
            const model::ArrivalSpec& a = deferrables_[d].arrivals;
            if (a.per_week > 0 || !a.times_s.empty()) continue;
            const auto& shifts = spec.demand.channel_shifts;
            if (std::any_of(shifts.begin(), shifts.end(), [&](const auto& s) { return s.to_backlog && s.to == d; }))
                continue;
            for (const MapEntry& e : map->entries)
                if (e.key == deferrables_[d].name)
                    r_.error(e.value.pos, join_path("deferrable", e.key),
                             "expected arrivals, or a channel_shift whose `to` is this backlog");
        }
    }
}

void SchemaLoader::read_triage(const Node& root, model::DemandSpec& demand) {
    const Node* triage = Reader::get(root, "triage");
    if (triage == nullptr || !r_.expect_map(*triage, "triage", "a map from class names to their menus")) return;
    demand.triage.assign(class_names_.size(), std::nullopt);
    for (const MapEntry& e : triage->entries) {
        const std::string path = join_path("triage", e.key);
        const auto cls = name_ref(key_node(e), path, "class", class_names_);
        if (!r_.expect_map(e.value, path, "a map of menu keys (menu_time, resolved, redirected, reclassified)"))
            continue;
        r_.check_keys(e.value, path, triage_keys);
        model::TriageSpec t;
        t.reclassified.assign(class_names_.size(), 0.0);
        if (const Node* n = Reader::get(e.value, "menu_time"))
            if (const auto d = r_.distribution(*n, join_path(path, "menu_time"), false)) t.menu_time = *d;
        if (const Node* n = Reader::get(e.value, "resolved"))
            t.resolved = r_.share(*n, join_path(path, "resolved"), 1.0, false).value_or(0);
        if (const Node* n = Reader::get(e.value, "redirected"))
            t.redirected = r_.share(*n, join_path(path, "redirected"), 1.0, false).value_or(0);
        double total = t.resolved + t.redirected;
        if (const Node* n = Reader::get(e.value, "reclassified")) {
            const std::string rp = join_path(path, "reclassified");
            if (r_.expect_map(*n, rp, "a map from class names to shares (e.g. {\"999\": 2%})")) {
                for (const MapEntry& m : n->entries) {
                    const std::string mp = join_path(rp, m.key);
                    const auto to = name_ref(key_node(m), mp, "class", class_names_);
                    const auto share = r_.share(m.value, mp, 1.0, false);
                    if (to && cls && *to == *cls) {
                        r_.error(m.key_pos, mp, "expected another class: a class cannot be re-classified to itself");
                    } else if (to && share) {
                        t.reclassified[*to] = *share;
                        total += *share;
                    }
                }
            }
        }
        if (total > 1 + share_tolerance)
            r_.error(e.value.pos, path,
                     "expected resolved + redirected + the re-classified shares to be at most 100%, got " +
                         format_rounded(100 * total) + "%");
        if (cls) demand.triage[*cls] = std::move(t);
    }
}

void SchemaLoader::read_channel_shifts(const Node& root, model::DemandSpec& demand) {
    const Node* list = Reader::get(root, "channel_shift");
    if (list == nullptr || !r_.expect_list(*list, "channel_shift", "a list of shifts {from, to, shares}")) return;
    std::vector<double> total_week1(class_names_.size(), 0.0);
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& n = list->items[i];
        const std::string path = index_path("channel_shift", i);
        if (!r_.expect_map(n, path, "a shift {from, to, shares}")) continue;
        r_.check_keys(n, path, shift_keys);
        const Node* from_node = r_.require(n, path, "from");
        const Node* to_node = r_.require(n, path, "to");
        const Node* shares = r_.require(n, path, "shares");
        // A class index, or `none` when the key is missing or names no class (already reported).
        const std::size_t none = class_names_.size();
        const auto class_at = [&](const Node* node, const char* key) {
            if (node == nullptr) return none;
            return name_ref(*node, join_path(path, key), "class", class_names_).value_or(none);
        };
        const std::size_t from = class_at(from_node, "from");
        // `to` names a class or, when no class has that name, a deferrable backlog.
        std::size_t to = none;
        model::ChannelShiftSpec shift;
        const auto backlog = std::find_if(deferrables_.begin(), deferrables_.end(), [&](const auto& d) {
            return to_node != nullptr && to_node->kind == Node::Kind::scalar && d.name == to_node->text;
        });
        if (backlog != deferrables_.end() && !index_of(class_names_, backlog->name)) {
            to = static_cast<std::size_t>(backlog - deferrables_.begin());
            shift.to_backlog = true;
        } else if (to_node != nullptr) {
            std::vector<std::string> names = class_names_;
            for (const auto& d : deferrables_) names.push_back(d.name);
            to = name_ref(*to_node, join_path(path, "to"), "class or deferrable backlog", names).value_or(none);
            if (to >= class_names_.size()) to = none;  // a backlog that failed to load (already reported)
        }
        if (from != none && !shift.to_backlog && from == to)
            r_.error(to_node->pos, join_path(path, "to"), "expected another class than from ('" + to_node->text + "')");
        bool ok = from != none && to != none && (shift.to_backlog || from != to);
        if (shares != nullptr) {
            const std::string sp = join_path(path, "shares");
            if (shares->kind == Node::Kind::sequence) {
                if (shares->items.empty()) r_.error(shares->pos, sp, "expected at least one share (week 1 first)");
                for (std::size_t w = 0; w < shares->items.size(); ++w) {
                    const auto v = r_.share(shares->items[w], index_path(sp, w), 1.0, false);
                    ok = ok && v.has_value();
                    shift.week_shares.push_back(v.value_or(0));
                }
            } else if (const auto v = r_.share(*shares, sp, 1.0, false)) {
                shift.week_shares.push_back(*v);
            } else {
                ok = false;
            }
            ok = ok && !shift.week_shares.empty();
        }
        if (!ok || shares == nullptr) continue;
        shift.from = from;
        shift.to = to;
        demand.channel_shifts.push_back(std::move(shift));
    }
    // The shares of one class's shifts must not add up beyond its whole demand in any week.
    std::size_t longest = 0;
    for (const auto& s : demand.channel_shifts) longest = std::max(longest, s.week_shares.size());
    for (std::size_t c = 0; c < class_names_.size(); ++c) {
        for (std::size_t w = 0; w < std::max<std::size_t>(longest, 1); ++w) {
            double total = 0;
            for (const auto& s : demand.channel_shifts)
                if (s.from == c) total += s.share_in_week(static_cast<int>(w + 1));
            if (total > 1 + share_tolerance) {
                r_.error(list->pos, "channel_shift",
                         "expected the shares shifted from class '" + class_names_[c] +
                             "' to add up to at most 100% in each week, got " + format_rounded(100 * total) +
                             "% in week " + std::to_string(w + 1));
                break;
            }
        }
    }
}

void SchemaLoader::read_surges(const Node& root, model::ScenarioSpec& spec) {
    model::DemandSpec& demand = spec.demand;
    const Node* list = Reader::get(root, "surges");
    if (list == nullptr || !r_.expect_list(*list, "surges", "a list of surges {week or date, duration, multipliers}"))
        return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& n = list->items[i];
        const std::string path = index_path("surges", i);
        if (!r_.expect_map(n, path, "a surge {week or date, day, at, duration, multipliers}")) continue;
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(n, path, surge_keys);
        model::ScheduledSurgeSpec surge;
        // The day it starts, counted from t = 0: a date as it falls, else a weekday of a week.
        double day = 0;
        const Node* date = Reader::get(n, "date");
        const Node* day_node = Reader::get(n, "day");
        if (date != nullptr && Reader::get(n, "week") == nullptr) {
            if (day_node != nullptr)
                r_.error(day_node->pos, join_path(path, "day"), "give day with week only: a date is a day already");
            if (date_week(*date, join_path(path, "date")))
                day = static_cast<double>(*parse_iso_date_days(date->text).value - *start_day_);
        } else if (const auto at = read_week_at(n, path, "week", "date", std::nullopt)) {
            day = 7.0 * (at->week - 1);
            if (day_node != nullptr) {
                const auto word = r_.text(*day_node, join_path(path, "day"), "a weekday (mon … sun)");
                const Parsed<int> weekday = word ? parse_weekday(*word) : Parsed<int>{};
                if (word && !weekday) r_.error(day_node->pos, join_path(path, "day"), weekday.error);
                // Weeks start at t = 0, on the scenario's start weekday.
                if (weekday) day += static_cast<double>((*weekday.value - spec.start_weekday + 7) % 7);
            }
        }
        double at_s = 0;
        if (const Node* at = Reader::get(n, "at")) at_s = r_.clock_time(*at, join_path(path, "at")).value_or(0);
        double duration = 0;
        if (const Node* d = r_.require(n, path, "duration"))
            duration = r_.duration(*d, join_path(path, "duration"), Bound::positive).value_or(0);
        if (const Node* m = r_.require(n, path, "multipliers")) {
            if (const auto v = read_class_numbers(*m, join_path(path, "multipliers"), 1.0, Bound::positive,
                                                  max_multiplier, "multipliers"))
                surge.multipliers = *v;
            for (const MapEntry& e : m->kind == Node::Kind::map ? m->entries : std::vector<MapEntry>{}) {
                const auto v = parse_number(e.value.text);
                if (v && *v.value < 1)
                    r_.error(e.value.pos, join_path(join_path(path, "multipliers"), e.key),
                             "expected a multiplier of at least 1 (a surge adds demand), got " + e.value.text);
            }
        }
        if (r_.error_count() != errors_before) continue;
        surge.from_s = day * model::seconds_per_day + at_s;
        surge.to_s = surge.from_s + duration;
        if (horizon_s_ && surge.from_s >= *horizon_s_)
            r_.warning(n.pos, path, "the surge starts after the horizon: it changes nothing");
        demand.surges.push_back(std::move(surge));
    }
}

void SchemaLoader::read_random_surges(const Node& root, model::DemandSpec& demand) {
    const Node* list = Reader::get(root, "random_surges");
    if (list == nullptr ||
        !r_.expect_list(*list, "random_surges", "a list of incident processes {per_week, duration, extra_calls}"))
        return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Node& n = list->items[i];
        const std::string path = index_path("random_surges", i);
        if (!r_.expect_map(n, path, "an incident process {per_week, duration, extra_calls, size_cv}")) continue;
        const std::size_t errors_before = r_.error_count();
        r_.check_keys(n, path, random_surge_keys);
        model::RandomSurgeSpec rule;
        if (const Node* p = r_.require(n, path, "per_week"))
            rule.per_week =
                r_.number(*p, join_path(path, "per_week"), Bound::positive, max_incidents_per_week).value_or(0);
        if (const Node* d = r_.require(n, path, "duration"))
            if (const auto dist = r_.distribution(*d, join_path(path, "duration"), true)) rule.duration = *dist;
        if (const Node* x = r_.require(n, path, "extra_calls"))
            if (const auto v = read_class_numbers(*x, join_path(path, "extra_calls"), 0.0, Bound::non_negative,
                                                  max_extra_calls, "mean extra calls per incident"))
                rule.extra_calls = *v;
        if (const Node* cv = Reader::get(n, "size_cv"))
            rule.size_cv = r_.number(*cv, join_path(path, "size_cv"), Bound::non_negative, max_ratio).value_or(0);
        if (r_.error_count() != errors_before) continue;
        demand.random_surges.push_back(std::move(rule));
    }
}

}  // namespace crsim::scenario
