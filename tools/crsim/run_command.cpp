// `crsim run`: simulates a scenario's replications and reports the figures against its targets.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "crsim/model/precision.hpp"
#include "crsim/model/report_window.hpp"
#include "crsim/model/summary.hpp"
#include "crsim/model/verdict.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/call_log_writer.hpp"
#include "crsim/report/report_html.hpp"
#include "crsim/report/result_set.hpp"
#include "crsim/report/summary_writers.hpp"
#include "crsim/scrutiny/weekly_kpis.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/study/run_study.hpp"
#include "scenario_command_line.hpp"
#include "study.hpp"
#include "study_options.hpp"

namespace crsim::cli::run_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim run SCENARIO.yaml [--replications N] [--seed S] [--threads T] [--out DIR]\n"
    "                 [--format table|csv|json] [--analytic] [--window W] [--precision H ...]\n"
    "                 [--max-replications M] [--quiet] [--set PATH=VALUE ...] [--calls-log FILE.csv]\n"
    "                 [--weekly-kpis FILE.csv] [--start-date YYYY-MM-DD]\n"
    "                 [--allow-large] [--report FILE.html] [--fail-on-miss]\n";

constexpr const char* description =
    "Simulates N independent replications of the scenario and prints each figure's mean over them\n"
    "with its 95% Student-t half-width, and each target as met or not; a scenario with a `verified:`\n"
    "block (staffed.yaml) also each target under the criterion `crsim staff` verified it with, in the\n"
    "search's words (met, NOT MET), when the run's window is the verified one. Replication r uses random\n"
    "streams derived from (seed, r), so a run is reproduced exactly by its seed and replication count,\n"
    "whatever the number of threads. Progress and warnings go to stderr; only the report goes to stdout.\n"
    "\n"
    "--out DIR writes summary.json, summary.csv, targets.csv, replications.csv and periods.csv there,\n"
    "as one set:\n"
    "after any interruption DIR holds the whole set of one run (the new set is staged beside DIR and\n"
    "swapped in at once). DIR must be new, empty, or the output of an earlier run: it is checked\n"
    "before simulating, and each run replaces its whole content. The files are written before the\n"
    "report goes to stdout. The figures and the files are described in README.md (\"Running a scenario\n"
    "and reading the results\").\n"
    "\n"
    "--window W reports the whole-run figures, the targets and summary/replications for the calls that\n"
    "arrive in W (staff time within it): weeks 14-26 or 14, days 3d-10d or 3d, or a window the scenario\n"
    "names (windows:). The run still starts at t = 0, so W sees a warmed-up system; the week-by-week\n"
    "figures cover the whole run. A window must end after the warm-up and by the horizon (else exit 2).\n"
    "\n"
    "--precision H adds replications in batches until the 95% half-width of every target figure is at\n"
    "most H, or --max-replications is reached (a warning then). A bare H is for service levels (shares:\n"
    "0.005 = half a percentage point); give it again with a unit for the other kinds: 5s for asa_s,\n"
    "0.5% for abandoned_pct. A kind without an H does not hold the run back. The result is reproduced\n"
    "by the seed and the final replication count.\n"
    "\n"
    "Before running, the checks of `crsim check` run: a routing error stops the run (exit 2); groups\n"
    "or rooms that do nothing, and intervals of the week whose load the rostered staff cannot carry,\n"
    "are printed once each as warnings on stderr. --analytic adds beside each class's service level,\n"
    "ASA, abandonment and mean time in queue two Erlang C/A estimates, the bounds of the routing: rooms\n"
    "separate (no call overflows) and pooled (a call that may overflow reaches every room at once); a\n"
    "stationary approximation per interval, weighted by offered calls (README.md, \"crsim run\n"
    "--analytic\", says what it assumes).\n"
    "Progress is shown on stderr when it is a terminal; --quiet silences progress, notes and warnings.\n"
    "--weekly-kpis FILE.csv writes the whole weeks of replication 1 (after the warm-up) in the weekly\n"
    "KPI format (README.md, 'The weekly KPI format'), which `crsim scrutiny` and `crsim calibrate` read;\n"
    "weeks are dated, so the scenario needs a start_date (or --start-date YYYY-MM-DD, the same as\n"
    "--set start_date=YYYY-MM-DD).\n"
    "--calls-log FILE.csv writes one row per call attempt of replication 1 in the call-log format\n"
    "(README.md, 'The call-log format'), which `crsim fit` reads back.\n"
    "--report FILE.html writes a self-contained page with the targets and charts (README.md, \"Reports\n"
    "with charts\"); it needs Chart.js from the Debian package libjs-chart.js.\n"
    "--fail-on-miss ends with exit status 3 when a target is not met (its mean misses the goal), a\n"
    "deferrable backlog's response-time target included, after writing every output as usual; stderr\n"
    "says how many were missed.\n"
    "Exit status: 0 done, 1 failure while running or writing, 2 bad options or an invalid scenario,\n"
    "3 a target missed with --fail-on-miss. A reader of stdout that stops early changes nothing.\n";

std::string full_description() { return std::string(description) + "\n" + set_option_help + "\n" + allow_large_help; }

struct Request {
    std::string scenario;
    StudyOptions study;
    bool analytic = false;
    bool allow_large = false;
    bool fail_on_miss = false;
    std::optional<std::string> calls_log;
    std::optional<std::string> weekly_kpis;
};

Request read_request(const po::variables_map& vm) {
    Request r;
    r.scenario = vm["scenario"].as<std::string>();
    r.study = read_study_options(vm);
    r.analytic = vm.count("analytic") > 0;
    r.allow_large = vm.count("allow-large") > 0;
    r.fail_on_miss = vm.count("fail-on-miss") > 0;
    if (vm.count("calls-log")) {
        r.calls_log = vm["calls-log"].as<std::string>();
        if (r.calls_log->empty()) throw UsageError("--calls-log needs a file name");
    }
    if (vm.count("weekly-kpis")) {
        r.weekly_kpis = vm["weekly-kpis"].as<std::string>();
        if (r.weekly_kpis->empty()) throw UsageError("--weekly-kpis needs a file name");
    }
    return r;
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help");
    add_study_options(options,
                      {.replications = "number of replications (default: the scenario's)",
                       .seed = "master random seed, 0 to 2^64-1 (default: the scenario's)",
                       .out = "directory for the result files (created if missing)",
                       .format = "report on stdout: table (readable), csv (summary.csv) or json (summary.json)",
                       .window = "report the whole-run figures for a window: 14-26, 14, 3d-10d, or a name",
                       .precision = "add replications until every target half-width is at most H: 0.005 (shares), "
                                    "5s (asa_s), 0.5% (abandoned_pct); repeatable"});
    options.add_options()("analytic", "add Erlang C/A estimates beside each class's figures (table and json)")(
        "calls-log", po::value<std::string>(), "write every call of replication 1 to this CSV (the call-log format)")(
        "weekly-kpis", po::value<std::string>(),
        "write the weeks of replication 1 to this CSV (the weekly KPI format)")(
        "start-date", po::value<std::string>(), "the date of t = 0, YYYY-MM-DD (as --set start_date=...)")(
        "fail-on-miss", "exit with status 3 when a target is not met (after writing every output)");
    add_set_option(options);
    add_allow_large_option(options);
    const std::string text = full_description();
    const CommandHelp help{"run", usage_line, text.c_str()};
    po::variables_map vm;
    if (const auto done = parse_scenario_command(argc, argv, help, options, vm)) return *done;
    Request request;
    try {
        request = read_request(vm);
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    const StudyOptions& study = request.study;

    const auto overrides = overrides_with_start_date(vm);
    if (!overrides) return 2;
    const scenario::LoadResult loaded = load_reporting_result(request.scenario, *overrides, study.quiet);
    if (!loaded.spec) return 2;
    const model::ScenarioSpec& spec = *loaded.spec;
    if (request.weekly_kpis && !spec.start_day)
        return usage_error(help, "--weekly-kpis: weeks are dated: the scenario needs a start_date (or --start-date)");
    {
        // Refused before anything else runs: the estimate is cheap, a hostile scenario is not.
        const std::size_t n = study.replications.value_or(spec.replications);
        const std::size_t threads = study.threads == 0 ? sim::default_thread_count() : study.threads;
        if (!check_run_size(loaded, n, study.replications.has_value(), threads, request.allow_large)) return 2;
    }
    // Replication 1 (index 0) alone tells its calls to the log writer; it runs on one thread.
    std::optional<report::CallLogWriter> calls_log;
    if (request.calls_log) calls_log.emplace(spec);
    study::RunPlan plan = study.plan(spec.replications, spec.seed);
    if (calls_log) plan.first_replication_recording.call_log = &*calls_log;
    try {
        const std::optional<model::ReportWindow> window = study::resolve_window(spec, plan);
        if (!study.quiet && window &&
            window->from_s > static_cast<double>(window->from - 1) * (window->unit == model::ReportWindow::Unit::week
                                                                          ? model::seconds_per_week
                                                                          : model::seconds_per_day))
            std::cerr << "note: the window " << model::describe(*window)
                      << " begins inside the warm-up; it is measured from the warm-up's end\n";
    } catch (const std::invalid_argument& e) {
        return usage_error(help, std::string("--window: ") + e.what());
    }

    // The checks of `crsim check`, as warnings: a run of a scenario the staff cannot carry is still
    // worth doing (it shows how bad it gets), but the user should know before reading the figures.
    const std::string name = spec.name;
    if (!print_pre_run_checks(std::span(&spec, 1), std::span(&name, 1), std::span(&request.scenario, 1), study.quiet))
        return 2;

    if (study.out) {
        // Checked before running, so that a long run does not fail only at the end.
        try {
            report::prepare_result_dir(*study.out);
        } catch (const report::ResultSetError& e) {
            std::cerr << "crsim run: error: " << e.what() << '\n';
            return e.usage ? 2 : 1;
        }
    }
    {
        std::vector<std::filesystem::path> files;
        for (const auto& file : {request.calls_log, request.weekly_kpis, study.report})
            if (file) files.emplace_back(*file);
        if (const auto status = check_output_files("run", files)) return *status;
    }

    // Read before running, so that a missing package is found at once, not after a long run.
    const std::string chart_library = study.report ? report::load_chart_library() : std::string();

    plan.analytic = request.analytic;
    StderrObserver observer(study.quiet);
    model::ReplicationResult first_replication;
    const model::Summary summary =
        study::run_scenario(spec, plan, observer, request.weekly_kpis ? &first_replication : nullptr);
    // The files first: a reader of stdout that stops early (| head) must not cost the results.
    const report::ReportFiles files = report::report_files(summary);
    if (study.out) {
        try {
            report::write_result_set(*study.out, files.all());
        } catch (const report::ResultSetError& e) {
            std::cerr << "crsim run: error: " << e.what() << '\n';
            return 1;
        }
        if (!study.quiet)
            std::cerr << "crsim: wrote summary.json, summary.csv, targets.csv, replications.csv and periods.csv to "
                      << *study.out << '\n';
    }
    if (calls_log) {
        try {
            report::write_file_atomically(*request.calls_log, calls_log->text());
        } catch (const std::runtime_error& e) {
            std::cerr << "crsim run: error: " << e.what() << '\n';
            return 1;
        }
        if (!study.quiet)
            std::cerr << "crsim: wrote " << calls_log->rows() << " calls of replication 1 to " << *request.calls_log
                      << '\n';
    }
    if (request.weekly_kpis) {
        try {
            report::write_file_atomically(*request.weekly_kpis, scrutiny::weekly_kpis_csv(spec, first_replication));
        } catch (const std::runtime_error& e) {
            std::cerr << "crsim run: error: " << e.what() << '\n';
            return 1;
        }
        if (!study.quiet) std::cerr << "crsim: wrote the weeks of replication 1 to " << *request.weekly_kpis << '\n';
    }
    if (study.report) {
        const report::HtmlPage page = report::run_report(summary);
        try {
            report::write_file_atomically(*study.report, page.html(chart_library));
        } catch (const std::runtime_error& e) {
            std::cerr << "crsim run: error: " << e.what() << '\n';
            return 1;
        }
        if (!study.quiet)
            std::cerr << "crsim: wrote the report (" << page.charts() << " charts) to " << *study.report << '\n';
    }
    switch (study.format) {
        case ResultFormat::table:
            report::write_table(std::cout, summary);
            break;
        case ResultFormat::csv:
            std::cout << files.summary_csv.content;
            break;
        case ResultFormat::json:
            std::cout << files.summary_json.content;
            break;
    }
    errno = 0;
    std::cout.flush();
    if (!std::cout) {
        // A reader that left is no error (stdout_buffer.hpp); this is a write that failed (a full disk).
        const int error = errno;
        std::cerr << "crsim run: error: cannot write the report to stdout"
                  << (error != 0 ? std::string(": ") + std::strerror(error) : std::string())
                  << (study.out ? " (the result files in " + *study.out + " are complete)" : std::string()) << '\n';
        return 1;
    }
    if (request.fail_on_miss) {
        const std::vector<model::TargetResult> targets = model::every_target(summary);
        const auto missed =
            std::count_if(targets.begin(), targets.end(), [](const model::TargetResult& t) { return !t.met; });
        if (missed > 0) {
            std::cerr << "crsim run: " << missed << " of " << targets.size() << " targets missed (--fail-on-miss)\n";
            return 3;
        }
    }
    return 0;
}

}  // namespace crsim::cli::run_command
