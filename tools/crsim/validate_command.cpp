// `crsim validate`: loads and checks a scenario without running it.
#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "crsim/model/number_text.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::validate_command {

namespace {

namespace po = boost::program_options;

constexpr const char* usage_line =
    "Usage: crsim validate SCENARIO.yaml [--set PATH=VALUE ...] [--roster] [--allow-large] [--quiet]\n";

constexpr const char* description =
    "Reads the scenario (and the files it extends) and checks every value, as `crsim run` does before\n"
    "running. Prints 'SCENARIO: ok (...)' with its size on stdout and exits 0; otherwise prints every\n"
    "problem as file:line:col: error: key.path: what was expected on stderr and exits 2. Warnings are\n"
    "printed on stderr and do not fail the check (--quiet leaves them out).\n"
    "\n"
    "With --set (or --roster), the roster lines follow the ok line, as they are after the overrides:\n"
    "each line's key path and its YAML, marked '*' when an override changed it.\n";

/// A duration in days for the summary line: "28 days", "0.5 days".
std::string days(double seconds) {
    const double n = seconds / model::seconds_per_day;
    return model::format_number(n) + (n == 1 ? " day" : " days");
}

}  // namespace

int run(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("roster", "list the roster lines after the ok line");
    add_set_option(options);
    add_quiet_option(options);
    add_allow_large_option(options);
    const std::string text = std::string(description) + "\n" + set_option_help + "\n" + allow_large_help;
    po::variables_map vm;
    if (const auto done = parse_scenario_command(argc, argv, {"validate", usage_line, text.c_str()}, options, vm))
        return *done;
    const std::string path = vm["scenario"].as<std::string>();
    // A scenario that `crsim run` would refuse as too large is not ok either.
    const std::optional<scenario::LoadResult> loaded = load_within_limits(vm);
    if (!loaded) return 2;
    const model::ScenarioSpec& spec = *loaded->spec;
    std::size_t targets = 0;
    for (const model::ClassSpec& c : spec.classes) targets += c.targets.size();
    std::cout << path << ": ok (" << count(spec.classes.size(), "class", "classes") << ", "
              << count(spec.groups.size(), "group", "groups") << ", " << count(spec.rooms.size(), "room", "rooms")
              << ", " << count(spec.shifts.size(), "roster line", "roster lines") << ", "
              << count(targets, "target", "targets") << "; horizon " << days(spec.horizon_s) << ", warm-up "
              << days(spec.warmup_s) << ", " << count(spec.replications, "replication", "replications") << ", seed "
              << spec.seed << ")\n";
    if (vm.count("set") || vm.count("roster")) {
        std::size_t changed = 0;
        for (const scenario::RosterLineText& line : loaded->roster) changed += line.overridden ? 1 : 0;
        std::cout << "roster (" << count(loaded->roster.size(), "line", "lines") << ", " << changed
                  << " changed by --set, marked *):\n";
        std::size_t width = 0;
        for (const scenario::RosterLineText& line : loaded->roster) width = std::max(width, line.path.size());
        for (const scenario::RosterLineText& line : loaded->roster)
            std::cout << (line.overridden ? "* " : "  ") << line.path << std::string(width - line.path.size() + 2, ' ')
                      << line.text << '\n';
    }
    return 0;
}

}  // namespace crsim::cli::validate_command
