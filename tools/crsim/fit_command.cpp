// `crsim fit`: a scenario from a call log.
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "call_log_options.hpp"
#include "commands.hpp"
#include "crsim/fit/log_fit.hpp"
#include "crsim/model/work_estimate.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/report/fit_report.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/units.hpp"
#include "output_paths.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::fit_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim fit CALLS.csv --out SCENARIO.yaml [--interval 1h] [--classes A,B] [--from DATE --to DATE]\n"
    "                 [--staffing FILE.csv] [--service-level 20s:80%] [--map COL=HEADER,...] [--origin DATETIME]\n"
    "                 [--skip-bad] [--resolution 1s] [--session-gap 30min] [--not-an-agent NAME] [--note TEXT]\n"
    "                 [--report FILE.html] [--allow-large]\n";

constexpr const char* description =
    "Fits a scenario to a call log (the format is in README.md, 'The call-log format') and writes it as\n"
    "YAML that `crsim validate` accepts, each fitted figure commented with its estimate, standard error\n"
    "and sample size:\n"
    "  arrivals     per class: per_week, the weekly profile at --interval, daily_cv (method of moments\n"
    "               per weekday, the Poisson part removed)\n"
    "  handle time  exponential, gamma, lognormal and Weibull by maximum likelihood; the lowest AIC is\n"
    "               written; each with its Kolmogorov-Smirnov distance\n"
    "  patience     exponential, Weibull and lognormal by censored maximum likelihood (an answered call's\n"
    "               wait is a lower bound on its caller's patience), compared with Kaplan-Meier; the\n"
    "               choice and why are written beside it\n"
    "  staffing     from the agent column (people on duty per interval from who answered when: a lower\n"
    "               bound), or the table given with --staffing (header start,end,room,group,headcount)\n"
    "The period is the log's days (or --from .. --to, inclusive); the scenario starts on its first day\n"
    "(start_date) and lasts exactly that many days, so `crsim backtest` can set it beside the log.\n"
    "A class with a small share of the calls is kept and flagged; one with too few answered calls to\n"
    "fit is an error naming it. A short summary goes to stdout.\n"
    "--report FILE.html writes a self-contained page that draws each fit against the log: the weekly\n"
    "profile against the days, daily totals against daily_cv, the handle-time histogram against each\n"
    "family, Kaplan-Meier against each patience family, and people on duty (README.md, 'The fit report').\n"
    "Exit status: 0 written, 1 the file could not be written (or stdout), 2 bad options or a bad log.\n";

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ','))
        if (!item.empty()) items.push_back(item);
    return items;
}

fit::ServiceLevelTarget parse_target(const std::string& text) {
    const std::size_t colon = text.find(':');
    const auto within = scenario::parse_duration(text.substr(0, colon));
    if (!within || *within.value <= 0)
        throw UsageError("--service-level: expected WITHIN:GOAL such as 20s:80%, got '" + text + "'");
    fit::ServiceLevelTarget t;
    t.within_s = *within.value;
    if (colon != std::string::npos) {
        const auto goal = scenario::parse_share(text.substr(colon + 1));
        if (!goal || *goal.value < 0 || *goal.value > 1)
            throw UsageError("--service-level: expected a goal between 0 and 100%, got '" + text.substr(colon + 1) +
                             "'");
        t.goal = *goal.value;
    }
    return t;
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("quiet,q", "nothing on stderr but errors")(
        "out,o", po::value<std::string>(), "the scenario file to write (required)")(
        "interval", po::value<std::string>()->default_value("1h"),
        "profile interval; divides a day (15min, 30min, 1h, ...)")(
        "classes", po::value<std::string>(), "fit only these classes, in this order (comma-separated)")(
        "from", po::value<std::string>(), "first day of the period, YYYY-MM-DD (default: the log's first)")(
        "to", po::value<std::string>(), "last day of the period, inclusive (default: the log's last)")(
        "staffing", po::value<std::string>(),
        "staffing table CSV (start,end,room,group,headcount) instead of the agents' activity")(
        "service-level", po::value<std::vector<std::string>>(),
        "a service-level target WITHIN:GOAL to write for every class (repeatable; default 20s:80%)")(
        "session-gap", po::value<std::string>(),
        "an agent idle longer than this between calls, or idle while callers they answer wait, is taken as off "
        "duty (default: chosen from the data)")("resolution", po::value<std::string>()->default_value("1s"),
                                                "resolution of the log's durations")(
        "not-an-agent", po::value<std::vector<std::string>>(),
        "an agent name that is not a person (a placeholder), left out of the staffing (repeatable)")(
        "note", po::value<std::vector<std::string>>(),
        "a line put as a comment at the top of the scenario, e.g. the data's source (repeatable)")(
        "report", po::value<std::string>(), "write a self-contained HTML report with charts of the fit to this file");
    add_call_log_options(options);
    const std::string full_description = std::string(description) + "\n" + call_log_limits_help;
    const CommandHelp help{"fit", usage_line, full_description.c_str()};
    po::variables_map vm;
    if (const auto done = parse_positional_command(argc, argv, help, options, "calls", "the call log", vm))
        return *done;

    fit::FitOptions fit_options;
    calllog::ReadOptions read_options;
    std::string out;
    try {
        read_options = read_call_log_options(vm);
        if (!vm.count("out") || vm["out"].as<std::string>().empty())
            throw UsageError("--out SCENARIO.yaml is required");
        out = vm["out"].as<std::string>();
        const auto interval = scenario::parse_duration(vm["interval"].as<std::string>());
        if (!interval || *interval.value <= 0 || std::fmod(86400.0, *interval.value) != 0 || *interval.value < 60)
            throw UsageError(
                "--interval: expected a duration of at least 1min that divides a day (15min, 1h, ...), got '" +
                vm["interval"].as<std::string>() + "'");
        fit_options.interval_s = *interval.value;
        if (vm.count("classes")) {
            fit_options.classes = split_list(vm["classes"].as<std::string>());
            if (fit_options.classes.empty()) throw UsageError("--classes: expected class names separated by commas");
        }
        fit_options.from_day = read_day_option(vm, "from");
        fit_options.to_day = read_day_option(vm, "to");
        if (vm.count("service-level")) {
            fit_options.targets.clear();
            for (const std::string& t : vm["service-level"].as<std::vector<std::string>>())
                fit_options.targets.push_back(parse_target(t));
        }
        if (vm.count("session-gap")) {
            const auto gap = scenario::parse_duration(vm["session-gap"].as<std::string>());
            if (!gap || *gap.value <= 0) throw UsageError("--session-gap: expected a duration > 0, such as 30min");
            fit_options.session_gap_s = *gap.value;
        }
        const auto resolution = scenario::parse_duration(vm["resolution"].as<std::string>());
        if (!resolution || *resolution.value <= 0)
            throw UsageError("--resolution: expected a duration > 0, such as 1s");
        fit_options.resolution_s = *resolution.value;
        if (vm.count("not-an-agent")) fit_options.not_agents = vm["not-an-agent"].as<std::vector<std::string>>();
        if (vm.count("report") && vm["report"].as<std::string>().empty())
            throw UsageError("--report needs a file name");
        std::vector<NamedPath> inputs{{"the call log", vm["calls"].as<std::string>()}};
        if (vm.count("staffing")) inputs.push_back({"the staffing table", vm["staffing"].as<std::string>()});
        std::vector<NamedPath> outputs{{"--out", out}};
        if (vm.count("report")) outputs.push_back({"--report", vm["report"].as<std::string>()});
        refuse_clashing_paths(inputs, outputs);
        if (!vm.count("allow-large"))
            fit_options.max_memory_bytes = model::WorkLimits::for_this_machine().max_memory_bytes;
    } catch (const UsageError& e) {
        return usage_error(help, e.what());
    }
    // Read before fitting, so that a missing package is found at once.
    const std::string chart_library = vm.count("report") ? report::load_chart_library() : std::string();
    // The outputs too: a device or a FIFO is refused before the log is read and fitted.
    std::vector<std::filesystem::path> files{out};
    if (vm.count("report")) files.emplace_back(vm["report"].as<std::string>());
    if (const auto status = check_output_files("fit", files)) return *status;

    const std::string path = vm["calls"].as<std::string>();
    fit::LogFit fitted;
    try {
        if (vm.count("staffing"))
            fit_options.staffing = fit::read_staffing_file(vm["staffing"].as<std::string>(), read_options);
        const calllog::CallLog log = calllog::read_call_log_file(path, read_options);
        report_skipped(log);
        fitted = fit::fit_call_log(log, path, fit_options);
    } catch (const calllog::CallLogError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const fit::FitError& e) {
        std::cerr << "crsim fit: error: " << path << ": " << e.what() << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "crsim fit: error: out of memory (--from and --to, --classes or a longer --interval make the "
                     "fit smaller)\n";
        return 1;
    }
    if (!vm.count("quiet"))
        for (const std::string& w : fitted.warnings) std::cerr << "warning: " << w << '\n';

    std::string name = std::filesystem::path(out).stem().string();
    std::string yaml;
    if (vm.count("note"))
        for (const std::string& note : vm["note"].as<std::vector<std::string>>()) {
            std::stringstream lines(note);
            for (std::string line; std::getline(lines, line);) yaml += "# " + fit::yaml_comment_text(line) + "\n";
        }
    yaml += fit::fitted_scenario_yaml(fitted, name);
    // The fitted file must load: a failure here is a bug in crsim fit, not in the user's log.
    const scenario::LoadResult check = scenario::load_scenario_text(yaml, out);
    if (!check.ok()) {
        for (const scenario::Diagnostic& d : check.diagnostics) std::cerr << d.format() << '\n';
        std::cerr << "crsim fit: error: the fitted scenario does not load (a bug in crsim fit); not written\n";
        return 1;
    }
    report::write_file_atomically(out, yaml);
    if (vm.count("report")) {
        const report::HtmlPage page = report::fit_report(fitted);
        report::write_file_atomically(vm["report"].as<std::string>(), page.html(chart_library));
        if (!vm.count("quiet"))
            std::cerr << "crsim: wrote the fit report (" << page.charts() << " charts) to "
                      << vm["report"].as<std::string>() << '\n';
    }

    std::printf("fitted %llu calls of %zu classes, %s .. %s (%zu days) in %.2f s -> %s\n",
                static_cast<unsigned long long>(fitted.calls), fitted.classes.size(),
                calllog::format_date(fitted.first_day).c_str(), calllog::format_date(fitted.last_day).c_str(),
                fitted.days(), fitted.fit_seconds, out.c_str());
    std::printf("%-8s %7s %16s %9s %24s %13s %22s %11s\n", "class", "calls", "per_week (SE)", "daily_cv",
                "handle: family", "mean/sample", "patience: family", "mean (SE)");
    for (const fit::ClassFit& c : fitted.classes) {
        const fit::FamilyFit& h = c.handle.best();
        char per_week[32], handle[32], patience[40], pmean[40];
        std::snprintf(per_week, sizeof per_week, "%.0f (%.0f)", c.arrivals.per_week, c.arrivals.per_week_se);
        std::snprintf(handle, sizeof handle, "%.1f/%.1f s", h.mean, c.handle.sample_mean);
        if (c.patience.has_patience()) {
            const fit::FamilyFit& p = c.patience.best();
            std::snprintf(patience, sizeof patience, "%s", std::string(fit::family_name(p.family)).c_str());
            std::snprintf(pmean, sizeof pmean, "%.0f (%.0f) s", p.mean, p.mean_se);
        } else {
            std::snprintf(patience, sizeof patience, "never");
            std::snprintf(pmean, sizeof pmean, "-");
        }
        std::printf("%-8s %7llu %16s %9.3f %24s %13s %22s %11s%s\n", c.name.c_str(),
                    static_cast<unsigned long long>(c.calls), per_week, c.arrivals.daily_cv,
                    std::string(fit::family_name(h.family)).c_str(), handle, patience, pmean,
                    c.small ? "  (small)" : "");
    }
    std::printf("staffing %s: %zu shifts over the period\n", fitted.staffing_method.c_str(), fitted.roster.size());
    errno = 0;
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        // SIGPIPE is ignored (main.cpp). A reader that left early ends the summary quietly, as
        // std::cout's StdoutBuffer does for the other commands; any other failure is reported.
        const int error = errno;
        if (error == EPIPE) return 0;
        std::cerr << "crsim fit: error: cannot write the summary to stdout"
                  << (error != 0 ? std::string(": ") + std::strerror(error) : std::string()) << " (" << out
                  << " is written)\n";
        return 1;
    }
    return 0;
}

}  // namespace crsim::cli::fit_command
