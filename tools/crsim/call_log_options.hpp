#pragma once
// Command-line options shared by the commands that read a call log (fit, backtest): --map,
// --origin, --skip-bad, dates, and positional arguments other than a single scenario.

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crsim/calllog/call_log.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli {

/// Adds --map, --origin, --skip-bad and --allow-large to `options`.
void add_call_log_options(boost::program_options::options_description& options);

/// The reading options those give (--allow-large lifts the limits of a log's size); UsageError for
/// a bad --map or --origin.
calllog::ReadOptions read_call_log_options(const boost::program_options::variables_map& vm);

/// A YYYY-MM-DD option as a day number (nothing when absent); UsageError when it is not a date.
std::optional<std::int64_t> read_day_option(const boost::program_options::variables_map& vm, const char* name);

/// The help paragraph of the limits of a call log and of --allow-large, for fit and backtest.
extern const char* const call_log_limits_help;

/// Prints on stderr how many bad rows --skip-bad left out, with the first few.
void report_skipped(const calllog::CallLog& log);

/// As parse_scenario_command, for the positional arguments `names` (each required; `what` says
/// each in the usage error).
std::optional<int> parse_positionals(int argc, const char* const* argv, const CommandHelp& help,
                                     const boost::program_options::options_description& options,
                                     const std::vector<std::pair<std::string, std::string>>& names,
                                     boost::program_options::variables_map& vm);

/// One positional argument `name` (described as `what`).
inline std::optional<int> parse_positional_command(int argc, const char* const* argv, const CommandHelp& help,
                                                   const boost::program_options::options_description& options,
                                                   const std::string& name, const std::string& what,
                                                   boost::program_options::variables_map& vm) {
    return parse_positionals(argc, argv, help, options, {{name, what}}, vm);
}

}  // namespace crsim::cli
