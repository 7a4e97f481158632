// The class key `handle_time_by_hour`: 24 multipliers of the class's handle time, one per hour of
// the day the call arrives in, e.g. (as `crsim fit` writes it where the data supports it)
//   handle_time_by_hour: [1, 1, 1, 1, 1, 1, 0.92, 0.95, ..., 1.18]
#include "reader.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

std::optional<model::HandleByHour> SchemaLoader::read_handle_by_hour(const Node& n, const std::string& path) {
    constexpr std::size_t hours = 24;
    const std::string expected = "a list of 24 numbers > 0, one per hour of the day (00:00 first)";
    if (!r_.expect_list(n, path, expected)) return std::nullopt;
    if (n.items.size() != hours) {
        r_.error(n.pos, path, "expected " + expected + ", got " + std::to_string(n.items.size()) + " numbers");
        return std::nullopt;
    }
    model::HandleByHour profile;
    for (std::size_t h = 0; h < hours; ++h) {
        const std::optional<double> factor = r_.number(n.items[h], index_path(path, h), Bound::positive, 100);
        if (!factor) return std::nullopt;
        profile.factors.push_back(*factor);
    }
    return profile;
}

}  // namespace crsim::scenario
