// The `trunks` key of a room or a class: the most calls in the system at once (waiting or
// talking), beyond which arrivals are blocked (models/model/trunk_caps.hpp).

#include "schema_loader.hpp"

namespace crsim::scenario {

namespace {
// Far beyond any telephone system; keeps the counts well inside an int.
constexpr long long max_trunks = 1'000'000;
}  // namespace

std::optional<int> SchemaLoader::read_trunks(const Node& n, const std::string& path) {
    const auto trunks = r_.integer(n, path, 1, max_trunks);
    return trunks ? std::optional(static_cast<int>(*trunks)) : std::nullopt;
}

}  // namespace crsim::scenario
