// A target's buckets and chance (target_periods.hpp), e.g.
//   {metric: service_level, within: 20s, goal: 80%, by: hour_of_day}
//   {metric: service_level, within: 10s, goal: 90%, by: week, periods_met: 80%}
#include <string>
#include <vector>

#include "crsim/model/target_metric.hpp"
#include "crsim/model/target_periods.hpp"
#include "crsim/scenario/suggest.hpp"
#include "reader.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

void SchemaLoader::read_target_period(const Node& n, const std::string& path, model::TargetSpec& target) {
    if (const Node* by = Reader::get(n, "by")) {
        const std::string bp = join_path(path, "by");
        std::vector<std::string> names;
        for (const model::TargetPeriod& p : model::target_periods()) names.emplace_back(p.name);
        if (const auto name = r_.text(*by, bp, "a period")) {
            bool known = false;
            for (const model::TargetPeriod& p : model::target_periods())
                if (p.name == *name) {
                    target.by = p.period;
                    known = true;
                }
            if (!known) {
                std::string message = "unknown period '" + *name + "'";
                if (const auto guess = closest(*name, names)) message += "; did you mean '" + *guess + "'?";
                r_.error(by->pos, bp, message + " (valid: " + join_list(names, "and") + ")");
            }
        }
        if (target.by != model::TargetSpec::Period::window && target.metric == model::TargetSpec::Metric::wait_quantile)
            r_.error(by->pos, bp, "a wait_quantile target is not measured per period: expected no 'by'");
    }
    if (const Node* chance = Reader::get(n, "periods_met")) {
        const std::string cp = join_path(path, "periods_met");
        if (const auto share = r_.share(*chance, cp, 1.0, false)) {
            if (target.by == model::TargetSpec::Period::window)
                r_.error(chance->pos, cp,
                         "expected 'by' beside 'periods_met': the share of which periods must meet the goal");
            else if (!(*share > 0))
                r_.error(chance->pos, cp, "expected a share above 0 (e.g. 80%)");
            else
                target.periods_met = *share;
        }
    }
}

}  // namespace crsim::scenario
