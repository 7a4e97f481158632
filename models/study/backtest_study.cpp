#include "crsim/study/backtest_study.hpp"

#include "crsim/report/atomic_file.hpp"

namespace crsim::study {

std::optional<backtest::BacktestResult> run_backtest_study(const model::ScenarioSpec& spec,
                                                           const BacktestRequest& request) {
    const calllog::CallLog log = calllog::read_call_log_file(request.log_path, request.read);
    if (request.on_log) request.on_log(log);
    const backtest::BacktestPlan plan = backtest::plan_backtest(spec, log, request.options);
    if (request.approve && !request.approve(plan)) return std::nullopt;
    return backtest::run_backtest(plan, log, request.log_path, request.options);
}

void write_backtest_files(const std::filesystem::path& dir, const backtest::BacktestResult& result) {
    report::write_file_atomically(dir / backtest_json_file, backtest::backtest_json(result));
    report::write_file_atomically(dir / backtest_csv_file, backtest::backtest_csv(result));
}

}  // namespace crsim::study
