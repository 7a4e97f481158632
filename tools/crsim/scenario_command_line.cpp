#include "scenario_command_line.hpp"

#include <iostream>

#include "crsim/scenario/load_scenario.hpp"

namespace crsim::cli {

namespace po = boost::program_options;

int usage_error(const CommandHelp& help, const std::string& message) {
    std::cerr << "crsim " << help.name << ": error: " << message << '\n'
              << help.usage_line << "Run 'crsim " << help.name << " --help' for details.\n";
    return 2;
}

std::optional<int> parse_scenario_command(int argc, const char* const* argv, const CommandHelp& help,
                                          const po::options_description& options, po::variables_map& vm) {
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    po::options_description all;
    all.add(options).add(hidden);
    po::positional_options_description positional;
    positional.add("scenario", 1);
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return usage_error(help, e.what());
    }
    if (vm.count("help")) {
        std::cout << help.usage_line << '\n' << help.description << '\n' << options;
        return 0;
    }
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

scenario::LoadResult load_reporting_result(const std::string& path, const std::vector<scenario::Override>& overrides) {
    scenario::LoadResult loaded = scenario::load_scenario(path, overrides);
    for (const scenario::Diagnostic& d : loaded.diagnostics) std::cerr << d.format() << '\n';
    return loaded;
}

std::optional<model::ScenarioSpec> load_reporting(const std::string& path,
                                                  const std::vector<scenario::Override>& overrides) {
    return std::move(load_reporting_result(path, overrides).spec);
}

std::optional<model::ScenarioSpec> load_reporting(const po::variables_map& vm) {
    const auto overrides = overrides_from(vm);
    if (!overrides) return std::nullopt;
    return load_reporting(vm["scenario"].as<std::string>(), *overrides);
}

}  // namespace crsim::cli
