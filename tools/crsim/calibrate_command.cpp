// `crsim calibrate`: what staffing or handle time must the room have had to produce these weeks?
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "call_log_options.hpp"
#include "commands.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/scrutiny/calibration.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "kpi_options.hpp"
#include "output_paths.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::calibrate_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim calibrate SCENARIO.yaml KPIS.csv --vary PATH=LO..HI [--vary ...] --out CALIBRATED.yaml\n"
    "                       [-n N] [--seed S] [--threads T] [--demand scenario|reported] [--fit FIT.json]\n"
    "                       [--cache DIR] [--map ...] [--start-date DATE] [--set PATH=VALUE ...] [--allow-large]\n";

constexpr const char* description =
    "Estimates the parameters (--vary PATH=LO..HI, PATH as in --set: transitions[0].handle_inflation=\n"
    "30%..90%, groups.call-handlers.absence=5%..30%, classes.101.handle_time.mean=5min..9min) that the\n"
    "reported weeks (the weekly KPI format) imply. Method: the weekly figures are standardised by their\n"
    "simulated sd; each figure is a quadratic in the parameters (scaled to their ranges), fitted to a\n"
    "central composite design of simulated points with common random numbers (every point simulated\n"
    "with the same seeds, N replications, default 50): first over the whole ranges, then over +-10% of\n"
    "each range around the estimate until it stays inside; the estimate minimises the sum of squared\n"
    "standardised residuals on it. 95% intervals: a bootstrap that calibrates again - each replication\n"
    "at the estimate plays the reported history and is calibrated the whole way again (the whole\n"
    "ranges, then the local designs its fits lead to) on surfaces fitted again to a resample of the\n"
    "replications; the spread of those fits is each parameter's standard error (README.md, 'How well\n"
    "it works': the measured coverage).\n"
    "--cache DIR keeps every simulated point in DIR, so that calibrating the same scenario and weeks\n"
    "again (another KPI file, other ranges on the same lattice) simulates only new points.\n"
    "--out writes the calibrated scenario: `extends:` the input, with the top-level keys of the varied\n"
    "paths as calibrated and the estimates in comments. --fit FIT.json writes the report of fit (also\n"
    "printed on stdout as text).\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options, scenario or KPI file.\n";

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("vary", po::value<std::vector<std::string>>(),
                                                       "a parameter and its range: PATH=LO..HI (repeatable)")(
        "out,o", po::value<std::string>(), "the calibrated scenario to write (YAML)")(
        "fit", po::value<std::string>(), "write the report of fit as JSON to this file")(
        "replications,n", po::value<std::string>(), "replications at each point (default 50)")(
        "cache", po::value<std::string>(), "keep the simulated points in this directory");
    add_kpi_options(options);
    add_set_option(options);
    add_allow_large_option(options);
    const CommandHelp help{"calibrate", usage_line, description};
    po::variables_map vm;
    if (const auto done = parse_positionals(argc, argv, help, options,
                                            {{"scenario", "the scenario file"}, {"kpis", "the weekly KPI file"}}, vm))
        return *done;

    scrutiny::CalibrationOptions co;
    calllog::ReadOptions read_options;
    KpiOptions kpi;
    std::vector<scrutiny::VaryParameter> parameters;
    try {
        kpi = read_kpi_options(vm);
        co.seed = kpi.seed;
        co.threads = kpi.threads;
        co.demand = kpi.demand;
        read_options = kpi.read;
        if (!vm.count("vary")) throw UsageError("give at least one --vary PATH=LO..HI");
        for (const std::string& v : vm["vary"].as<std::vector<std::string>>()) {
            try {
                parameters.push_back(scrutiny::parse_vary(v));
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--vary: ") + e.what());
            }
        }
        if (vm.count("cache")) co.cache_dir = vm["cache"].as<std::string>();
        if (!vm.count("out") || vm["out"].as<std::string>().empty())
            throw UsageError("--out needs the calibrated scenario's file name");
        if (vm.count("replications")) {
            co.replications = parse_unsigned(vm["replications"].as<std::string>(), "replications", 100000);
            if (co.replications < 10) throw UsageError("--replications must be at least 10");
        }
        std::vector<NamedPath> outputs{{"--out", vm["out"].as<std::string>()}};
        if (vm.count("fit")) outputs.push_back({"--fit", vm["fit"].as<std::string>()});
        refuse_clashing_paths(
            {{"the scenario", vm["scenario"].as<std::string>()}, {"the KPI file", vm["kpis"].as<std::string>()}},
            outputs);
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    {
        std::vector<std::filesystem::path> files{vm["out"].as<std::string>()};
        if (vm.count("fit")) files.emplace_back(vm["fit"].as<std::string>());
        if (const auto status = check_output_files("calibrate", files)) return *status;
    }
    const auto overrides = overrides_with_start_date(vm);
    if (!overrides) return 2;
    const std::string scenario_path = vm["scenario"].as<std::string>();
    const scenario::LoadResult loaded = load_reporting_result(scenario_path, *overrides);
    if (!loaded.spec) return 2;
    const std::string path = vm["kpis"].as<std::string>();
    scrutiny::CalibrationResult result;
    try {
        const scrutiny::WeeklyKpis kpis = scrutiny::read_weekly_kpis_file(path, read_options);
        const scrutiny::WeekPlan plan = scrutiny::plan_weeks(*loaded.spec, kpis, co.demand);
        if (!check_run_size(loaded, plan.spec, co.replications, vm.count("replications") > 0,
                            co.threads == 0 ? sim::default_thread_count() : co.threads, vm.count("allow-large") > 0,
                            "the reported weeks"))
            return 2;
        std::cerr << "crsim: calibrating " << loaded.spec->name << " to " << path << " ..." << std::endl;
        result = scrutiny::calibrate(scenario_path, *overrides, kpis, path, parameters, co);
    } catch (const scrutiny::KpiFileError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const scrutiny::ScrutinyError& e) {
        std::cerr << "crsim calibrate: error: " << e.what() << '\n';
        return 2;
    } catch (const scrutiny::CalibrationError& e) {
        std::cerr << "crsim calibrate: error: " << e.what() << '\n';
        return 2;
    }
    for (const std::string& w : result.warnings) std::cerr << "warning: " << w << '\n';
    const std::filesystem::path out = vm["out"].as<std::string>();
    // `extends` is read relative to the calibrated file: the input as seen from its directory.
    const std::filesystem::path base_dir = out.parent_path().empty() ? "." : out.parent_path();
    const std::string extends =
        std::filesystem::relative(std::filesystem::absolute(scenario_path), std::filesystem::absolute(base_dir))
            .string();
    try {
        report::write_file_atomically(out,
                                      scrutiny::calibrated_scenario_yaml(result, scenario_path, *overrides, extends));
        if (vm.count("fit"))
            report::write_file_atomically(vm["fit"].as<std::string>(), scrutiny::calibration_json(result));
    } catch (const std::runtime_error& e) {
        std::cerr << "crsim calibrate: error: " << e.what() << '\n';
        return 1;
    }
    std::cerr << "crsim: wrote the calibrated scenario to " << out.string() << '\n';
    std::cout << scrutiny::calibration_text(result);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "crsim calibrate: error: cannot write the report to stdout\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::calibrate_command
