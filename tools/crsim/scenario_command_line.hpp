#pragma once
// Command-line handling shared by the subcommands that take one SCENARIO.yaml (run, validate,
// check): the positional scenario argument, --help, and usage errors, all said the same way.

#include <boost/program_options.hpp>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>

#include "crsim/model/scenario_spec.hpp"
#include "crsim/scenario/load_scenario.hpp"
#include "crsim/scenario/overrides.hpp"
#include "crsim/scenario/sweep_file.hpp"

namespace crsim::cli {

/// What a subcommand says about itself in --help and in usage errors.
struct CommandHelp {
    const char* name;         ///< e.g. "run"
    const char* usage_line;   ///< "Usage: crsim run SCENARIO.yaml [...]\n"
    const char* description;  ///< the paragraphs --help prints before the options
};

/// A bad option value found after parsing; the command reports it as a usage error (exit 2).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Parses a whole unsigned decimal number given to `--option`; throws UsageError when it is not one
/// or exceeds `max`. Taken as text rather than po::value<unsigned>, which would read "-1" as 4294967295.
std::uint64_t parse_unsigned(const std::string& text, const char* option, std::uint64_t max);

/// Boost's message for a command-line error, with "did you mean --X?" when an unknown option is
/// close to one of `options` (a typo, or the same last words: --calls-per-hour, --arrivals-per-hour).
std::string option_error_text(const boost::program_options::error& error,
                              const boost::program_options::options_description& options);

/// Prints "crsim NAME: error: MESSAGE", the usage line and a pointer to --help on stderr; returns 2.
int usage_error(const CommandHelp& help, const std::string& message);

/// Parses argv against `options` (shown by --help) plus `hidden` and `positional`; returns the exit
/// status when the command is already done (help printed: 0; a usage error: 2), else nothing.
std::optional<int> parse_command_line(int argc, const char* const* argv, const CommandHelp& help,
                                      const boost::program_options::options_description& options,
                                      const boost::program_options::options_description& hidden,
                                      const boost::program_options::positional_options_description& positional,
                                      boost::program_options::variables_map& vm);

/// Parses `options` and the one positional scenario path into `vm`. Returns an exit status when
/// the command is done (0 after printing --help, 2 after a usage error), or nothing to go on; then
/// vm["scenario"] holds the path.
std::optional<int> parse_scenario_command(int argc, const char* const* argv, const CommandHelp& help,
                                          const boost::program_options::options_description& options,
                                          boost::program_options::variables_map& vm);

/// Adds `--set PATH=VALUE` (repeatable) to a command's options. A command taking a scenario then
/// loads it with load_reporting(path, vm), which applies the overrides (scenario/overrides.hpp).
void add_set_option(boost::program_options::options_description& options);

/// Adds `-q`, `--quiet`: nothing on stderr but errors (no progress, notes or warnings).
void add_quiet_option(boost::program_options::options_description& options);

/// The help paragraph that describes --set, for a command's description.
extern const char* const set_option_help;

/// The overrides given with --set, in order; nothing (after printing each problem on stderr as
/// `--set 'ARG': error: ...`) when one is malformed.
std::optional<std::vector<scenario::Override>> overrides_from(const boost::program_options::variables_map& vm);

/// The --set overrides as overrides_from gives them, then `start_date` set from --start-date when
/// the command has that option and it is given (it wins over a --set of start_date).
std::optional<std::vector<scenario::Override>> overrides_with_start_date(
    const boost::program_options::variables_map& vm);

/// Loads a scenario with `overrides`, printing every error and (unless `quiet`: --quiet) warning
/// on stderr.
scenario::LoadResult load_reporting_result(const std::string& path, const std::vector<scenario::Override>& overrides,
                                           bool quiet = false);

/// Loads a scenario, printing every error and (unless `quiet`) warning on stderr; nothing when
/// there are errors (the command then exits with status 2).
std::optional<model::ScenarioSpec> load_reporting(const std::string& path,
                                                  const std::vector<scenario::Override>& overrides = {},
                                                  bool quiet = false);

}  // namespace crsim::cli

namespace crsim::cli {

/// Checks, before any work, that each result file in `files` can be written (report::check_output_file):
/// prints "crsim COMMAND: error: ..." and returns the exit status (2 for a target that is not a
/// regular file, 1 for an unwritable place) at the first that cannot, else nothing.
std::optional<int> check_output_files(const char* command, const std::vector<std::filesystem::path>& files);

/// The same for a result directory: creates `dir` (given by --out; report::create_output_directory),
/// then checks its files `names` as check_output_files does. Status 2 where `dir` or a parent is
/// not a directory (--out /dev/null).
std::optional<int> check_output_dir(const char* command, const std::filesystem::path& dir,
                                    std::initializer_list<const char*> names);

/// "1 class", "3 classes": `n` and the word for one or for many.
std::string count(std::size_t n, const char* one, const char* many);

/// Adds --allow-large: run a scenario beyond the documented limits of work and memory.
void add_allow_large_option(boost::program_options::options_description& options);

/// The help paragraph of --allow-large and the limits it lifts.
extern const char* const allow_large_help;

/// Checks the estimated size of `replications` replications on `threads` threads of a loaded
/// scenario against the limits (crsim/model/work_estimate.hpp). Unless `allow_large`, prints each
/// excess as a located error naming the key (or --replications when `replications_option`) and
/// returns false: the command then exits with status 2.
bool check_run_size(const scenario::LoadResult& loaded, std::size_t replications, bool replications_option,
                    std::size_t threads, bool allow_large);

/// As above, for `spec`: the loaded scenario as changed after loading (backtest's period). A problem
/// of its horizon is said as `horizon_source: error: ...` when that is given.
bool check_run_size(const scenario::LoadResult& loaded, const model::ScenarioSpec& spec, std::size_t replications,
                    bool replications_option, std::size_t threads, bool allow_large,
                    const std::string& horizon_source = {});

/// Checks a sweep before anything runs: each point against the limits of `crsim run` (its
/// replications on `threads` threads) and the sweep's task list against memory. Unless
/// `allow_large`, prints each excess as "SWEEP: error: point P (PATH=VALUE, ...): KEY: why" (at most
/// ten, then how many more) and returns false: the command then exits with status 2.
bool check_sweep_size(const scenario::SweepSpec& sweep, std::size_t threads, bool allow_large);

/// Loads the scenario named by vm["scenario"] as `validate` and `check` do: with the --set overrides
/// of `vm`, then refused when its own replications exceed the limits, unless --allow-large (as `run`
/// would refuse it). Prints every problem on stderr; nothing when the command must exit with status 2.
std::optional<scenario::LoadResult> load_within_limits(const boost::program_options::variables_map& vm);

}  // namespace crsim::cli
