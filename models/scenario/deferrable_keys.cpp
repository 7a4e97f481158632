// The `deferrable` map: backlogs of deferrable work (online reports, e-mails), each with its own
// arrivals, handle time, the groups that work on it and a response-time target.
// scenarios/README.md documents the keys.
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {
const std::vector<std::string> deferrable_keys = {"arrivals", "handle_time", "groups", "order", "target"};
const std::vector<std::string> deferrable_target_keys = {"within", "goal"};
}  // namespace

void SchemaLoader::read_deferrables(const Node& root) {
    const Node* map = Reader::get(root, "deferrable");
    if (map == nullptr || !r_.expect_map(*map, "deferrable", "a map of backlog name -> {arrivals, handle_time, ...}")) {
        return;
    }
    for (const MapEntry& e : map->entries) {
        if (auto work = read_deferrable(e.key, e.value, join_path("deferrable", e.key))) {
            deferrables_.push_back(std::move(*work));
        }
    }
}

std::optional<model::DeferrableSpec> SchemaLoader::read_deferrable(const std::string& name, const Node& n,
                                                                   const std::string& path) {
    if (!r_.expect_map(n, path, "a backlog {arrivals, handle_time, groups, order, target}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, deferrable_keys);
    model::DeferrableSpec d;
    d.name = name;
    // Without arrivals of its own, a backlog's work is the demand channel_shift moves into it.
    d.arrivals.per_week = 0;
    if (const Node* a = Reader::get(n, "arrivals")) {
        if (auto arrivals = read_arrivals(*a, join_path(path, "arrivals"))) {
            d.arrivals = std::move(*arrivals);
        }
    }
    if (const Node* h = r_.require(n, path, "handle_time")) {
        if (const auto dist = r_.distribution(*h, join_path(path, "handle_time"), true)) {
            d.handle_time = *dist;
        }
    }
    if (auto groups = read_group_set(n, path)) {
        d.groups = std::move(*groups);
    }
    if (const Node* order = Reader::get(n, "order")) {
        d.order = static_cast<int>(
            r_.integer(*order, join_path(path, "order"), -1'000'000, 1'000'000).value_or(model::below_live_calls));
    }
    if (const Node* target = Reader::get(n, "target")) {
        const std::string tp = join_path(path, "target");
        if (r_.expect_map(*target, tp, "a map {within, goal}")) {
            r_.check_keys(*target, tp, deferrable_target_keys);
            if (const Node* within = r_.require(*target, tp, "within")) {
                d.target_within_s =
                    r_.duration(*within, join_path(tp, "within"), Bound::positive).value_or(model::never);
            }
            if (const Node* goal = r_.require(*target, tp, "goal")) {
                d.target_goal = r_.share(*goal, join_path(tp, "goal"), 1.0, false).value_or(0);
            }
        }
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return d;
}

}  // namespace crsim::scenario
