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

std::optional<model::ScenarioSpec> load_reporting(const std::string& path) {
    scenario::LoadResult loaded = scenario::load_scenario(path);
    for (const scenario::Diagnostic& d : loaded.diagnostics) std::cerr << d.format() << '\n';
    return std::move(loaded.spec);
}

}  // namespace crsim::cli
