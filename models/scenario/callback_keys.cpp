// A class's call-back keys: `callback` (a virtual queue) and `abandoned_callback` (abandoned calls
// rung back), and the attempt keys both share. scenarios/README.md documents them key by key.
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {
const std::vector<std::string> attempt_keys = {"reach",          "max_attempts", "retry_after",
                                               "failed_attempt", "priority",     "time_limit"};

std::vector<std::string> with_attempt_keys(std::vector<std::string> keys) {
    keys.insert(keys.end(), attempt_keys.begin(), attempt_keys.end());
    return keys;
}
}  // namespace

void SchemaLoader::read_class_callbacks(const Node& n, const std::string& path, ClassDraft& d) {
    if (const Node* offer = Reader::get(n, "callback")) {
        d.callback = read_callback_offer(*offer, join_path(path, "callback"));
    }
    if (const Node* abandoned = Reader::get(n, "abandoned_callback")) {
        d.abandoned_callback = read_abandoned_callback(*abandoned, join_path(path, "abandoned_callback"));
        d.abandoned_callback_node = abandoned;
    }
}

void SchemaLoader::read_callback_attempts(const Node& n, const std::string& path, model::CallbackAttempts& a) {
    if (const Node* reach = Reader::get(n, "reach")) {
        const std::string p = join_path(path, "reach");
        if (const auto v = r_.share(*reach, p, 1.0, false)) {
            if (*v > 0) {
                a.reach = *v;
            } else {
                r_.error(reach->pos, p, "expected a share above 0 up to 1 (no attempt would ever reach the caller)");
            }
        }
    }
    if (const Node* attempts = Reader::get(n, "max_attempts")) {
        a.max_attempts = static_cast<int>(r_.integer(*attempts, join_path(path, "max_attempts"), 1, 100).value_or(1));
    }
    a.retry_after = sim::Distribution::deterministic(15 * 60.0);
    if (const Node* retry = Reader::get(n, "retry_after")) {
        if (const auto dist = r_.distribution(*retry, join_path(path, "retry_after"), false)) {
            a.retry_after = *dist;
        }
    }
    if (const Node* failed = Reader::get(n, "failed_attempt")) {
        if (const auto dist = r_.distribution(*failed, join_path(path, "failed_attempt"), false)) {
            a.failed_attempt = *dist;
        }
    }
    if (const Node* priority = Reader::get(n, "priority")) {
        a.priority = static_cast<int>(r_.integer(*priority, join_path(path, "priority"), -1'000'000, 1'000'000)
                                          .value_or(model::below_live_calls));
    }
    if (const Node* limit = Reader::get(n, "time_limit")) {
        a.time_limit_s =
            r_.duration(*limit, join_path(path, "time_limit"), Bound::positive, true).value_or(model::never);
    }
}

std::optional<model::CallbackOfferSpec> SchemaLoader::read_callback_offer(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map {accept, offer_from_wait, reach, max_attempts, ...}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    static const std::vector<std::string> keys = with_attempt_keys({"accept", "offer_from_wait"});
    r_.check_keys(n, path, keys);
    model::CallbackOfferSpec offer;
    if (const Node* accept = r_.require(n, path, "accept")) {
        offer.accept = r_.share(*accept, join_path(path, "accept"), 1.0, false).value_or(0);
    }
    if (const Node* from = Reader::get(n, "offer_from_wait")) {
        offer.offer_from_wait_s =
            r_.duration(*from, join_path(path, "offer_from_wait"), Bound::non_negative).value_or(0);
    }
    read_callback_attempts(n, path, offer.attempts);
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return offer;
}

std::optional<model::AbandonedCallbackSpec> SchemaLoader::read_abandoned_callback(const Node& n,
                                                                                  const std::string& path) {
    if (!r_.expect_map(n, path, "a map {handle_time, wrap_up, reach, max_attempts, ...}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    static const std::vector<std::string> keys = with_attempt_keys({"handle_time", "wrap_up"});
    r_.check_keys(n, path, keys);
    model::AbandonedCallbackSpec work;
    if (const Node* h = r_.require(n, path, "handle_time")) {
        if (const auto dist = r_.distribution(*h, join_path(path, "handle_time"), true)) {
            work.handle_time = *dist;
        }
    }
    if (const Node* w = Reader::get(n, "wrap_up")) {
        if (const auto dist = r_.distribution(*w, join_path(path, "wrap_up"), false)) {
            work.wrap_up = *dist;
        }
    }
    read_callback_attempts(n, path, work.attempts);
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return work;
}

}  // namespace crsim::scenario
