// The top-level keys `staffing_daily_cv` and `staffing_daily_mean`: the day-to-day spread of the
// people who turn up around the roster, and its centre (model/staffing_noise.hpp), e.g. as
// `crsim fit` writes them for a roster read from a call log's agents
//   staffing_daily_cv: 0.131
//   staffing_daily_mean: 1.02
#include "reader.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

void SchemaLoader::read_staffing_noise(const Node& root, model::ScenarioSpec& spec) {
    // A cv of 1 already leaves a day with under a third of its roster one time in ten.
    constexpr double max_cv = 1;
    // A factor beyond 4 is a different roster, not a roster's uncertainty.
    constexpr double max_mean = 4;
    if (const Node* n = Reader::get(root, "staffing_daily_cv"))
        if (const auto cv = r_.number(*n, "staffing_daily_cv", Bound::non_negative, max_cv))
            spec.staffing_daily_cv = *cv;
    if (const Node* n = Reader::get(root, "staffing_daily_mean"))
        if (const auto mean = r_.number(*n, "staffing_daily_mean", Bound::positive, max_mean))
            spec.staffing_daily_mean = *mean;
}

}  // namespace crsim::scenario
