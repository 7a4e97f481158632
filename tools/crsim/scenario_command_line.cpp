#include "scenario_command_line.hpp"

#include <charconv>
#include <iostream>
#include <system_error>
#include <vector>

#include "crsim/scenario/load_scenario.hpp"

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

void read_precision(const po::variables_map& vm, model::PrecisionGoals& goals, std::size_t& max_replications) {
    if (vm.count("precision"))
        for (const std::string& text : vm["precision"].as<std::vector<std::string>>()) {
            try {
                model::add_precision_goal(goals, text);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--precision: ") + e.what());
            }
        }
    if (vm.count("max-replications")) {
        max_replications = parse_unsigned(vm["max-replications"].as<std::string>(), "max-replications", 1'000'000'000);
        if (max_replications == 0) throw UsageError("--max-replications must be at least 1");
        if (!goals.any()) throw UsageError("--max-replications is for --precision; give -n for a fixed count");
    }
}

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
