#include "scenario_command_line.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <system_error>
#include <vector>

#include "crsim/model/work_estimate.hpp"
#include "crsim/report/atomic_file.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/suggest.hpp"
#include "crsim/sim/replication_runner.hpp"
#include "crsim/sweep/sweep_task.hpp"

namespace crsim::cli {

namespace po = boost::program_options;

std::uint64_t parse_unsigned(const std::string& text, const char* option, std::uint64_t max) {
    std::uint64_t value = 0;
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(text.data(), last, value);
    if (text.empty() || ec != std::errc() || end != last)
        throw UsageError(std::string("--") + option + ": '" + text + "' is not a whole number >= 0");
    if (value > max) throw UsageError(std::string("--") + option + ": '" + text + "' is too large");
    return value;
}

namespace {

/// The words of an option name: "arrivals-per-hour" -> arrivals, per, hour.
std::vector<std::string> words_of(const std::string& name) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t dash = std::min(name.find('-', start), name.size());
        if (dash > start) words.push_back(name.substr(start, dash - start));
        start = dash + 1;
    }
    return words;
}

/// The option of `names` closest to `given` (both without the leading dashes): a likely typo, else
/// the one sharing the most words with it, if that is at least half of `given`'s words and two.
std::optional<std::string> closest_option(const std::string& given, const std::vector<std::string>& names) {
    if (auto typo = scenario::closest(given, names)) return typo;
    const std::vector<std::string> words = words_of(given);
    std::optional<std::string> best;
    std::size_t best_shared = std::max<std::size_t>(2, (words.size() + 1) / 2) - 1;
    for (const std::string& name : names) {
        std::size_t shared = 0;
        for (const std::string& w : words_of(name)) shared += std::count(words.begin(), words.end(), w) > 0;
        if (shared > best_shared) {
            best = name;
            best_shared = shared;
        }
    }
    return best;
}

}  // namespace

std::string option_error_text(const po::error& error, const po::options_description& options) {
    std::string text = error.what();
    const auto* unknown = dynamic_cast<const po::unknown_option*>(&error);
    if (!unknown) return text;
    std::string given = unknown->get_option_name();
    if (given.rfind("--", 0) != 0) return text;  // a short option: one letter is no typo to guess at
    given.erase(0, 2);
    std::vector<std::string> names;
    for (const auto& option : options.options())
        if (!option->long_name().empty()) names.push_back(option->long_name());
    if (const auto best = closest_option(given, names)) text += " (did you mean --" + *best + "?)";
    return text;
}

int usage_error(const CommandHelp& help, const std::string& message) {
    std::cerr << "crsim " << help.name << ": error: " << message << '\n'
              << help.usage_line << "Run 'crsim " << help.name << " --help' for details.\n";
    return 2;
}

std::optional<int> parse_command_line(int argc, const char* const* argv, const CommandHelp& help,
                                      const po::options_description& options, const po::options_description& hidden,
                                      const po::positional_options_description& positional, po::variables_map& vm) {
    po::options_description all;
    all.add(options).add(hidden);
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return usage_error(help, option_error_text(e, options));
    }
    if (vm.count("help")) {
        std::cout << help.usage_line << '\n' << help.description << '\n' << options;
        return 0;
    }
    return std::nullopt;
}

std::optional<int> parse_scenario_command(int argc, const char* const* argv, const CommandHelp& help,
                                          const po::options_description& options, po::variables_map& vm) {
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    if (const auto done = parse_command_line(argc, argv, help, options, hidden, positional, vm)) return done;
    if (!vm.count("scenario")) return usage_error(help, "missing the scenario file");
    return std::nullopt;
}

const char* const set_option_help =
    "--set PATH=VALUE (repeatable) changes a scenario value before validation, after extends: PATH is a\n"
    "key path (classes.101.patience.mean=5min, groups.call-handlers.absence=20%, horizon=8w); list items\n"
    "by index from 0 (roster[3].headcount=8), all of them (roster[*].headcount*=1.1) or those matching\n"
    "every key=value given (roster[room=hanley,shift=night].headcount+=3; on roster this covers the\n"
    "lines of every rosters block too). = sets (VALUE is YAML), += adds and *= multiplies a number, a\n"
    "duration or a percentage; on an integer the result is rounded to the nearest integer. A path that\n"
    "matches nothing is an error naming the --set argument. scenarios/README.md has the details.\n";

void add_set_option(po::options_description& options) {
    options.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                          "override a scenario value: PATH=VALUE, PATH+=VALUE or PATH*=VALUE (repeatable)");
}

std::optional<std::vector<scenario::Override>> overrides_from(const po::variables_map& vm) {
    std::vector<scenario::Override> overrides;
    if (!vm.count("set")) return overrides;
    bool ok = true;
    for (const std::string& argument : vm["set"].as<std::vector<std::string>>()) {
        std::string error;
        if (auto o = scenario::parse_override(argument, error)) {
            overrides.push_back(std::move(*o));
        } else {
            std::cerr << "--set '" << argument << "': error: " << error << '\n';
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return overrides;
}

std::optional<std::vector<scenario::Override>> overrides_with_start_date(const po::variables_map& vm) {
    auto overrides = overrides_from(vm);
    if (overrides && vm.count("start-date")) {
        const std::string date = vm["start-date"].as<std::string>();
        overrides->push_back(
            scenario::Override{"start_date", scenario::Override::Op::set, date, "--start-date " + date});
    }
    return overrides;
}

scenario::LoadResult load_reporting_result(const std::string& path, const std::vector<scenario::Override>& overrides,
                                           bool quiet) {
    scenario::LoadResult loaded = scenario::load_scenario(path, overrides);
    for (const scenario::Diagnostic& d : loaded.diagnostics)
        if (!quiet || !d.warning) std::cerr << d.format() << '\n';
    return loaded;
}

std::optional<model::ScenarioSpec> load_reporting(const std::string& path,
                                                  const std::vector<scenario::Override>& overrides, bool quiet) {
    return std::move(load_reporting_result(path, overrides, quiet).spec);
}

}  // namespace crsim::cli

namespace crsim::cli {

namespace {

/// Runs `check` (an output check), printing "crsim COMMAND: error: ..." for what it throws: status 2
/// for an output refused as such, 1 for any other failure (an unwritable place).
template <class Check>
std::optional<int> output_status(const char* command, Check check) {
    try {
        check();
    } catch (const std::runtime_error& e) {
        std::cerr << "crsim " << command << ": error: " << e.what() << '\n';
        return dynamic_cast<const report::OutputRefused*>(&e) != nullptr ? 2 : 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<int> check_output_files(const char* command, const std::vector<std::filesystem::path>& files) {
    for (const std::filesystem::path& file : files)
        if (const auto status = output_status(command, [&] { report::check_output_file(file); })) return status;
    return std::nullopt;
}

std::optional<int> check_output_dir(const char* command, const std::filesystem::path& dir,
                                    std::initializer_list<const char*> names) {
    if (const auto status = output_status(command, [&] { report::create_output_directory(dir, "--out"); }))
        return status;
    std::vector<std::filesystem::path> files;
    for (const char* name : names) files.push_back(dir / name);
    return check_output_files(command, files);
}

std::string count(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

const char* const allow_large_help =
    "A run is refused (exit 2) when its estimate, made before anything runs, exceeds a limit: more than\n"
    "10^9 call attempts over all replications, 10^10 events in one replication, 10^6 people on duty at\n"
    "once, or more memory than the machine has. The error names the key that makes the run so large.\n"
    "--allow-large runs it anyway; a replication then still stops (exit 1) if it makes more than 10^8 +\n"
    "100 times its estimated events (a runaway).\n";

void add_allow_large_option(po::options_description& options) {
    options.add_options()("allow-large", "run even beyond the limits of work and memory (see below)");
}

bool check_run_size(const scenario::LoadResult& loaded, std::size_t replications, bool replications_option,
                    std::size_t threads, bool allow_large) {
    return !loaded.spec ||
           check_run_size(loaded, *loaded.spec, replications, replications_option, threads, allow_large);
}

bool check_run_size(const scenario::LoadResult& loaded, const model::ScenarioSpec& spec, std::size_t replications,
                    bool replications_option, std::size_t threads, bool allow_large,
                    const std::string& horizon_source) {
    if (allow_large) return true;
    const auto problems = model::check_work(spec, replications, threads, model::WorkLimits::for_this_machine());
    for (const model::WorkProblem& p : problems) {
        const std::string advice = " (--allow-large runs it anyway)";
        if (p.key_path == "replications" && replications_option)
            std::cerr << "--replications " << replications << ": error: " << p.message << advice << '\n';
        else if (p.key_path == "horizon" && !horizon_source.empty())
            std::cerr << horizon_source << ": error: " << p.message << advice << '\n';
        else
            std::cerr << scenario::locate(loaded, p.key_path, p.message + advice).format() << '\n';
    }
    return problems.empty();
}

bool check_sweep_size(const scenario::SweepSpec& sweep, std::size_t threads, bool allow_large) {
    if (allow_large) return true;
    const auto problems = sweep::check_sweep_work(sweep, threads, model::WorkLimits::for_this_machine());
    constexpr std::size_t shown = 10;
    for (std::size_t i = 0; i < problems.size() && i < shown; ++i) {
        const sweep::SweepWorkProblem& p = problems[i];
        std::cerr << sweep.file
                  << ": error: " << (p.point == 0 ? std::string("the sweep") : sweep::describe_point(sweep, p.point))
                  << ": " << p.problem.key_path << ": " << p.problem.message << " (--allow-large runs it anyway)\n";
    }
    if (problems.size() > shown)
        std::cerr << sweep.file << ": error: and " << problems.size() - shown << " more beyond the limits\n";
    return problems.empty();
}

void add_quiet_option(po::options_description& options) {
    options.add_options()("quiet,q", "nothing on stderr but errors (no progress, notes or warnings)");
}

std::optional<scenario::LoadResult> load_within_limits(const po::variables_map& vm) {
    const auto overrides = overrides_from(vm);
    if (!overrides) return std::nullopt;
    scenario::LoadResult loaded =
        load_reporting_result(vm["scenario"].as<std::string>(), *overrides, vm.count("quiet") > 0);
    if (!loaded.spec) return std::nullopt;
    if (!check_run_size(loaded, loaded.spec->replications, false, sim::default_thread_count(),
                        vm.count("allow-large") > 0))
        return std::nullopt;
    return loaded;
}

}  // namespace crsim::cli
