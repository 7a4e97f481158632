#include "surge_plan.hpp"

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <string>

namespace crsim::model {

std::vector<RateSegment> disjoint_segments(const std::vector<RateSegment>& pieces) {
    std::vector<double> cuts;
    for (const RateSegment& p : pieces) {
        cuts.push_back(p.from_s);
        cuts.push_back(p.to_s);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<RateSegment> out;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        RateSegment s{cuts[i], cuts[i + 1], 1.0, 0.0};
        for (const RateSegment& p : pieces) {
            if (p.from_s <= s.from_s && p.to_s >= s.to_s) {
                s.factor *= p.factor;
                s.extra_per_s += p.extra_per_s;
            }
        }
        if (s.factor == 1.0 && s.extra_per_s == 0.0) continue;
        // A stretch continuing the previous one with the same rate joins it.
        if (!out.empty() && out.back().to_s == s.from_s && out.back().factor == s.factor &&
            out.back().extra_per_s == s.extra_per_s)
            out.back().to_s = s.to_s;
        else
            out.push_back(s);
    }
    return out;
}

SurgePlan::SurgePlan(const ScenarioSpec& spec, const sim::StreamFactory& streams) {
    const std::size_t n_classes = spec.classes.size();
    std::vector<std::vector<RateSegment>> pieces(n_classes);
    for (const ScheduledSurgeSpec& s : spec.demand.surges)
        for (std::size_t k = 0; k < n_classes; ++k)
            if (s.multipliers[k] != 1.0) pieces[k].push_back({s.from_s, s.to_s, s.multipliers[k], 0.0});
    for (std::size_t i = 0; i < spec.demand.random_surges.size(); ++i) {
        const RandomSurgeSpec& rule = spec.demand.random_surges[i];
        sim::Engine engine = streams.make("surges/random-" + std::to_string(i + 1));
        const sim::Distribution size =
            rule.size_cv > 0 ? sim::Distribution::gamma(1.0, rule.size_cv) : sim::Distribution::deterministic(1.0);
        // Incidents start as a Poisson process; each draws its duration, then its size, in turn.
        double t = 0;
        for (;;) {
            t += boost::random::exponential_distribution<double>(rule.per_week / seconds_per_week)(engine);
            if (t >= spec.horizon_s) break;
            const double length = rule.duration.sample(engine);
            const double scale = size.sample(engine);
            if (length <= 0) continue;  // an incident of no duration brings nothing
            incidents_.push_back({t, t + length, scale});
            for (std::size_t k = 0; k < n_classes; ++k)
                if (rule.extra_calls[k] > 0)
                    pieces[k].push_back({t, t + length, 1.0, rule.extra_calls[k] * scale / length});
        }
    }
    std::sort(incidents_.begin(), incidents_.end(),
              [](const SurgeIncident& a, const SurgeIncident& b) { return a.from_s < b.from_s; });
    for (auto& p : pieces) segments_.push_back(disjoint_segments(p));
}

}  // namespace crsim::model
