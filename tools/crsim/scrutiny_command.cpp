// `crsim scrutiny`: is a reported week's dip noise or a problem, and is a change between two
// periods more than the scenario's own week-to-week noise explains?
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "call_log_options.hpp"
#include "commands.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/html_page.hpp"
#include "crsim/scrutiny/scrutiny.hpp"
#include "crsim/scrutiny/scrutiny_report.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "kpi_options.hpp"
#include "output_paths.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::scrutiny_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim scrutiny SCENARIO.yaml KPIS.csv [-n N] [--seed S] [--threads T] [--demand scenario|reported]\n"
    "                      [--before WEEKS --after WEEKS [--class C] [--metric M]] [--out DIR]\n"
    "                      [--format table|json|csv] [--report FILE.html] [--map ...] [--start-date DATE]\n"
    "                      [--set PATH=VALUE ...] [--allow-large]\n";

constexpr const char* description =
    "Sets each reported week (the weekly KPI format, README.md 'The weekly KPI format') beside the\n"
    "model's 95% prediction band for one week: the k-th lowest and highest of the week's figure over\n"
    "N replications, k = round(0.025 (N + 1)), so that a week of the scenario itself falls outside with\n"
    "probability 2k/(N + 1) (5% for the default N = 199). Each figure (offered, abandoned_pct, asa_s,\n"
    "service_level_<T>) is inside, above or below. Week 1 starts on the scenario's start_date\n"
    "(--start-date sets it); the run is extended to the last reported week.\n"
    "--demand reported scales each class's arrival rate in each week so that its mean is the offered\n"
    "calls reported for that week: a busy week is judged against a busy week's band (offered is then\n"
    "not judged). The default, --demand scenario, keeps the scenario's rates.\n"
    "--before WEEKS --after WEEKS (14-26, 14, or a window the scenario names) tests whether one figure\n"
    "(--class, --metric; default the first class's first service level) changed between the periods\n"
    "more than the scenario explains: the effect is the mean residual (observed minus the simulated\n"
    "mean of the week) after minus before; its null distribution is the same statistic of each\n"
    "replication against the others; p is two-sided, the 95% CI the effect less the null's quantiles.\n"
    "A two-sided CUSUM (k = 0.5, h = 4) runs on each figure's standardised weekly residuals; its\n"
    "false-alarm rate per series-year is measured on the replications (each against the others) and\n"
    "printed with its 95% interval.\n"
    "--out DIR writes scrutiny.json and scrutiny.csv; --report FILE.html a page with a control chart\n"
    "per class and figure (band, simulated mean, observed weeks, target, flagged weeks marked).\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options, scenario or KPI file.\n";

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("replications,n", po::value<std::string>(),
                                                       "replications for the bands (default 199)")(
        "before", po::value<std::string>(), "weeks before the change: 1-9, or a window name")(
        "after", po::value<std::string>(), "weeks after the change: 10-26, or a window name")(
        "class", po::value<std::string>(), "the class of the before/after test")(
        "metric", po::value<std::string>(), "the figure of the before/after test (e.g. asa_s)")(
        "out,o", po::value<std::string>(), "directory for scrutiny.json and scrutiny.csv (created if missing)")(
        "format,f", po::value<std::string>()->default_value("table"), "report on stdout: table, json or csv")(
        "report", po::value<std::string>(), "write a self-contained HTML report with control charts");
    add_kpi_options(options);
    add_set_option(options);
    add_allow_large_option(options);
    const CommandHelp help{"scrutiny", usage_line, description};
    po::variables_map vm;
    if (const auto done = parse_positionals(argc, argv, help, options,
                                            {{"scenario", "the scenario file"}, {"kpis", "the weekly KPI file"}}, vm))
        return *done;

    scrutiny::ScrutinyOptions so;
    calllog::ReadOptions read_options;
    KpiOptions kpi;
    std::string format;
    try {
        kpi = read_kpi_options(vm);
        so.seed = kpi.seed;
        so.threads = kpi.threads;
        so.demand = kpi.demand;
        read_options = kpi.read;
        if (vm.count("replications")) {
            so.replications = parse_unsigned(vm["replications"].as<std::string>(), "replications", 1000000);
            if (so.replications < 39) throw UsageError("--replications must be at least 39 (a band needs them)");
        }
        if (vm.count("before") != vm.count("after")) throw UsageError("--before and --after go together");
        if (vm.count("class")) so.test_class = vm["class"].as<std::string>();
        if (vm.count("metric")) so.test_metric = vm["metric"].as<std::string>();
        format = vm["format"].as<std::string>();
        if (format != "table" && format != "json" && format != "csv")
            throw UsageError("--format must be table, json or csv, not '" + format + "'");
        if (vm.count("out") && vm["out"].as<std::string>().empty()) throw UsageError("--out needs a directory");
        if (vm.count("report") && vm["report"].as<std::string>().empty())
            throw UsageError("--report needs a file name");
        std::vector<NamedPath> outputs;
        if (vm.count("out"))
            for (const char* file : {"scrutiny.json", "scrutiny.csv"})
                outputs.push_back({"--out", (std::filesystem::path(vm["out"].as<std::string>()) / file).string()});
        if (vm.count("report")) outputs.push_back({"--report", vm["report"].as<std::string>()});
        refuse_clashing_paths(
            {{"the scenario", vm["scenario"].as<std::string>()}, {"the KPI file", vm["kpis"].as<std::string>()}},
            outputs);
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    const std::string chart_library = vm.count("report") ? report::load_chart_library() : std::string();
    if (vm.count("out"))
        if (const auto status =
                check_output_dir("scrutiny", vm["out"].as<std::string>(), {"scrutiny.json", "scrutiny.csv"}))
            return *status;
    if (vm.count("report"))
        if (const auto status = check_output_files("scrutiny", {vm["report"].as<std::string>()})) return *status;

    const auto overrides = overrides_with_start_date(vm);
    if (!overrides) return 2;
    const scenario::LoadResult loaded = load_reporting_result(vm["scenario"].as<std::string>(), *overrides);
    if (!loaded.spec) return 2;
    const std::string path = vm["kpis"].as<std::string>();
    scrutiny::ScrutinyResult result;
    try {
        const scrutiny::WeeklyKpis kpis = scrutiny::read_weekly_kpis_file(path, read_options);
        const scrutiny::WeekPlan plan = scrutiny::plan_weeks(*loaded.spec, kpis, so.demand);
        // The periods are weeks of the run as it covers the reported weeks.
        if (vm.count("before")) {
            try {
                so.before = model::parse_window(vm["before"].as<std::string>(), plan.spec);
                so.after = model::parse_window(vm["after"].as<std::string>(), plan.spec);
            } catch (const std::invalid_argument& e) {
                return usage_error(help, std::string("--before/--after: ") + e.what());
            }
        }
        if (!check_run_size(loaded, plan.spec, so.replications, vm.count("replications") > 0,
                            so.threads == 0 ? sim::default_thread_count() : so.threads, vm.count("allow-large") > 0,
                            "the reported weeks"))
            return 2;
        std::cerr << "crsim: scrutiny of " << path << " against " << loaded.spec->name << " (" << so.replications
                  << " replications) ..." << std::endl;
        result = scrutiny::run_scrutiny(*loaded.spec, kpis, path, so);
    } catch (const scrutiny::KpiFileError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const scrutiny::ScrutinyError& e) {
        std::cerr << "crsim scrutiny: error: " << e.what() << '\n';
        return 2;
    }
    for (const std::string& w : result.warnings) std::cerr << "warning: " << w << '\n';

    const std::string json = scrutiny::scrutiny_json(result);
    const std::string csv = scrutiny::scrutiny_csv(result);
    try {
        if (vm.count("out")) {
            const std::filesystem::path dir = vm["out"].as<std::string>();
            report::write_file_atomically(dir / "scrutiny.json", json);
            report::write_file_atomically(dir / "scrutiny.csv", csv);
            std::cerr << "crsim: wrote scrutiny.json and scrutiny.csv to " << dir.string() << '\n';
        }
        if (vm.count("report")) {
            const report::HtmlPage page = scrutiny::scrutiny_report(result);
            report::write_file_atomically(vm["report"].as<std::string>(), page.html(chart_library));
            std::cerr << "crsim: wrote the report (" << page.charts() << " charts) to "
                      << vm["report"].as<std::string>() << '\n';
        }
    } catch (const std::runtime_error& e) {
        std::cerr << "crsim scrutiny: error: " << e.what() << '\n';
        return 1;
    }
    if (format == "json")
        std::cout << json;
    else if (format == "csv")
        std::cout << csv;
    else
        scrutiny::write_scrutiny_table(std::cout, result);
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "crsim scrutiny: error: cannot write the report to stdout\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::scrutiny_command
