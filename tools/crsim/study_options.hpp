#pragma once
// The options `crsim run` and `crsim compare` share: how many replications, which seed, how many
// threads, which window, where the results go and in which format, precision goals and --quiet.
// Declared and read once, so that the two commands cannot drift apart.

#include <boost/program_options.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "crsim/model/precision.hpp"
#include "crsim/study/run_plan.hpp"

namespace crsim::cli {

/// The output formats of `run` and `compare`.
enum class ResultFormat { table, csv, json };

/// The shared options as given; unset ones default to the scenario's own values.
struct StudyOptions {
    std::optional<std::size_t> replications;
    std::optional<std::uint64_t> seed;
    unsigned threads = 0;  ///< 0: all cores
    std::optional<std::string> out;
    std::optional<std::string> window;
    ResultFormat format = ResultFormat::table;
    model::PrecisionGoals precision;
    std::size_t max_replications = 1000;
    bool quiet = false;
    std::optional<std::string> report;

    /// The plan of a study whose unset replications and seed are `default_replications` and
    /// `default_seed` (the first scenario's).
    study::RunPlan plan(std::size_t default_replications, std::uint64_t default_seed) const;
};

/// What a command says about the shared options where the two commands differ.
struct StudyOptionHelp {
    const char* replications;  ///< e.g. "number of replications (default: the scenario's)"
    const char* seed;
    const char* out;
    const char* format;
    const char* window;
    const char* precision;
};

/// Adds the shared options to a command's options, with `help`'s texts.
void add_study_options(boost::program_options::options_description& options, const StudyOptionHelp& help);

/// Reads the shared options from `vm`; throws UsageError on a bad value.
StudyOptions read_study_options(const boost::program_options::variables_map& vm);

}  // namespace crsim::cli
