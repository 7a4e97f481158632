// A class's `chat` key: web chat handled concurrently (one person holds up to `at_once` chats,
// each `slowdown` times as long as it would take alone). scenarios/README.md documents it.
#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {
const std::vector<std::string> chat_keys = {"at_once", "slowdown"};
}  // namespace

std::optional<model::ChatSpec> SchemaLoader::read_chat(const Node& n, const std::string& path) {
    if (!r_.expect_map(n, path, "a map {at_once, slowdown}")) {
        return std::nullopt;
    }
    const std::size_t errors_before = r_.error_count();
    r_.check_keys(n, path, chat_keys);
    model::ChatSpec chat;
    if (const Node* k = r_.require(n, path, "at_once")) {
        chat.at_once = static_cast<int>(r_.integer(*k, join_path(path, "at_once"), 1, 20).value_or(1));
    }
    if (const Node* f = Reader::get(n, "slowdown")) {
        chat.slowdown = r_.number(*f, join_path(path, "slowdown"), Bound::positive).value_or(1);
    }
    if (r_.error_count() != errors_before) {
        return std::nullopt;
    }
    return chat;
}

}  // namespace crsim::scenario
