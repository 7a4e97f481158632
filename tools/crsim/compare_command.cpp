// `crsim compare`: runs several scenarios (options) with common random numbers and compares each
// target figure and the total rostered cost against the first, with paired and unpaired intervals.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "crsim/model/precision.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/comparison_writers.hpp"
#include "crsim/report/report_html.hpp"
#include "crsim/report/result_set.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/study/run_study.hpp"
#include "scenario_command_line.hpp"
#include "study.hpp"
#include "study_options.hpp"

namespace crsim::cli::compare_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim compare A.yaml B.yaml [C.yaml ...] [-n N] [-s SEED] [--threads T] [--window W]\n"
    "                     [--out DIR] [--format table|csv|json] [--precision H ...] [--max-replications M]\n"
    "                     [--quiet] [--set PATH=VALUE ...] [--report FILE.html]\n";

constexpr const char* description =
    "Runs every scenario (an option) with the same seed and the same replication numbers, so that\n"
    "replication r of each option sees the same callers and the same absences (common random numbers:\n"
    "each random stream is named after what it drives). The first option is the baseline. For each\n"
    "option, class and target figure, and for the total rostered cost, it reports the mean and 95%\n"
    "half-width and, against the baseline, the difference of means with two 95% half-widths: paired\n"
    "(Student t over the per-replication differences) and unpaired (Welch), for contrast. The verdict\n"
    "is better or worse when the paired interval excludes 0 (in the direction the figure counts as\n"
    "better: higher service level, lower ASA, abandonment and cost), else no difference shown. Each\n"
    "option's own target verdicts follow, as `crsim run` gives them.\n"
    "\n"
    "-n and -s default to the first scenario's replications and seed. --window, --precision and\n"
    "--max-replications work as for `crsim run` (--precision also waits for every paired difference).\n"
    "Options that do not share all their classes are compared on the classes they share (a note says\n"
    "so). A file given twice is a sanity check: every difference is then exactly 0. Repeated option\n"
    "names get suffixes -2, -3, ...\n"
    "\n"
    "--set applies to every option (each scenario is loaded with the same overrides).\n"
    "\n"
    "--out DIR writes compare.json (what --format json prints), compare.csv (one row per option and\n"
    "compared figure) and each option's own result files in DIR/OPTION/, as `crsim run --out` does.\n"
    "--report FILE.html writes a self-contained page with the verdicts and charts, cost against each\n"
    "target among them (README.md, \"Reports with charts\"); it needs Chart.js (Debian: libjs-chart.js).\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options or an invalid scenario.\n";

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help");
    add_study_options(
        options,
        {.replications = "replications of each option (default: the first scenario's)",
         .seed = "master random seed, 0 to 2^64-1 (default: the first scenario's)",
         .out = "directory for compare.json, compare.csv and each option's files",
         .format = "report on stdout: table (readable), csv (compare.csv) or json (compare.json)",
         .window = "compare the figures of a window: 14-26, 14, 3d-10d, or a name",
         .precision = "add replications until every target and paired-difference half-width is at most H: 0.005 "
                      "(shares), 5s (asa_s), 0.5% (abandoned_pct); repeatable"});
    add_set_option(options);
    const std::string text = std::string(description) + "\n" + set_option_help;
    const CommandHelp help{"compare", usage_line, text.c_str()};

    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::vector<std::string>>(), "scenario files");
    po::positional_options_description positional;
    positional.add("scenario", -1);
    po::variables_map vm;
    if (const auto done = parse_command_line(argc, argv, help, options, hidden, positional, vm)) return *done;
    std::vector<std::string> scenarios;
    if (vm.count("scenario")) scenarios = vm["scenario"].as<std::vector<std::string>>();
    if (scenarios.size() < 2)
        return usage_error(help, "give at least two scenarios to compare (the first is the baseline)");
    StudyOptions study;
    try {
        study = read_study_options(vm);
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }

    // Every scenario is loaded and checked before anything runs.
    const std::optional<std::vector<scenario::Override>> overrides = overrides_from(vm);
    if (!overrides) return 2;
    std::vector<model::ScenarioSpec> specs;
    bool failed = false;
    for (const std::string& path : scenarios) {
        std::optional<model::ScenarioSpec> spec = load_reporting(path, *overrides, study.quiet);
        if (!spec) {
            failed = true;
            continue;
        }
        specs.push_back(std::move(*spec));
    }
    if (failed) return 2;

    std::vector<std::string> scenario_names;
    for (const model::ScenarioSpec& s : specs) scenario_names.push_back(s.name);
    const std::vector<std::string> names = model::option_names(scenario_names);

    study::RunPlan plan = study.plan(specs.front().replications, specs.front().seed);
    if (study.window) {
        std::optional<model::ReportWindow> first;
        for (std::size_t i = 0; i < specs.size(); ++i) {
            std::optional<model::ReportWindow> w;
            try {
                w = study::resolve_window(specs[i], plan);
            } catch (const std::invalid_argument& e) {
                return usage_error(help, "--window: " + names[i] + ": " + e.what());
            }
            if (i == 0) first = w;
            if (!study.quiet && (w->from_s != first->from_s || w->to_s != first->to_s))
                std::cerr << "warning: the window " << *study.window << " is " << model::describe(*w) << " in "
                          << names[i] << " but " << model::describe(*first) << " in " << names[0]
                          << "; each option is measured over its own\n";
        }
    }

    if (!print_pre_run_checks(specs, names, scenarios, study.quiet)) return 2;

    if (study.out) {
        // Checked before running, so that a long run does not fail only at the end: each option's
        // files are a result set of their own (result_set.hpp) in DIR/OPTION.
        try {
            for (const std::string& name : names) report::prepare_result_dir(std::filesystem::path(*study.out) / name);
        } catch (const report::ResultSetError& e) {
            std::cerr << "crsim compare: error: " << e.what() << '\n';
            return e.usage ? 2 : 1;
        }
    }
    {
        std::vector<std::filesystem::path> files;
        if (study.out)
            for (const char* name : {"compare.json", "compare.csv"})
                files.push_back(std::filesystem::path(*study.out) / name);
        if (study.report) files.emplace_back(*study.report);
        if (const auto status = check_output_files("compare", files)) return *status;
    }

    // Read before running, so that a missing package is found at once, not after a long run.
    const std::string chart_library = study.report ? report::load_chart_library() : std::string();

    StderrObserver observer(study.quiet);
    const study::CompareOutcome outcome = study::compare_scenarios(specs, names, plan, observer);
    const std::vector<model::Summary>& summaries = outcome.summaries;
    const model::Comparison& comparison = outcome.comparison;

    if (!study.quiet)
        for (const std::string& note : comparison.notes) std::cerr << "note: " << note << '\n';

    switch (study.format) {
        case ResultFormat::table:
            report::write_comparison_table(std::cout, comparison);
            break;
        case ResultFormat::csv:
            report::write_comparison_csv(std::cout, comparison);
            break;
        case ResultFormat::json:
            report::write_comparison_json(std::cout, comparison);
            break;
    }
    std::cout.flush();

    if (study.out) {
        const std::filesystem::path dir(*study.out);
        std::ostringstream json, csv;
        report::write_comparison_json(json, comparison);
        report::write_comparison_csv(csv, comparison);
        report::write_file_atomically(dir / "compare.json", json.str());
        report::write_file_atomically(dir / "compare.csv", csv.str());
        for (std::size_t i = 0; i < summaries.size(); ++i) report::write_report_files(dir / names[i], summaries[i]);
        if (!study.quiet)
            std::cerr << "crsim: wrote compare.json, compare.csv and each option's result files to " << *study.out
                      << '\n';
    }
    if (study.report) {
        const report::HtmlPage page = report::compare_report(comparison, summaries);
        report::write_file_atomically(*study.report, page.html(chart_library));
        if (!study.quiet)
            std::cerr << "crsim: wrote the report (" << page.charts() << " charts) to " << *study.report << '\n';
    }
    if (!std::cout) {
        std::cerr << "crsim compare: error: cannot write the report to stdout\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::compare_command
