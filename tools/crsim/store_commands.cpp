// `crsim export` and `crsim merge`: a sweep store as CSV files, and shards combined into one store.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "crsim/sweep/sweep_store.hpp"
#include "scenario_command_line.hpp"

namespace crsim::cli::store_commands {

namespace {

namespace po = boost::program_options;

constexpr const char* export_usage = "Usage: crsim export RESULTS.sqlite --csv DIR [--quiet]\n";
constexpr const char* export_description =
    "Writes each table of a sweep store (meta, points, replications, summary, targets, target_periods,\n"
    "target_period_replications, tasks) as\n"
    "DIR/<table>.csv: a header of the column names, then the rows in key order; NULL is an empty cell.\n"
    "Each file is written whole or not at all. Exit status: 0 done, 1 a failure, 2 bad options or not a\n"
    "sweep store.\n";

constexpr const char* merge_usage = "Usage: crsim merge A.sqlite B.sqlite ... --out ALL.sqlite [--quiet]\n";
constexpr const char* merge_description =
    "Combines the stores of one sweep (the shards of `crsim sweep --shard I/N`, or partial runs) into a\n"
    "new store: every task stored in any of them once, with the summary and targets of each point whose\n"
    "replications are all there. It refuses (exit 2) stores of different sweeps (another sweep file,\n"
    "base scenario, seed or replication count), a store given twice, shards of different N (--shard I/N)\n"
    "or one shard twice, a file that is not a sweep store, and an --out that exists. It warns of shards\n"
    "missing from an I/N set and of tasks in none of the stores. The new store is written whole or not\n"
    "at all. Exit status: 0 done, 1 a failure, 2 bad options or stores that do not belong together.\n";

/// Parses options with positional arguments named `positional_name`.
std::optional<int> parse(int argc, const char* const* argv, const CommandHelp& help, po::options_description& options,
                         const char* positional_name, int max_positional, po::variables_map& vm) {
    po::options_description hidden;
    hidden.add_options()(positional_name, po::value<std::vector<std::string>>(), "inputs");
    po::positional_options_description positional;
    positional.add(positional_name, max_positional);
    if (const auto done = parse_command_line(argc, argv, help, options, hidden, positional, vm)) return done;
    return std::nullopt;
}

}  // namespace

int export_tables(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("csv", po::value<std::string>(), "directory for the CSV files")(
        "quiet,q", "nothing on stderr unless something fails");
    const CommandHelp help{"export", export_usage, export_description};
    po::variables_map vm;
    if (const auto done = parse(argc, argv, help, options, "store", 1, vm)) return *done;
    if (!vm.count("store")) return usage_error(help, "missing the store");
    if (!vm.count("csv") || vm["csv"].as<std::string>().empty()) return usage_error(help, "--csv DIR is required");
    const std::string store = vm["store"].as<std::vector<std::string>>().front();
    if (!std::filesystem::is_regular_file(store)) {
        std::cerr << "crsim export: error: " << store << ": no such file\n";
        return 2;
    }
    try {
        sweep::SweepStore::export_csv(store, vm["csv"].as<std::string>());
    } catch (const sweep::StoreMismatch& e) {
        std::cerr << "crsim export: error: " << e.what() << '\n';
        return 2;
    }
    if (vm.count("quiet")) return 0;
    std::cerr
        << "crsim export: wrote meta.csv, points.csv, replications.csv, summary.csv, targets.csv, target_periods.csv, "
           "target_period_replications.csv and tasks.csv to "
        << vm["csv"].as<std::string>() << '\n';
    return 0;
}

int merge_stores(int argc, const char* const* argv) {
    po::options_description options("Options", 100);
    options.add_options()("help,h", "print this help")("out,o", po::value<std::string>(), "the new store")(
        "quiet,q", "nothing on stderr unless something fails (no summary, no warnings)");
    const CommandHelp help{"merge", merge_usage, merge_description};
    po::variables_map vm;
    if (const auto done = parse(argc, argv, help, options, "stores", -1, vm)) return *done;
    if (!vm.count("stores")) return usage_error(help, "missing the stores to merge");
    if (!vm.count("out") || vm["out"].as<std::string>().empty())
        return usage_error(help, "--out ALL.sqlite is required");
    const auto inputs = vm["stores"].as<std::vector<std::string>>();
    const std::string out = vm["out"].as<std::string>();
    for (const std::string& in : inputs) {
        if (!std::filesystem::is_regular_file(in)) {
            std::cerr << "crsim merge: error: " << in << ": no such file\n";
            return 2;
        }
    }
    if (std::filesystem::exists(out)) {
        std::cerr << "crsim merge: error: " << out << " exists; merge into a new file\n";
        return 2;
    }
    sweep::MergeReport report;
    try {
        report = sweep::SweepStore::merge(inputs, out);
    } catch (const sweep::StoreMismatch& e) {
        std::cerr << "crsim merge: error: " << e.what() << '\n';
        return 2;
    }
    if (vm.count("quiet")) return 0;
    std::cerr << "crsim merge: merged " << inputs.size() << " store" << (inputs.size() == 1 ? "" : "s") << " into "
              << out << '\n';
    if (!report.missing_shards.empty()) {
        std::cerr << "crsim merge: warning: shard" << (report.missing_shards.size() == 1 ? " " : "s ");
        for (std::size_t i = 0; i < report.missing_shards.size(); ++i)
            std::cerr << (i == 0                                  ? ""
                          : i + 1 == report.missing_shards.size() ? " and "
                                                                  : ", ")
                      << report.missing_shards[i];
        std::cerr << (report.missing_shards.size() == 1 ? " is" : " are") << " missing\n";
    }
    if (report.tasks_done < report.tasks)
        std::cerr << "crsim merge: warning: incomplete: " << report.tasks - report.tasks_done << " of " << report.tasks
                  << " tasks are in none of the stores; " << report.points - report.points_complete << " of "
                  << report.points << " points have no summary (`crsim sweep SWEEP --out " << out
                  << "` runs what is missing)\n";
    return 0;
}

}  // namespace crsim::cli::store_commands
