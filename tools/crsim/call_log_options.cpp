#include "call_log_options.hpp"

#include <cstdint>
#include <iostream>

namespace crsim::cli {

namespace po = boost::program_options;

void add_call_log_options(po::options_description& options) {
    options.add_options()("map", po::value<std::string>(),
                          "the log's own headers: arrival=CallStart,class=Queue,... (COLUMN=HEADER)")(
        "origin", po::value<std::string>(),
        "for arrivals in seconds: the local date-time of second 0 (YYYY-MM-DDTHH:MM:SS)")(
        "skip-bad", "leave bad rows out, counted and reported, instead of stopping at the first");
    add_allow_large_option(options);
}

calllog::ReadOptions read_call_log_options(const po::variables_map& vm) {
    calllog::ReadOptions options;
    if (vm.count("map")) {
        try {
            options.column_names = calllog::parse_column_map(vm["map"].as<std::string>());
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--map: ") + e.what());
        }
    }
    if (vm.count("origin")) {
        options.origin_s = calllog::parse_local_datetime(vm["origin"].as<std::string>());
        if (!options.origin_s)
            throw UsageError("--origin: expected a local date-time YYYY-MM-DDTHH:MM:SS (or a date), got '" +
                             vm["origin"].as<std::string>() + "'");
    }
    options.skip_bad = vm.count("skip-bad") > 0;
    if (vm.count("allow-large")) options.max_bytes = options.max_record_bytes = UINT64_MAX;
    return options;
}

std::optional<std::int64_t> read_day_option(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    const std::string text = vm[name].as<std::string>();
    const std::optional<double> t = text.size() == 10 ? calllog::parse_local_datetime(text) : std::nullopt;
    if (!t) throw UsageError(std::string("--") + name + ": expected a date YYYY-MM-DD, got '" + text + "'");
    return calllog::day_number(*t);
}

const char* const call_log_limits_help =
    "Limits, checked before the work (exit 2): a call log of at most 64 MiB, a row of at most 1 MiB;\n"
    "arrivals within the years 0000-9999; wait_s, handle_s and wrap_s of at most 1e10 s. fit: a period\n"
    "of at most 115740 days (1e10 s, the longest scenario) and no more memory than the machine has;\n"
    "backtest: a period within the log's days, and the limits of `crsim run` for its replications\n"
    "over it. --allow-large lifts the limits of size, work and memory (not those of the values).\n";

void report_skipped(const calllog::CallLog& log) {
    if (log.skipped == 0) return;
    std::cerr << "warning: --skip-bad left out " << log.skipped << " bad row" << (log.skipped == 1 ? "" : "s")
              << (log.skipped > log.skip_reasons.size() ? "; the first:" : ":") << '\n';
    for (const std::string& reason : log.skip_reasons) std::cerr << "  " << reason << '\n';
}

std::optional<int> parse_positionals(int argc, const char* const* argv, const CommandHelp& help,
                                     const po::options_description& options,
                                     const std::vector<std::pair<std::string, std::string>>& names,
                                     po::variables_map& vm) {
    po::options_description hidden;
    po::positional_options_description positional;
    for (const auto& [name, what] : names) {
        hidden.add_options()(name.c_str(), po::value<std::string>(), what.c_str());
        positional.add(name.c_str(), 1);
    }
    if (const auto done = parse_command_line(argc, argv, help, options, hidden, positional, vm)) return done;
    for (const auto& [name, what] : names)
        if (!vm.count(name)) return usage_error(help, "missing " + what);
    return std::nullopt;
}

}  // namespace crsim::cli
