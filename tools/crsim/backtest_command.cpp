// `crsim backtest`: does a scenario reproduce what really happened in a call log?
#include <boost/program_options.hpp>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "call_log_options.hpp"
#include "commands.hpp"
#include "crsim/backtest/backtest.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/backtest_report.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/study/backtest_study.hpp"
#include "output_paths.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::backtest_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim backtest SCENARIO.yaml CALLS.csv [--from DATE --to DATE] [-n N] [--seed S] [--threads T]\n"
    "                      [--out DIR] [--format table|json|csv] [--map ...] [--origin ...] [--skip-bad]\n"
    "                      [--inputs-from-log] [--report FILE.html] [--allow-large]\n";

constexpr const char* description =
    "Simulates the scenario over exactly the log's dates (or --from .. --to, whole days, inclusive) and\n"
    "sets what happened beside what the simulation predicts, per class, for all classes and by hour of\n"
    "day: offered, answered, abandoned_pct, asa_s and the service level at each threshold of the\n"
    "scenario's targets. For each: the observed value, the simulated mean over the replications with\n"
    "its 95% confidence half-width, the 95% prediction interval of one replication (mean ± t·s·sqrt(1 +\n"
    "1/n), clipped to the metric's range) and whether the observed value lies inside it.\n"
    "With a start_date the run starts there (the days before the period are a warm-up, so roster lines\n"
    "keep their weeks) and ends with the period; without one, t = 0 is the period's first midnight.\n"
    "Classes of the log that the scenario lacks are left out (a warning).\n"
    "--out DIR writes backtest.json and backtest.csv (scope,class,hour,metric,observed,mean,ci95,\n"
    "pi_low,pi_high,inside). The log format is in README.md ('The call-log format').\n"
    "--report FILE.html writes a self-contained page: the table, and charts of each figure observed\n"
    "against the simulated mean and prediction interval, per class and by hour of day.\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options, scenario or log.\n";

std::uint64_t parse_count(const std::string& text, const char* option) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw UsageError(std::string("--") + option + ": '" + text + "' is not a whole number >= 0");
    return value;
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("quiet,q", "nothing on stderr but errors")(
        "from", po::value<std::string>(), "first day of the period, YYYY-MM-DD (default: the log's first)")(
        "to", po::value<std::string>(), "last day of the period, inclusive (default: the log's last)")(
        "inputs-from-log",
        "the period's arrivals, staffing and handle times from the log; patience, priorities and "
        "targets from the scenario")("replications,n", po::value<std::string>(),
                                     "number of replications (default: the scenario's)")(
        "seed,s", po::value<std::string>(), "master random seed (default: the scenario's)")(
        "threads,t", po::value<std::string>(), "worker threads; 0 = all cores (default 0)")(
        "out,o", po::value<std::string>(), "directory for backtest.json and backtest.csv (created if missing)")(
        "format,f", po::value<std::string>()->default_value("table"), "report on stdout: table, json or csv")(
        "report", po::value<std::string>(), "write a self-contained HTML report with charts to this file");
    add_call_log_options(options);
    const std::string full_description = std::string(description) + "\n" + call_log_limits_help;
    const CommandHelp help{"backtest", usage_line, full_description.c_str()};
    po::variables_map vm;
    if (const auto done = parse_positionals(argc, argv, help, options,
                                            {{"scenario", "the scenario file"}, {"calls", "the call log"}}, vm))
        return *done;

    backtest::BacktestOptions bt;
    calllog::ReadOptions read_options;
    std::string format;
    try {
        read_options = read_call_log_options(vm);
        bt.from_day = read_day_option(vm, "from");
        bt.to_day = read_day_option(vm, "to");
        bt.inputs_from_log = vm.count("inputs-from-log") > 0;
        if (vm.count("replications")) {
            bt.replications = parse_count(vm["replications"].as<std::string>(), "replications");
            if (bt.replications == 0) throw UsageError("--replications must be at least 1");
        }
        if (vm.count("seed")) bt.seed = parse_count(vm["seed"].as<std::string>(), "seed");
        if (vm.count("threads"))
            bt.threads = static_cast<unsigned>(
                std::min<std::uint64_t>(parse_count(vm["threads"].as<std::string>(), "threads"), 100000));
        format = vm["format"].as<std::string>();
        if (format != "table" && format != "json" && format != "csv")
            throw UsageError("--format must be table, json or csv, not '" + format + "'");
        if (vm.count("out") && vm["out"].as<std::string>().empty()) throw UsageError("--out needs a directory");
        if (vm.count("report") && vm["report"].as<std::string>().empty())
            throw UsageError("--report needs a file name");
        std::vector<NamedPath> outputs;
        if (vm.count("out"))
            for (const char* file : {study::backtest_json_file, study::backtest_csv_file})
                outputs.push_back({"--out", (std::filesystem::path(vm["out"].as<std::string>()) / file).string()});
        if (vm.count("report")) outputs.push_back({"--report", vm["report"].as<std::string>()});
        refuse_clashing_paths(
            {{"the scenario", vm["scenario"].as<std::string>()}, {"the call log", vm["calls"].as<std::string>()}},
            outputs);
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    // Read before running, so that a missing package is found at once, not after a long run.
    const std::string chart_library = vm.count("report") ? report::load_chart_library() : std::string();
    // The outputs too: a device, a FIFO or a file where a directory is meant is refused before the work.
    if (vm.count("out"))
        if (const auto status = check_output_dir("backtest", vm["out"].as<std::string>(),
                                                 {study::backtest_json_file, study::backtest_csv_file}))
            return *status;
    if (vm.count("report"))
        if (const auto status = check_output_files("backtest", {vm["report"].as<std::string>()})) return *status;

    const scenario::LoadResult loaded =
        load_reporting_result(vm["scenario"].as<std::string>(), {}, vm.count("quiet") > 0);
    if (!loaded.spec) return 2;
    study::BacktestRequest request;
    request.log_path = vm["calls"].as<std::string>();
    request.read = read_options;
    request.options = bt;
    request.on_log = report_skipped;
    request.approve = [&](const backtest::BacktestPlan& plan) {
        // Refused before anything runs, as `crsim run` refuses: the replications over the period.
        if (!check_run_size(
                loaded, plan.spec, plan.replications, vm.count("replications") > 0,
                bt.threads == 0 ? sim::default_thread_count() : bt.threads, vm.count("allow-large") > 0,
                "the period " + calllog::format_date(plan.first_day) + " .. " + calllog::format_date(plan.last_day)))
            return false;
        if (!vm.count("quiet"))
            std::cerr << "crsim: backtest of " << plan.spec.name << " against " << request.log_path << " ..."
                      << std::endl;
        return true;
    };
    std::optional<backtest::BacktestResult> ran;
    try {
        ran = study::run_backtest_study(*loaded.spec, request);
    } catch (const calllog::CallLogError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const backtest::BacktestError& e) {
        std::cerr << "crsim backtest: error: " << e.what() << '\n';
        return 2;
    }
    if (!ran) return 2;
    const backtest::BacktestResult& result = *ran;
    if (!vm.count("quiet"))
        for (const std::string& w : result.warnings) std::cerr << "warning: " << w << '\n';

    if (vm.count("out")) {
        study::write_backtest_files(vm["out"].as<std::string>(), result);
        if (!vm.count("quiet"))
            std::cerr << "crsim: wrote " << study::backtest_json_file << " and " << study::backtest_csv_file << " to "
                      << vm["out"].as<std::string>() << '\n';
    }
    if (vm.count("report")) {
        const report::HtmlPage page = report::backtest_report(result);
        report::write_file_atomically(vm["report"].as<std::string>(), page.html(chart_library));
        if (!vm.count("quiet"))
            std::cerr << "crsim: wrote the report (" << page.charts() << " charts) to "
                      << vm["report"].as<std::string>() << '\n';
    }
    if (format == "json")
        std::cout << backtest::backtest_json(result);
    else if (format == "csv")
        std::cout << backtest::backtest_csv(result);
    else
        backtest::write_backtest_table(std::cout, result);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "crsim backtest: error: cannot write the report to stdout\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::backtest_command
