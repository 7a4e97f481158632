// The top-level key `staffing_daily_cv`: the day-to-day spread of the people who turn up around
// the roster (model/staffing_noise.hpp), e.g. as `crsim fit` writes it for a roster read from a
// call log's agents
//   staffing_daily_cv: 0.06
#include "reader.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

void SchemaLoader::read_staffing_noise(const Node& root, model::ScenarioSpec& spec) {
    // A cv of 1 already leaves a day with under a third of its roster one time in ten.
    constexpr double max_cv = 1;
    if (const Node* n = Reader::get(root, "staffing_daily_cv"))
        if (const auto cv = r_.number(*n, "staffing_daily_cv", Bound::non_negative, max_cv))
            spec.staffing_daily_cv = *cv;
}

}  // namespace crsim::scenario
