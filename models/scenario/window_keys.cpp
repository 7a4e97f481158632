// The scenario key `windows`: named reporting windows, e.g.
//   windows: {pre-merger: {from: 1, to: 5}, recovery: {from: 14, to: 26}}
// selected on the command line with `--window recovery`.
#include <stdexcept>

#include "crsim/model/report_window.hpp"
#include "reader.hpp"
#include "schema_loader.hpp"

namespace crsim::scenario {

void SchemaLoader::read_windows(const Node& root, model::ScenarioSpec& spec) {
    const Node* windows = Reader::get(root, "windows");
    if (windows == nullptr ||
        !r_.expect_map(*windows, "windows", "a map of named reporting windows {NAME: {from: WEEK, to: WEEK}}")) {
        return;
    }
    for (const MapEntry& e : windows->entries) {
        const std::string path = join_path("windows", e.key);
        const std::optional<WeekRange> range = read_week_range(e.value, path);
        if (!range || !(spec.horizon_s > 0)) continue;  // a bad horizon has been reported already
        if (Reader::get(e.value, "to") == nullptr && Reader::get(e.value, "to_date") == nullptr) {
            r_.error(e.value.pos, path, "expected the window's last week (to or to_date)");
            continue;
        }
        try {
            const model::ReportWindow w = model::make_window(model::ReportWindow::Unit::week, range->from, range->to,
                                                             spec.warmup_s, spec.horizon_s);
            spec.windows.push_back({e.key, w});
        } catch (const std::invalid_argument& error) {
            r_.error(e.value.pos, path, std::string("expected a window within the run: ") + error.what());
        }
    }
}

}  // namespace crsim::scenario
